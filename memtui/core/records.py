"""Plain, immutable values that cross layers. No ORM object ever leaves the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from memtui.core.models import Action, Kind, Scope, Status
from memtui.core.rows import InboxRow as InboxRow
from memtui.core.rows import IndexedMemory as IndexedMemory

JSONDict = dict[str, Any]


def iso(moment: datetime | None) -> str | None:
    """Format a timestamp for JSON output (ISO 8601, UTC offset included)."""
    return moment.isoformat() if moment is not None else None


@dataclass(frozen=True, slots=True)
class NewEvidence:
    """Where a statement was seen, as handed to the store by ingest, import or a person."""

    tool: str
    path: str | None = None
    line: int | None = None
    """1-based line on which the message starts, for line-oriented files."""
    index: int | None = None
    """0-based position of the message, for files holding a JSON array."""
    message_id: str | None = None
    session_id: str | None = None
    timestamp: datetime | None = None
    quote: str = ""
    rule: str | None = None
    confidence: float = 1.0
    redactions: int = 0
    """Secrets removed from the quote and the proposed text before they were stored."""


@dataclass(frozen=True, slots=True)
class NewCandidate:
    """A proposed memory with the evidence that produced it."""

    text: str
    kind: Kind
    evidence: NewEvidence
    scope: Scope = Scope.PROJECT
    project: str | None = None
    """Root path of the project it came from; None only for global statements."""
    confidence: float = 0.5


class AddOutcome(StrEnum):
    """What adding a candidate did."""

    CREATED = "created"
    """A new pending candidate."""
    MERGED = "merged"
    """The same statement was already a memory: one more evidence row on it."""
    SUPPRESSED = "suppressed"
    """The statement was rejected before; the evidence is kept, nothing is proposed."""
    ALREADY_SEEN = "already-seen"
    """This exact place in this exact file was recorded already: nothing changed."""


@dataclass(frozen=True, slots=True)
class AddResult:
    """The memory a candidate landed on, and how."""

    memory_id: int
    outcome: AddOutcome


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    """One place in one transcript (or a manual entry) where a statement was seen."""

    id: int
    tool: str
    path: str | None
    line: int | None
    index: int | None
    message_id: str | None
    session_id: str | None
    timestamp: datetime | None
    quote: str
    rule: str | None
    confidence: float
    created_at: datetime
    redactions: int = 0

    def to_json(self) -> JSONDict:
        """The evidence object of the command line's JSON output."""
        return {
            "tool": self.tool,
            "path": self.path,
            "line": self.line,
            "index": self.index,
            "message_id": self.message_id,
            "session_id": self.session_id,
            "timestamp": iso(self.timestamp),
            "quote": self.quote,
            "rule": self.rule,
            "confidence": self.confidence,
            "redactions": self.redactions,
        }


@dataclass(frozen=True, slots=True)
class MemoryRecord:
    """A memory at any stage, with its evidence and its supersession links."""

    id: int
    kind: Kind
    text: str
    status: Status
    scope: Scope
    project: str | None
    """Root path of the project the memory belongs to or came from."""
    confidence: float
    locked: bool
    created_at: datetime
    updated_at: datetime
    evidence: tuple[EvidenceRecord, ...] = ()
    supersedes: tuple[int, ...] = ()
    superseded_by: int | None = None
    flags: tuple[str, ...] = ()
    """Signs that the text tries to steer an agent (prompt injection, hidden text)."""

    @property
    def seen(self) -> int:
        """How many times the statement was seen: one per evidence row."""
        return len(self.evidence)

    @property
    def redactions(self) -> int:
        """Secrets removed from what was stored of this memory's sightings."""
        return sum(e.redactions for e in self.evidence)

    def to_json(self) -> JSONDict:
        """The memory object of the command line's JSON output."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "text": self.text,
            "status": self.status.value,
            "scope": self.scope.value,
            "project": self.project,
            "confidence": self.confidence,
            "locked": self.locked,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "seen": self.seen,
            "redactions": self.redactions,
            "flags": list(self.flags),
            "evidence": [e.to_json() for e in self.evidence],
            "supersedes": list(self.supersedes),
            "superseded_by": self.superseded_by,
        }


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    """One version of a memory's statement; edits add a revision, never overwrite one."""

    number: int
    text: str
    kind: Kind
    scope: Scope
    project: str | None
    created_at: datetime

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui show --json`."""
        return {
            "number": self.number,
            "text": self.text,
            "kind": self.kind.value,
            "scope": self.scope.value,
            "project": self.project,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One entry of the append-only event log."""

    id: int
    operation_id: int
    memory_id: int | None
    action: Action
    actor: str
    command: str
    before: JSONDict | None
    after: JSONDict | None
    created_at: datetime

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui show --json`."""
        return {
            "id": self.id,
            "operation": self.operation_id,
            "memory_id": self.memory_id,
            "action": self.action.value,
            "actor": self.actor,
            "command": self.command,
            "before": self.before,
            "after": self.after,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class RelatedBelief:
    """A belief a memory may duplicate or replace, and how strongly (0-100)."""

    id: int
    text: str
    score: float

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui show --json`."""
        return {"id": self.id, "text": self.text, "score": round(self.score, 1)}


