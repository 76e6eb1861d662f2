"""Notifications API destinations and subscriptions, each kept under its seller."""

from __future__ import annotations

from collections.abc import Collection
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select

from sellerflow.store.driver import SelectRows
from sellerflow.store.schema import notification_destinations as destinations
from sellerflow.store.schema import notification_subscriptions as subscriptions

# Every checkout asks whether its seller subscribes to anything (almost never): through the
# driver, compiled once.
_OF_ONE_SELLER = SelectRows(select(subscriptions).where(
    subscriptions.c.seller_id == bindparam("seller_id"),
    subscriptions.c.notification_type == bindparam("notification_type")))


def add_destination(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(destinations).values(**values))


def destinations_of(conn: Connection, seller_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(destinations).where(destinations.c.seller_id == seller_id)
                             .order_by(destinations.c.created_at,
                                       destinations.c.destination_id)))


def destination(conn: Connection, destination_id: str, seller_id: str | None = None
                ) -> Row[Any] | None:
    """A destination by its id, among this seller's when one is given."""
    query = select(destinations).where(destinations.c.destination_id == destination_id)
    if seller_id is not None:
        query = query.where(destinations.c.seller_id == seller_id)
    return conn.execute(query).first()


def destinations_by_id(conn: Connection, destination_ids: Collection[str]
                       ) -> dict[str, Row[Any]]:
    rows = conn.execute(select(destinations)
                        .where(destinations.c.destination_id.in_(list(destination_ids))))
    return {row.destination_id: row for row in rows}


def of_kind(conn: Connection, kind: str) -> list[Row[Any]]:
    """Every seller's destinations of one kind (sqs, eventBridge, webhook)."""
    return list(conn.execute(select(destinations).where(destinations.c.kind == kind)))


def delete_destination(conn: Connection, seller_id: str, destination_id: str) -> None:
    conn.execute(delete(destinations).where(destinations.c.seller_id == seller_id,
                                            destinations.c.destination_id == destination_id))


def add_subscription(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(subscriptions).values(**values))


def subscription(conn: Connection, seller_id: str, notification_type: str) -> Row[Any] | None:
    return conn.execute(select(subscriptions).where(
        subscriptions.c.seller_id == seller_id,
        subscriptions.c.notification_type == notification_type)).first()


def subscriptions_of(conn: Connection, seller_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(subscriptions).where(subscriptions.c.seller_id == seller_id)
                             .order_by(subscriptions.c.notification_type)))


def subscription_by_id(conn: Connection, subscription_id: str, seller_id: str
                       ) -> Row[Any] | None:
    return conn.execute(select(subscriptions).where(
        subscriptions.c.subscription_id == subscription_id,
        subscriptions.c.seller_id == seller_id)).first()


def using(conn: Connection, seller_id: str, destination_id: str) -> list[str]:
    """The notification types a seller's subscriptions send to a destination."""
    return list(conn.execute(select(subscriptions.c.notification_type).where(
        subscriptions.c.seller_id == seller_id,
        subscriptions.c.destination_id == destination_id)).scalars())


def delete_subscription(conn: Connection, seller_id: str, subscription_id: str) -> None:
    conn.execute(delete(subscriptions).where(subscriptions.c.seller_id == seller_id,
                                             subscriptions.c.subscription_id == subscription_id))


def subscribers(conn: Connection, seller_ids: Collection[str], notification_type: str
                ) -> list[Any]:
    """The subscriptions of these sellers to one notification type (the fan-out of an event;
    an empty list, the common case, is one indexed look-up)."""
    if len(seller_ids) == 1:
        [seller_id] = seller_ids
        return [SimpleNamespace(**row) for row in _OF_ONE_SELLER.rows(
            conn, {"seller_id": seller_id, "notification_type": notification_type})]
    return list(conn.execute(select(subscriptions).where(
        subscriptions.c.seller_id.in_(list(seller_ids)),
        subscriptions.c.notification_type == notification_type)))

