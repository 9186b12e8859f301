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

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from memtui.core.models import MANUAL_TOOL, Action, Kind, Scope, Status, statement_key
from memtui.core.records import AddOutcome, AddResult, NewCandidate, NewEvidence
from memtui.extract.redact import redact
from memtui.extract.steering import merge_flags, steering_flags
from memtui.services.curate import MATCH_PREFERENCE, Tx, combine_confidence, rank, stored_text
from memtui.store.database import Database
from memtui.store.models import Event, Evidence, Memory, Revision, utcnow

_MEMORIES = cast(Table, Memory.__table__)
_EVIDENCE = cast(Table, Evidence.__table__)
INSERT_MEMORY = insert(_MEMORIES).returning(_MEMORIES.c.id)
INSERT_EVIDENCE = insert(_EVIDENCE).returning(_EVIDENCE.c.id)
"""Built once: a Core insert with RETURNING, run once per new memory (its id is needed
before the batch ends) and per merged sighting."""
KEYS_PER_QUERY = 500
"""Statement keys per IN (...) list: well below SQLite's limit on bound parameters."""

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
        keys = sorted({statement_key(c.text) for c in candidates})
        known, recorded = self._prefetch(keys)
        batch = _Batch(self.tx, utcnow())
        results = []
        for candidate in candidates:
            key = statement_key(candidate.text)
            evidence = candidate.evidence
            tracked = evidence.tool != MANUAL_TOOL and evidence.path is not None
            place = (
                key,
                *place_of(
                    evidence.tool, evidence.path, evidence.line, evidence.index, evidence.message_id
                ),
            )
            if tracked and place in recorded:
                results.append(AddResult(recorded[place], AddOutcome.ALREADY_SEEN))
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
                recorded[place] = memory.id
            results.append(AddResult(memory.id, outcome))
        batch.write()
        return results

    def _prefetch(
        self, keys: Sequence[str]
    ) -> tuple[defaultdict[str, dict[int, _Known]], dict[Place, int]]:
        """Every memory holding one of the statements, and every place each was seen."""
        known: defaultdict[str, dict[int, _Known]] = defaultdict(dict)
        recorded: dict[Place, int] = {}
        for start in range(0, len(keys), KEYS_PER_QUERY):
            chunk = keys[start : start + KEYS_PER_QUERY]
            memories = self.session.execute(
                select(
                    Revision.key,
                    Memory.id,
                    Memory.text,
                    Memory.kind,
                    Memory.status,
                    Memory.scope,
                    Memory.project_id,
                    Memory.confidence,
                    Memory.locked,
                    Memory.revision,
                    Memory.flags,
                )
                .join(Memory, Memory.id == Revision.memory_id)
                .where(Revision.key.in_(chunk))
            )
            for key, *fields in memories:
                known[key][fields[0]] = _Known(*fields)
            places = self.session.execute(
                select(
                    Revision.key,
                    Evidence.memory_id,
                    Evidence.tool,
                    Evidence.path,
                    Evidence.line,
                    Evidence.msg_index,
                    Evidence.message_id,
                )
                .join(Revision, Revision.memory_id == Evidence.memory_id)
                .where(Revision.key.in_(chunk))
            )
            for key, memory_id, tool, path, line, index, message_id in places:
                found = (key, *place_of(tool, path, line, index, message_id))
                recorded[found] = max(memory_id, recorded.get(found, 0))
        return known, recorded


class _Batch:
    """The rows a batch writes: memories and merge evidence at once (their ids are needed),
    the rest together at the end."""

    def __init__(self, tx: Tx, now: datetime) -> None:
        self.tx = tx
        self.now = now
        self.revisions: list[dict[str, Any]] = []
        self.evidence: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.changed: dict[int, _Known] = {}
        """Memories a sighting was merged into: their confidence (and flags) to write."""

    def create(self, candidate: NewCandidate, key: str, project_id: int | None) -> _Known:
        text = stored_text(candidate.text)
        flags = merge_flags(steering_flags(text), steering_flags(candidate.evidence.quote))
        values: dict[str, Any] = {
            "kind": candidate.kind,
            "text": text,
            "status": Status.PENDING,
            "scope": candidate.scope,
            "project_id": project_id,
            "confidence": candidate.confidence,
            "locked": False,
            "revision": 1,
            "created_at": self.now,
            "updated_at": self.now,
            "flags": flags or None,
        }
        memory_id = self.tx.session.connection().execute(INSERT_MEMORY, values).scalar_one()
        memory = _Known(
            memory_id,
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
        self.revisions.append(
            {
                "memory_id": memory_id,
                "number": 1,
                "text": text,
                "key": key,
                "kind": candidate.kind,
                "scope": candidate.scope,
                "project_id": project_id,
                "created_at": self.now,
            }
        )
        self.evidence.append(self._evidence(memory_id, candidate.evidence))
        self._event(memory, Action.CREATED, None, {})
        return memory

    def merge(self, memory: _Known, candidate: NewCandidate) -> _Known:
        before = self.tx.snapshot(memory)
        row = self._evidence(memory.id, candidate.evidence)
        evidence_id = self.tx.session.connection().execute(INSERT_EVIDENCE, row).scalar_one()
        memory.confidence = combine_confidence(memory.confidence, candidate.confidence)
        memory.flags = merge_flags(memory.flags, steering_flags(candidate.evidence.quote)) or None
        self.changed[memory.id] = memory
        self._event(memory, Action.MERGED, before, {"evidence": [evidence_id]})
        return memory

    def _evidence(self, memory_id: int, evidence: NewEvidence) -> dict[str, Any]:
        return {
            "memory_id": memory_id,
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
        self,
        memory: _Known,
        action: Action,
        before: dict[str, Any] | None,
        added: dict[str, list[int]],
    ) -> None:
        after = self.tx.snapshot(memory)
        if added:
            after["added"] = added
        self.events.append(
            {
                "operation_id": self.tx.operation.id,
                "memory_id": memory.id,
                "action": action,
                "before": before,
                "after": after,
                "created_at": self.now,
            }
        )

    def write(self) -> None:
        """Write what was gathered."""
        session = self.tx.session
        if self.revisions:
            session.execute(insert(Revision), self.revisions)
        if self.evidence:
            session.execute(insert(Evidence), self.evidence)
        if self.events:
            session.execute(insert(Event), self.events)
        if self.changed:
            session.execute(
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


@contextmanager
def proposing(db: Database, *, actor: str = "ingest") -> Iterator[Proposer]:
    """One transaction for a batch of candidates; committed when the block ends."""
    with db.write() as session:
        yield Proposer(session, actor)
