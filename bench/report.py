"""The All Orders Report over a million orders: time and peak memory against the database's
own dump of the same rows, in the same run.

A sandbox of each kind gets ORDERS orders of one seller from the data-set generator
(`sellerflow demo --orders N --sellers 1`). Then, alternating, `sellerflow report all` writes
the report to a file (a process of its own, its peak resident memory read from the kernel),
and the floor writes the same rows (the report's columns as stored, joined and ordered as the
report reads them) as tab-separated text: the `sqlite3` shell on SQLite, `psql` running
`COPY (...) TO STDOUT` on PostgreSQL. Median of ROUNDS each.

    report-1m-sqlite ratio=R rss=MB sellerflow=Xs floor=Ys rows=N
    report-1m-postgresql ratio=R rss=MB sellerflow=Xs floor=Ys rows=N

    python bench/report.py [--orders N] [--database sqlite|postgresql]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sweep import PG_ADMIN, database, run_each  # noqa: E402

ROUNDS = 3
# The columns the All Orders Report reads, as stored, of the same seller's orders in the same
# period, in the report's order. (Without the period SQLite's planner reads the items first and
# sorts everything, which more than doubles the floor's time.)
FLOOR_QUERY = """SELECT o.amazon_order_id, o.purchase_date, o.last_update, o.status,
  o.released_at, o.ship_service_level, i.title, i.sku, i.asin, i.quantity_ordered,
  i.quantity_shipped, i.quantity_canceled, o.currency, i.unit_price_cents,
  i.unit_shipping_cents, i.line_shipping_cents, o.shipping_address
FROM orders o JOIN order_items i ON i.seller_id = o.seller_id
  AND i.amazon_order_id = o.amazon_order_id
WHERE o.seller_id = '{seller}' AND o.purchase_date >= '{start} 00:00:00.000000'
  AND o.purchase_date <= '{end} 23:59:59.000000'
ORDER BY o.purchase_date, o.amazon_order_id, i.position"""


def sellerflow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sellerflow", *args], check=True,
                          capture_output=True, text=True)


def timed_child(command: list[str], output: Path) -> tuple[float, float]:
    """(seconds, peak resident MB) of a command writing to `output`, alone in a process of
    its own: the kernel's peak of the children reaped so far only grows, so a fresh helper
    process runs it and reports its child's peak."""
    helper = ("import resource, subprocess, sys, time\n"
              "start = time.perf_counter()\n"
              "with open(sys.argv[1], 'wb') as out:\n"
              "    subprocess.run(sys.argv[2:], stdout=out, check=True)\n"
              "took = time.perf_counter() - start\n"
              "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
              "print(took, peak)\n")
    done = subprocess.run([sys.executable, "-c", helper, str(output), *command], check=True,
                          capture_output=True, text=True)
    seconds, peak = done.stdout.split()
    return float(seconds), float(peak)


def floor_command(kind: str, url: str, seller: str, start: str, end: str) -> list[str]:
    query = FLOOR_QUERY.format(seller=seller, start=start, end=end)
    if kind == "sqlite":
        if not shutil.which("sqlite3"):
            raise SystemExit("the report floor needs the sqlite3 shell: apt-get install sqlite3")
        return ["sqlite3", "-tabs", url.removeprefix("sqlite:///"), " ".join(query.split())]
    name = url.rsplit("/", 1)[1]
    return ["psql", PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", "-qXc",
            f"COPY ({' '.join(query.split())}) TO STDOUT"]


def run(kind: str, count: int) -> None:
    with database(kind) as url, tempfile.TemporaryDirectory(prefix="sf-report-") as folder:
        sellerflow("--db", url, "init", "--sandbox")
        start = time.perf_counter()
        made = sellerflow("--db", url, "--json", "demo", "--orders", str(count), "--sellers", "1")
        print(f"  generated {count:,} orders in {time.perf_counter() - start:.0f}s",
              file=sys.stderr, flush=True)
        summary = json.loads(made.stdout)
        seller_id = summary["sellerIds"][0]
        ours_out, floor_out = Path(folder) / "ours.tsv", Path(folder) / "floor.tsv"
        start, end = summary["from"][:10], summary["now"][:10]
        report = [sys.executable, "-m", "sellerflow", "--db", url, "report", "all", seller_id,
                  "--from", start, "--to", end]
        ours, floors, peaks = [], [], []
        for _ in range(ROUNDS):
            seconds, peak = timed_child(report, ours_out)
            ours.append(seconds)
            peaks.append(peak)
            floors.append(timed_child(floor_command(kind, url, seller_id, start, end),
                                      floor_out)[0])
        rows = sum(1 for _ in ours_out.open()) - 1
        floor_rows = sum(1 for _ in floor_out.open())
        if rows != floor_rows:
            raise SystemExit(f"the report has {rows} rows, the floor {floor_rows}")
    mine, floor = statistics.median(ours), statistics.median(floors)
    print(f"report-1m-{kind} ratio={floor / mine:.2f} rss={max(peaks):.0f}MB "
          f"sellerflow={mine:.2f}s floor={floor:.2f}s rows={rows}", flush=True)


def main() -> None:
    run_each(__doc__ or "", 1_000_000, run)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    main()
