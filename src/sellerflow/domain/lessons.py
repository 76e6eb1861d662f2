"""A lesson (docs/classroom.md): a scenario of the seed's course, as data, and whether each of
its tasks is done, not yet done or missed, from the engine's facts. Pure: no I/O, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sellerflow.domain.decisions import ShipmentRecord
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Order, OrderStatus

LANGUAGES = ("en", "zh_CN")
TASK_KINDS = ("ship-on-time", "ship-in-parts", "ship-before-cancel", "ship-by-file",
              "cancel-as-asked", "ship-to-new-address", "refund-in-full", "buy-label",
              "delivered-on-time")
STEP_KINDS = ("place", "advance", "ask-cancel", "ask-address", "ship", "verify")
# The shipment-confirmation file a lesson gives its trainee: a row per order, the last with a
# carrier code Amazon does not know, for the trainee to find in the processing report, mend
# and upload again (L21).
FILE_COLUMNS = ("order-id", "ship-date", "carrier-code", "tracking-number")
MISTAKEN_CARRIER = "UPSS"
DONE, WAITING, MISSED = "done", "waiting", "missed"


@dataclass(frozen=True)
class Place:
    """An order the scenario places: `alias` names it in the tasks."""

    alias: str
    sku: str
    quantity: int
    level: str
    buyer: dict[str, str]
    payment: str = "ok"        # the sandbox verifier's answer: ok, deferred, declined, fraud


@dataclass(frozen=True)
class Act:
    """Something a scenario's buyer (or, to set a lesson up, the seller) does to an order it
    placed: `ask-cancel` (with a reason), `ask-address` (another address), `ship` (a tracking
    number)."""

    kind: str
    order: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Task:
    id: str
    kind: str
    order: str
    text: dict[str, str]
    hint: dict[str, str]


@dataclass(frozen=True)
class Scenario:
    name: str
    title: dict[str, str]
    intro: dict[str, str]
    steps: tuple[Place | Act | str, ...]    # an order to place, an act, a duration to pass
    tasks: tuple[Task, ...]
    file: tuple[str, ...] = ()      # the orders (by alias) of the lesson's file, if it has one


def parse(data: Any, where: str) -> Scenario:
    """A scenario from its file's JSON; a file that does not fit says where and why."""
    def need(value: Any, kind: type, at: str) -> Any:
        if not isinstance(value, kind):
            raise InvalidInput(where, f"{at} must be a {kind.__name__}")
        return value

    def texts(value: Any, at: str) -> dict[str, str]:
        found = need(value, dict, at)
        missing = [lang for lang in LANGUAGES if not isinstance(found.get(lang), str)]
        if missing:
            raise InvalidInput(where, f"{at} lacks its {', '.join(missing)} text")
        return {lang: found[lang] for lang in LANGUAGES}

    data = need(data, dict, "the file")
    steps: list[Place | Act | str] = []
    aliases: set[str] = set()
    for n, step in enumerate(need(data.get("steps"), list, "steps"), 1):
        step = need(step, dict, f"step {n}")
        kinds = [k for k in STEP_KINDS if k in step]
        if len(kinds) != 1:
            raise InvalidInput(where, f"step {n} must be one of {', '.join(STEP_KINDS)}")
        if "advance" in step:
            steps.append(need(step["advance"], str, f"step {n}'s advance"))
            continue
        if kinds[0] != "place":
            act = need(step[kinds[0]], dict, f"step {n}'s {kinds[0]}")
            if act.get("order") not in aliases:
                raise InvalidInput(where, f"step {n} names order {act.get('order')!r}, which "
                                          "no earlier step places")
            steps.append(Act(kinds[0], act["order"], act))
            continue
        order = need(step.get("place"), dict, f"step {n}'s place")
        alias = need(order.get("as"), str, f"step {n}'s as")
        aliases.add(alias)
        steps.append(Place(alias, need(order.get("sku"), str, f"step {n}'s sku"),
                           need(order.get("quantity", 1), int, f"step {n}'s quantity"),
                           need(order.get("level", "Standard"), str, f"step {n}'s level"),
                           need(order.get("buyer"), dict, f"step {n}'s buyer"),
                           need(order.get("payment", "ok"), str, f"step {n}'s payment")))
    tasks = []
    for n, task in enumerate(need(data.get("tasks"), list, "tasks"), 1):
        task = need(task, dict, f"task {n}")
        kind, order = task.get("kind"), task.get("order")
        if kind not in TASK_KINDS:
            raise InvalidInput(where, f"task {n}'s kind {kind!r} is not one of "
                                      f"{', '.join(TASK_KINDS)}")
        if order not in aliases:
            raise InvalidInput(where, f"task {n} names order {order!r}, which no step places")
        tasks.append(Task(need(task.get("id"), str, f"task {n}'s id"), kind, order,
                          texts(task.get("text"), f"task {n}'s text"),
                          texts(task.get("hint"), f"task {n}'s hint")))
    in_file = tuple(need(data.get("file", []), list, "file"))
    if unknown := [alias for alias in in_file if alias not in aliases]:
        raise InvalidInput(where, f"the file names {', '.join(map(str, unknown))}, which no "
                                  "step places")
    return Scenario(need(data.get("name"), str, "name"), texts(data.get("title"), "title"),
                    texts(data.get("intro"), "intro"), tuple(steps), tuple(tasks), in_file)


