"""Transcript cursors: how far each file was read, stored with what the read produced."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from memtui.core.transcripts import ReadState
from memtui.store.models import TranscriptCursor, utcnow


@dataclass(frozen=True, slots=True)
class CursorRecord:
    """A file's cursor as `memtui sources` reports it."""

    path: str
    tool: str
    state: ReadState
    skipped: int
    messages: int


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


def _rows(session: Session, paths: Sequence[str]) -> dict[str, TranscriptCursor]:
    found: dict[str, TranscriptCursor] = {}
    for start in range(0, len(paths), PATHS_PER_QUERY):
        chunk = paths[start : start + PATHS_PER_QUERY]
        query = select(TranscriptCursor).where(TranscriptCursor.path.in_(chunk))
        found.update((row.path, row) for row in session.scalars(query))
    return found


def load_many(session: Session, paths: Sequence[str]) -> dict[str, ReadState]:
    """Where the last reads of these files stopped, for those read before."""
    return {path: _state(row) for path, row in _rows(session, paths).items()}


@dataclass(frozen=True, slots=True)
class Advance:
    """A read to record in a file's cursor."""

    path: str
    tool: str
    state: ReadState
    skipped: int
    messages: int


def save_many(session: Session, advances: Sequence[Advance]) -> None:
    """Record where reads stopped, adding their skipped records and messages to the counts."""
    rows = _rows(session, [a.path for a in advances])
    for advance in advances:
        row = rows.get(advance.path)
        if row is None:
            row = TranscriptCursor(path=advance.path, tool=advance.tool, skipped=0, messages=0)
            session.add(row)
            rows[advance.path] = row
        _update(row, advance)


def _update(row: TranscriptCursor, advance: Advance) -> None:
    state = advance.state
    row.tool = advance.tool
    row.offset = state.offset
    row.size = state.size
    row.mtime_ns = state.mtime_ns
    row.head_hash = state.head_hash
    row.position = state.position
    row.last_message_id = state.last_message_id
    row.context = dict(state.context)
    row.skipped += advance.skipped
    row.messages += advance.messages
    row.updated_at = utcnow()


def all_cursors(session: Session) -> list[CursorRecord]:
    """Every file memtui has read, by path."""
    rows = session.scalars(select(TranscriptCursor).order_by(TranscriptCursor.path)).all()
    return [CursorRecord(r.path, r.tool, _state(r), r.skipped, r.messages) for r in rows]
