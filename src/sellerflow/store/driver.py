"""Hot-path statements: a Core statement compiled once per dialect and run straight on the
DB-API cursor of the unit of work's connection, inside its transaction.

Order placement runs a handful of statements per order, thousands of times a second, and
SQLAlchemy's per-execution work (the compiled-cache lookup, the execution context, the result
wrapper) costs as much as the database's own. The statements are still written with
SQLAlchemy Core, and their parameters still pass through each column type's own bind
processor, so what reaches the database is exactly what `Connection.execute` would send.
Only statements whose results need no type conversion belong here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


class _Compiled:
    """The SQL and how to lay out its parameters: values gathered by name in the order the SQL
    expects them (in C, by itemgetter), then only the columns that have a bind processor
    converted."""

    def __init__(self, sql: str, names: tuple[str, ...], positional: bool,
                 processors: tuple[Processor | None, ...], fixed: Mapping[str, Any]) -> None:
        self.sql = sql
        self.names = names
        self.positional = positional
        # Values the statement itself carries (a LIMIT, an OFFSET), under SQLAlchemy's names.
        self._fixed = dict(fixed)
        self._gather = itemgetter(*names) if len(names) > 1 else None
        self._convert = tuple((n, p) for n, p in enumerate(processors) if p is not None)

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        if self._fixed:
            values = {**self._fixed, **values}
        if self._gather is not None:
            row = list(self._gather(values))
        else:
            row = [values[name] for name in self.names]
        for n, process in self._convert:
            if row[n] is not None:
                row[n] = process(row[n])
        if self.positional:
            return row
        return dict(zip(self.names, row, strict=True))


def batch(conn: Connection) -> AbstractContextManager[Any]:
    """Statements run inside go to the server together: on PostgreSQL one round trip (psycopg's
    pipeline mode), where each would otherwise wait for its answer."""
    if conn.dialect.name == "postgresql":
        return conn.connection.dbapi_connection.pipeline()  # type: ignore[union-attr,no-any-return]
    return nullcontext()


def _cursor(conn: Connection) -> Any:
    """SQLite: one cursor per connection, kept with it across units of work (each statement's
    rows are read before the next runs). PostgreSQL: a cursor per statement, as a pipeline
    may hold several statements in flight."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name != "sqlite":
        return dbapi.cursor()
    cursor = conn.connection.info.get(_CURSOR_KEY)
    if cursor is None:
        cursor = conn.connection.info[_CURSOR_KEY] = dbapi.cursor()
    return cursor


_CURSOR_KEY = "sellerflow_cursor"


def _compile(statement: ClauseElement, dialect: Dialect,
             columns: Sequence[str] | None = None) -> _Compiled:
    compiled = statement.compile(dialect=dialect, column_keys=columns)
    assert isinstance(compiled, SQLCompiler)
    positional = bool(dialect.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.binds)
    processors = tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                       for name in names)
    fixed = {name: bind.value for name, bind in compiled.binds.items()
             if bind.value is not None and not bind.callable}
    return _Compiled(str(compiled), names, positional, processors, fixed)


