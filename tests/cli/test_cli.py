"""The CLI contract of docs/interfaces.md, through the real `sellerflow` process: one JSON
document with --json, exit codes 0/1/2/3, errors that name the rule or the field, never a
traceback, and bad input that changes nothing."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests import helpers as h

ADDRESS = json.dumps({"Name": "Jane Doe", "AddressLine1": "1 Main St", "City": "Seattle",
                      "StateOrRegion": "WA", "PostalCode": "98101", "CountryCode": "US"})


class Cli:
    def __init__(self, url: str) -> None:
        self.url = url

    def run(self, *args: str, expect: int = 0) -> Any:
        done = subprocess.run([sys.executable, "-m", "sellerflow", "--db", self.url, "--json",
                               *args], capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr + done.stdout, done.stderr
        assert done.returncode == expect, (done.returncode, done.stdout, done.stderr)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, done.stdout
        return json.loads(lines[0])

    def text(self, *args: str) -> str:
        """A command's human output, at 120 columns."""
        done = subprocess.run([sys.executable, "-m", "sellerflow", "--db", self.url, *args],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "COLUMNS": "120"})
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        return done.stdout


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def shop(cli: Cli) -> str:
    seller = cli.run("seller", "create", "Acme", "--plan", "professional", "--email",
                     "acme@example.com")
    cli.run("listing", "set", seller["sellerId"], "MUG", "--price", "12.50", "--quantity", "5",
            "--title", "Mug")
    return str(seller["sellerId"])


def _place(cli: Cli, shop: str, *extra: str, expect: int = 0) -> Any:
    return cli.run("order", "place", "--buyer", "jane@example.com", "--item", f"{shop}:MUG:1",
                   "--ship-to", ADDRESS, *extra, expect=expect)


def test_a_30_day_lifecycle_through_the_cli(cli: Cli, shop: str) -> None:
    order_id = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    refused = cli.run("ship", order_id, "--carrier", "UPS", "--tracking", "1Z999AA10123456784",
                      expect=1)
    assert refused["errors"][0]["code"] == "L7"
    assert cli.run("clock", "advance", "30m")["fired"] == 1
    shown = cli.run("order", "show", order_id)
    assert shown["order"]["OrderStatus"] == "Unshipped"
    assert [h["reason"] for h in shown["history"]] == ["placed", "approved", "hold-ended"]
    cli.run("ship", order_id, "--carrier", "UPS", "--tracking", "1Z999AA10123456784")
    assert cli.run("ledger", shop)["balance"] == {"CurrencyCode": "USD", "Amount": "14.02"}
    refund = cli.run("refund", order_id, "--amount", "2.50", "--reason", "Damaged")
    assert refund["amount"]["Amount"] == "2.50"
    cli.run("feedback", order_id, "--rating", "5")
    metrics = cli.run("metrics", shop)
    assert set(metrics) == {"cancelRate", "lateShipmentRate", "validTrackingRate",
                            "orderDefectRate", "onTimeDeliveryRate"}
    assert metrics["validTrackingRate"]["value"] == 1.0
    mail = cli.run("mailbox", "--to", "acme@example.com")["messages"]
    assert [m["kind"] for m in mail] == ["sold-ship-now"]
    everyone = cli.run("mailbox")["messages"]
    first = cli.run("mailbox", "--show", "1")
    assert first == everyone[0] and first["body"]
    assert cli.run("mailbox", "--show", str(len(everyone) + 1), expect=2)["errors"][0][
        "details"]["field"] == "--show"
    assert cli.run("clock", "show")["now"].endswith("Z")


