"""A trainer's class: one marketplace of its own per trainee (docs/classroom.md).

The server's database keeps the class and who signs in to it; each trainee's marketplace is a
sandbox database of its own beside it, so a trainee's clock, buyers, orders and mailbox are
theirs alone and another trainee's are not there at all. Each is made with the trainee's
seller account (Professional, in the class's language) and a few listings to sell."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sellerflow import catalogs
from sellerflow.domain.callers import Caller, CallerKind
from sellerflow.domain.errors import Conflict, InvalidInput, NotFound
from sellerflow.service import accounts, config, console_access, lessons, listings, metrics
from sellerflow.service import clock as clock_service
from sellerflow.service import orders as order_service
from sellerflow.service.context import Marketplace, Work, open_marketplace
from sellerflow.service.database import initialise
from sellerflow.service.views import OrderDetail, SellerMetrics
from sellerflow.store import classes, order_counts

MAX_TRAINEES = 60
TRAINER = 0
EMAIL_DOMAIN = classes.EMAIL_DOMAIN
# What each trainee's shop sells from the start (SKU, title, price, units).
GOODS = (("MUG-12OZ", "Ceramic Coffee Mug, 12 oz", "12.99", 40),
         ("BOARD-BAMBOO", "Bamboo Cutting Board, Large", "24.50", 25),
         ("BOTTLE-750", "Stainless Steel Water Bottle, 750 ml", "18.00", 30))


@dataclass(frozen=True)
class ClassMember:
    number: int                 # 0: the trainer
    email: str
    password: str | None        # only when just made: it is kept as a hash
    database: str | None        # a trainee's marketplace: its file or database name
    seller_id: str | None

    @property
    def role(self) -> str:
        return "trainer" if self.number == TRAINER else "trainee"


@dataclass(frozen=True)
class ClassView:
    name: str
    language: str
    created_at: datetime
    members: tuple[ClassMember, ...]
    scenario: str | None = None
    policy: dict[str, str] = field(default_factory=dict)

    @property
    def trainees(self) -> int:
        return sum(1 for m in self.members if m.number != TRAINER)


def _operator(caller: Caller, doing: str) -> None:
    caller.require(CallerKind.OPERATOR, doing=doing)


def member_email(class_name: str, number: int) -> str:
    person = "trainer" if number == TRAINER else f"trainee{number}"
    return f"{person}.{class_name}@{EMAIL_DOMAIN}"


def create_class(market: Marketplace, caller: Caller, name: str, trainees: int,
                 language: str = catalogs.DEFAULT,
                 progress: Callable[[int], None] | None = None,
                 scenario: str | None = None,
                 policy: dict[str, str] | None = None) -> ClassView:
    """The class, its trainer's sign-in and a marketplace per trainee, with their sign-ins
    (the passwords are shown this once). Nothing is kept of a class whose making failed."""
    _operator(caller, "creating a class")
    name = (name or "").strip().lower()
    if not classes.check_name(name):
        raise InvalidInput("name", f"{name!r} is not a class name: 1 to 30 lower-case letters, "
                                   "digits or hyphens, starting with a letter or digit")
    if not 1 <= trainees <= MAX_TRAINEES:
        raise InvalidInput("trainees", f"{trainees} is not from 1 to {MAX_TRAINEES}")
    if language not in catalogs.LANGUAGES:
        raise InvalidInput("language", f"{language!r} is not one of "
                                       f"{', '.join(catalogs.LANGUAGES)}")
    if scenario is not None:
        lessons.scenario(scenario)         # a scenario that does not exist is refused first
    for key in policy or {}:
        if key not in config.KEYS:
            raise InvalidInput("policy", f"{key!r} is not one of {', '.join(config.KEYS)}")
    emails = [member_email(name, n) for n in range(trainees + 1)]

    def check(work: Work) -> None:
        if classes.get_class(work.conn, name) is not None:
            raise Conflict("ClassExists", f"a class named {name} exists; delete it first or "
                                          "choose another name")
        if classes.email_taken(work.conn, emails):
            raise Conflict("ClassExists", f"the sign-ins of a class named {name} are taken")

    market.read(check)
    made: list[ClassMember] = [ClassMember(TRAINER, emails[0], _password(), None, None)]
    try:
        for number in range(1, trainees + 1):
            made.append(_trainee_marketplace(market, name, number, emails[number], language,
                                             scenario, policy or {}))
            if progress is not None:
                progress(number)

        # Hashing a password takes a while: done before the transaction, not holding it.
        rows = [{"class_name": name, "number": m.number, "email": m.email,
                 "password_hash": accounts.password_hash(m.password or ""),
                 "database": m.database, "seller_id": m.seller_id} for m in made]

        def record(work: Work) -> None:
            classes.insert_class(work.conn, name, language, scenario, json.dumps(policy or {}),
                                 work.now)
            classes.insert_members(work.conn, rows)

        market.run(record)
    except BaseException:
        for member in made:
            if member.database is not None:
                classes.drop_database(market.engine, member.database)
        raise
    return ClassView(name, language, market.now(), tuple(made), scenario, dict(policy or {}))


def _password() -> str:
    return secrets.token_urlsafe(9)


def _trainee_marketplace(market: Marketplace, class_name: str, number: int, email: str,
                         language: str, scenario: str | None,
                         policy: dict[str, str]) -> ClassMember:
    """A new sandbox marketplace for a trainee, its clock at the server's now, with the
    trainee's seller account and the goods to sell."""
    database = classes.trainee_database(market.engine, class_name, number)
    classes.create_database(market.engine, database)
    member = ClassMember(number, email, _password(), database, None)
    try:
        initialise(classes.database_url(market.engine, database), sandbox=True,
                   start=market.now())
        own = open_marketplace(classes.database_url(market.engine, database))
        try:
            operator = Caller.operator()
            # The lifecycle's numbers first: the lesson's orders are placed under them.
            for key, value in policy.items():
                config.set_value(own, operator, key, value)
            seller = accounts.create_seller(own, operator, f"Trainee {number}", "professional",
                                            email, language=language)
            for sku, title, price, units in GOODS:
                listings.set_listing(own, operator, seller.seller_id, sku, title=title,
                                     price=price, quantity=units)
            if scenario is not None:
                lessons.start(own, operator, seller.seller_id, scenario)
        finally:
            own.close()
    except BaseException:
        classes.drop_database(market.engine, database)
        raise
    return ClassMember(number, email, member.password, database, seller.seller_id)


