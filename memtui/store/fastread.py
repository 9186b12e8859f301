"""Reads the app needs before its first frame, with the standard library's sqlite3 alone.

Importing SQLAlchemy costs more than Textual's whole start; the app shows its inbox first and
opens the SQLAlchemy store in a worker afterwards. Only SQLite files qualify, read-only, and
only when their schema is current (else the command line migrates them first, the slow way).
The SQL is the very text `queries.inbox_rows` runs through SQLAlchemy, and one function turns
a row of either into an `InboxRow`, so the two paths cannot drift apart (a test compares them).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from memtui.core.models import Kind, Scope, Status
from memtui.core.rows import InboxRow, IndexedMemory

T = TypeVar("T")

INBOX_SQL = """
SELECT m.id, m.kind, m.text, m.status, m.scope, p.root, m.confidence, m.locked, m.flags,
       m.created_at,
       max(coalesce(e.timestamp, e.created_at)) AS last_seen,
       count(e.id),
       (SELECT e1.tool FROM evidence AS e1 WHERE e1.memory_id = m.id ORDER BY e1.id LIMIT 1),
       group_concat(DISTINCT e.tool),
       coalesce(sum(e.redactions), 0)
FROM memories AS m
LEFT OUTER JOIN projects AS p ON p.id = m.project_id
LEFT OUTER JOIN evidence AS e ON e.memory_id = m.id
WHERE m.status IN ({statuses}) {only}
GROUP BY m.id, p.root
ORDER BY last_seen DESC, m.id DESC
"""
"""The review list: one row per memory with its evidence summed up, most recently seen first."""

TOP_SQL = """
AND m.id IN (
    SELECT m2.id FROM memories AS m2
    LEFT OUTER JOIN evidence AS e2 ON e2.memory_id = m2.id
    WHERE m2.status IN ({statuses})
    GROUP BY m2.id
    ORDER BY max(coalesce(e2.timestamp, e2.created_at)) DESC, m2.id DESC
    LIMIT {limit}
)"""
"""Keeps INBOX_SQL to its first rows, in the same order."""

COUNTS_SQL = "SELECT status, count(*) FROM memories GROUP BY status"

TOOL_SEPARATOR = "\x1f"
BELIEFS_SQL = """
SELECT m.id, m.text, m.kind, m.status, m.scope, p.root,
       (SELECT group_concat(t.tool, char(31)) FROM (
            SELECT DISTINCT e.tool AS tool FROM evidence AS e WHERE e.memory_id = m.id
            ORDER BY e.tool
       ) AS t),
       m.locked, m.updated_at
FROM (
    SELECT id FROM memories WHERE status IN ({statuses})
    ORDER BY updated_at DESC, id DESC LIMIT {limit}
) AS top
JOIN memories AS m ON m.id = top.id
LEFT OUTER JOIN projects AS p ON p.id = m.project_id
ORDER BY m.updated_at DESC, m.id DESC
"""
"""The first rows of the beliefs list, in the search index's listing order (most recent change
first, then the highest id), each with the tools of its evidence sorted by name. The newest
`limit` ids are picked from the narrow rows first; only they are joined and summed up."""


def inbox_sql(
    statuses: Collection[Status], ids: Collection[int] | None = None, limit: int | None = None
) -> str:
    """INBOX_SQL for these statuses (and these ids only, when given; the first `limit` rows
    only, when given). The values are enum members and integers, never text from outside, so
    they are written into the SQL."""
    listed = ", ".join(f"'{Status(s).value}'" for s in statuses)
    only = (
        f"AND m.id IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})" if ids is not None else ""
    )
    if limit is not None:
        # The newest `limit` memories are picked first by their sighting time alone (a third of
        # the cost), and only their rows are summed up in full.
        only += TOP_SQL.format(statuses=listed, limit=int(limit))
    return INBOX_SQL.format(statuses=listed, only=only)


def aware(value: object) -> datetime | None:
    """A stored timestamp as a UTC datetime: SQLite hands back text, SQLAlchemy a datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def inbox_row(raw: Sequence[object]) -> InboxRow:
    """One row of INBOX_SQL, from sqlite3 or from SQLAlchemy, as a record."""
    flags = raw[8]
    if isinstance(flags, str):
        flags = json.loads(flags)
    created = aware(raw[9])
    assert created is not None
    return InboxRow(
        id=int(raw[0]),  # type: ignore[call-overload]
        kind=Kind(str(raw[1])),
        text=str(raw[2]),
        status=Status(str(raw[3])),
        scope=Scope(str(raw[4])),
        project=raw[5] if isinstance(raw[5], str) else None,
        confidence=float(raw[6]),  # type: ignore[arg-type]
        locked=bool(raw[7]),
        flags=tuple(flags or ()),  # type: ignore[arg-type]
        created_at=created,
        last_seen=aware(raw[10]) or created,
        seen=int(raw[11]),  # type: ignore[call-overload]
        tool=str(raw[12] or ""),
        tools=tuple(sorted(str(raw[13]).split(","))) if raw[13] else (),
        redactions=int(raw[14]),  # type: ignore[call-overload]
    )