def test_reports_and_uploads(cli: Cli, shop: str, tmp_path: Path) -> None:
    order_id = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    cli.run("clock", "advance", "1h")
    out = tmp_path / "unshipped.tsv"
    assert cli.run("report", "unshipped", shop, "--out", str(out)) == {"rows": 1,
                                                                        "path": str(out)}
    assert out.read_text().splitlines()[0].split("\t")[0] == "order-id"
    upload = tmp_path / "ship.txt"
    upload.write_text("order-id\tship-date\tcarrier-code\ttracking-number\n"
                      f"{order_id}\t2026-01-05\tUPS\t1Z999AA10123456784\n"
                      "123-1234567-1234567\t2026-01-05\tUPS\t1Z999AA10123456784\n")
    report = tmp_path / "report.txt"
    result = cli.run("shipments", "upload", shop, str(upload), "--report", str(report))
    assert {k: result[k] for k in ("processed", "successful", "rejected")} == {
        "processed": 2, "successful": 1, "rejected": 1}
    assert "10002" in report.read_text()
    assert cli.run("report", "unshipped", shop, expect=2)["errors"][0]["code"] == "InvalidInput"
    listed = cli.run("shipments", "list", shop)["feeds"]
    assert [(f["feedId"], f["status"], f["successful"]) for f in listed] == [
        (result["feedId"], "DONE", 1)]
    shown = cli.run("shipments", "show", result["feedId"])
    assert shown["report"] == report.read_text() and shown["rejected"] == 1


def test_L22_a_cancellation_file_cancels_orders_through_the_upload(cli: Cli, shop: str,
                                                                   tmp_path: Path) -> None:
    order_id = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    cli.run("clock", "advance", "1h")
    upload = tmp_path / "cancel.txt"
    upload.write_text("order-id\tamazon-order-item-code\tcancellation-reason-code\n"
                      f"{order_id}\t\tShippingAddressUndeliverable\n")
    result = cli.run("shipments", "upload", shop, str(upload), "--cancellations")
    assert (result["feedType"], result["successful"]) == (
        "POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA", 1)
    assert cli.run("order", "show", order_id)["order"]["OrderStatus"] == "Canceled"
    table = cli.text("shipments", "list", shop)
    assert result["feedId"] in table and "cancellations" in table


def test_L22_order_cancel_item_cancels_one_item_and_the_order_ships_the_other(
        cli: Cli, shop: str) -> None:
    cli.run("listing", "set", shop, "CUP", "--price", "4.00", "--quantity", "5", "--title", "Cup")
    order_id = _place(cli, shop, "--item", f"{shop}:CUP:2")["orders"][0]["AmazonOrderId"]
    cli.run("clock", "advance", "1h")
    items = cli.run("order", "show", order_id)["items"]
    cup = next(i["OrderItemId"] for i in items if i["SellerSKU"] == "CUP")
    refused = cli.run("order", "cancel", order_id, "--by", "buyer", "--item", cup, expect=2)
    assert "--item" in refused["errors"][0]["message"]
    shown = cli.run("order", "cancel", order_id, "--by", "seller", "--reason", "NoInventory",
                    "--item", cup)
    assert shown["OrderStatus"] == "Unshipped"
    items = cli.run("order", "show", order_id)["items"]
    assert {i["SellerSKU"]: i["QuantityOrdered"] for i in items} == {"MUG": 1, "CUP": 0}


def test_L21_a_file_without_a_header_is_a_fatal_upload_that_exits_2_after_its_report(
        cli: Cli, shop: str, tmp_path: Path) -> None:
    upload = tmp_path / "ship.txt"
    upload.write_text("123-1234567-1234567\t2026-01-05\tUPS\t1Z999AA10123456784\n")
    report = tmp_path / "report.txt"
    error = cli.run("shipments", "upload", shop, str(upload), "--report", str(report),
                    expect=2)["errors"][0]
    assert error["code"] == "InvalidInput" and "no header row" in error["message"]
    assert "\t90001\tFatal\t" in report.read_text()
    feed = cli.run("shipments", "show", error["details"]["feedId"])
    assert (feed["status"], feed["processed"]) == ("FATAL", 0)
    assert "no header row" in feed["fatal"]