def open_trainee(market: Marketplace, place: str) -> Marketplace:
    """A trainee's own marketplace, from its place in a class (`class/number`, what a signed-in
    trainee's console session holds)."""
    class_name, _, number = place.partition("/")
    found = market.read(lambda work: classes.member(work.conn, class_name, int(number))
                        if number.isdigit() else None)
    if found is None or found.database is None:
        raise NotFound(f"class {class_name} has no trainee {number}")
    return open_marketplace(classes.database_url(market.engine, found.database), small=True)


@dataclass(frozen=True)
class TraineeProgress:
    """A trainee's marketplace as the trainer's page shows it: their clock, their orders by
    status and their Account Health now."""

    number: int
    email: str
    now: datetime
    orders: dict[str, int]
    health: SellerMetrics
    lesson: lessons.LessonProgress | None


@dataclass(frozen=True)
class ClassPage:
    name: str
    language: str
    trainees: tuple[TraineeProgress, ...]


def class_page(market: Marketplace, session: str | None,
               trainee_marketplace: Callable[[str], Marketplace]) -> ClassPage:
    """The class of the trainer signed in with `session`: each trainee's progress, read from
    their own marketplace (opened through `trainee_marketplace`)."""
    view = _trainers_class(market, session)
    rows = []
    for member in view.members:
        if member.number == TRAINER or member.seller_id is None:
            continue
        own = trainee_marketplace(f"{view.name}/{member.number}")
        seller_id = member.seller_id

        def read(work: Work, seller_id: str = seller_id) -> dict[str, int]:
            return order_counts.counts(work.conn, seller_id)

        operator = Caller.operator()
        rows.append(TraineeProgress(member.number, member.email, own.now(), own.read(read),
                                    metrics.seller_metrics(own, operator, seller_id),
                                    lessons.progress(own, operator, seller_id)))
    return ClassPage(view.name, view.language, tuple(rows))