@dataclass(frozen=True, slots=True)
class MemoryDetail:
    """Everything `memtui show` tells about one memory."""

    memory: MemoryRecord
    revisions: tuple[RevisionRecord, ...]
    events: tuple[EventRecord, ...]
    lineage: tuple[MemoryRecord, ...] = field(default=())
    """The whole supersession chain the memory is part of, oldest first."""
    similar: tuple[RelatedBelief, ...] = ()
    """Confirmed beliefs this memory nearly repeats."""
    may_replace: tuple[RelatedBelief, ...] = ()
    """Confirmed beliefs on the same subject that this memory turns around."""

    def to_json(self) -> JSONDict:
        """The memory object with its revisions, lineage and events."""
        data = self.memory.to_json()
        data["revisions"] = [r.to_json() for r in self.revisions]
        data["lineage"] = [
            {"id": m.id, "status": m.status.value, "text": m.text, "superseded_by": m.superseded_by}
            for m in self.lineage
        ]
        data["events"] = [e.to_json() for e in self.events]
        data["similar"] = [r.to_json() for r in self.similar]
        data["may_replace"] = [r.to_json() for r in self.may_replace]
        return data


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What `undo` reverted."""

    operation_id: int
    command: str
    memory_ids: tuple[int, ...]


class FileAction(StrEnum):
    """What an export does, or did, to one rules file."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    BLOCKED = "blocked"
    """Not written: broken markers, edits inside memtui's block, unreadable text."""


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One rules file in an export plan: what memtui would write there, and why not if not."""

    targets: tuple[str, ...]
    """The target names this physical file serves (two when, say, Gemini reads AGENTS.md)."""
    level: str
    """`project` or `user`."""
    path: str
    mode: str
    """`own` (memtui's own file) or `block` (a managed block in the person's file)."""
    action: FileAction
    reason: str | None
    """Why the file is blocked."""
    diff: str
    """Unified diff from the file on disk to what memtui would write ('' when unchanged)."""
    block: str
    """memtui's region as it would be written (LF line endings), for preview and clipboard."""
    memory_ids: tuple[int, ...]
    warnings: tuple[str, ...] = ()
    drift: bool = False
    """Someone edited inside memtui's block since it was written."""
    edited_lines: tuple[str, ...] = ()
    """Lines in the edited block that memtui did not write: what importing the edits adds."""
    new_content: str | None = None
    """The whole file as it would be written (None when blocked)."""
    encoding: str = "utf-8"
    current_sha: str | None = None
    """SHA-256 of the file's bytes when planned; None when it did not exist."""
    written: bool = False
    """Set in an applied plan: the file was written."""
    skipped: str | None = None
    """Why this file's targets get no memories here (their tool reads them elsewhere); the
    file then holds none, and an earlier export's memories are taken out of it."""

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui export --json`."""
        return {
            "skipped": self.skipped,
            "targets": list(self.targets),
            "level": self.level,
            "path": self.path,
            "mode": self.mode,
            "action": self.action.value,
            "reason": self.reason,
            "written": self.written,
            "drift": self.drift,
            "edited_lines": list(self.edited_lines),
            "memory_ids": list(self.memory_ids),
            "warnings": list(self.warnings),
            "diff": self.diff,
        }


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """Every file an export touches for one project (and the user-level files), in order."""

    project: str | None
    targets: tuple[str, ...]
    files: tuple[ExportFile, ...]
    notes: tuple[str, ...] = ()
    """Remarks on the whole export (a target with no user-level file, the targets' origin)."""

    @property
    def blocked(self) -> tuple[ExportFile, ...]:
        """The files that are (or would be) left unwritten."""
        return tuple(f for f in self.files if f.action == FileAction.BLOCKED)

    @property
    def changes(self) -> tuple[ExportFile, ...]:
        """The files that are (or would be) created or updated."""
        return tuple(f for f in self.files if f.action in (FileAction.CREATE, FileAction.UPDATE))

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui export --json`."""
        return {
            "project": self.project,
            "targets": list(self.targets),
            "notes": list(self.notes),
            "files": [f.to_json() for f in self.files],
        }


@dataclass(frozen=True, slots=True)
class RevertResult:
    """What reverting the last export of one file did."""

    path: str
    action: str
    """`restored` (the file as it was), `deleted` (memtui had created it), or `block-restored`
    (the person changed the file since: only memtui's region was put back)."""
    export_id: int

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui export --revert --json`."""
        return {"path": self.path, "action": self.action, "export": self.export_id}


class ImportOutcome(StrEnum):
    """What importing one instruction line does, or did."""

    CREATE = "create"
    """A new confirmed belief."""
    MERGE = "merge"
    """The statement is a memory already: it becomes (or stays) a confirmed belief."""
    CONFLICT = "conflict"
    """It contradicts what the person decided (a rejection, a belief it turns around): it goes
    to the inbox as a candidate instead of becoming a belief."""
    KNOWN = "known"
    """Imported from this very place before: nothing changes."""


@dataclass(frozen=True, slots=True)
class ImportLine:
    """One instruction line of a rules file, and what importing it does."""

    path: str
    line: int
    text: str
    kind: Kind
    scope: Scope
    project: str | None
    outcome: ImportOutcome
    memory_id: int | None
    """The memory it lands on (None in a dry run that would create one)."""
    reason: str | None = None

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui import --json`."""
        return {
            "path": self.path,
            "line": self.line,
            "text": self.text,
            "kind": self.kind.value,
            "scope": self.scope.value,
            "project": self.project,
            "outcome": self.outcome.value,
            "memory_id": self.memory_id,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What importing rules files did (or would do, in a dry run)."""

    lines: tuple[ImportLine, ...]
    problems: tuple[str, ...] = ()
    """Files that could not be read, one line each."""
    dry_run: bool = False

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui import --json`."""
        return {
            "dry_run": self.dry_run,
            "lines": [line.to_json() for line in self.lines],
            "problems": list(self.problems),
        }


@dataclass(frozen=True, slots=True)
class RulesFile:
    """An existing rules file of a known project that import can read."""

    path: str
    project: str | None
    """None for a user-level (global) file."""
    target: str
    instructions: int
    """How many instruction lines import would read from it."""

    def to_json(self) -> JSONDict:
        """JSON form."""
        return {
            "path": self.path,
            "project": self.project,
            "target": self.target,
            "instructions": self.instructions,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One memory found by a search, best first, with the characters of its text that matched."""

    memory: IndexedMemory
    score: float
    """How well the text matches the query, 0-100."""
    positions: tuple[int, ...]
    """Offsets into `memory.text` of the characters that matched, ascending, for highlighting."""

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui search --json`."""
        data = self.memory.to_json()
        data["score"] = round(self.score, 1)
        data["positions"] = list(self.positions)
        return data


@dataclass(frozen=True, slots=True)
class PastBelief:
    """A memory as it stood at some moment, rebuilt from the event log."""

    id: int
    text: str
    kind: Kind
    status: Status
    scope: Scope
    project: str | None
    locked: bool
    since: datetime
    """When the last change before that moment was made to it."""

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui history --as-of --json`."""
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind.value,
            "status": self.status.value,
            "scope": self.scope.value,
            "project": self.project,
            "locked": self.locked,
            "since": iso(self.since),
        }


@dataclass(frozen=True, slots=True)
class OperationReverted:
    """What `revert` put back: the operation reverted and the operation that did it."""

    operation_id: int
    """The operation reverted."""
    command: str
    memory_ids: tuple[int, ...]
    revert_operation_id: int
