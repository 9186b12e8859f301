"""Transcript cursors: how far each file was read, stored with what the read produced."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from memtui.core.transcripts import ReadState
from memtui.store.bulk import insert_rows
from memtui.store.models import TranscriptCursor, utcnow


@dataclass(frozen=True, slots=True)
class CursorRecord:
    """A file's cursor as `memtui sources` reports it."""

    path: str
    tool: str
    state: ReadState
    skipped: int
    messages: int


_CURSORS = cast(Table, TranscriptCursor.__table__)
_STATE_COLUMNS = (
    _CURSORS.c.offset,
    _CURSORS.c.size,
    _CURSORS.c.mtime_ns,
    _CURSORS.c.head_hash,
    _CURSORS.c.position,
    _CURSORS.c.last_message_id,
    _CURSORS.c.context,
)
"""What a ReadState is made of, in the order of its fields."""


def _state(row: TranscriptCursor) -> ReadState:
    return ReadState(
        offset=row.offset,
        size=row.size,
        mtime_ns=row.mtime_ns,
        head_hash=row.head_hash,
        position=row.position,
        last_message_id=row.last_message_id,
        context=row.context or {},
    )


PATHS_PER_QUERY = 500


def _chunks(paths: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(paths), PATHS_PER_QUERY):
        yield paths[start : start + PATHS_PER_QUERY]


def load_many(session: Session, paths: Sequence[str]) -> dict[str, ReadState]:
    """Where the last reads of these files stopped, for those read before."""
    found: dict[str, ReadState] = {}
    for chunk in _chunks(paths):
        query = select(_CURSORS.c.path, *_STATE_COLUMNS).where(_CURSORS.c.path.in_(chunk))
        for path, offset, size, mtime_ns, head_hash, position, last_id, context in session.execute(
            query
        ):
            found[path] = ReadState(
                offset=offset,
                size=size,
                mtime_ns=mtime_ns,
                head_hash=head_hash,
                position=position,
                last_message_id=last_id,
                context=context or {},
            )
    return found


@dataclass(frozen=True, slots=True)
class Advance:
    """A read to record in a file's cursor."""

    path: str
    tool: str
    state: ReadState
    skipped: int
    messages: int


_UPDATE = update(_CURSORS).where(_CURSORS.c.path == bindparam("cursor_path"))
"""Run with one parameter set per file: every other key of a set is a column to SET."""


def save_many(session: Session, advances: Sequence[Advance]) -> None:
    """Record where reads stopped, adding their skipped records and messages to the counts.

    Two statements whatever the number of files: the new cursors inserted, the known ones
    updated (Core executemany, no ORM object per file).
    """
    if not advances:
        return
    counts: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(list(dict.fromkeys(a.path for a in advances))):
        query = select(_CURSORS.c.path, _CURSORS.c.skipped, _CURSORS.c.messages).where(
            _CURSORS.c.path.in_(chunk)
        )
        counts.update(
            (path, (skipped, messages)) for path, skipped, messages in session.execute(query)
        )
    stored = set(counts)
    rows: dict[str, dict[str, Any]] = {}
    now = utcnow()
    for advance in advances:
        skipped, messages = counts.get(advance.path, (0, 0))
        counts[advance.path] = (skipped + advance.skipped, messages + advance.messages)
        state = advance.state
        rows[advance.path] = {
            "tool": advance.tool,
            "offset": state.offset,
            "size": state.size,
            "mtime_ns": state.mtime_ns,
            "head_hash": state.head_hash,
            "position": state.position,
            "last_message_id": state.last_message_id,
            "context": dict(state.context),
            "skipped": counts[advance.path][0],
            "messages": counts[advance.path][1],
            "updated_at": now,
        }
    fresh = [{"path": path, **row} for path, row in rows.items() if path not in stored]
    known = [{"cursor_path": path, **row} for path, row in rows.items() if path in stored]
    connection = session.connection()
    insert_rows(connection, _CURSORS, fresh)
    if known:
        connection.execute(_UPDATE, known)


def all_cursors(session: Session) -> list[CursorRecord]:
    """Every file memtui has read, by path."""
    rows = session.scalars(select(TranscriptCursor).order_by(TranscriptCursor.path)).all()
    return [CursorRecord(r.path, r.tool, _state(r), r.skipped, r.messages) for r in rows]