def advance_trainees(market: Marketplace, session: str | None, number: int | None,
                     step: timedelta,
                     trainee_marketplace: Callable[[str], Marketplace]) -> int:
    """The trainer moves one trainee's clock (`number`) or everyone's (None); each trainee's
    deadlines that fall due fire in their own marketplace. Returns how many fired."""
    view = _trainers_class(market, session)
    chosen = [m for m in view.members if m.number != TRAINER
              and (number is None or m.number == number)]
    if not chosen:
        raise NotFound(f"class {view.name} has no trainee {number}")
    fired = 0
    for member in chosen:
        own = trainee_marketplace(f"{view.name}/{member.number}")
        fired += clock_service.advance(own, Caller.sandbox(), step).fired
    return fired


@dataclass(frozen=True)
class TraineeOrders:
    number: int
    email: str
    now: datetime
    orders: tuple[OrderDetail, ...]     # the newest first, each with its history


TRAINEE_ORDERS_SHOWN = 50


def trainee_orders(market: Marketplace, session: str | None, number: int,
                   trainee_marketplace: Callable[[str], Marketplace]) -> TraineeOrders:
    """One trainee's orders with their histories, for the class's trainer (what the trainee
    did and when, at the trainee's own time)."""
    view = _trainers_class(market, session)
    member = next((m for m in view.members if m.number == number and number != TRAINER), None)
    if member is None or member.seller_id is None:
        raise NotFound(f"class {view.name} has no trainee {number}")
    own = trainee_marketplace(f"{view.name}/{number}")
    operator = Caller.operator()
    listed = order_service.manage_orders(own, operator, member.seller_id,
                                         limit=TRAINEE_ORDERS_SHOWN)
    return TraineeOrders(number, member.email, own.now(), tuple(
        order_service.show(own, operator, row.order.amazon_order_id) for row in listed.rows))


def _trainers_class(market: Marketplace, session: str | None) -> ClassView:
    name = console_access.trainer_signed_in(market, session)
    return market.read(lambda work: _view(work, _class_row(work, name)))


def list_classes(market: Marketplace, caller: Caller) -> list[ClassView]:
    _operator(caller, "listing the classes")

    def read(work: Work) -> list[ClassView]:
        return [_view(work, row) for row in classes.all_classes(work.conn)]

    return market.read(read)


def show_class(market: Marketplace, caller: Caller, name: str) -> ClassView:
    _operator(caller, "reading a class")
    return market.read(lambda work: _view(work, _class_row(work, name)))


def _class_row(work: Work, name: str) -> Any:
    found = classes.get_class(work.conn, name.strip().lower())
    if found is None:
        raise NotFound(f"class {name} does not exist")
    return found


def _view(work: Work, row: Any) -> ClassView:
    name = row.name
    return ClassView(name, row.language, row.created_at, tuple(
        ClassMember(m.number, m.email, None, m.database, m.seller_id)
        for m in classes.members(work.conn, name)), row.scenario,
        json.loads(row.policy) if row.policy else {})


def reset_trainee(market: Marketplace, caller: Caller, name: str, number: int) -> ClassMember:
    """A trainee's marketplace made anew (orders, buyers, mail and clock gone); their sign-in
    stays as it was."""
    _operator(caller, "resetting a trainee")
    view = show_class(market, caller, name)
    member = next((m for m in view.members if m.number == number and number != TRAINER), None)
    if member is None:
        raise NotFound(f"class {view.name} has no trainee {number} (1 to {view.trainees})")
    if member.database is not None:
        classes.drop_database(market.engine, member.database)
    fresh = _trainee_marketplace(market, view.name, number, member.email, view.language,
                                 view.scenario, view.policy)
    market.run(lambda work: classes.set_member(work.conn, view.name, number,
                                               database=fresh.database,
                                               seller_id=fresh.seller_id))
    return ClassMember(number, member.email, None, fresh.database, fresh.seller_id)


def delete_class(market: Marketplace, caller: Caller, name: str) -> ClassView:
    """The class, its sign-ins and every trainee's marketplace, gone."""
    _operator(caller, "deleting a class")
    view = show_class(market, caller, name)
    for member in view.members:
        if member.database is not None:
            classes.drop_database(market.engine, member.database)
    market.run(lambda work: classes.delete_class(work.conn, view.name))
    return view
