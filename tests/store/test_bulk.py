"""store.bulk.insert_rows writes exactly the rows Core's executemany insert writes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert

from memtui.core.models import Action, Kind, Scope, Status
from memtui.store import Database, upgrade
from memtui.store.bulk import insert_rows
from memtui.store.models import Event, Evidence, Memory, Operation, Revision, TranscriptCursor

WHEN = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
ELSEWHERE = datetime(2026, 3, 4, 7, 6, 7, tzinfo=timezone(timedelta(hours=2)))


def table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def seeded(path: Path) -> Database:
    """A migrated store with one operation and two memories for rows to point at."""
    url = f"sqlite:///{path}"
    upgrade(url)
    db = Database(url)
    with db.write() as session:
        connection = session.connection()
        connection.execute(
            insert(table(Operation)),
            [{"command": "propose", "actor": "test", "undoable": False, "created_at": WHEN}],
        )
        connection.execute(
            insert(table(Memory)),
            [
                {
                    "kind": kind,
                    "text": f"memory {n}",
                    "status": Status.PENDING,
                    "scope": Scope.PROJECT,
                    "project_id": None,
                    "confidence": 0.5,
                    "flags": None,
                    "created_at": WHEN,
                    "updated_at": WHEN,
                }
                for n, kind in enumerate([Kind.RULE, Kind.FACT])
            ],
        )
    return db


ROWS: list[tuple[type[Any], list[dict[str, Any]]]] = [
    (
        Memory,
        [
            {
                "kind": Kind.PREFERENCE,
                "text": "Use pnpm, not npm.",
                "status": status,
                "scope": Scope.GLOBAL,
                "project_id": None,
                "confidence": 0.65,
                "locked": locked,
                "revision": 1,
                "created_at": WHEN,
                "updated_at": WHEN,  # the same object in every row, as a batch has it
                "flags": flags,
            }
            for status, locked, flags in [
                (Status.PENDING, False, None),
                (Status.CONFIRMED, True, ["steering"]),
                (Status.PENDING, False, None),
            ]
        ],
    ),
    (
        Revision,
        [
            {
                "memory_id": n,
                "number": 1,
                "text": f"Memory {n}.",
                "key": f"memory {n}",
                "kind": Kind.RULE,
                "scope": scope,
                "project_id": None,
                "created_at": when,
            }
            for n, scope, when in [(1, Scope.PROJECT, WHEN), (2, Scope.GLOBAL, ELSEWHERE)]
        ],
    ),
    (
        Evidence,
        [
            {
                "memory_id": 1,
                "tool": "claude-code",
                "path": "/t.jsonl",
                "line": line,
                "msg_index": None,
                "message_id": message_id,
                "session_id": None,
                "timestamp": timestamp,
                "quote": "Use pnpm, not npm \u2014 \u603b\u662f",
                "rule": "contrast",
                "confidence": 0.6,
                "redactions": 0,
                "created_at": WHEN,
            }
            for line, message_id, timestamp in [(3, "m-1", None), (4, None, ELSEWHERE)]
        ],
    ),
    (
        Event,
        [
            {
                "operation_id": 1,
                "memory_id": 2,
                "action": action,
                "before": before,
                "after": {"text": "x", "flags": [], "added": {"evidence": [7]}},
                "created_at": WHEN,
            }
            for action, before in [(Action.CREATED, None), (Action.MERGED, {"confidence": 0.5})]
        ],
    ),
    (
        TranscriptCursor,
        [
            {
                "path": f"/p/{n}.jsonl",
                "tool": "codex",
                "offset": 2**40 + n,
                "size": 10,
                "mtime_ns": 1_700_000_000_123_456_789,
                "head_hash": None if n else "ab" * 16,
                "position": n,
                "last_message_id": None,
                "context": {"cwd": "/p", "queued": []} if n else {},
                "skipped": 0,
                "messages": 3,
                "updated_at": WHEN,
            }
            for n in range(3)
        ],
    ),
]


@pytest.mark.parametrize(("model", "rows"), ROWS, ids=lambda v: getattr(v, "__name__", ""))
def test_the_same_rows_as_a_core_insert(
    tmp_path: Path, model: type[Any], rows: list[dict[str, Any]]
) -> None:
    by_core, by_bulk = seeded(tmp_path / "core.db"), seeded(tmp_path / "bulk.db")
    try:
        with by_core.write() as session:
            session.connection().execute(insert(table(model)), rows)
        with by_bulk.write() as session:
            insert_rows(session.connection(), table(model), rows)
    finally:
        by_core.close()
        by_bulk.close()
    name = table(model).name
    core, bulk = (
        sqlite3.connect(tmp_path / f).execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()
        for f in ("core.db", "bulk.db")
    )
    assert len(core) == len(rows) + (2 if model is Memory else 0)  # seeded() wrote two
    assert [[(v, type(v)) for v in row] for row in bulk] == [
        [(v, type(v)) for v in row] for row in core
    ]


def test_a_column_left_to_its_python_default_goes_through_core(db: Database) -> None:
    # created_at has a default Core computes per row: left out, insert_rows leaves it to Core.
    revisions = next(rows for model, rows in ROWS if model is Revision)
    rows = [{k: v for k, v in row.items() if k != "created_at"} for row in revisions]
    with db.write() as session:
        connection = session.connection()
        connection.execute(
            insert(table(Memory)),
            [
                {
                    "kind": Kind.RULE,
                    "text": f"m{n}",
                    "status": Status.PENDING,
                    "scope": Scope.PROJECT,
                    "confidence": 0.5,
                }
                for n in range(2)
            ],
        )
        insert_rows(connection, table(Revision), rows)
    with db.read() as session:
        stamps = session.query(Revision.created_at).all()
    assert len(stamps) == 2
    assert all(stamp is not None for (stamp,) in stamps)


def test_nothing_to_insert_is_nothing_done(db: Database) -> None:
    with db.write() as session:
        insert_rows(session.connection(), table(Revision), [])
    with db.read() as session:
        assert session.query(Revision).count() == 0
