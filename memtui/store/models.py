"""The SQLAlchemy 2 typed models of the store. The schema itself comes only from migrations/."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from memtui.core.models import Action, Kind, Scope, Status

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


_FROZEN: ContextVar[datetime | None] = ContextVar("memtui_frozen_time", default=None)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (the time set by `frozen_time`, inside one)."""
    fixed = _FROZEN.get()
    return fixed if fixed is not None else datetime.now(UTC)


@contextmanager
def frozen_time(moment: datetime) -> Iterator[None]:
    """Make every row written in this context (and thread) carry `moment` as its time.

    For replays that must come out the same on every run, at the times they stand for: the
    demo builds its store as if its sessions had been read and triaged over the last days.
    """
    if moment.tzinfo is None:
        raise ValueError("frozen_time needs a timezone-aware moment")
    token = _FROZEN.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _FROZEN.reset(token)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back timezone-aware, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("memtui stores timezone-aware timestamps only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def _enum(enum: type[Any], name: str) -> Enum:
    """A portable enum column: a VARCHAR with a named CHECK constraint, storing the values."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Declarative base with named constraints (Alembic's batch mode needs the names)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        Kind: _enum(Kind, "kind"),
        Status: _enum(Status, "status"),
        Scope: _enum(Scope, "scope"),
        Action: _enum(Action, "action"),
        dict[str, Any]: JSON(),
    }


class Project(Base):
    """A project, identified by its root path (the git top level of a session's directory)."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    root: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Memory(Base):
    """One memory, whatever its stage: candidate, belief, or former belief."""

    __tablename__ = "memories"
    __table_args__ = (
        Index("ix_memories_status_created", "status", "created_at"),
        # Ids are never reused, so the event log's memory ids stay unambiguous after an undo.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind]
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[Status]
    scope: Mapped[Scope]
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), index=True
    )
    confidence: Mapped[float] = mapped_column(Float)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    """Number of the current revision in memory_revisions."""
    flags: Mapped[list[str] | None] = mapped_column(JSON)
    """Signs that the text tries to steer an agent (extract.steering); None when there are
    none. A flagged candidate is confirmed only once the person has seen its flags."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Revision(Base):
    """A version of a memory's statement. The memory row mirrors its latest revision."""

    __tablename__ = "memory_revisions"
    __table_args__ = (UniqueConstraint("memory_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    memory_id: Mapped[int] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text, index=True)
    """statement_key(text): how the same statement is recognised in any of its wordings."""
    kind: Mapped[Kind]
    scope: Mapped[Scope]
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evidence(Base):
    """One place in one transcript (or a manual entry) where a statement was seen."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    memory_id: Mapped[int] = mapped_column(
        ForeignKey("memories.id", ondelete="CASCADE"), index=True
    )
    tool: Mapped[str] = mapped_column(String(32))
    path: Mapped[str | None] = mapped_column(Text)
    line: Mapped[int | None] = mapped_column(Integer)
    msg_index: Mapped[int | None] = mapped_column(Integer)
    message_id: Mapped[str | None] = mapped_column(String(200))
    session_id: Mapped[str | None] = mapped_column(String(200))
    timestamp: Mapped[datetime | None]
    quote: Mapped[str] = mapped_column(Text)
    rule: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    redactions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Secrets removed from what was kept of this sighting (the quote and the proposal)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Supersession(Base):
    """`new` replaced `old`. A memory has at most one successor."""

    __tablename__ = "supersessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_id: Mapped[int] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"), unique=True)
    new_id: Mapped[int] = mapped_column(ForeignKey("memories.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Operation(Base):
    """One action of a person or of memtui, grouping the events it caused. Never updated."""

    __tablename__ = "operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    command: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(32))
    undoable: Mapped[bool] = mapped_column(Boolean)
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """The append-only event log: what an operation did to one memory, before and after."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("operations.id"), index=True)
    # No foreign key: the log outlives a memory removed by undoing its creation.
    memory_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[Action]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranscriptCursor(Base):
    """How far one transcript file has been read, and what its head looked like then."""

    __tablename__ = "transcript_cursors"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    tool: Mapped[str] = mapped_column(String(32))
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    """Bytes consumed, up to the end of the last complete record."""
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    mtime_ns: Mapped[int] = mapped_column(BigInteger, default=0)
    head_hash: Mapped[str | None] = mapped_column(String(64))
    """Hash of the file's first bytes, to notice a file replaced or rewritten from the start."""
    position: Mapped[int] = mapped_column(Integer, default=0)
    """Messages read, for files rewritten whole and compared by position."""
    last_message_id: Mapped[str | None] = mapped_column(String(200))
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    """Malformed records skipped so far."""
    context: Mapped[dict[str, Any] | None]
    """What the file's parser carries from one read to the next (session id, directory ...)."""
    messages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Messages read from the file so far, of every author."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExportRecord(Base):
    """What memtui last wrote to one rules file, so drift is noticed and a write reverted."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text, index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="RESTRICT"))
    content_hash: Mapped[str] = mapped_column(String(64))
    """Hash of memtui's own region as written."""
    memory_ids: Mapped[list[int]] = mapped_column(JSON)
    previous_content: Mapped[str | None] = mapped_column(Text)
    """The whole file before the write; None when the file did not exist."""
    operation_id: Mapped[int | None] = mapped_column(ForeignKey("operations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_hash: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the whole file as written, to tell whether it changed since."""
    encoding: Mapped[str | None] = mapped_column(String(16))
    """How the file was encoded (`previous_content` is restored in it)."""
    reverted_at: Mapped[datetime | None]
    """When `memtui export --revert` put the file back; None while it stands."""
