"""`sellerflow class`: a class with a marketplace of its own per trainee (docs/classroom.md),
through the real command on both databases."""

from __future__ import annotations

from datetime import timedelta

from sellerflow.domain import policy
from sellerflow.domain.callers import Caller
from sellerflow.service import clock as clock_service
from sellerflow.service import listings, notifications
from sellerflow.service.classroom import GOODS
from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.store import classes
from sellerflow.store.db import open_engine
from tests import helpers as h
from tests.cli.test_cli import Cli

OP = Caller.operator()


def _marketplace(db_url: str, database: str) -> Marketplace:
    engine = open_engine(db_url)
    try:
        return open_marketplace(classes.database_url(engine, database))
    finally:
        engine.dispose()


def _exists(db_url: str, database: str) -> bool:
    try:
        _marketplace(db_url, database).close()
    except Exception:        # noqa: BLE001 - gone is what is checked
        return False
    return True


def test_a_class_gives_each_trainee_a_marketplace_of_their_own(db_url: str) -> None:
    cli = Cli(db_url)
    made = cli.run("class", "create", "week-1", "--trainees", "2", "--language", "zh_CN",
                   "--policy", "auto-cancel=amazon-2020")
    try:
        trainer, first, second = made["members"]
        assert (trainer["role"], trainer["email"]) == (
            "trainer", "trainer.week-1@class.sellerflow.test")
        assert all(m["password"] for m in made["members"])         # shown this once
        assert first["database"] != second["database"]
        one = _marketplace(db_url, first["database"])
        two = _marketplace(db_url, second["database"])
        try:
            assert one.sandbox and two.sandbox
            # The class's lifecycle numbers in each trainee's marketplace.
            assert one.policy().auto_cancel == two.policy().auto_cancel == policy.AMAZON_2020
            assert made["policy"] == {"auto-cancel": "amazon-2020"}
            # Each trainee's seller, in the class's language, with goods to sell.
            sold = listings.inventory(one, OP, first["sellerId"])
            assert sorted(item.sku for item in sold) == sorted(sku for sku, *_ in GOODS)
            # Their own orders and clock: trainee 1's order and 30 minutes are not trainee 2's.
            order_id = h.place(one, first["sellerId"], sku=GOODS[0][0])
            before = two.now()
            clock_service.advance(one, OP, timedelta(minutes=30))
            assert h.status(one, order_id) == "Unshipped" and two.now() == before
            assert not h.orders(two, second["sellerId"])
            # Their own mailbox, in Chinese.
            mail = notifications.mailbox(one, OP, first["email"])
            assert mail and mail[0].subject.startswith("已售出，即将发运")
            assert not notifications.mailbox(two, OP, first["email"])
        finally:
            one.close()
            two.close()

        shown = cli.run("class", "show", "week-1")
        assert [m["number"] for m in shown["members"]] == [0, 1, 2]
        assert not any("password" in m for m in shown["members"])
        assert [c["name"] for c in cli.run("class", "list")] == ["week-1"]

        # A reset makes trainee 1's marketplace anew; the sign-in stays.
        reset = cli.run("class", "reset", "week-1", "1")
        assert reset["email"] == first["email"] and reset["sellerId"] != first["sellerId"]
        fresh = _marketplace(db_url, reset["database"])
        try:
            assert not h.orders(fresh, reset["sellerId"])
        finally:
            fresh.close()
    finally:
        cli.run("class", "delete", "week-1")
    assert cli.run("class", "list") == []
    assert not _exists(db_url, first["database"]) and not _exists(db_url, second["database"])


def test_a_class_that_cannot_be_made_leaves_nothing(db_url: str) -> None:
    cli = Cli(db_url)
    for args, field in ((("Week One", "--trainees", "2"), "name"),
                        (("week-2", "--trainees", "0"), "trainees"),
                        (("week-2", "--trainees", "61"), "trainees"),
                        (("week-2", "--trainees", "2", "--language", "fr"), "language"),
                        (("week-2", "--trainees", "2", "--policy", "tea=green"), "policy"),
                        (("week-2", "--trainees", "2", "--policy", "hold"), "--policy"),
                        (("week-2", "--trainees", "2", "--scenario", "juggling"), "scenario")):
        refused = cli.run("class", "create", *args, expect=2)
        assert refused["errors"][0]["details"]["field"] == field, refused
    assert cli.run("class", "list") == []
    cli.run("class", "create", "week-2", "--trainees", "1")
    try:
        again = cli.run("class", "create", "week-2", "--trainees", "1", expect=1)
        assert again["errors"][0]["code"] == "ClassExists"
        assert cli.run("class", "reset", "week-2", "5", expect=3)["errors"][0]["code"] == (
            "NotFound")
    finally:
        cli.run("class", "delete", "week-2")
