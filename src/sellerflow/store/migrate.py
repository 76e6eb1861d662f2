"""Apply Alembic migrations (`sellerflow init`), and tell whether a database is up to date.

Every command checks the schema version before it starts, so that check reads Alembic's
version table directly against HEAD instead of loading Alembic (about a tenth of a second);
Alembic itself is imported only to migrate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision; tests/unit/test_migrations.py keeps it equal to Alembic's.
HEAD = "0017"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    _migrate(engine, "upgrade", "head")


def downgrade(engine: Engine, revision: str) -> None:
    """Back to an earlier revision (for tests of a migration over existing rows)."""
    _migrate(engine, "downgrade", revision)


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a table's key by rebuilding it, which its foreign keys forbid
            # midway: they are switched off around the transaction (the pragma cannot change
            # inside one) and every row is checked against them before it commits.
            _sqlite_pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                getattr(command, direction)(config, revision)
                if sqlite and (broken := connection.exec_driver_sql(
                        "PRAGMA foreign_key_check").first()) is not None:
                    raise RuntimeError(f"the migration would leave a row of {broken[0]} "
                                       f"referring to a missing row of {broken[2]}")
        finally:
            if sqlite:
                _sqlite_pragma(connection, "foreign_keys=ON")


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA {pragma}")


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision; None for a database sellerflow never initialised."""
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        try:
            found: str | None = connection.execute(
                text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None
        return found


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == HEAD
