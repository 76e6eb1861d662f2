"""The classes registry (who signs in to which class, and where each trainee's marketplace is)
and the trainees' databases themselves: beside the server's database, a SQLite file in
`<name>.classes/<class>/` next to its file, or a PostgreSQL database on the same server."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from sellerflow.store.schema import class_members, class_sessions, classes

# The class members' sign-in e-mails: .test, a name no one's real mail can have.
EMAIL_DOMAIN = "class.sellerflow.test"
# A class's name is part of file and database names.
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,29}")


def insert_class(conn: Connection, name: str, language: str, scenario: str | None,
                 policy: str, at: datetime) -> None:
    conn.execute(insert(classes).values(name=name, language=language, scenario=scenario,
                                        policy=policy, created_at=at))


def insert_members(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    conn.execute(insert(class_members), list(rows))


def get_class(conn: Connection, name: str) -> Any:
    return conn.execute(select(classes).where(classes.c.name == name)).first()


def all_classes(conn: Connection) -> list[Any]:
    return list(conn.execute(select(classes).order_by(classes.c.created_at, classes.c.name)))


def members(conn: Connection, name: str) -> list[Any]:
    return list(conn.execute(select(class_members).where(class_members.c.class_name == name)
                             .order_by(class_members.c.number)))


def member(conn: Connection, name: str, number: int) -> Any:
    return conn.execute(select(class_members).where(class_members.c.class_name == name,
                                                    class_members.c.number == number)).first()


def member_by_email(conn: Connection, email: str) -> Any:
    return conn.execute(select(class_members).where(class_members.c.email == email)).first()


def email_taken(conn: Connection, emails: Sequence[str]) -> list[str]:
    return [r.email for r in conn.execute(select(class_members.c.email)
                                          .where(class_members.c.email.in_(list(emails))))]


def set_member(conn: Connection, name: str, number: int, **values: Any) -> None:
    conn.execute(update(class_members).where(class_members.c.class_name == name,
                                             class_members.c.number == number).values(**values))


def add_session(conn: Connection, session_hash: str, name: str, now: datetime) -> None:
    conn.execute(insert(class_sessions).values(session_hash=session_hash, class_name=name,
                                               created_at=now, last_seen_at=now))


def find_session(conn: Connection, session_hash: str) -> Any:
    return conn.execute(select(class_sessions).where(
        class_sessions.c.session_hash == session_hash)).first()


def session_seen(conn: Connection, session_hash: str, now: datetime) -> None:
    conn.execute(update(class_sessions).where(class_sessions.c.session_hash == session_hash)
                 .values(last_seen_at=now))


def end_session(conn: Connection, session_hash: str) -> None:
    conn.execute(delete(class_sessions).where(class_sessions.c.session_hash == session_hash))


def delete_class(conn: Connection, name: str) -> None:
    conn.execute(delete(class_sessions).where(class_sessions.c.class_name == name))
    conn.execute(delete(class_members).where(class_members.c.class_name == name))
    conn.execute(delete(classes).where(classes.c.name == name))


# The trainees' databases ---------------------------------------------------------------------

def trainee_database(engine: Engine, class_name: str, number: int) -> str:
    """Where a trainee's marketplace is kept: a file path (SQLite) or a database name."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        main = Path(url.database or "sellerflow.db")
        return str(main.resolve().parent / f"{main.stem}.classes" / class_name
                   / f"trainee-{number}.db")
    return f"{url.database}__{class_name}__{number}"[:63]


def database_url(engine: Engine, database: str) -> str:
    """The URL of a trainee's database, on the server (and with the credentials) of `engine`."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{database}"
    return url.set(database=database).render_as_string(hide_password=False)


def create_database(engine: Engine, database: str) -> None:
    """An empty database for a trainee (one left by an earlier class of the name dropped)."""
    if engine.url.get_backend_name() == "sqlite":
        drop_database(engine, database)
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))


def drop_database(engine: Engine, database: str) -> None:
    if engine.url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def check_name(name: str) -> bool:
    return NAME.fullmatch(name) is not None