class DriverStatement:
    """One statement, compiled on first use for each dialect. `columns`: for an UPDATE or
    INSERT without values, the columns it sets, each from the parameter of its own name."""

    def __init__(self, statement: ClauseElement, columns: Sequence[str] | None = None) -> None:
        self._statement = statement
        self._columns = columns
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _compile(self._statement, dialect,
                                                               self._columns)
        return compiled

    def sql_and_parameters(self, conn: Connection, values: Mapping[str, Any]
                           ) -> tuple[str, Sequence[Any] | dict[str, Any]]:
        """The SQL for this connection's driver and its parameters laid out for it, to run
        some other way than execute (inside a COPY)."""
        compiled = self._for(conn.dialect)
        return compiled.sql, compiled.parameters(values)

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> Any:
        """Run once; returns the DB-API cursor, to read the rows before the next statement."""
        compiled = self._for(conn.dialect)
        cursor = _cursor(conn)
        cursor.execute(compiled.sql, compiled.parameters(values))
        return cursor

    def batches(self, conn: Connection, values: Mapping[str, Any], size: int
                ) -> Iterator[Sequence[Any]]:
        """Run once and read the rows `size` at a time, on a cursor of its own (the caller may
        run other statements between two batches)."""
        compiled = self._for(conn.dialect)
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        cursor = dbapi.cursor()
        try:
            cursor.execute(compiled.sql, compiled.parameters(values))
            while batch := cursor.fetchmany(size):
                yield batch
        finally:
            cursor.close()

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        """Run once per row (the driver's executemany); returns how many rows it changed in
        all (both drivers sum them)."""
        if not rows:
            return 0
        compiled = self._for(conn.dialect)
        cursor = _cursor(conn)
        cursor.executemany(compiled.sql, [compiled.parameters(values) for values in rows])
        return int(cursor.rowcount)


class InsertRows:
    """INSERT of the given columns for any number of rows, each row a tuple in the order of
    `columns`: one compiled statement, run once per row by the driver's executemany."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self._statement = insert(table)
        self.columns = tuple(columns)
        in_table_order = tuple(c.name for c in table.columns if c.name in self.columns)
        if in_table_order != self.columns:
            raise ValueError(f"give {table.name}'s columns in the table's order: "
                             f"{in_table_order}")
        self.row = itemgetter(*self.columns)     # a dict of values -> the row tuple
        self._compiled: dict[str, tuple[str, tuple[tuple[int, Processor], ...]]] = {}

    def _for(self, dialect: Dialect) -> tuple[str, tuple[tuple[int, Processor], ...]]:
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = _compile(self._statement, dialect, self.columns)
            # The SQL's parameters follow the column order (checked, not assumed).
            names = compiled.names if compiled.positional else tuple(
                name for name in self.columns if name in compiled.names)
            assert names == self.columns, (names, self.columns)
            processors = tuple(
                (n, p) for n, name in enumerate(self.columns)
                if (p := self._statement.table.c[name].type.dialect_impl(dialect)
                    .bind_processor(dialect)) is not None)
            sql = compiled.sql
            if not compiled.positional:
                sql = sql % {name: "%s" for name in self.columns}
            found = self._compiled[dialect.name] = (sql, processors)
        return found

    def execute(self, conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        sql, processors = self._for(conn.dialect)
        if processors:
            rows = [_converted(row, processors) for row in rows]
        cursor = _cursor(conn)
        if len(rows) == 1:
            cursor.execute(sql, rows[0])
        else:
            cursor.executemany(sql, rows)


class SelectIn:
    """SELECT of some columns WHERE a key column IN (up to `CHUNK` keys), and where a `scope`
    column is given, it equals one value (the seller whose rows these are): compiled once per
    dialect and number of keys, run on the DB-API cursor, each value converted by its column
    type's own result processor, so the rows hold exactly what SQLAlchemy would return.
    For loading a batch's orders, where SQLAlchemy's per-row work costs more than the query."""

    CHUNK = 500

    def __init__(self, columns: Sequence[ColumnElement[Any]], key: ColumnElement[Any],
                 order_by: Sequence[ColumnElement[Any]], *, lock: bool = False,
                 scope: ColumnElement[Any] | None = None) -> None:
        self.columns = tuple(columns)
        self._key = key
        self._scope = scope
        self._order_by = tuple(order_by)
        self._lock = lock
        self._compiled: dict[tuple[str, int], str] = {}
        self._processors: dict[str, tuple[tuple[int, Processor], ...]] = {}

    def _sql(self, dialect: Dialect, count: int) -> str:
        sql = self._compiled.get((dialect.name, count))
        if sql is None:
            query = select(*self.columns)
            if self._scope is not None:
                query = query.where(self._scope == bindparam("scope"))
            query = (query.where(self._key.in_([bindparam(f"k{n}") for n in range(count)]))
                     .order_by(*self._order_by))
            if self._lock:
                query = query.with_for_update()
            compiled = _compile(query, dialect)
            sql = compiled.sql
            if not compiled.positional:
                sql = sql % {name: "%s" for name in compiled.names}
            self._compiled[(dialect.name, count)] = sql
        return sql

    def _converters(self, dialect: Dialect) -> tuple[tuple[int, Processor], ...]:
        found = self._processors.get(dialect.name)
        if found is None:
            found = self._processors[dialect.name] = _result_processors(self.columns, dialect)
        return found

    def rows(self, conn: Connection, keys: Sequence[Any], scope: Any = None
             ) -> list[tuple[Any, ...]]:
        """The rows of these keys (within `scope`'s rows, for a statement with a scope)."""
        if (scope is None) != (self._scope is None):
            raise ValueError("give a scope value exactly when the statement has a scope")
        converters = self._converters(conn.dialect)
        cursor = _cursor(conn)
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(keys), self.CHUNK):
            chunk = list(keys[start:start + self.CHUNK])
            if scope is not None:
                chunk.insert(0, scope)
            cursor.execute(self._sql(conn.dialect, len(chunk) - (scope is not None)), chunk)
            for row in cursor.fetchall():
                values = list(row)
                for n, convert in converters:
                    values[n] = convert(values[n])
                found.append(tuple(values))
        return found