def lesson_file(order_ids: list[str], ship_date: str) -> str:
    """The shipment-confirmation file of a lesson: a row per order, shipped by UPS on
    `ship_date` (yyyy-mm-dd), the last row's carrier mistyped."""
    rows = ["\t".join(FILE_COLUMNS)]
    for n, order_id in enumerate(order_ids, 1):
        carrier = MISTAKEN_CARRIER if n == len(order_ids) else "UPS"
        rows.append("\t".join((order_id, ship_date, carrier, f"1Z999AA1012345678{n % 10}")))
    return "\n".join(rows) + "\n"


def task_state(task: Task, order: Order, shipments: list[ShipmentRecord],
               now: datetime, by_file: bool = False) -> str:
    """Whether the task is done, not yet (waiting) or missed, from the order, its shipments
    (`by_file`: one came from an uploaded file's row) at `now` (docs/classroom.md has the
    table)."""
    if task.kind == "ship-by-file":
        if shipments and not by_file:
            return MISSED                    # confirmed one by one: not the lesson
        return _shipped_on_time(order, shipments, now)
    if task.kind == "cancel-as-asked":
        return _canceled_as_asked(order, shipments)
    if task.kind == "ship-to-new-address":
        return _shipped_to_new_address(order, shipments, now)
    if task.kind == "refund-in-full":
        return DONE if order.charged.amount > 0 and order.refunded == order.charged else WAITING
    if task.kind == "ship-in-parts":
        if len(shipments) == 1 and order.status is OrderStatus.SHIPPED:
            return MISSED                    # all at once: not the lesson
        return _shipped_on_time(order, shipments, now)
    if task.kind == "ship-before-cancel":
        return _shipped_before_cancel(order, shipments)
    if task.kind == "buy-label":
        if any(s.label_id is None or s.first_scan_at is None for s in shipments):
            return MISSED          # the seller's own number, or a label canceled
        return _shipped_on_time(order, shipments, now)
    if task.kind == "delivered-on-time":
        return _delivered_on_time(order, shipments, now)
    return _shipped_on_time(order, shipments, now)


def _delivered_on_time(order: Order, shipments: list[ShipmentRecord], now: datetime) -> str:
    """L30, L31: every package delivered by the delivery date promised the buyer; missed once
    one cannot be (never scanned, lost, or not delivered by then)."""
    deliver_by = order.promise.latest_delivery if order.promise is not None else None
    if order.status is OrderStatus.CANCELED:
        return MISSED
    for s in shipments:
        if s.first_scan_at is None or (s.lost_at is not None and s.lost_at <= now) or (
                deliver_by is not None and (s.delivered_at is None
                                            or s.delivered_at > deliver_by)
                and now > deliver_by):
            return MISSED
    delivered = all(s.delivered_at is not None and s.delivered_at <= now for s in shipments)
    if order.status is OrderStatus.SHIPPED and shipments and delivered:
        return DONE
    if deliver_by is not None and now > deliver_by:
        return MISSED
    return WAITING


def _shipped_before_cancel(order: Order, shipments: list[ShipmentRecord]) -> str:
    """L23, L24: past its ship-by date and warned, the order still ships, late, until Amazon
    cancels it: done once confirmed with a valid tracking number before that."""
    if order.status is OrderStatus.CANCELED or (shipments and not all(
            s.tracking_valid for s in shipments)):
        return MISSED
    return DONE if order.status is OrderStatus.SHIPPED and shipments else WAITING


def _canceled_as_asked(order: Order, shipments: list[ShipmentRecord]) -> str:
    """L6, L22: the buyer asked to cancel a released order; the seller cancels it with
    BuyerCanceled (not counted against them) rather than shipping it."""
    if shipments:
        return MISSED
    if order.status is OrderStatus.CANCELED:
        reasons = {item.cancel_reason for item in order.items}
        return DONE if reasons == {"BuyerCanceled"} else MISSED
    return WAITING


def _shipped_to_new_address(order: Order, shipments: list[ShipmentRecord],
                            now: datetime) -> str:
    """L19: the buyer asked, before shipment, to ship elsewhere; the seller accepts the new
    address, then ships there on time: never to the old one."""
    if shipments and (order.requested_address is not None
                      or any(s.ship_to != order.shipping_address for s in shipments)):
        return MISSED
    return _shipped_on_time(order, shipments, now)


def _shipped_on_time(order: Order, shipments: list[ShipmentRecord], now: datetime) -> str:
    """ship-on-time: done once every unit is confirmed shipped, with a valid tracking number,
    by the order's latest ship date (L20, L27); missed when that can no longer happen (a
    late or invalid confirmation, a cancellation, the ship-by date passed)."""
    latest = order.promise.latest_ship if order.promise is not None else None
    on_time = all(s.tracking_valid and (latest is None or s.confirmed_at <= latest)
                  for s in shipments)
    if order.status is OrderStatus.SHIPPED and shipments and on_time:
        return DONE
    if (not on_time or order.status is OrderStatus.CANCELED
            or (latest is not None and now > latest)):
        return MISSED
    return WAITING
