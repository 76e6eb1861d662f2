"""Creating or upgrading a database (`sellerflow init`) and choosing its mode once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sellerflow.clock import SandboxClock, SystemClock, iso
from sellerflow.domain.errors import Refused
from sellerflow.service.context import MODE_KEY
from sellerflow.store import migrate, settings
from sellerflow.store.db import open_engine, public_url
from sellerflow.store.settings import set_clock


def initialise(url: str, sandbox: bool, start: datetime | None = None) -> dict[str, Any]:
    """Apply the migrations; a new database becomes sandbox or live and stays so. A sandbox's
    clock starts at `start` (default: the system's now)."""
    engine = open_engine(url)
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            mode = settings.get(conn, MODE_KEY)
            if mode is None:
                mode = "sandbox" if sandbox else "live"
                settings.put(conn, MODE_KEY, mode)
                if sandbox:
                    set_clock(conn, start or SystemClock.read())
            elif sandbox and mode != "sandbox":
                raise Refused("LiveDatabase", "this database was created live and cannot "
                                              "become a sandbox; use another database")
            elif not sandbox and mode == "sandbox":
                raise Refused("SandboxDatabase", "this database was created as a sandbox and "
                                                 "stays one; upgrade it as a sandbox, or use "
                                                 "another database for a live marketplace",
                              reason="sandbox-database")
            now = (SandboxClock.read(settings.get_all(conn)) if mode == "sandbox"
                   else SystemClock.read())
        return {"database": public_url(engine), "sandbox": mode == "sandbox",
                "now": iso(now)}
    finally:
        engine.dispose()
