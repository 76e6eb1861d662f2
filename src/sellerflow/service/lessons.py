"""Lessons: the seed's lessons as scenarios (`src/sellerflow/scenarios/*.json`, docs/classroom.md)
played in a trainee's marketplace, and the trainee's progress through their tasks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from sellerflow.clock import parse_duration
from sellerflow.domain import lessons
from sellerflow.domain.callers import SELLER_SIDE, Caller, CallerKind
from sellerflow.domain.errors import InvalidInput, NotFound
from sellerflow.domain.fulfillment import ShipmentRequest
from sellerflow.domain.placement import CartLine
from sellerflow.service import clock as clock_service
from sellerflow.service import fulfillment
from sellerflow.service import orders as order_service
from sellerflow.service.checkout import Checkout, place_order
from sellerflow.service.context import Marketplace, Work, check_seller
from sellerflow.store import orders as order_store
from sellerflow.store import settings, shipments

FOLDER = Path(__file__).resolve().parent.parent / "scenarios"
SETTING = "lesson"       # a marketplace's lesson: the scenario and the orders it placed


@cache
def available() -> tuple[str, ...]:
    """The built-in scenarios (files shipped with the package: read once a process)."""
    return tuple(sorted(path.stem for path in FOLDER.glob("*.json")))


@cache
def scenario(name: str) -> lessons.Scenario:
    path = FOLDER / f"{name}.json"
    if name not in available():
        raise InvalidInput("scenario", f"{name!r} is not a scenario; the scenarios are "
                                       f"{', '.join(available())}")
    return lessons.parse(json.loads(path.read_text(encoding="utf-8")), f"scenario {name}")


def start(market: Marketplace, caller: Caller, seller_id: str, name: str) -> None:
    """Plays a scenario's steps in the seller's marketplace (its orders placed by its
    buyers, its time passing) and keeps which orders are which for its tasks."""
    caller.require(CallerKind.OPERATOR, doing="starting a lesson")
    played = scenario(name)
    placed: dict[str, str] = {}
    for step in played.steps:
        if isinstance(step, str):
            clock_service.advance(market, Caller.sandbox(), parse_duration(step))
            continue
        if isinstance(step, lessons.Act):
            _act(market, caller, step, placed[step.order])
            continue
        address = {k: v for k, v in step.buyer.items() if k != "email"}
        order = place_order(market, caller, Checkout(
            step.buyer["email"], [CartLine(seller_id, step.sku, step.quantity)], address,
            step.level, step.payment))
        placed[step.alias] = order[0].order_id
    market.run(lambda work: settings.put(work.conn, SETTING, json.dumps(
        {"scenario": name, "orders": placed})))


def _act(market: Marketplace, caller: Caller, act: lessons.Act, order_id: str) -> None:
    """A scenario's buyer asks to cancel or to ship elsewhere; or the lesson begins with the
    order already shipped (a refund's lesson)."""
    if act.kind == "ask-cancel":
        order_service.buyer_cancel(market, caller, order_id, act.values.get("reason"))
    elif act.kind == "ask-address":
        order_service.request_address_change(market, caller, order_id, act.values["address"])
    elif act.kind == "verify":
        order_service.verify(market, caller, order_id, act.values["outcome"])
    else:
        fulfillment.ship(market, caller, order_id, ShipmentRequest(
            carrier=act.values.get("carrier", "UPS"), tracking_number=act.values["tracking"]))


@dataclass(frozen=True)
class TaskProgress:
    id: str
    state: str                  # lessons.DONE, WAITING or MISSED
    order_id: str
    text: dict[str, str]        # by language, the order filled in
    hint: dict[str, str]


@dataclass(frozen=True)
class LessonProgress:
    scenario: str
    title: dict[str, str]
    intro: dict[str, str]
    tasks: tuple[TaskProgress, ...]
    as_of: datetime
    has_file: bool = False          # the lesson gives a shipment-confirmation file

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.state == lessons.DONE)


def progress(market: Marketplace, caller: Caller, seller_id: str) -> LessonProgress | None:
    """The seller's lesson and each task's state now; None when their marketplace plays
    none."""
    caller.require(*SELLER_SIDE, doing="a lesson's progress")

    def read(work: Work) -> LessonProgress | None:
        check_seller(work.conn, caller, seller_id)
        kept = settings.get(work.conn, SETTING)
        if kept is None:
            return None
        lesson = json.loads(kept)
        played = scenario(lesson["scenario"])
        tasks = []
        for task in played.tasks:
            order_id = lesson["orders"][task.order]
            order = order_store.load_order(work.conn, order_id, seller_id=seller_id)
            if order is None:
                raise NotFound(f"order {order_id} of the lesson does not exist")
            by_file = (task.kind == "ship-by-file"
                       and shipments.by_file(work.conn, seller_id, order_id))
            state = lessons.task_state(task, order, shipments.of_order(
                work.conn, seller_id, order_id), work.now, by_file)
            tasks.append(TaskProgress(task.id, state, order_id,
                                      {k: v.format(order=order_id) for k, v in task.text.items()},
                                      task.hint))
        return LessonProgress(played.name, played.title, played.intro, tuple(tasks), work.now,
                              bool(played.file))

    return market.read(read)


def lesson_file(market: Marketplace, caller: Caller, seller_id: str) -> str:
    """The shipment-confirmation file the seller's lesson gives them (one row mistaken, for
    them to mend), shipped today."""
    caller.require(*SELLER_SIDE, doing="a lesson's file")

    def read(work: Work) -> str:
        check_seller(work.conn, caller, seller_id)
        kept = settings.get(work.conn, SETTING)
        played = scenario(json.loads(kept)["scenario"]) if kept else None
        if kept is None or played is None or not played.file:
            raise NotFound("this marketplace's lesson has no file")
        orders = json.loads(kept)["orders"]
        return lessons.lesson_file([orders[alias] for alias in played.file],
                                   work.now.date().isoformat())

    return market.read(read)
