"""Proposing candidates in bulk: a transcript's new statements stored in a few statements.

The rules are the curation core's (curate.rank, combine_confidence, the place of a sighting);
only the way to the database differs. For a batch, two queries fetch every memory that holds
one of the batch's statements and every place those were already seen; the decisions are taken
in memory; the rows are written with Core inserts. Ingest reads hundreds of megabytes this way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select, update
from sqlalchemy.orm import Session

from memtui.core.models import MANUAL_TOOL, Action, Kind, Scope, Status, statement_key
from memtui.core.records import AddOutcome, AddResult, NewCandidate, NewEvidence
from memtui.extract.redact import redact
from memtui.extract.steering import merge_flags, steering_flags
from memtui.services.curate import MATCH_PREFERENCE, Tx, combine_confidence, rank, stored_text
from memtui.store.bulk import insert_rows
from memtui.store.database import Database
from memtui.store.models import Event, Evidence, Memory, Revision, utcnow

_MEMORIES = cast(Table, Memory.__table__)
_EVIDENCE = cast(Table, Evidence.__table__)
_REVISIONS = cast(Table, Revision.__table__)
_EVENTS = cast(Table, Event.__table__)
INSERT_MEMORIES = insert(_MEMORIES).returning(_MEMORIES.c.id, sort_by_parameter_order=True)
INSERT_EVIDENCE = insert(_EVIDENCE).returning(_EVIDENCE.c.id, sort_by_parameter_order=True)
"""Built once: Core inserts run with every row of a batch at once, handing back the new ids in
the order of the rows (SQLAlchemy's "insertmanyvalues": a few multi-row INSERTs, not one
round trip per row, where the backend can tell which id is whose; on SQLite, one statement per
row: see `_insert_memories`)."""
_LAST_MEMORY = select(func.max(_MEMORIES.c.id))
_KNOWN = select(
    _REVISIONS.c.key,
    _MEMORIES.c.id,
    _MEMORIES.c.text,
    _MEMORIES.c.kind,
    _MEMORIES.c.status,
    _MEMORIES.c.scope,
    _MEMORIES.c.project_id,
    _MEMORIES.c.confidence,
    _MEMORIES.c.locked,
    _MEMORIES.c.revision,
    _MEMORIES.c.flags,
).join_from(_REVISIONS, _MEMORIES, _MEMORIES.c.id == _REVISIONS.c.memory_id)
"""The memories holding statements (add `.where` on the revisions' keys)."""
_PLACES = select(
    _REVISIONS.c.key,
    _EVIDENCE.c.memory_id,
    _EVIDENCE.c.tool,
    _EVIDENCE.c.path,
    _EVIDENCE.c.line,
    _EVIDENCE.c.msg_index,
    _EVIDENCE.c.message_id,
).join_from(_EVIDENCE, _REVISIONS, _REVISIONS.c.memory_id == _EVIDENCE.c.memory_id)
"""Where those statements were seen (add `.where` on the revisions' keys)."""
KEYS_PER_QUERY = 500
"""Statement keys per IN (...) list: well below SQLite's limit on bound parameters."""
UNWRITTEN = 1 << 62
"""Ids above this are the batch's own memories until they are written: higher than any stored
id, in the order they were created, so `rank` prefers them exactly as it would the real ids."""

Place = tuple[object, ...]


@dataclass(slots=True)
class _Known:
    """A memory that holds one of the batch's statements, as far as the batch needs it."""

    id: int
    text: str
    kind: Kind
    status: Status
    scope: Scope
    project_id: int | None
    confidence: float
    locked: bool
    revision: int
    flags: list[str] | None


def place_of(
    tool: str, path: str | None, line: int | None, index: int | None, message_id: str | None
) -> Place:
    """Where a sighting was made: the message id where the tool gives one (the same message
    read from another file, such as a Codex rollout compressed to `.zst`, is the same place),
    else the file and the line or index."""
    if message_id is not None:
        return tool, message_id
    return tool, path, line, index


class Proposer:
    """Candidates proposed inside one open transaction, as one operation of the event log."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.tx = Tx(session, "propose", actor, undoable=False)

    def add(self, candidate: NewCandidate) -> AddResult:
        """Propose one statement: a new pending memory, or one more sighting of a known one."""
        return self.add_many([candidate])[0]

    def add_many(self, candidates: Sequence[NewCandidate]) -> list[AddResult]:
        """Propose statements in order, each as `add` would, in a few statements."""
        if not candidates:
            return []
        statement_keys = [statement_key(c.text) for c in candidates]
        known, recorded = self._prefetch(sorted(set(statement_keys)))
        self.tx.know_projects({c.project for c in candidates if c.project is not None})
        batch = _Batch(self.tx, utcnow())
        decided: list[tuple[_Known | int, AddOutcome]] = []
        for candidate, key in zip(candidates, statement_keys, strict=True):
            evidence = candidate.evidence
            tracked = evidence.tool != MANUAL_TOOL and evidence.path is not None
            place = (
                key,
                *place_of(
                    evidence.tool, evidence.path, evidence.line, evidence.index, evidence.message_id
                ),
            )
            if tracked and place in recorded:
                decided.append((recorded[place], AddOutcome.ALREADY_SEEN))
                continue
            project_id = self.tx.project_id(candidate.project)
            same = min(
                (
                    m
                    for m in known[key].values()
                    if m.status in MATCH_PREFERENCE
                    and (m.scope == Scope.GLOBAL or (project_id and m.project_id == project_id))
                ),
                key=rank,
                default=None,
            )
            if same is None:
                memory = batch.create(candidate, key, project_id)
                known[key][memory.id] = memory
                outcome = AddOutcome.CREATED
            else:
                memory = batch.merge(same, candidate)
                rejected = memory.status == Status.REJECTED
                outcome = AddOutcome.SUPPRESSED if rejected else AddOutcome.MERGED
            if tracked:
                recorded[place] = memory
            decided.append((memory, outcome))
        batch.write()
        return [
            AddResult(memory.id if isinstance(memory, _Known) else memory, outcome)
            for memory, outcome in decided
        ]

    def _prefetch(
        self, keys: Sequence[str]
    ) -> tuple[defaultdict[str, dict[int, _Known]], dict[Place, _Known | int]]:
        """Every memory holding one of the statements, and every place each was seen."""
        known: defaultdict[str, dict[int, _Known]] = defaultdict(dict)
        recorded: dict[Place, int] = {}
        connection = self.session.connection()  # Core queries: no ORM step for plain rows
        for start in range(0, len(keys), KEYS_PER_QUERY):
            chunk = keys[start : start + KEYS_PER_QUERY]
            memories = connection.execute(_KNOWN.where(_REVISIONS.c.key.in_(chunk)))
            for key, *fields in memories:
                known[key][fields[0]] = _Known(*fields)
            held = [key for key in chunk if key in known]
            if not held:
                continue  # a statement no memory holds was seen nowhere yet
            places = connection.execute(_PLACES.where(_REVISIONS.c.key.in_(held)))
            for key, memory_id, tool, path, line, index, message_id in places:
                found = (key, *place_of(tool, path, line, index, message_id))
                recorded[found] = max(memory_id, recorded.get(found, 0))
        return known, dict[Place, _Known | int](recorded)


class _Batch:
    """The rows a batch writes, gathered in memory and written together at the end: the new
    memories (in their final state) first, as their ids are needed by every other row."""

    def __init__(self, tx: Tx, now: datetime) -> None:
        self.tx = tx
        self.now = now
        self.created: list[tuple[_Known, str]] = []
        """New memories, with their statement key."""
        self.evidence: list[tuple[_Known, dict[str, Any]]] = []
        self.events: list[tuple[_Known, dict[str, Any], bool]] = []
        """Each event's memory, its row, and whether it names the evidence row it added (the
        one at its own position: every create and every merge adds one event and one row)."""
        self.changed: dict[int, _Known] = {}
        """Stored memories a sighting was merged into: their confidence (and flags) to write."""

    def create(self, candidate: NewCandidate, key: str, project_id: int | None) -> _Known:
        text = stored_text(candidate.text)
        flags = merge_flags(steering_flags(text), steering_flags(candidate.evidence.quote))
        memory = _Known(
            UNWRITTEN + len(self.created),
            text,
            candidate.kind,
            Status.PENDING,
            candidate.scope,
            project_id,
            candidate.confidence,
            False,
            1,
            flags or None,
        )
        self.created.append((memory, key))
        self.evidence.append((memory, self._evidence(candidate.evidence)))
        self._event(memory, Action.CREATED, None, adds=False)
        return memory

    def merge(self, memory: _Known, candidate: NewCandidate) -> _Known:
        before = self.tx.snapshot(memory)
        self.evidence.append((memory, self._evidence(candidate.evidence)))
        memory.confidence = combine_confidence(memory.confidence, candidate.confidence)
        memory.flags = merge_flags(memory.flags, steering_flags(candidate.evidence.quote)) or None
        if memory.id < UNWRITTEN:
            self.changed[memory.id] = memory
        self._event(memory, Action.MERGED, before, adds=True)
        return memory

    def _evidence(self, evidence: NewEvidence) -> dict[str, Any]:
        return {
            "tool": evidence.tool,
            "path": evidence.path,
            "line": evidence.line,
            "msg_index": evidence.index,
            "message_id": evidence.message_id,
            "session_id": evidence.session_id,
            "timestamp": evidence.timestamp,
            "quote": redact(evidence.quote).text,
            "rule": evidence.rule,
            "confidence": evidence.confidence,
            "redactions": evidence.redactions,
            "created_at": self.now,
        }

    def _event(
        self, memory: _Known, action: Action, before: dict[str, Any] | None, *, adds: bool
    ) -> None:
        row = {
            "action": action,
            "before": before,
            "after": self.tx.snapshot(memory),
            "created_at": self.now,
        }
        self.events.append((memory, row, adds))

    def write(self) -> None:
        """Write what was gathered: the new memories, then the rows that point at them."""
        connection = self.tx.session.connection()
        if self.created:
            rows = [self._memory_row(memory) for memory, _ in self.created]
            ids = _insert_memories(connection, rows)
            for (memory, _), memory_id in zip(self.created, ids, strict=True):
                memory.id = memory_id
            insert_rows(
                connection,
                _REVISIONS,
                [
                    {
                        "memory_id": memory.id,
                        "number": 1,
                        "text": memory.text,
                        "key": key,
                        "kind": memory.kind,
                        "scope": memory.scope,
                        "project_id": memory.project_id,
                        "created_at": self.now,
                    }
                    for memory, key in self.created
                ],
            )
        # Only a merge's event names its evidence row: only those rows need their ids back
        # (which SQLite hands back one statement per row), the others go in one executemany.
        first: list[dict[str, Any]] = []
        merged: list[dict[str, Any]] = []
        for (memory, row), (_, _, adds) in zip(self.evidence, self.events, strict=True):
            (merged if adds else first).append({"memory_id": memory.id, **row})
        insert_rows(connection, _EVIDENCE, first)
        merged_ids = iter(
            connection.execute(INSERT_EVIDENCE, merged).scalars().all() if merged else []
        )
        if self.events:
            operation_id = self.tx.operation.id
            rows = []
            for memory, row, adds in self.events:
                if adds:
                    row["after"]["added"] = {"evidence": [next(merged_ids)]}
                rows.append({"operation_id": operation_id, "memory_id": memory.id, **row})
            insert_rows(connection, _EVENTS, rows)
        if self.changed:
            self.tx.session.execute(
                update(Memory),
                [
                    {
                        "id": m.id,
                        "confidence": m.confidence,
                        "flags": m.flags,
                        "updated_at": self.now,
                    }
                    for m in self.changed.values()
                ],
            )

    def _memory_row(self, memory: _Known) -> dict[str, Any]:
        """A new memory as it stands at the end of the batch (merges into it included)."""
        return {
            "kind": memory.kind,
            "text": memory.text,
            "status": memory.status,
            "scope": memory.scope,
            "project_id": memory.project_id,
            "confidence": memory.confidence,
            "locked": memory.locked,
            "revision": memory.revision,
            "created_at": self.now,
            "updated_at": self.now,
            "flags": memory.flags,
        }


def _insert_memories(connection: Connection, rows: list[dict[str, Any]]) -> Sequence[int]:
    """Insert new memories; their ids in the order of the rows.

    SQLite cannot say which row of a multi-row INSERT ... RETURNING got which id, so
    SQLAlchemy would send one statement per row (a third of a scan's storing). But in SQLite
    the batch holds the database's only write lock (`Database.write` begins IMMEDIATE) and an
    AUTOINCREMENT key grows with each row inserted: the rows above the largest id before the
    insert are the batch's, in its order. Other backends get the RETURNING insert.
    """
    if connection.dialect.name != "sqlite":
        return connection.execute(INSERT_MEMORIES, rows).scalars().all()
    before = connection.execute(_LAST_MEMORY).scalar_one_or_none() or 0
    insert_rows(connection, _MEMORIES, rows)
    ids = (
        connection.execute(
            select(_MEMORIES.c.id).where(_MEMORIES.c.id > before).order_by(_MEMORIES.c.id)
        )
        .scalars()
        .all()
    )
    if len(ids) != len(rows):
        raise RuntimeError(f"{len(ids)} new memories found after inserting {len(rows)}")
    return ids


@contextmanager
def proposing(db: Database, *, actor: str = "ingest") -> Iterator[Proposer]:
    """One transaction for a batch of candidates; committed when the block ends."""
    with db.write() as session:
        yield Proposer(session, actor)
