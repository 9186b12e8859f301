"""Read queries over the store. Each takes a Session and returns records from core.records.

Listings use Core selects rather than ORM objects: a list of 100,000 memories with their
evidence is three queries and no per-row object construction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session

from memtui.core.bulk import gc_paused
from memtui.core.errors import NotFoundError
from memtui.core.models import Scope, Status
from memtui.core.records import (
    EventRecord,
    EvidenceRecord,
    InboxRow,
    MemoryDetail,
    MemoryRecord,
    RevisionRecord,
)
from memtui.store.fastread import inbox_row, inbox_sql
from memtui.store.models import Event, Evidence, Memory, Operation, Project, Revision, Supersession

M = Memory.__table__.c
P = Project.__table__.c
E = Evidence.__table__.c
S = Supersession.__table__.c

_MEMORY_COLUMNS = (
    M.id, M.kind, M.text, M.status, M.scope, P.root,
    M.confidence, M.locked, M.created_at, M.updated_at, M.flags,
)  # fmt: skip
_EVIDENCE_COLUMNS = (
    E.memory_id, E.id, E.tool, E.path, E.line, E.msg_index, E.message_id,
    E.session_id, E.timestamp, E.quote, E.rule, E.confidence, E.created_at, E.redactions,
)  # fmt: skip


def _filters(
    statuses: Collection[Status] | None,
    project: str | None,
    ids: Collection[int] | None,
    with_global: bool,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if statuses:
        conditions.append(M.status.in_(list(statuses)))
    if project is not None:
        in_project = P.root == project
        conditions.append(in_project | (M.scope == Scope.GLOBAL) if with_global else in_project)
    if ids is not None:
        conditions.append(M.id.in_(list(ids)))
    return conditions


def list_memories(
    session: Session,
    *,
    statuses: Collection[Status] | None = None,
    project: str | None = None,
    ids: Collection[int] | None = None,
    with_global: bool = False,
) -> list[MemoryRecord]:
    """Memories matching every given filter, newest first, each with evidence and links.

    `project` selects the memories of that project; `with_global` adds the global ones, so
    the result is what applies in the project.
    """
    where = _filters(statuses, project, ids, with_global)
    with gc_paused():
        return _load_memories(session, where, narrow_links=ids is not None)


def inbox_rows(
    session: Session,
    *,
    statuses: Collection[Status] = (Status.PENDING,),
    ids: Collection[int] | None = None,
) -> list[InboxRow]:
    """Memories in these statuses, newest sighting first, as one aggregate query (the SQL the
    app's first frame also runs without SQLAlchemy: store/fastread.py)."""
    with gc_paused():
        return [inbox_row(raw) for raw in session.execute(text(inbox_sql(statuses, ids)))]


def _load_memories(
    session: Session, where: list[ColumnElement[bool]], *, narrow_links: bool
) -> list[MemoryRecord]:
    """Run the listing's queries and build its records."""
    joined = Memory.__table__.outerjoin(Project.__table__)
    memories: Select[Any] = (
        select(*_MEMORY_COLUMNS)
        .select_from(joined)
        .where(*where)
        .order_by(M.created_at.desc(), M.id.desc())
    )
    rows = session.execute(memories).all()

    evidence: defaultdict[int, list[EvidenceRecord]] = defaultdict(list)
    # No ORDER BY: sorting 100,000s of rows costs SQLite a temporary B-tree; the few rows of
    # each memory are put in order below instead.
    evidence_query = select(*_EVIDENCE_COLUMNS).select_from(Evidence.__table__.join(joined))
    for memory_id, *fields in session.execute(evidence_query.where(*where)).all():
        evidence[memory_id].append(EvidenceRecord(*fields))
    for found in evidence.values():
        if len(found) > 1:
            found.sort(key=lambda e: e.id)

    supersedes, superseded_by = _links(session, where if narrow_links else None)
    return [
        MemoryRecord(
            id=row.id,
            kind=row.kind,
            text=row.text,
            status=row.status,
            scope=row.scope,
            project=row.root,
            confidence=row.confidence,
            locked=row.locked,
            created_at=row.created_at,
            updated_at=row.updated_at,
            evidence=tuple(evidence.get(row.id, ())),
            supersedes=tuple(supersedes.get(row.id, ())),
            superseded_by=superseded_by.get(row.id),
            flags=tuple(row.flags or ()),
        )
        for row in rows
    ]


def _links(
    session: Session, where: list[ColumnElement[bool]] | None
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Supersession links, all of them or those touching the memories selected by `where`."""
    query = select(S.old_id, S.new_id).order_by(S.id)
    if where is not None:
        touching = select(M.id).select_from(Memory.__table__.outerjoin(Project.__table__))
        touching = touching.where(*where)
        query = query.where(S.old_id.in_(touching) | S.new_id.in_(touching))
    supersedes: defaultdict[int, list[int]] = defaultdict(list)
    superseded_by: dict[int, int] = {}
    for old_id, new_id in session.execute(query):
        supersedes[new_id].append(old_id)
        superseded_by[old_id] = new_id
    return supersedes, superseded_by


def get_memory(session: Session, memory_id: int) -> MemoryRecord:
    """One memory, or NotFoundError."""
    found = list_memories(session, ids=[memory_id])
    if not found:
        raise NotFoundError(f"no memory with id {memory_id}")
    return found[0]


def project_root(session: Session, project_id: int | None) -> str | None:
    """The root path of a project id."""
    if project_id is None:
        return None
    return session.scalar(select(P.root).where(P.id == project_id))


def revisions(session: Session, memory_id: int) -> list[RevisionRecord]:
    """Every version of a memory's statement, oldest first."""
    query = (
        select(
            Revision.number,
            Revision.text,
            Revision.kind,
            Revision.scope,
            P.root,
            Revision.created_at,
        )
        .select_from(Revision)
        .outerjoin(Project.__table__, P.id == Revision.project_id)
        .where(Revision.memory_id == memory_id)
        .order_by(Revision.number)
    )
    return [RevisionRecord(*row) for row in session.execute(query)]


def events(session: Session, memory_ids: Iterable[int]) -> list[EventRecord]:
    """The event log entries of the given memories, oldest first."""
    query = (
        select(
            Event.id,
            Event.operation_id,
            Event.memory_id,
            Event.action,
            Operation.actor,
            Operation.command,
            Event.before,
            Event.after,
            Event.created_at,
        )
        .join(Operation, Operation.id == Event.operation_id)
        .where(Event.memory_id.in_(list(memory_ids)))
        .order_by(Event.id)
    )
    return [EventRecord(*row) for row in session.execute(query)]


def lineage_ids(session: Session, memory_id: int) -> list[int]:
    """Every memory joined to this one by supersession, in either direction, with itself."""
    seen = {memory_id}
    frontier = [memory_id]
    while frontier:
        linked = session.execute(
            select(S.old_id, S.new_id).where(S.old_id.in_(frontier) | S.new_id.in_(frontier))
        ).all()
        frontier = [i for pair in linked for i in pair if i not in seen]
        seen.update(frontier)
    return sorted(seen)


def memory_detail(session: Session, memory_id: int) -> MemoryDetail:
    """A memory with its revisions, the supersession chain it is part of, and its events."""
    memory = get_memory(session, memory_id)
    chain = list_memories(session, ids=lineage_ids(session, memory_id))
    chain.sort(key=lambda m: (m.created_at, m.id))
    return MemoryDetail(
        memory=memory,
        revisions=tuple(revisions(session, memory_id)),
        events=tuple(events(session, [memory_id])),
        lineage=tuple(chain) if len(chain) > 1 else (),
    )


def count_by_status(session: Session) -> dict[Status, int]:
    """How many memories are in each status."""
    counts = dict.fromkeys(Status, 0)
    for status, count in session.execute(select(M.status, func.count()).group_by(M.status)):
        counts[status] = count
    return counts
