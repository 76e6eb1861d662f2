"""`sellerflow class`: a trainer's class, one marketplace of its own per trainee
(docs/classroom.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from sellerflow.cli.output import OPERATOR, emit, options, pairs, stderr, stdout, table
from sellerflow.domain.errors import InvalidInput

if TYPE_CHECKING:
    from sellerflow.service.classroom import ClassMember, ClassView

class_app = typer.Typer(help="Classes: a trainer's class, with a marketplace of its own for "
                             "each trainee (its own clock, buyers, orders and mailbox).",
                        no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(class_app, name="class")


def _member(member: ClassMember) -> dict[str, Any]:
    shown: dict[str, Any] = {"number": member.number, "role": member.role,
                             "email": member.email}
    if member.password is not None:
        shown["password"] = member.password
    if member.seller_id is not None:
        shown.update(sellerId=member.seller_id, database=member.database)
    return shown


def _class(view: ClassView) -> dict[str, Any]:
    return {"name": view.name, "language": view.language, "scenario": view.scenario,
            "policy": view.policy,
            "trainees": view.trainees,
            "createdAt": view.created_at.isoformat(), "members": [_member(m)
                                                                  for m in view.members]}


def _members_table(title: str, view: ClassView) -> None:
    with_passwords = any(m.password for m in view.members)
    # "sign-in", not "email": a column the terminal never cuts (the addresses are typed).
    columns = ["#", "role", "sign-in", *(["password"] if with_passwords else []), "seller"]
    table(title, columns, [[m.number, m.role, m.email,
                            *([m.password] if with_passwords else []), m.seller_id or ""]
                           for m in view.members])


@class_app.command("create")
def class_create(ctx: typer.Context,
                 name: str = typer.Argument(..., help="The class's name: lower-case letters, "
                                                      "digits and hyphens."),
                 trainees: int = typer.Option(..., "--trainees", help="How many trainees "
                                                                      "(1 to 60)."),
                 language: str = typer.Option("en", "--language",
                                              help="en or zh_CN: the trainees' e-mails and "
                                                   "first language."),
                 scenario: str = typer.Option(None, "--scenario",
                                              help="A lesson every trainee's marketplace "
                                                   "plays (its orders placed, its tasks "
                                                   "checked), e.g. confirm-shipment."),
                 policy: list[str] = typer.Option([], "--policy",
                                                  help="KEY=VALUE: a lifecycle number of "
                                                       "every trainee's marketplace (as "
                                                       "`config set`), e.g. "
                                                       "auto-cancel=amazon-2020; repeatable.")
                 ) -> None:
    """Make a class: the trainer's sign-in and a marketplace per trainee (a sandbox with the
    trainee's seller and goods to sell). Prints every sign-in once: passwords are kept only
    as hashes."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from sellerflow.service import classroom

    numbers = {}
    for given in policy:
        key, sep, value = given.partition("=")
        if not sep or not key.strip():
            raise InvalidInput("--policy", f"{given!r} is not KEY=VALUE, e.g. "
                                           "auto-cancel=amazon-2020")
        numbers[key.strip()] = value.strip()
    with Progress(TextColumn("making the trainees' marketplaces"), BarColumn(),
                  MofNCompleteColumn(), console=stderr, transient=True) as bar:
        task = bar.add_task("trainees", total=trainees)
        view = classroom.create_class(options(ctx).market(), OPERATOR, name, trainees, language,
                                      lambda done: bar.update(task, completed=done), scenario,
                                      numbers)
    emit(ctx, _class(view), lambda: _members_table(
        f"Class {view.name} (sign-ins are shown only once)", view))


@class_app.command("list")
def class_list(ctx: typer.Context) -> None:
    """The classes on this database."""
    from sellerflow.service import classroom

    found = classroom.list_classes(options(ctx).market(), OPERATOR)

    def human() -> None:
        if not found:
            stdout.print("No classes yet.")
            return
        table("Classes", ["name", "language", "trainees", "created"],
              [[c.name, c.language, c.trainees, c.created_at.isoformat()] for c in found])

    emit(ctx, [{k: v for k, v in _class(c).items() if k != "members"} for c in found], human)


@class_app.command("show")
def class_show(ctx: typer.Context, name: str = typer.Argument(..., help="The class.")) -> None:
    """A class's trainer and trainees, with each trainee's seller (never a password)."""
    from sellerflow.service import classroom

    view = classroom.show_class(options(ctx).market(), OPERATOR, name)

    def human() -> None:
        pairs(f"Class {view.name}", {"language": view.language, "scenario": view.scenario,
                                     "trainees": view.trainees,
                                     "created": view.created_at.isoformat()})
        _members_table("Sign-ins", view)

    emit(ctx, _class(view), human)


@class_app.command("reset")
def class_reset(ctx: typer.Context, name: str = typer.Argument(..., help="The class."),
                trainee: int = typer.Argument(..., help="The trainee's number.")) -> None:
    """Make a trainee's marketplace anew (its orders, buyers, mail and clock gone); the
    trainee signs in as before."""
    from sellerflow.service import classroom

    member = classroom.reset_trainee(options(ctx).market(), OPERATOR, name, trainee)
    emit(ctx, _member(member), lambda: pairs(f"Trainee {member.number} reset",
                                             _member(member)))


@class_app.command("delete")
def class_delete(ctx: typer.Context, name: str = typer.Argument(..., help="The class.")
                 ) -> None:
    """Delete a class: its sign-ins and every trainee's marketplace."""
    from sellerflow.service import classroom

    view = classroom.delete_class(options(ctx).market(), OPERATOR, name)
    emit(ctx, {"deleted": view.name, "trainees": view.trainees},
         lambda: stdout.print(f"Class {view.name} deleted, with its {view.trainees} "
                              "trainees' marketplaces."))