def test_L21_individual_sellers_are_refused_uploads(cli: Cli, tmp_path: Path) -> None:
    seller = cli.run("seller", "create", "Solo", "--plan", "individual", "--email",
                     "solo@example.com")
    upload = tmp_path / "ship.txt"
    upload.write_text("order-id\tship-date\tcarrier-code\n")
    error = cli.run("shipments", "upload", seller["sellerId"], str(upload), expect=1)
    assert error["errors"][0]["code"] == "L21"


@pytest.mark.parametrize(("args", "expect", "code"), [
    (("order", "show", "111-1111111-1111111"), 3, "NotFound"),
    (("orders", "ANOSUCHSELLER"), 3, "NotFound"),
    (("clock", "advance", "soon"), 2, "InvalidInput"),
    (("order", "verify", "111-1111111-1111111", "--outcome", "maybe"), 3, "NotFound"),
    (("seller", "create", "X", "--plan", "gold", "--email", "x@example.com"), 2,
     "InvalidInput"),
    (("seller", "create", "X", "--plan", "individual", "--email", "nope"), 2, "InvalidInput"),
    (("listing", "set", "ANOSUCHSELLER", "SKU", "--price", "1.00"), 3, "NotFound"),
    (("order", "place", "--buyer", "b@example.com"), 2, "InvalidInput"),
    (("frobnicate",), 2, "InvalidInput"),
    (("metrics",), 2, "InvalidInput"),
])
def test_bad_input_gets_a_specific_error_and_exit_code(cli: Cli, args: tuple[str, ...],
                                                       expect: int, code: str) -> None:
    error = cli.run(*args, expect=expect)["errors"][0]
    assert error["code"] == code and error["message"]


def test_bad_input_to_commands_changes_nothing(cli: Cli, shop: str) -> None:
    for bad in (("--ship-to", "{not json"), ("--ship-to", '{"Name": "x"}'),
                ("--payment", "cash"), ("--service", "Teleport")):
        args = ["--ship-to", ADDRESS, *bad] if bad[0] != "--ship-to" else list(bad)
        error = cli.run("order", "place", "--buyer", "jane@example.com", "--item",
                        f"{shop}:MUG:1", *args, expect=2)["errors"][0]
        assert error["code"] == "InvalidInput"
        assert bad[0] in error["message"] or "payment" in error["message"] \
            or "shipServiceLevel" in error["message"] or "shippingAddress" in error["message"]
    error = cli.run("order", "place", "--buyer", "jane@example.com", "--item", f"{shop}:MUG:9",
                    "--ship-to", ADDRESS, expect=1)["errors"][0]
    assert error["code"] == "L2" and "MUG" in error["message"]
    assert cli.run("listing", "show", shop, "MUG")["quantity"] == 5
    assert cli.run("orders", shop)["orders"] == []


def test_ship_errors_name_the_field(cli: Cli, shop: str) -> None:
    order_id = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    cli.run("clock", "advance", "30m")
    cases = [(("--carrier", "UPS", "--tracking", ""), 2, "tracking"),
             (("--carrier", "Other", "--tracking", "X1"), 2, "carrier-name"),
             (("--carrier", "UPS", "--tracking", "1Z9", "--item", "12345678901234:1"), 2, "item"),
             (("--carrier", "UPS", "--tracking", "1Z9", "--ship-date", "someday"), 2,
              "ship-date"),
             (("--carrier", "UPS", "--tracking", "1Z9", "--ship-date", "2030-01-01"), 1, "L20")]
    for args, expect, word in cases:
        error = cli.run("ship", order_id, *args, expect=expect)["errors"][0]
        assert word in error["message"], error
    assert cli.run("order", "show", order_id)["order"]["OrderStatus"] == "Unshipped"


def test_idempotency_key_replay_and_conflict(cli: Cli, shop: str) -> None:
    first = _place(cli, shop, "--idempotency-key", "abc")
    assert _place(cli, shop, "--idempotency-key", "abc") == first
    cli.run("order", "place", "--buyer", "jane@example.com", "--item", f"{shop}:MUG:2",
            "--ship-to", ADDRESS, "--idempotency-key", "abc", expect=1)


