"""A class of 30 on one server: Manage Orders pages per second with every request in another
trainee's marketplace (all 30 busy at once), against the same page in a class of one, in the
same run, and the server's memory after.

    class-30 ratio=R class=X/s one=Y/s rss=ZMB
    class-30-postgresql ratio=R class=X/s one=Y/s rss=ZMB

Each trainee's marketplace (a database of its own, docs/classroom.md: a SQLite file, then a
PostgreSQL database on 127.0.0.1:5432) holds ORDERS orders;
one uvicorn worker serves them all; Debian's `wrk` loads it with 16 connections, its requests
taking the 30 trainees' session cookies in turn, in alternating rounds with the class of one.
The ratio is the median of the rounds' ratios. Goal: at least 0.8.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from http_api import ADDRESS, CONCURRENCY, SERVER, WRK, free_port, wait_until_up

ROUNDS, SECONDS, TRAINEES, ORDERS = 5, 3, 30, 200
PAGE = "/orders-v3?tab=all&sort=purchase-asc&per_page=50"


def _seed(url: str) -> dict[str, list[dict[str, str]]]:
    """A class of one and a class of TRAINEES, every trainee's marketplace with ORDERS orders;
    each class's trainees' sign-ins."""
    from sellerflow.domain.callers import Caller
    from sellerflow.domain.placement import CartLine
    from sellerflow.service import classroom, listings
    from sellerflow.service.checkout import Checkout, place_order
    from sellerflow.service.context import open_marketplace
    from sellerflow.service.database import initialise

    initialise(url, sandbox=True)
    market, op = open_marketplace(url), Caller.operator()
    made = {}
    for name, size in (("one", 1), ("class", TRAINEES)):
        view = classroom.create_class(market, op, name, size)
        made[name] = [{"email": m.email, "password": m.password or ""}
                      for m in view.members if m.number]
        for member in view.members:
            if member.database is None or member.seller_id is None:
                continue
            own = classroom.open_trainee(market, f"{name}/{member.number}")
            listings.set_listing(own, op, member.seller_id, "MUG-12OZ", quantity=1_000_000)
            for _ in range(ORDERS):
                place_order(own, op, Checkout("buyer@example.com", [
                    CartLine(member.seller_id, "MUG-12OZ", 1)], ADDRESS))
            own.close()
    market.close()
    return made


def _cookie(base: str, email: str, password: str) -> str:
    # Each trainee from a machine of their own, as in a classroom (sign-ins are counted per
    # client address, 30 in 15 minutes).
    client = f"10.0.0.{abs(hash(email)) % 250 + 1}"
    browser = httpx.Client(base_url=base, follow_redirects=False,
                           headers={"X-Forwarded-For": client})
    page = browser.get("/signin")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed = browser.post("/signin", data={"csrf_token": csrf, "email": email,
                                           "password": password})
    assert signed.status_code == 303, signed.text
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    # The trainee's own Manage Orders: their orders, not the server's (which has none).
    assert browser.get(PAGE, headers={"Cookie": cookie}).text.count("/orders-v3/order/") >= 50
    return cookie


def _measure(base: str, cookies: list[str]) -> float:
    """Pages per second wrk gets, its requests taking the cookies in turn."""
    script = (f"cookies = {json.dumps(cookies)}\n".replace("[", "{").replace("]", "}")
              + "n = 0\n"
              "request = function()\n"
              "  n = n + 1\n"
              f"  return wrk.format('GET', {json.dumps(PAGE)}, "
              "{['Cookie'] = cookies[(n % #cookies) + 1]})\n"
              "end\n"
              "response = function(status, headers, body) "
              "if status >= 300 then print(status); os.exit(1) end end\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    out = subprocess.run([WRK, "-t1", f"-c{CONCURRENCY}", f"-d{SECONDS}s", "-s", lua.name,
                          base + PAGE], capture_output=True, text=True)
    Path(lua.name).unlink()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    if out.returncode != 0 or rate is None or "Non-2xx" in out.stdout:
        raise SystemExit(f"wrk failed:\n{out.stdout}{out.stderr}")
    return float(rate.group(1))


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def main() -> None:
    if not WRK:
        raise SystemExit("the class benchmark needs Debian's wrk: apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="sf-class-"))
    _run("class-30", f"sqlite:///{folder}/bench.db")
    # On PostgreSQL: a database per trainee on the same server, each with a small pool.
    admin = psycopg_connect()
    if admin is None:
        print("class-30-postgresql skipped: no PostgreSQL at 127.0.0.1:5432", flush=True)
        return
    name = "sf_class_bench"
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _run("class-30-postgresql", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    finally:
        _drop_all(name)


def psycopg_connect():  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    except psycopg.OperationalError:
        return None


def _drop_all(name: str) -> None:
    """The bench's server database and every trainee's beside it."""
    admin = psycopg_connect()
    with admin:
        found = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                              (f"{name}%",)).fetchall()
        for (database,) in found:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _run(label: str, url: str) -> None:
    made = _seed(url)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        one = [_cookie(base, **made["one"][0])]
        whole = [_cookie(base, **member) for member in made["class"]]
        classes, ones = [], []
        for _ in range(ROUNDS):
            classes.append(_measure(base, whole))
            ones.append(_measure(base, one))
        ratio = statistics.median(c / o for c, o in zip(classes, ones, strict=True))
        print(f"{label} ratio={ratio:.2f} class={statistics.median(classes):.0f}/s "
              f"one={statistics.median(ones):.0f}/s rss={_rss_mb(server.pid):.0f}MB",
              flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
