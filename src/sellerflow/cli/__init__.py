"""The `sellerflow` command: `sellerflow [--db URL] [--json] COMMAND`.

Exit status: 0 done; 1 refused by a rule (the code names it, e.g. L7); 2 bad input; 3 not
found; 4 the database or the program failed (the message says what to check)."""

from __future__ import annotations

import gc

# Importing the libraries and the commands makes a few hundred thousand objects that live as
# long as the process; the collector's passes over them took a tenth of a short command's
# time. It resumes once they are imported, with them frozen out of its way.
gc.disable()
try:
    import os
    import sys

    import typer

    from sellerflow import __version__
    from sellerflow.cli import (
        classroom,
        errors,
        orders,
        output,
        runtime,
        setup,
        sp_notifications,
        views,
    )
    from sellerflow.defaults import DEFAULT_URL
    from sellerflow.domain.errors import InvalidInput, SellerflowError
finally:
    gc.freeze()
    gc.enable()

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)


def _version(value: bool) -> None:
    if value:
        print(f"sellerflow {__version__}")
        raise typer.Exit()


@app.callback()
def root(ctx: typer.Context,
         db: str = typer.Option(DEFAULT_URL, "--db", envvar="SELLERFLOW_DB",
                                help="Database URL: sqlite:///PATH or "
                                     "postgresql+psycopg://user@host:port/dbname."),
         json_output: bool = typer.Option(False, "--json",
                                          help="Print exactly one JSON document on stdout."),
         version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Show the version and exit.")) -> None:
    ctx.obj = output.Options(db=db, json=json_output)


setup.register(app)
orders.register(app)
views.register(app)
runtime.register(app)
sp_notifications.register(app)
classroom.register(app)


def _command_words(argv: list[str]) -> str:
    """The command a user typed (`order message`), for naming fields as they typed them."""
    words: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--db":
            skip = True
        elif not arg.startswith("-"):
            words.append(arg)
    return " ".join(words[:2])


def _fail(error: SellerflowError, as_json: bool) -> None:
    shown = errors.for_command_line(error, _command_words(sys.argv[1:]))
    errors.emit_error(shown, as_json, output.stderr)
    sys.exit(errors.exit_status(error))


def _quiet_after_ctrl_c(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands in a finaliser (a pooled connection given back as the command
    stops) is no failure to show: the command itself says it was interrupted."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)


def main() -> None:
    sys.unraisablehook = _quiet_after_ctrl_c
    try:
        _run()
    except BrokenPipeError:
        # The reader went away (`sellerflow report ... | head`): stop quietly, and keep the
        # interpreter's last flush from failing on the closed pipe too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)


def _arguments(argv: list[str]) -> list[str]:
    """--json may come after the command as well (`sellerflow orders SELLER --json`): it is a
    root option, so it is moved to the front."""
    if "--json" not in argv:
        return argv
    return ["--json", *(arg for arg in argv if arg != "--json")]


def _check_text(argv: list[str]) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates: refuse them here, naming the
    option they were given to, before they reach any other check or the database."""
    for n, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            where = argv[n - 1] if n and argv[n - 1].startswith("--") else f"argument {n + 1}"
            raise InvalidInput(where, f"{arg.encode('utf-8', 'replace').decode()!r} is not "
                                      "valid UTF-8 text; type it, or save it, as UTF-8") from None


def _run() -> None:
    as_json = "--json" in sys.argv[1:]
    try:
        _check_text(sys.argv[1:])
        app(args=_arguments(sys.argv[1:]), standalone_mode=False, prog_name="sellerflow")
    except SellerflowError as error:
        _fail(error, as_json)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.TyperException as error:
        if type(error).__name__ == "NoArgsIsHelpError":
            # No command (or a group without its subcommand): show what there is to type.
            help_context = getattr(error, "ctx", None)
            if help_context is not None:
                print(help_context.get_help())
            sys.exit(0 if len(sys.argv) == 1 else 2)
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "sellerflow"
        _fail(InvalidInput(where, f"{error.format_message()} (see `{where} --help`)"), as_json)
    except (typer.Abort, KeyboardInterrupt):
        _fail(errors.Interrupted(errors.GENERIC_INTERRUPTION), as_json)
    except Exception as error:  # noqa: BLE001 - the last line of defence: never a traceback
        if os.environ.get("SELLERFLOW_DEBUG"):
            raise
        if errors.was_interrupted(error):
            _fail(errors.Interrupted(errors.GENERIC_INTERRUPTION), as_json)
        from sellerflow.service.context import database_problem

        problem = database_problem(error) or SellerflowError(
            f"unexpected {type(error).__name__}: {error}; rerun with SELLERFLOW_DEBUG=1 for "
            "details and report it")
        _fail(problem, as_json)
