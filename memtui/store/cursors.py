"""Transcript cursors: how far each file was read, stored with what the read produced."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
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


def load(session: Session, path: str) -> ReadState:
    """Where the last read of `path` stopped; the beginning for a file never read."""
    row = session.scalar(select(TranscriptCursor).where(TranscriptCursor.path == path))
    return ReadState() if row is None else _state(row)


def save(
    session: Session, path: str, tool: str, state: ReadState, *, skipped: int, messages: int
) -> None:
    """Record where a read stopped, adding its skipped records and messages to the counts."""
    row = session.scalar(select(TranscriptCursor).where(TranscriptCursor.path == path))
    if row is None:
        row = TranscriptCursor(path=path, tool=tool, skipped=0, messages=0)
        session.add(row)
    row.tool = tool
    row.offset = state.offset
    row.size = state.size
    row.mtime_ns = state.mtime_ns
    row.head_hash = state.head_hash
    row.position = state.position
    row.last_message_id = state.last_message_id
    row.context = dict(state.context)
    row.skipped += skipped
    row.messages += messages
    row.updated_at = utcnow()


def all_cursors(session: Session) -> list[CursorRecord]:
    """Every file memtui has read, by path."""
    rows = session.scalars(select(TranscriptCursor).order_by(TranscriptCursor.path)).all()
    return [CursorRecord(r.path, r.tool, _state(r), r.skipped, r.messages) for r in rows]


def totals_by_tool(session: Session) -> dict[str, tuple[int, int, int]]:
    """Per tool: files read, bytes read, messages read."""
    query = select(
        TranscriptCursor.tool,
        func.count(),
        func.coalesce(func.sum(TranscriptCursor.offset), 0),
        func.coalesce(func.sum(TranscriptCursor.messages), 0),
    ).group_by(TranscriptCursor.tool)
    return {tool: (files, size, messages) for tool, files, size, messages in session.execute(query)}