def test_an_uninitialised_database_says_to_run_init(tmp_path: Path) -> None:
    error = Cli(f"sqlite:///{tmp_path}/empty.db").run("catalog", expect=2)["errors"][0]
    assert "sellerflow init" in error["message"]


def test_init_reports_the_database_and_mode(tmp_path: Path) -> None:
    done = Cli(f"sqlite:///{tmp_path}/new.db").run("init", "--sandbox")
    assert done["sandbox"] is True and done["now"].endswith("Z")
    live = Cli(f"sqlite:///{tmp_path}/live.db")
    assert live.run("init")["sandbox"] is False
    assert live.run("clock", "advance", "1d", expect=1)["errors"][0]["code"] == "SandboxOnly"
    assert live.run("init", "--sandbox", expect=1)["errors"][0]["code"] == "LiveDatabase"


def test_L23a_init_chooses_the_auto_cancel_policy_and_config_shows_it(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path}/amazon.db")
    assert cli.run("init", "--sandbox", "--auto-cancel", "amazon-2020")["autoCancel"] == \
        "amazon-2020"
    assert cli.run("config", "show")["auto-cancel"] == "amazon-2020"
    assert "amazon-2020" in cli.text("init", "--sandbox")
    refused = subprocess.run([sys.executable, "-m", "sellerflow", "--db", cli.url, "init",
                              "--auto-cancel", "45-days"], capture_output=True, text=True)
    assert refused.returncode == 2 and "45-days" in refused.stderr
    assert cli.run("config", "set", "auto-cancel", "30-days")["auto-cancel"] == "30-days"
    assert Cli(f"sqlite:///{tmp_path}/seed.db").run("init")["autoCancel"] == "30-days"


def test_oversized_input_is_refused_by_field_before_the_database_sees_it(cli: Cli,
                                                                         shop: str) -> None:
    long = "x" * 600
    cases = [
        (("seller", "create", long, "--plan", "individual", "--email", "l@example.com"), "NAME"),
        (("listing", "set", shop, "MUG", "--title", long), "--title"),
        (("listing", "set", shop, "MUG", "--quantity", str(10**12)), "--quantity"),
        (("listing", "set", shop, "MUG", "--price", "99999999999.00"), "--price"),
        (("order", "place", "--buyer", "jane@example.com", "--item", f"{shop}:MUG:99999",
          "--ship-to", ADDRESS), "quantity"),
        (("order", "place", "--buyer", "jane@example.com", "--item", f"{shop}:MUG:1",
          "--ship-to", ADDRESS.replace("Jane Doe", long)), "Name"),
    ]
    for args, field in cases:
        error = cli.run(*args, expect=2)["errors"][0]
        assert field in error["message"], error
    order_id = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    cli.run("clock", "advance", "30m")
    error = cli.run("ship", order_id, "--carrier", "UPS", "--tracking", long, expect=2)
    assert "tracking" in error["errors"][0]["message"]
    assert cli.run("listing", "show", shop, "MUG")["quantity"] == 4


def test_serve_runs_the_worker_until_told_to_stop(cli: Cli, shop: str) -> None:
    import signal
    import time
    from datetime import timedelta

    from sellerflow.service.context import open_marketplace
    from sellerflow.store.settings import set_clock
    order_id = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    market = open_marketplace(cli.url)
    market.run(lambda work: set_clock(work.conn, work.now + timedelta(hours=1)))
    server, base = h.start_serve(cli.url)
    try:
        deadline = time.monotonic() + 60
        while cli.run("order", "show", order_id)["order"]["OrderStatus"] == "Pending":
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
        market.close()
    assert server.returncode == 0
    assert f"the seller console is at {base}/, the storefront at {base}/shop, the API at " \
           f"{base}" in err and "Traceback" not in err
    assert "worker started" in err and "worker stopped" in err


