"""Curation: every change to a memory goes through here, in one transaction per action, and is
written to the event log with the memory's state before and after.

An action is an Operation row; the changes it makes to each memory are its Events. Undo takes
the newest operation a person made that is not undone yet and replays its events backwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from memtui.core.errors import (
    FlaggedError,
    InvalidInputError,
    InvalidStateError,
    LockedError,
    NotFoundError,
    NothingToUndoError,
)
from memtui.core.models import (
    MANUAL_TOOL,
    Action,
    Kind,
    Scope,
    Status,
    clean_text,
    statement_key,
)
from memtui.core.records import (
    AddOutcome,
    AddResult,
    InboxRow,
    JSONDict,
    MemoryDetail,
    MemoryRecord,
    NewCandidate,
    NewEvidence,
    UndoResult,
)
from memtui.extract.redact import redact
from memtui.extract.steering import merge_flags, steering_flags
from memtui.store import queries
from memtui.store.database import Database
from memtui.store.models import (
    Event,
    Evidence,
    Memory,
    Operation,
    Project,
    Revision,
    Supersession,
    utcnow,
)

USER = "user"
"""The actor of everything a person does through the CLI or the app."""

LIVE = (Status.PENDING, Status.CONFIRMED)
MATCH_PREFERENCE = {Status.CONFIRMED: 0, Status.PENDING: 1, Status.REJECTED: 2}
"""Which memory a repeated statement joins: a belief first, then a candidate, then a rejection.
A superseded or deprecated statement said again is proposed afresh."""

MAX_CONFIDENCE = 0.99


@dataclass(frozen=True, slots=True)
class ScopeChange:
    """A requested scope: global, or a project (its root path; None keeps the memory's own)."""

    scope: Scope
    project: str | None = None


class MemoryState(Protocol):
    """What the event log records of a memory (an ORM row, or the bulk proposer's view)."""

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


def stored_text(text: str) -> str:
    """A statement as it may be stored: trimmed, not empty, its secrets redacted."""
    return redact(clean_text(text)).text


def rank(memory: MemoryState) -> tuple[int, bool, int]:
    """Which of the memories holding a statement it joins: the lowest rank."""
    return MATCH_PREFERENCE[memory.status], memory.scope != Scope.PROJECT, memory.id


def combine_confidence(current: float, new: float) -> float:
    """Confidence after one more independent sighting (noisy-or), below certainty."""
    if current >= 1.0:
        return current
    return min(MAX_CONFIDENCE, round(1 - (1 - current) * (1 - new), 4))


class Tx:
    """One action in progress: its session, its Operation row, and the events it writes.

    The Operation row is written with the first event, so an action that changes nothing
    (a sighting already recorded) leaves no trace.
    """

    def __init__(self, session: Session, command: str, actor: str, *, undoable: bool) -> None:
        self.session = session
        self.command = command
        self.actor = actor
        self.undoable = undoable
        self._operation: Operation | None = None
        self._roots: dict[int, str] = {}
        """Project roots by id, as far as this action has met them."""

    @property
    def operation(self) -> Operation:
        """The Operation row of this action, written on first use."""
        if self._operation is None:
            self._operation = Operation(
                command=self.command, actor=self.actor, undoable=self.undoable
            )
            self.session.add(self._operation)
            self.session.flush()
        return self._operation

    def project_id(self, root: str | None) -> int | None:
        """The id of the project with this root path, created on first use."""
        if root is None:
            return None
        for known_id, known_root in self._roots.items():
            if known_root == root:
                return known_id
        found = self.session.scalar(select(Project.id).where(Project.root == root))
        if found is None:
            project = Project(root=root)
            self.session.add(project)
            self.session.flush()
            found = project.id
        self._roots[found] = root
        return found

    def know_projects(self, roots: Iterable[str]) -> None:
        """Look up the ids of the projects with these roots at once (those that exist), so
        that `project_id` finds them without a query each."""
        wanted = sorted(set(roots) - set(self._roots.values()))
        for start in range(0, len(wanted), 500):
            found = self.session.execute(
                select(Project.id, Project.root).where(
                    Project.root.in_(wanted[start : start + 500])
                )
            )
            self._roots.update((project_id, root) for project_id, root in found)

    def project_root(self, project_id: int | None) -> str | None:
        """The root path of a project id."""
        if project_id is None:
            return None
        if project_id not in self._roots:
            root = queries.project_root(self.session, project_id)
            if root is None:
                return None
            self._roots[project_id] = root
        return self._roots[project_id]

    def memory(self, memory_id: int) -> Memory:
        """The memory row, or NotFoundError."""
        memory = self.session.get(Memory, memory_id)
        if memory is None:
            raise NotFoundError(f"no memory with id {memory_id}")
        return memory

    def snapshot(self, memory: MemoryState) -> JSONDict:
        """The memory's state as the event log records it."""
        return {
            "text": memory.text,
            "kind": memory.kind.value,
            "status": memory.status.value,
            "scope": memory.scope.value,
            "project": self.project_root(memory.project_id),
            "project_id": memory.project_id,
            "confidence": memory.confidence,
            "locked": memory.locked,
            "revision": memory.revision,
            "flags": list(memory.flags or []),
        }

    def log(
        self,
        memory: Memory,
        action: Action,
        before: JSONDict | None,
        *,
        added: dict[str, list[int]] | None = None,
    ) -> None:
        """Append an event: `before` as given, `after` taken now, plus rows the action added."""
        after = self.snapshot(memory)
        if added:
            after["added"] = added
        self.session.add(
            Event(
                operation_id=self.operation.id,
                memory_id=memory.id,
                action=action,
                before=before,
                after=after,
            )
        )

    def add_evidence(self, memory: Memory, evidence: NewEvidence) -> int:
        """Attach an evidence row to a memory; return its id."""
        row = self._evidence(memory, evidence)
        self.session.flush()
        return row.id

    def _evidence(self, memory: Memory, evidence: NewEvidence) -> Evidence:
        row = Evidence(
            memory_id=memory.id,
            tool=evidence.tool,
            path=evidence.path,
            line=evidence.line,
            msg_index=evidence.index,
            message_id=evidence.message_id,
            session_id=evidence.session_id,
            timestamp=evidence.timestamp,
            quote=redact(evidence.quote).text,
            rule=evidence.rule,
            confidence=evidence.confidence,
            redactions=evidence.redactions,
        )
        self.session.add(row)
        return row

    def add_revision(self, memory: Memory) -> int:
        """Record the memory's current text, kind and scope as its next revision; its id."""
        row = self._revision(memory)
        self.session.flush()
        return row.id

    def _revision(self, memory: Memory) -> Revision:
        # memory.revision is always the number of its latest revision (undo puts both back).
        memory.revision += 1
        row = Revision(
            memory_id=memory.id,
            number=memory.revision,
            text=memory.text,
            key=statement_key(memory.text),
            kind=memory.kind,
            scope=memory.scope,
            project_id=memory.project_id,
        )
        self.session.add(row)
        return row

    def create(
        self,
        text: str,
        kind: Kind,
        status: Status,
        scope: Scope,
        project: str | None,
        confidence: float,
        evidence: NewEvidence,
    ) -> Memory:
        """A new memory with its first revision and evidence, logged as created."""
        memory = Memory(
            kind=kind,
            text=stored_text(text),
            status=status,
            scope=scope,
            project_id=self.project_id(project),
            confidence=confidence,
            locked=False,
            revision=0,
            flags=merge_flags(steering_flags(text), steering_flags(evidence.quote)) or None,
        )
        self.session.add(memory)
        self.session.flush()
        self._revision(memory)
        self._evidence(memory, evidence)
        self.log(memory, Action.CREATED, None)
        return memory

    def find_same(self, text: str, project: str | None) -> Memory | None:
        """The memory that already holds this statement, in any of its revisions, if any.

        It must apply where the statement was made: globally, or in the same project.
        """
        project_id = self.project_id(project)
        in_scope = Memory.scope == Scope.GLOBAL
        if project_id is not None:
            in_scope = in_scope | (Memory.project_id == project_id)
        matches = self.session.scalars(
            select(Memory)
            .join(Revision, Revision.memory_id == Memory.id)
            .where(Revision.key == statement_key(text), in_scope)
            .where(Memory.status.in_(list(MATCH_PREFERENCE)))
            .distinct()
        ).all()
        return min(matches, key=rank, default=None)

    def revise(
        self,
        memory: Memory,
        *,
        text: str | None,
        kind: Kind | None,
        scope: ScopeChange | None,
    ) -> dict[str, list[int]]:
        """Apply changes of text, kind or scope as a new revision; return the rows added."""
        changed = False
        if text is not None and stored_text(text) != memory.text:
            memory.text = stored_text(text)
            # The person wrote this text: its own signs are what remain to be seen.
            memory.flags = list(steering_flags(memory.text)) or None
            changed = True
        if kind is not None and kind != memory.kind:
            memory.kind = kind
            changed = True
        if scope is not None:
            project_id = memory.project_id
            if scope.project is not None:
                project_id = self.project_id(scope.project)
            if scope.scope == Scope.PROJECT and project_id is None:
                raise InvalidInputError(
                    f"memory #{memory.id} has no project: give the project's path as its scope"
                )
            if (scope.scope, project_id) != (memory.scope, memory.project_id):
                memory.scope, memory.project_id = scope.scope, project_id
                changed = True
        if not changed:
            return {}
        memory.updated_at = utcnow()
        return {"revisions": [self.add_revision(memory)]}


def _require(memory: Memory, *allowed: Status, doing: str) -> None:
    """Refuse an action on a memory in a status it does not apply to."""
    if memory.status not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise InvalidStateError(
            f"cannot {doing} #{memory.id}: it is {memory.status.value}, not {names}"
        )


def _require_seen(memory: Memory, accept_flags: bool, doing: str) -> None:
    """Refuse to make a flagged candidate a belief unless the person accepted its flags."""
    if memory.flags and not accept_flags:
        raise FlaggedError(
            f"cannot {doing} #{memory.id}: it is flagged ({', '.join(memory.flags)}); read it "
            f"with `memtui show {memory.id}`, then {doing} it with --accept-flags"
        )


def _require_unlocked(memory: Memory, doing: str) -> None:
    if memory.locked:
        raise LockedError(
            f"cannot {doing} #{memory.id}: it is locked (run `memtui unlock {memory.id}` first)"
        )


def add_candidate(db: Database, candidate: NewCandidate, *, actor: str = "ingest") -> AddResult:
    """Propose one statement: a new pending memory, or one more sighting of a known one."""
    from memtui.services.propose import proposing

    with proposing(db, actor=actor) as proposer:
        return proposer.add(candidate)


def add_belief(
    db: Database,
    text: str,
    kind: Kind,
    scope: ScopeChange,
    *,
    actor: str = USER,
    evidence: NewEvidence | None = None,
    command: str = "add",
) -> tuple[MemoryRecord, AddOutcome]:
    """A belief a person states directly: confirmed, with evidence of tool `manual` (or the
    `evidence` given, such as the line of a rules file it was imported from).

    If the statement is already a memory it is not duplicated: the evidence joins it and
    a candidate (or a rejection) of the same statement becomes confirmed.
    """
    redacted = redact(clean_text(text))
    text = redacted.text
    if scope.scope == Scope.PROJECT and scope.project is None:
        raise InvalidInputError("a project-scoped belief needs the project's path")
    if evidence is None:
        evidence = NewEvidence(tool=MANUAL_TOOL, quote=text, timestamp=utcnow())
    evidence = replace(evidence, confidence=1.0, redactions=redacted.count)
    with db.write() as session:
        tx = Tx(session, command, actor, undoable=True)
        same = tx.find_same(text, scope.project)
        if same is None:
            memory = tx.create(
                text, kind, Status.CONFIRMED, scope.scope, scope.project, 1.0, evidence
            )
            outcome = AddOutcome.CREATED
        else:
            memory = same
            before = tx.snapshot(memory)
            added = {"evidence": [tx.add_evidence(memory, evidence)]}
            memory.confidence = 1.0
            memory.updated_at = utcnow()
            action = Action.MERGED
            if memory.status != Status.CONFIRMED:
                # The person states it now: their kind and scope win over the proposal's.
                added |= tx.revise(memory, text=None, kind=kind, scope=scope)
                memory.status = Status.CONFIRMED
                action = Action.CONFIRMED
            tx.log(memory, action, before, added=added)
            outcome = AddOutcome.MERGED
        session.flush()
        return queries.get_memory(session, memory.id), outcome


def confirm(
    db: Database,
    memory_id: int,
    *,
    text: str | None = None,
    kind: Kind | None = None,
    scope: ScopeChange | None = None,
    accept_flags: bool = False,
    actor: str = USER,
) -> MemoryRecord:
    """Make a candidate (or a rejected statement, on second thought) a belief, optionally edited.

    A flagged candidate (its text tries to steer an agent) is confirmed only with
    `accept_flags`, which the person gives after seeing the flags.
    """
    with db.write() as session:
        tx = Tx(session, "confirm", actor, undoable=True)
        memory = tx.memory(memory_id)
        _require(memory, Status.PENDING, Status.REJECTED, doing="confirm")
        before = tx.snapshot(memory)
        added = tx.revise(memory, text=text, kind=kind, scope=scope)
        _require_seen(memory, accept_flags, "confirm")
        memory.status = Status.CONFIRMED
        memory.updated_at = utcnow()
        tx.log(memory, Action.CONFIRMED, before, added=added)
        session.flush()
        return queries.get_memory(session, memory_id)


def _apply(
    db: Database,
    memory_id: int,
    *,
    command: str,
    action: Action,
    allowed: Status,
    change: Callable[[Memory], None],
    actor: str,
) -> MemoryRecord:
    """An action on one memory in status `allowed` that `change` makes in place."""
    with db.write() as session:
        tx = Tx(session, command, actor, undoable=True)
        memory = tx.memory(memory_id)
        _require(memory, allowed, doing=command)
        before = tx.snapshot(memory)
        change(memory)
        memory.updated_at = utcnow()
        tx.log(memory, action, before)
        session.flush()
        return queries.get_memory(session, memory_id)


def _transition(
    db: Database,
    memory_id: int,
    command: str,
    action: Action,
    source: Status,
    target: Status,
    actor: str,
) -> MemoryRecord:
    """Move an unlocked memory from status `source` to `target`."""

    def change(memory: Memory) -> None:
        _require_unlocked(memory, command)
        memory.status = target

    return _apply(
        db, memory_id, command=command, action=action, allowed=source, change=change, actor=actor
    )


def _set_lock(db: Database, memory_id: int, locked: bool, actor: str) -> MemoryRecord:
    """Lock or unlock a belief."""

    def change(memory: Memory) -> None:
        if memory.locked == locked:
            raise InvalidStateError(
                f"#{memory_id} is already {'locked' if locked else 'not locked'}"
            )
        memory.locked = locked

    command, action = ("lock", Action.LOCKED) if locked else ("unlock", Action.UNLOCKED)
    return _apply(
        db,
        memory_id,
        command=command,
        action=action,
        allowed=Status.CONFIRMED,
        change=change,
        actor=actor,
    )


def reject(db: Database, memory_id: int, *, actor: str = USER) -> MemoryRecord:
    """Turn a candidate down. It is remembered, so the same statement is not proposed again."""
    return _transition(
        db, memory_id, "reject", Action.REJECTED, Status.PENDING, Status.REJECTED, actor
    )


def deprecate(db: Database, memory_id: int, *, actor: str = USER) -> MemoryRecord:
    """Retire a belief that no longer holds, with nothing to replace it."""
    return _transition(
        db, memory_id, "deprecate", Action.DEPRECATED, Status.CONFIRMED, Status.DEPRECATED, actor
    )


def lock(db: Database, memory_id: int, *, actor: str = USER) -> MemoryRecord:
    """Pin a belief: nothing supersedes, edits or retires it until it is unlocked."""
    return _set_lock(db, memory_id, True, actor)


def unlock(db: Database, memory_id: int, *, actor: str = USER) -> MemoryRecord:
    """Release a pinned belief."""
    return _set_lock(db, memory_id, False, actor)


def edit(
    db: Database,
    memory_id: int,
    *,
    text: str | None = None,
    kind: Kind | None = None,
    scope: ScopeChange | None = None,
    actor: str = USER,
) -> MemoryRecord:
    """Change a candidate's or a belief's text, kind or scope, as a new revision."""
    with db.write() as session:
        tx = Tx(session, "edit", actor, undoable=True)
        memory = tx.memory(memory_id)
        _require(memory, *LIVE, doing="edit")
        _require_unlocked(memory, "edit")
        before = tx.snapshot(memory)
        added = tx.revise(memory, text=text, kind=kind, scope=scope)
        if not added:
            raise InvalidInputError(f"nothing to change: #{memory_id} already reads so")
        tx.log(memory, Action.EDITED, before, added=added)
        session.flush()
        return queries.get_memory(session, memory_id)


def supersede(
    db: Database,
    old_id: int,
    *,
    new_id: int | None = None,
    text: str | None = None,
    kind: Kind | None = None,
    accept_flags: bool = False,
    actor: str = USER,
) -> MemoryRecord:
    """Replace the belief `old_id` by a candidate or belief `new_id`, or by new `text`.

    The replacement becomes (or stays) confirmed; the old belief becomes superseded, keeps its
    history and points at its successor. Returns the replacement.
    """
    if (new_id is None) == (text is None):
        raise InvalidInputError("supersede needs either the id of the replacement or its text")
    with db.write() as session:
        tx = Tx(session, "supersede", actor, undoable=True)
        old = tx.memory(old_id)
        _require(old, Status.CONFIRMED, doing="supersede")
        _require_unlocked(old, "supersede")
        if new_id is None:
            assert text is not None
            redacted = redact(clean_text(text))
            evidence = NewEvidence(
                tool=MANUAL_TOOL,
                quote=redacted.text,
                timestamp=utcnow(),
                redactions=redacted.count,
            )
            project = queries.project_root(session, old.project_id)
            same = tx.find_same(text, project)
            if same is None:
                new = tx.create(
                    text, kind or old.kind, Status.CONFIRMED, old.scope, project, 1.0, evidence
                )
            elif same.id == old.id:
                raise InvalidInputError(f"that text is the same statement as #{old.id}")
            else:  # the statement is known already: it becomes the replacement, not a twin
                new = _promote(tx, same, kind, evidence)
        else:
            if new_id == old_id:
                raise InvalidInputError("a memory cannot supersede itself")
            new = tx.memory(new_id)
            _require(new, *LIVE, doing="use as a replacement")
            _require_seen(new, accept_flags, "use as a replacement")
            new = _promote(tx, new, kind, None)
        old_before = tx.snapshot(old)
        link = Supersession(old_id=old.id, new_id=new.id)
        session.add(link)
        session.flush()
        old.status = Status.SUPERSEDED
        old.updated_at = utcnow()
        tx.log(old, Action.SUPERSEDED, old_before, added={"supersessions": [link.id]})
        session.flush()
        return queries.get_memory(session, new.id)


def merge(db: Database, candidate_id: int, into_id: int, *, actor: str = USER) -> MemoryRecord:
    """Fold a candidate into a belief that already says the same thing in other words.

    The candidate's sightings become evidence of the belief (its seen-count and confidence
    rise) and the candidate is retired, superseded by the belief, so its lineage shows where
    it went. Returns the belief.
    """
    if candidate_id == into_id:
        raise InvalidInputError("a memory cannot be merged into itself")
    with db.write() as session:
        tx = Tx(session, "merge", actor, undoable=True)
        candidate = tx.memory(candidate_id)
        _require(candidate, Status.PENDING, doing="merge")
        target = tx.memory(into_id)
        _require(target, Status.CONFIRMED, doing="merge into")
        sightings = session.scalars(
            select(Evidence).where(Evidence.memory_id == candidate.id).order_by(Evidence.id)
        ).all()
        target_before = tx.snapshot(target)
        added = []
        for row in sightings:
            added.append(
                tx.add_evidence(
                    target,
                    NewEvidence(
                        tool=row.tool,
                        path=row.path,
                        line=row.line,
                        index=row.msg_index,
                        message_id=row.message_id,
                        session_id=row.session_id,
                        timestamp=row.timestamp,
                        quote=row.quote,
                        rule=row.rule,
                        confidence=row.confidence,
                        redactions=row.redactions,
                    ),
                )
            )
            target.confidence = combine_confidence(target.confidence, row.confidence)
        target.updated_at = utcnow()
        tx.log(target, Action.MERGED, target_before, added={"evidence": added})
        candidate_before = tx.snapshot(candidate)
        link = Supersession(old_id=candidate.id, new_id=target.id)
        session.add(link)
        session.flush()
        candidate.status = Status.SUPERSEDED
        candidate.updated_at = utcnow()
        tx.log(candidate, Action.SUPERSEDED, candidate_before, added={"supersessions": [link.id]})
        session.flush()
        return queries.get_memory(session, target.id)


def _promote(tx: Tx, memory: Memory, kind: Kind | None, evidence: NewEvidence | None) -> Memory:
    """Make a memory a confirmed belief, as a replacement, with the kind and evidence given."""
    before = tx.snapshot(memory)
    added = {"evidence": [tx.add_evidence(memory, evidence)]} if evidence is not None else {}
    added |= tx.revise(memory, text=None, kind=kind, scope=None)
    if memory.status != Status.CONFIRMED:
        action = Action.CONFIRMED
    elif "revisions" in added:
        action = Action.EDITED
    elif added:
        action = Action.MERGED
    else:
        return memory
    memory.status = Status.CONFIRMED
    memory.updated_at = utcnow()
    tx.log(memory, action, before, added=added)
    return memory


_ENUM_FIELDS: dict[str, type[Kind] | type[Status] | type[Scope]] = {
    "kind": Kind,
    "status": Status,
    "scope": Scope,
}
RESTORABLE = (
    "text",
    "kind",
    "status",
    "scope",
    "project_id",
    "confidence",
    "locked",
    "revision",
    "flags",
)
_ADDED_ROWS: dict[str, type[Evidence] | type[Revision] | type[Supersession]] = {
    "evidence": Evidence,
    "revisions": Revision,
    "supersessions": Supersession,
}


def undo(db: Database, *, actor: str = USER) -> UndoResult:
    """Revert the newest action a person took that is not undone yet.

    Only the fields that action changed are put back, so what happened since (new evidence
    from the watcher, say) is kept. Rows the action added are removed; a memory it created is
    removed with them. The undo itself is logged.
    """
    with db.write() as session:
        undone = select(Operation.undoes_id).where(Operation.undoes_id.is_not(None))
        target = session.scalars(
            select(Operation)
            .where(Operation.undoable, Operation.id.not_in(undone))
            .order_by(Operation.id.desc())
            .limit(1)
        ).first()
        if target is None:
            raise NothingToUndoError("nothing to undo")
        tx = Tx(session, "undo", actor, undoable=False)
        touched = revert_operation(tx, target)
        return UndoResult(target.id, target.command, touched)


def revert_operation(tx: Tx, target: Operation) -> tuple[int, ...]:
    """Replay an operation's events backwards within `tx`, and record that `tx` undid it.

    Only the fields each event changed are put back; rows it added are removed, and a memory
    it created is removed with them. Returns the memories touched. Undo and revert share it.
    """
    session = tx.session
    tx.operation.undoes_id = target.id
    events = session.scalars(
        select(Event).where(Event.operation_id == target.id).order_by(Event.id.desc())
    ).all()
    touched: list[int] = []
    for event in events:
        assert event.memory_id is not None
        memory = session.get(Memory, event.memory_id)
        if memory is None:
            continue
        touched.append(memory.id)
        before = tx.snapshot(memory)
        if event.action == Action.CREATED:
            session.add(
                Event(
                    operation_id=tx.operation.id,
                    memory_id=memory.id,
                    action=Action.UNDONE,
                    before=before,
                    after=None,
                )
            )
            session.delete(memory)
            session.flush()
            continue
        _restore(session, memory, event.before or {}, event.after or {})
        tx.log(memory, Action.UNDONE, before)
    return tuple(dict.fromkeys(reversed(touched)))


def changed_fields(before: JSONDict | None, after: JSONDict | None) -> set[str]:
    """The fields of a memory an event changed (all of them for a creation or a removal)."""
    if before is None or after is None:
        return set(RESTORABLE)
    return {f for f in RESTORABLE if f in before and before[f] != after.get(f)}


def _restore(session: Session, memory: Memory, before: JSONDict, after: JSONDict) -> None:
    """Put back the fields an event changed and remove the rows it added."""
    for name, rows in after.get("added", {}).items():
        model = _ADDED_ROWS[name]
        for row_id in rows:
            row = session.get(model, row_id)
            if row is not None:
                session.delete(row)
    session.flush()
    for field in RESTORABLE:
        if field in before and before[field] != after.get(field):
            value = before[field]
            setattr(memory, field, _ENUM_FIELDS[field](value) if field in _ENUM_FIELDS else value)
    memory.updated_at = utcnow()


def inbox(db: Database, *, project: str | None = None) -> list[MemoryRecord]:
    """Pending candidates, newest first."""
    with db.read() as session:
        return queries.list_memories(session, statuses=[Status.PENDING], project=project)


def inbox_rows(db: Database, *, statuses: Sequence[Status] = (Status.PENDING,)) -> list[InboxRow]:
    """The review list: memories in these statuses (pending ones by default), summed up,
    the most recently seen first."""
    with db.read() as session:
        return queries.inbox_rows(session, statuses=statuses)


def inbox_row(db: Database, memory_id: int) -> InboxRow | None:
    """One memory as a review-list line (None if it no longer exists)."""
    with db.read() as session:
        found = queries.inbox_rows(session, statuses=list(Status), ids=[memory_id])
    return found[0] if found else None


def beliefs(
    db: Database, *, statuses: Sequence[Status] = (Status.CONFIRMED,), project: str | None = None
) -> list[MemoryRecord]:
    """Memories in the given statuses (confirmed beliefs by default), newest first.

    With a project: what applies there, its own memories and the global ones.
    """
    with db.read() as session:
        return queries.list_memories(session, statuses=statuses, project=project, with_global=True)


def show(db: Database, memory_id: int, *, relations: bool = True) -> MemoryDetail:
    """One memory with its evidence, revisions, lineage, events, and the confirmed beliefs it
    may duplicate or replace (left out with `relations=False`: scoring them against every
    belief holds the GIL for a while at 100,000 beliefs)."""
    from memtui.services.relate import related  # rapidfuzz: only when a memory is shown

    with db.read() as session:
        detail = queries.memory_detail(session, memory_id)
        if not relations:
            return detail
        row = session.get(Memory, memory_id)
        assert row is not None
        similar, may_replace = related(session, row.id, row.text, row.scope, row.project_id)
    return replace(detail, similar=tuple(similar), may_replace=tuple(may_replace))


def status_counts(db: Database) -> dict[Status, int]:
    """How many memories are in each status."""
    with db.read() as session:
        return queries.count_by_status(session)
