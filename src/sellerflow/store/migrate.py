"""Apply Alembic migrations (`sellerflow init`), and tell whether a database is up to date.

Every command checks the schema version before it starts, so that check reads Alembic's
version table directly against HEAD instead of loading Alembic (about a tenth of a second);
Alembic itself is imported only to migrate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision; tests/unit/test_migrations.py keeps it equal to Alembic's.
HEAD = "0009"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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