def indexed_row(raw: Sequence[object]) -> IndexedMemory:
    """One row of BELIEFS_SQL as the record the search index hands out."""
    updated = aware(raw[8])
    assert updated is not None
    tools = raw[6]
    return IndexedMemory(
        id=int(raw[0]),  # type: ignore[call-overload]
        text=str(raw[1]),
        kind=Kind(str(raw[2])),
        status=Status(str(raw[3])),
        scope=Scope(str(raw[4])),
        project=raw[5] if isinstance(raw[5], str) else None,
        tools=tuple(tools.split(TOOL_SEPARATOR)) if isinstance(tools, str) and tools else (),
        locked=bool(raw[7]),
        updated_at=updated,
    )


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///PATH` URL; None for any other database (or an in-memory one)."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            path = unquote(url[len(prefix) :].split("?", 1)[0])
            return Path(path) if path and path != ":memory:" else None
    return None


def _connect(path: Path) -> sqlite3.Connection:
    """A read-only connection that never creates the file."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def revision(path: Path) -> str | None:
    """The Alembic revision of a SQLite file; None if it is missing or was never migrated."""
    if not path.is_file():
        return None
    try:
        with _connect(path) as connection:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(found[0]) if found else None


def read_inbox(
    path: Path, statuses: Collection[Status] = (Status.PENDING,), *, limit: int | None = None
) -> list[InboxRow]:
    """The review list of a current SQLite store (its first `limit` rows), without SQLAlchemy."""
    connection = _connect(path)
    try:
        return [inbox_row(raw) for raw in connection.execute(inbox_sql(statuses, limit=limit))]
    finally:
        connection.close()


def read_first(
    path: Path, head: str, statuses: Collection[Status], limit: int | None
) -> tuple[list[InboxRow], dict[Status, int]] | None:
    """The review list (its first `limit` rows) and the counts, on one connection, if the
    file is at schema revision `head`; None if it is not (or cannot be read)."""

    def read(connection: sqlite3.Connection) -> tuple[list[InboxRow], dict[Status, int]]:
        rows = [inbox_row(raw) for raw in connection.execute(inbox_sql(statuses, limit=limit))]
        return rows, _counts(connection)

    return _read_at_head(path, head, read)


def read_counts(path: Path) -> dict[Status, int]:
    """How many memories are in each status, without SQLAlchemy."""
    connection = _connect(path)
    try:
        return _counts(connection)
    finally:
        connection.close()


def _counts(connection: sqlite3.Connection) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for status, count in connection.execute(COUNTS_SQL):
        counts[Status(status)] = int(count)
    return counts


def read_beliefs(
    path: Path, head: str, statuses: Collection[Status], limit: int
) -> tuple[list[IndexedMemory], int] | None:
    """The first `limit` rows of the beliefs list and how many rows it has in all, on one
    connection, if the file is at schema revision `head`; None if it is not (or cannot be
    read)."""
    listed = ", ".join(f"'{Status(s).value}'" for s in statuses)

    def read(connection: sqlite3.Connection) -> tuple[list[IndexedMemory], int]:
        sql = BELIEFS_SQL.format(statuses=listed, limit=int(limit))
        rows = [indexed_row(raw) for raw in connection.execute(sql)]
        (total,) = connection.execute(
            f"SELECT count(*) FROM memories WHERE status IN ({listed})"
        ).fetchone()
        return rows, int(total)

    return _read_at_head(path, head, read)


def _read_at_head(path: Path, head: str, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read` on one read-only connection to the file, if it is a SQLite store at schema
    revision `head`; None if it is not, or cannot be read."""
    if not path.is_file():
        return None
    try:
        connection = _connect(path)
    except sqlite3.Error:
        return None
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if not found or found[0] != head:
            return None
        return read(connection)
    except sqlite3.Error:
        return None
    finally:
        connection.close()
