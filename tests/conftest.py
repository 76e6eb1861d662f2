"""Test databases: every service test runs on SQLite and on PostgreSQL.

Each database kind is migrated once per session into a template; a test gets a fresh copy
(a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL). In CI (CI=true) a
missing PostgreSQL fails the run; elsewhere its tests skip with the reason."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url

from sellerflow.service.context import Marketplace, open_marketplace
from sellerflow.service.database import initialise
from tests import helpers as h

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN = os.environ.get("SELLERFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
# The tests' PostgreSQL sessions (theirs and the servers' they start) do not wait for each
# commit to reach the disk: throw-away databases need no durability, and on this machine the
# flushes were a fifth of the PostgreSQL tests' time. What a commit does is unchanged.
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
# A Monday, 10:00 in Los Angeles: tests count business days from here.
START = datetime(2026, 1, 5, 18, 0, 0, tzinfo=UTC)

# `make test` runs the same bounded examples here and in CI (the suite must stay under 15
# minutes on two cores); HYPOTHESIS_PROFILE=thorough looks much harder.
settings.register_profile("ci", max_examples=12, stateful_step_count=20, deadline=None,
                          print_blob=True)
settings.register_profile("dev", max_examples=12, stateful_step_count=20, deadline=None)
settings.register_profile("thorough", max_examples=200, stateful_step_count=50,
                          deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


def _pg_admin() -> psycopg.Connection:
    return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)


def _pg_url(name: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        with _pg_admin():
            return True
    except psycopg.OperationalError as error:
        if IN_CI:
            pytest.fail(f"CI needs PostgreSQL at {PG_ADMIN}: {error}", pytrace=False)
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    initialise(f"sqlite:///{path}", sandbox=True, start=START)
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_available: bool) -> Iterator[str | None]:
    if not postgres_available:
        yield None
        return
    name = f"sf_template_{uuid.uuid4().hex[:10]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    initialise(_pg_url(name), sandbox=True, start=START)
    yield name
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_database_url(kind: str, tmp_path: Path, sqlite_template: Path,
                       postgres_template: str | None) -> Iterator[str]:
    if kind == "sqlite":
        target = tmp_path / "sellerflow.db"
        shutil.copy(sqlite_template, target)
        yield f"sqlite:///{target}"
        return
    if postgres_template is None:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN}")
    name = f"sf_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    try:
        yield _pg_url(name)
    finally:        # a failed test's database too: it would be left on the server
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_market(kind: str, folder: Path, sqlite_template: Path,
                 postgres_template: str | None) -> Iterator[tuple[Marketplace, str]]:
    """A marketplace on a database of its own, and its URL (for other processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    databases = fresh_database_url(kind, folder, sqlite_template, postgres_template)
    url = next(databases)
    market = open_marketplace(url)
    try:
        yield market, url
    finally:
        market.close()
        databases.close()


@contextmanager
def copy_of(market: Marketplace, url: str) -> Iterator[Marketplace]:
    """A second database holding what this one holds now (the market is closed first: a
    PostgreSQL database is copied as a template, which takes no connections)."""
    market.close()
    target = make_url(url)
    if target.get_backend_name() == "sqlite":
        copy = f"{target.database}.copy"
        shutil.copy(str(target.database), copy)
        opened = open_marketplace(f"sqlite:///{copy}")
        yield opened
        opened.close()
        return
    name = f"sf_copy_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{target.database}"')
    opened = open_marketplace(target.set(database=name).render_as_string(hide_password=False))
    try:
        yield opened
    finally:
        opened.close()
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
           postgres_template: str | None) -> Iterator[str]:
    yield from fresh_database_url(request.param, tmp_path, sqlite_template, postgres_template)


@pytest.fixture
def market(db_url: str) -> Iterator[Marketplace]:
    opened = open_marketplace(db_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def server_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sandbox database the session's live server serves (for tests that set up what
    only the command line makes, such as a class)."""
    folder = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{folder}/market.db"
    initialise(url, sandbox=True)
    return url


@pytest.fixture(scope="session")
def server(server_database: str) -> Iterator[str]:
    """One live `sellerflow serve` (with its worker) for the session, on a sandbox database:
    the API tests and the browser tests share it."""
    process, base = h.start_serve(server_database)
    yield base
    process.terminate()
    _, err = process.communicate(timeout=30)
    assert "Traceback" not in err, err
