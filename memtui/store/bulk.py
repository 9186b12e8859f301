"""Many rows inserted at once, without SQLAlchemy's work for each row where it adds nothing.

A Core `connection.execute(insert(table), rows)` builds, for every row, a dictionary of every
bind parameter and runs each value through its column type's bind processor before the
driver's `executemany`: for a scan's thousands of evidence, revision and event rows that is
about a third of storing them. `insert_rows` sends the same values, turned by the same bind
processors, in one `executemany` of the same INSERT, on the connection's open transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, Table, insert

Processor = Callable[[Any], Any] | None
Plan = tuple[str, tuple[Processor, ...]] | None
_PLANS: WeakKeyDictionary[Dialect, dict[tuple[Table, tuple[str, ...]], Plan]] = WeakKeyDictionary()
"""Per dialect (an engine's), table and keys: the INSERT and each key's bind processor, or
None where it is Core's insert."""


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that all have the same keys, as `connection.execute(insert(table), rows)`
    would: the same rows in the same order.

    Only on SQLite (whose driver's placeholders are `?`) and where every column left out
    has no default SQLAlchemy computes in Python; otherwise it is that Core insert.
    """
    if not rows:
        return
    keys = tuple(rows[0])
    plan = _plan(connection.dialect, table, keys)
    if plan is None:
        connection.execute(insert(table), list(rows))
        return
    sql, processors = plan
    columns = []
    for key, process in zip(keys, processors, strict=True):
        values = [row[key] for row in rows]
        columns.append(values if process is None else _processed(process, values))
    connection.exec_driver_sql(sql, list(zip(*columns, strict=True)))


def _processed(process: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """The values through a bind processor; a value that is the very object of the row
    before (a batch's one timestamp, None) is not turned again: the same object, the same
    result."""
    done: list[Any] = []
    last: object = _NOTHING
    result = None
    for value in values:
        if value is not last:
            last, result = value, process(value)
        done.append(result)
    return done


_NOTHING = object()


def _plan(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> Plan:
    plans = _PLANS.setdefault(dialect, {})
    if (table, keys) not in plans:
        plans[table, keys] = _planned(dialect, table, keys)
    return plans[table, keys]


def _planned(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> Plan:
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return None
    columns = table.c
    if any(key not in columns for key in keys):
        return None
    if any(column.default is not None for column in columns if column.key not in keys):
        return None  # Core would compute the value (a timestamp, a counter) for each row
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.format_column(columns[key]) for key in keys)
    marks = ", ".join("?" for _ in keys)
    sql = f"INSERT INTO {preparer.format_table(table)} ({names}) VALUES ({marks})"
    types = [columns[key].type.dialect_impl(dialect) for key in keys]  # as Core compiles them
    return sql, tuple(type_.bind_processor(dialect) for type_ in types)
