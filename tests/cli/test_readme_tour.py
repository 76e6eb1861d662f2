"""The README's tour runs as pasted, top to bottom, as a shell script (on SQLite as written,
and on PostgreSQL with its database line swapped), in a temporary folder of its own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
DATABASE_LINE = "export SELLERFLOW_DB=sqlite:///$PWD/tour.db"


def tour_script() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A tour of the lifecycle"):]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found is not None, "the tour's shell block is missing"
    return found.group(1)


def test_the_readme_tour_runs_as_pasted(db_url: str, tmp_path: Path) -> None:
    script = tour_script()
    assert DATABASE_LINE in script
    if not db_url.startswith("sqlite"):
        script = script.replace(DATABASE_LINE, f"export SELLERFLOW_DB='{db_url}'")
    run_from = tmp_path / "here"
    temporary = tmp_path / "tmp"
    run_from.mkdir()
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary), "COLUMNS": "100",
                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    environment.pop("SELLERFLOW_DB", None)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=run_from,
                          env=environment, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Traceback" not in output
    assert "refused (exit 1)" in output and "L7" in output
    assert "Please confirm shipment by" in output
    assert "ship-deadline" in output                  # the deferred order auto-canceled (L23)
    assert "1 rows processed, 1 successful, 0 rejected" in output
    metrics = output[output.rindex("Metrics of"):]
    for metric in ("cancelRate", "lateShipmentRate", "validTrackingRate", "orderDefectRate"):
        line = next(line for line in metrics.splitlines() if metric in line)
        assert re.search(r"\d+/[1-9]\d*", line), line   # counted over some orders, not 0/0
    assert list(run_from.iterdir()) == []                # nothing written where it ran
    written = {path.name for path in temporary.rglob("*") if path.is_file()}
    assert {"unshipped.tsv", "confirmations.txt", "result.txt"} <= written
