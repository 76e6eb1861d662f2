"""The schema check every command makes agrees with Alembic."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from sellerflow.store import migrate


def test_HEAD_is_the_newest_migration() -> None:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert migrate.HEAD == head