def test_L2_serve_with_two_workers_sells_no_unit_twice_and_stops_cleanly(cli: Cli, shop: str
                                                                         ) -> None:
    """`serve --workers 2`: two processes answer on one port, over one database; what one
    writes the other reads; SIGTERM ends both with exit 0."""
    import signal
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    buyer = cli.run("buyer", "create", "two@example.com")["token"]
    server, base = h.start_serve(cli.url, "--workers", "2", "--no-worker")
    try:
        def checkout(_: int) -> str:
            answer = httpx.post(base + "/buyer/v1/checkout", headers={
                "Authorization": f"Bearer {buyer}"}, json={
                "items": [{"sellerId": shop, "sku": "MUG", "quantity": 1}],
                "shippingAddress": json.loads(ADDRESS)}, timeout=30)
            assert answer.status_code in (201, 409), answer.text
            return str(answer.json()["orders"][0]["AmazonOrderId"]) \
                if answer.status_code == 201 else ""

        with ThreadPoolExecutor(8) as pool:
            placed = [o for o in pool.map(checkout, range(8)) if o]
        mine = httpx.get(base + "/buyer/v1/orders",
                         headers={"Authorization": f"Bearer {buyer}"}).json()["orders"]
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=60)
    # L2: five units on sale, eight tries: five orders, the rest refused, none oversold.
    assert len(placed) == 5 and {o["AmazonOrderId"] for o in mine} == set(placed)
    assert server.returncode == 0 and "Traceback" not in err, err


def test_a_live_database_refuses_sandbox_commands_and_unknown_buyers(tmp_path: Path) -> None:
    live = Cli(f"sqlite:///{tmp_path}/live.db")
    live.run("init")
    seller = live.run("seller", "create", "Live", "--plan", "professional", "--email",
                      "live@example.com")["sellerId"]
    live.run("listing", "set", seller, "MUG", "--price", "5.00", "--quantity", "3")
    place = ["order", "place", "--item", f"{seller}:MUG:1", "--ship-to", ADDRESS]
    assert live.run(*place, "--buyer", "nobody@example.com", expect=3)["errors"][0]["code"] \
        == "NotFound"
    live.run("buyer", "create", "real@example.com")
    assert live.run(*place, "--buyer", "real@example.com", "--payment", "deferred",
                    expect=2)["errors"][0]["code"] == "InvalidInput"
    order_id = live.run(*place, "--buyer", "real@example.com")["orders"][0]["AmazonOrderId"]
    assert live.run("order", "verify", order_id, "--outcome", "approved",
                    expect=1)["errors"][0]["code"] == "SandboxOnly"
    assert live.run("demo", expect=1)["errors"][0]["code"] == "SandboxOnly"
    assert live.run("order", "show", order_id)["order"]["OrderStatus"] == "Pending"