class SelectRows:
    """A SELECT with named parameters, compiled once per dialect, run on the DB-API cursor;
    its rows come as dicts by column name, each value converted by its column type's own
    result processor (exactly what SQLAlchemy would return). For the reads every request
    makes: a token, a seller, a page of orders."""

    def __init__(self, statement: Select[Any]) -> None:
        self._statement = DriverStatement(statement)
        self._columns = tuple(statement.selected_columns)
        self.names = tuple(str(c.key) for c in self._columns)
        self._row_makers: dict[str, Callable[[Sequence[Any]], dict[str, Any]]] = {}

    def rows(self, conn: Connection, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        make = self._row_makers.get(conn.dialect.name)
        if make is None:
            make = self._row_makers[conn.dialect.name] = _row_maker(
                self.names, _result_processors(self._columns, conn.dialect))
        return [make(row) for row in self._statement.execute(conn, values).fetchall()]

    def first(self, conn: Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        found = self.rows(conn, values)
        return found[0] if found else None


def _result_processors(columns: Sequence[ColumnElement[Any]], dialect: Dialect
                       ) -> tuple[tuple[int, Processor], ...]:
    return tuple((n, p) for n, column in enumerate(columns)
                 if (p := column.type.dialect_impl(dialect).result_processor(dialect, None))
                 is not None)


def _row_maker(names: Sequence[str], converters: tuple[tuple[int, Processor], ...]
               ) -> Callable[[Sequence[Any]], dict[str, Any]]:
    """A function making a row's dict in one expression, each value converted where its column
    has a result processor: a page of orders is twenty rows of 25 columns, and the generic loop
    (copy the row, convert in place, zip into a dict) cost as much as reading the rows. Built
    from the statement's own column names, never from data."""
    converting = dict(converters)
    entries = ", ".join(f"{name!r}: " + (f"_c{n}(row[{n}])" if n in converting else f"row[{n}]")
                        for n, name in enumerate(names))
    scope: dict[str, Any] = {f"_c{n}": convert for n, convert in converting.items()}
    exec(f"def make(row):\n    return {{{entries}}}\n", scope)  # noqa: S102
    return scope["make"]  # type: ignore[no-any-return]


def _converted(row: Sequence[Any], processors: tuple[tuple[int, Processor], ...]
               ) -> list[Any]:
    values = list(row)
    for n, process in processors:
        if values[n] is not None:
            values[n] = process(values[n])
    return values