@pytest.mark.parametrize(("words", "status"), [((), 0), (("order",), 2), (("shipments",), 2)])
def test_no_command_prints_the_help(words: tuple[str, ...], status: int) -> None:
    done = subprocess.run([sys.executable, "-m", "sellerflow", *words], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == status
    assert done.stdout.startswith(f"Usage: sellerflow {' '.join(words)}".rstrip() + " [OPTIONS]")
    assert "Commands:" in done.stdout and "Traceback" not in done.stderr


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    reader = subprocess.Popen([sys.executable, "-m", "sellerflow", "--help"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(10)
    reader.stdout.close()      # as `| head -c 10` does
    reader.wait(timeout=60)
    assert b"Traceback" not in reader.stderr.read()


def test_bad_input_that_once_failed_inside_is_refused_by_field(cli: Cli, shop: str,
                                                                 tmp_path: Path) -> None:
    """Each of these once ended in an internal error or was accepted wrongly; each is now
    exit 2 naming what the user typed, and nothing is written."""
    before = (cli.run("listing", "list", shop), cli.run("seller", "show", shop))
    holidays = [(date(2027, 1, 1) + timedelta(days=n)).isoformat() for n in range(367)]
    cases: list[tuple[tuple[str, ...], str]] = [
        (("listing", "set", shop, "MUG", "--price", "1e30"), "--price"),
        (("listing", "set", shop, "MUG", "--price", "-0"), "--price"),
        (("listing", "set", shop, "NEW", "--price", "0.00"), "--price"),
        (("listing", "set", shop, "MUG", "--title", "a\udcffb"), "--title"),   # byte 0xff
        (("listing", "set", shop, "TWO\nLINES", "--price", "1"), "SKU"),
        (("listing", "set", shop, "MUG", "--handling-days", "31"), "--handling-days"),
        (("refund", "999-9999999-9999999", "--amount", "1e30", "--reason", "Return"),
         "--amount"),
        (("seller", "holidays", shop, *holidays), "DATE"),
        (("order", "place", "--buyer", "b@example.com", "--item", f"{shop}:MUG:1",
          "--ship-to", "[" * 5000 + "]" * 5000), "--ship-to"),
        (("report", "all", shop, "--out", str(tmp_path / "missing" / "report.tsv")), "--out"),
    ]
    for args, flag in cases:
        error = cli.run(*args, expect=2)["errors"][0]
        assert error["code"] == "InvalidInput" and error["message"].startswith(flag), error
        assert error["details"]["field"]
    assert (cli.run("listing", "list", shop), cli.run("seller", "show", shop)) == before
    assert not (tmp_path / "missing").exists()


def test_each_setup_mistake_has_its_own_message_and_exit_status(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    error = Cli(f"sqlite:///{missing}").run("orders", "AXXXXXXXXXXXXX", expect=2)["errors"][0]
    assert "no database" in error["message"] and "sellerflow init" in error["message"]
    assert not missing.exists()
    sandbox = Cli(f"sqlite:///{tmp_path}/sandbox.db")
    sandbox.run("init", "--sandbox")
    assert sandbox.run("init", expect=1)["errors"][0]["code"] == "SandboxDatabase"
    sandbox.run("seller", "create", "A", "--plan", "individual", "--email", "a@example.com")
    assert sandbox.run("seller", "create", "B", "--plan", "individual", "--email",
                       "a@example.com", expect=1)["errors"][0]["code"] == "SellerExists"
    refused = Cli("postgresql://postgres@127.0.0.1:1/nothing").run("catalog", expect=4)
    assert refused["errors"][0]["code"] == "DatabaseError"


# Rendering is the same whatever the database: one, for both widths.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_tables_fit_the_terminal_and_never_break_an_id(db_url: str) -> None:
    cli = Cli(db_url)
    shop = cli.run("seller", "create", "A shop with a rather long name", "--plan",
                   "professional", "--email", "a-long-address@example.com")["sellerId"]
    cli.run("listing", "set", shop, "A-RATHER-LONG-SKU-0001", "--price", "12.50", "--quantity",
            "5", "--title", "A very long product title " * 4)
    order_id = cli.run("order", "place", "--buyer", "someone.with.a.long.name@example.com",
                       "--item", f"{shop}:A-RATHER-LONG-SKU-0001:1", "--ship-to", ADDRESS
                       )["orders"][0]["AmazonOrderId"]
    cli.run("clock", "advance", "24d")     # past the ship-by warning (L24)
    for columns, command in itertools.product(
            (80, 120), (("orders", shop), ("mailbox",), ("mailbox", "--bodies"),
                        ("listing", "list", shop), ("order", "show", order_id), ("catalog",),
                        ("ledger", shop), ("metrics", shop), ("shipments", "list", shop))):
        done = subprocess.run([sys.executable, "-m", "sellerflow", "--db", cli.url, *command],
                              capture_output=True, text=True, timeout=60,
                              env={**os.environ, "COLUMNS": str(columns)})
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert all(len(line) <= columns for line in lines), (command, done.stdout)
        text = done.stdout
        if command[0] in ("orders", "order"):
            assert order_id in text, (command, text)
        if command[0] in ("listing", "catalog", "order"):
            assert "A-RATHER-LONG-SKU-0001" in text, (command, text)


def test_json_may_come_after_the_command(cli: Cli, shop: str) -> None:
    done = subprocess.run([sys.executable, "-m", "sellerflow", "--db", cli.url, "orders", shop,
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"orders": []}



def test_shipping_settings_from_the_command_line(cli: Cli, shop: str) -> None:
    rates = cli.run("shipping", "set", shop, "Standard", "--per-shipment", "4.99",
                    "--per-item", "0.99")
    standard = next(r for r in rates["levels"] if r["shipServiceLevel"] == "Standard")
    assert (standard["perShipment"]["Amount"], standard["perItem"]["Amount"],
            standard["isDefault"]) == ("4.99", "0.99", False)
    assert cli.run("shipping", "show", shop) == rates
    assert cli.run("listing", "show", shop, "MUG")["shipping"] == rates["levels"]
    order = _place(cli, shop)["orders"][0]["AmazonOrderId"]
    item = cli.run("order", "show", order)["items"][0]
    assert item["ShippingPrice"]["Amount"] == "5.98"
    assert cli.run("shipping", "set", shop, "Standard", expect=2)["errors"][0]["code"] == \
        "InvalidInput"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)   # the paging: test_manage_orders
def test_orders_pages_take_limit_and_next_token(cli: Cli, shop: str) -> None:
    placed = [_place(cli, shop)["orders"][0]["AmazonOrderId"] for _ in range(2)]
    first = cli.run("orders", shop, "--limit", "1")
    second = cli.run("orders", shop, "--limit", "1", "--next-token", first["NextToken"])
    assert sorted(o["AmazonOrderId"] for o in first["orders"] + second["orders"]) == sorted(
        placed)
    assert "NextToken" not in second
    refused = cli.run("orders", shop, "--next-token", "not-a-token", expect=2)
    assert refused["errors"][0]["message"].startswith("--next-token: is not a token")
    assert cli.run("orders", shop, "--limit", "0", expect=2)["errors"][0]["code"] == (
        "InvalidInput")
    assert "--next-token" in cli.text("orders", shop, "--limit", "1")


def test_credentials_rotate_and_revoke_through_the_cli(cli: Cli, tmp_path: Path) -> None:
    """Each command prints its new secret once; the old credential stops working (checked
    through the services the HTTP API and the console call)."""
    from sellerflow.service import auth, console_access
    from sellerflow.service.context import open_marketplace

    made = cli.run("seller", "create", "Acme", "--plan", "professional", "--email",
                   "acme@example.com", "--password", "first password")
    rotated = cli.run("seller", "rotate-credentials", made["sellerId"])
    assert rotated["clientId"] == made["clientId"]
    assert rotated["clientSecret"] != made["clientSecret"]
    assert cli.run("seller", "revoke-tokens", made["sellerId"])["tokensRevoked"] == 0
    password = cli.run("seller", "password", made["sellerId"], "--password", "second one")
    assert password == {"sellerId": made["sellerId"], "password": "second one",
                        "sessionsEnded": 0}
    buyer = cli.run("buyer", "create", "jane@example.com")
    again = cli.run("buyer", "rotate-token", "jane@example.com")
    assert again["buyerId"] == buyer["buyerId"] and again["token"] != buyer["token"]
    refused = cli.run("seller", "password", made["sellerId"], "--password", "short",
                      expect=2)
    assert refused["errors"][0]["message"].startswith("--password: ")
    market = open_marketplace(cli.url)
    try:
        with pytest.raises(Exception, match="refresh token is not valid"):
            auth.token_from_refresh(market, "refresh_token", made["refreshToken"],
                                    made["clientId"], made["clientSecret"])
        assert auth.token_from_refresh(market, "refresh_token", rotated["refreshToken"],
                                       rotated["clientId"], rotated["clientSecret"]).token
        with pytest.raises(Exception, match="incorrect"):
            console_access.sign_in(market, "acme@example.com", "first password", "cli-test")
        assert console_access.sign_in(market, "acme@example.com", "second one", "cli-test").session
        with pytest.raises(Exception, match="not valid"):
            auth.buyer_caller(market, buyer["token"])
    finally:
        market.close()
