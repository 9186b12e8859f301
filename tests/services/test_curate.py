"""The curation service against a real migrated SQLite file: every action, its event log, undo."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import func, select

from memtui.core.errors import (
    InvalidInputError,
    InvalidStateError,
    LockedError,
    NotFoundError,
    NothingToUndoError,
)
from memtui.core.models import MANUAL_TOOL, Action, Kind, Scope, Status
from memtui.core.records import AddOutcome, AddResult, MemoryRecord, NewCandidate, NewEvidence
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.store import Database
from memtui.store.models import (
    Base,
    Event,
    Evidence,
    Memory,
    Operation,
    Project,
    Revision,
    Supersession,
)

PROJECT_A = "/p/a"
PROJECT_B = "/p/b"
TOOL = "claude-code"

MEMORY_KEYS = {
    "id", "kind", "text", "status", "scope", "project", "confidence", "locked",
    "created_at", "updated_at", "seen", "redactions", "flags", "evidence", "supersedes",
    "superseded_by",
}  # fmt: skip
EVIDENCE_KEYS = {
    "tool", "path", "line", "index", "message_id", "session_id", "timestamp", "quote",
    "rule", "confidence", "redactions",
}  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------


def evidence(
    path: str | None = "/t/a.jsonl",
    line: int | None = 1,
    *,
    tool: str = TOOL,
    index: int | None = None,
    message_id: str | None = None,
    session_id: str | None = "s-1",
    quote: str = "",
    rule: str | None = "imperative",
    confidence: float = 0.5,
    timestamp: datetime | None = None,
) -> NewEvidence:
    return NewEvidence(
        tool=tool,
        path=path,
        line=line,
        index=index,
        message_id=message_id,
        session_id=session_id,
        timestamp=timestamp or datetime.now(UTC),
        quote=quote,
        rule=rule,
        confidence=confidence,
    )


def candidate(
    text: str,
    project: str | None = PROJECT_A,
    path: str | None = "/t/a.jsonl",
    line: int | None = 1,
    *,
    kind: Kind = Kind.RULE,
    scope: Scope = Scope.PROJECT,
    confidence: float = 0.5,
    index: int | None = None,
    message_id: str | None = None,
    tool: str = TOOL,
) -> NewCandidate:
    return NewCandidate(
        text=text,
        kind=kind,
        evidence=evidence(path, line, tool=tool, index=index, message_id=message_id, quote=text),
        scope=scope,
        project=project,
        confidence=confidence,
    )


def propose(db: Database, text: str, **kwargs: Any) -> int:
    """Add a candidate that must be new; return its id."""
    result = curate.add_candidate(db, candidate(text, **kwargs))
    assert result.outcome == AddOutcome.CREATED
    return result.memory_id


def believe(db: Database, text: str, **kwargs: Any) -> int:
    """A confirmed belief that came from a transcript; return its id."""
    memory_id = propose(db, text, **kwargs)
    curate.confirm(db, memory_id)
    return memory_id


def get(db: Database, memory_id: int) -> MemoryRecord:
    return curate.show(db, memory_id).memory


def actions(db: Database, memory_id: int) -> list[Action]:
    return [e.action for e in curate.show(db, memory_id).events]


def count(db: Database, model: type[Base], *where: Any) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def table_counts(db: Database) -> dict[str, int]:
    models: list[type[Base]] = [Memory, Revision, Evidence, Supersession, Operation, Event]
    return {model.__tablename__: count(db, model) for model in models}


def event_rows(db: Database) -> list[dict[str, Any]]:
    with db.read() as session:
        rows = session.scalars(select(Event).order_by(Event.id)).all()
        return [
            {
                "id": r.id,
                "operation_id": r.operation_id,
                "memory_id": r.memory_id,
                "action": r.action,
                "before": r.before,
                "after": r.after,
                "created_at": r.created_at,
            }
            for r in rows
        ]


def operation_rows(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        rows = session.scalars(select(Operation).order_by(Operation.id)).all()
        return [(r.id, r.command, r.actor, r.undoable, r.undoes_id, r.created_at) for r in rows]


def memory_row(db: Database, memory_id: int) -> dict[str, Any]:
    with db.read() as session:
        m = session.get(Memory, memory_id)
        assert m is not None
        return {
            "text": m.text,
            "kind": m.kind,
            "status": m.status,
            "scope": m.scope,
            "project_id": m.project_id,
            "confidence": m.confidence,
            "locked": m.locked,
            "revision": m.revision,
            "updated_at": m.updated_at,
        }


# --- add_candidate ---------------------------------------------------------------------------


def test_a_new_statement_becomes_a_pending_candidate_with_one_evidence_row(db: Database) -> None:
    moment = datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    new = NewCandidate(
        text="  Always run the linter before committing.  ",
        kind=Kind.PROCEDURE,
        evidence=evidence(
            "/t/s.jsonl", 12, message_id="m-1", quote="always run the linter", timestamp=moment
        ),
        project=PROJECT_A,
        confidence=0.6,
    )
    result = curate.add_candidate(db, new)

    assert result.outcome == AddOutcome.CREATED
    detail = curate.show(db, result.memory_id)
    memory = detail.memory
    assert memory.text == "Always run the linter before committing."
    assert memory.kind == Kind.PROCEDURE
    assert memory.status == Status.PENDING
    assert memory.scope == Scope.PROJECT
    assert memory.project == PROJECT_A
    assert memory.confidence == pytest.approx(0.6)
    assert memory.locked is False
    assert memory.seen == 1
    (ev,) = memory.evidence
    assert (ev.tool, ev.path, ev.line, ev.index, ev.message_id, ev.session_id) == (
        TOOL,
        "/t/s.jsonl",
        12,
        None,
        "m-1",
        "s-1",
    )
    assert ev.timestamp == moment
    assert ev.quote == "always run the linter"
    assert ev.rule == "imperative"
    assert [(r.number, r.text) for r in detail.revisions] == [
        (1, "Always run the linter before committing.")
    ]
    assert memory_row(db, memory.id)["revision"] == 1
    (event,) = detail.events
    assert event.action == Action.CREATED
    assert event.before is None
    assert event.after is not None
    assert event.after["status"] == "pending"
    assert event.command == "propose"
    assert event.actor == "ingest"
    assert [m.id for m in curate.inbox(db)] == [memory.id]
    assert table_counts(db) == {
        "memories": 1,
        "memory_revisions": 1,
        "evidence": 1,
        "supersessions": 0,
        "operations": 1,
        "events": 1,
    }


@pytest.mark.parametrize(
    ("original", "again"),
    [
        ("Use tabs for indentation in Makefiles.", "USE TABS FOR INDENTATION IN MAKEFILES"),
        ("Use tabs for indentation in Makefiles.", "  use   tabs for\tindentation\nin makefiles "),
        ("Use tabs for indentation in Makefiles.", "Use tabs for indentation in Makefiles!!!"),
        ("Don\u2019t call the branch \u201cmaster\u201d.", 'don\'t call the branch "master"'),
    ],
    ids=["case", "whitespace", "punctuation", "curly-quotes"],
)
def test_the_same_statement_from_another_file_is_one_more_sighting(
    db: Database, original: str, again: str
) -> None:
    memory_id = propose(db, original, path="/t/a.jsonl", line=3)

    result = curate.add_candidate(db, candidate(again, path="/t/b.jsonl", line=3))

    assert result == AddResult(memory_id, AddOutcome.MERGED)
    memory = get(db, memory_id)
    assert memory.text == original
    assert memory.status == Status.PENDING
    assert memory.seen == 2
    assert [e.path for e in memory.evidence] == ["/t/a.jsonl", "/t/b.jsonl"]
    assert memory.confidence == pytest.approx(0.75)
    assert actions(db, memory_id) == [Action.CREATED, Action.MERGED]
    assert count(db, Memory) == 1
    assert count(db, Revision) == 1  # a sighting is not a revision
    assert len(curate.inbox(db)) == 1


def test_confidence_rises_by_noisy_or_and_stays_below_certainty(db: Database) -> None:
    memory_id = propose(db, "Prefer pathlib over os.path", confidence=0.5)
    expected = [0.75, 0.875, 0.9375]
    for line, want in enumerate(expected, start=2):
        curate.add_candidate(db, candidate("prefer pathlib over os.path", line=line))
        assert get(db, memory_id).confidence == pytest.approx(want)

    strong = propose(db, "Never force-push to main", confidence=0.9)
    curate.add_candidate(db, candidate("never force-push to main", line=2, confidence=0.9))
    assert get(db, strong).confidence == pytest.approx(0.99)
    curate.add_candidate(db, candidate("never force-push to main", line=3, confidence=0.9))
    memory = get(db, strong)
    assert memory.confidence == pytest.approx(0.99)  # 0.999 capped
    assert memory.seen == 3
    assert curate.combine_confidence(0.98, 0.99) == 0.99


def test_the_exact_same_place_again_is_already_seen_and_adds_nothing(db: Database) -> None:
    first = candidate("Keep commits small", path="/t/a.jsonl", line=7, index=None, message_id="x")
    memory_id = curate.add_candidate(db, first).memory_id
    before = memory_row(db, memory_id)
    counts = table_counts(db)
    events = event_rows(db)

    again = candidate("keep commits small.", path="/t/a.jsonl", line=7, message_id="x")
    result = curate.add_candidate(db, again)

    assert result == AddResult(memory_id, AddOutcome.ALREADY_SEEN)
    assert memory_row(db, memory_id) == before
    after = table_counts(db)
    for table in ("memories", "memory_revisions", "evidence", "supersessions", "events"):
        assert after[table] == counts[table], table
    assert event_rows(db) == events
    assert get(db, memory_id).seen == 1


@pytest.mark.parametrize(
    "other",
    [
        {"line": 8},
        {"path": "/t/other.jsonl"},
        {"message_id": "y"},
        {"index": 0},
        {"tool": "codex"},
    ],
    ids=["line", "path", "message-id", "index", "tool"],
)
def test_another_place_in_any_locator_is_a_new_sighting(
    db: Database, other: dict[str, Any]
) -> None:
    place: dict[str, Any] = {"path": "/t/a.jsonl", "line": 7}
    memory_id = propose(db, "Keep commits small", **place)
    result = curate.add_candidate(db, candidate("Keep commits small", **{**place, **other}))
    assert result == AddResult(memory_id, AddOutcome.MERGED)
    assert get(db, memory_id).seen == 2


def test_the_same_message_read_from_another_file_is_the_same_sighting(db: Database) -> None:
    # Codex compresses a week-old rollout.jsonl to rollout.jsonl.zst: same messages, new path.
    place: dict[str, Any] = {"path": "/t/rollout.jsonl", "line": 7, "message_id": "s1#L7"}
    memory_id = propose(db, "Keep commits small", **place)
    moved = {**place, "path": "/t/rollout.jsonl.zst"}
    result = curate.add_candidate(db, candidate("Keep commits small", **moved))
    assert result == AddResult(memory_id, AddOutcome.ALREADY_SEEN)
    assert get(db, memory_id).seen == 1


def test_a_rejected_statement_said_again_is_suppressed_but_its_evidence_kept(
    db: Database,
) -> None:
    memory_id = propose(db, "Use emojis in commit messages")
    curate.reject(db, memory_id)

    result = curate.add_candidate(
        db, candidate("use emojis in commit messages!", path="/t/b.jsonl", line=2)
    )

    assert result == AddResult(memory_id, AddOutcome.SUPPRESSED)
    memory = get(db, memory_id)
    assert memory.status == Status.REJECTED
    assert memory.seen == 2
    assert curate.inbox(db) == []
    assert count(db, Memory) == 1
    assert actions(db, memory_id) == [Action.CREATED, Action.REJECTED, Action.MERGED]


def test_a_superseded_statement_said_again_is_proposed_afresh(db: Database) -> None:
    old = believe(db, "Target Python 3.10")
    new = curate.supersede(db, old, text="Target Python 3.11").id

    result = curate.add_candidate(db, candidate("target python 3.10", path="/t/c.jsonl"))

    assert result.outcome == AddOutcome.CREATED
    assert result.memory_id not in (old, new)
    fresh = get(db, result.memory_id)
    assert fresh.status == Status.PENDING
    assert fresh.seen == 1
    assert get(db, old).seen == 1
    assert get(db, old).status == Status.SUPERSEDED
    assert [m.id for m in curate.inbox(db)] == [result.memory_id]


def test_a_deprecated_statement_said_again_is_proposed_afresh(db: Database) -> None:
    old = believe(db, "Deploy on Fridays")
    curate.deprecate(db, old)
    result = curate.add_candidate(db, candidate("Deploy on Fridays", line=9))
    assert result.outcome == AddOutcome.CREATED
    assert result.memory_id != old


@pytest.mark.parametrize("retired", [Status.SUPERSEDED, Status.DEPRECATED])
def test_rereading_the_place_of_a_retired_statement_proposes_nothing(
    db: Database, retired: Status
) -> None:
    """A file read again from its start (rotation, truncation) must not revive old beliefs."""
    old = believe(db, "Target Python 3.10", path="/t/a.jsonl", line=4)
    if retired == Status.SUPERSEDED:
        curate.supersede(db, old, text="Target Python 3.11")
    else:
        curate.deprecate(db, old)
    counts = table_counts(db)

    result = curate.add_candidate(db, candidate("Target Python 3.10", path="/t/a.jsonl", line=4))

    assert result == AddResult(old, AddOutcome.ALREADY_SEEN)
    assert curate.inbox(db) == []
    for table in ("memories", "memory_revisions", "evidence", "events"):
        assert table_counts(db)[table] == counts[table], table
    assert get(db, old).status == retired


def test_rereading_an_old_place_does_not_feed_the_fresh_candidate(db: Database) -> None:
    old = believe(db, "Target Python 3.10", path="/t/a.jsonl", line=4)
    curate.deprecate(db, old)
    fresh = curate.add_candidate(db, candidate("Target Python 3.10", path="/t/b.jsonl")).memory_id
    assert fresh != old

    result = curate.add_candidate(db, candidate("Target Python 3.10", path="/t/a.jsonl", line=4))

    assert result.outcome == AddOutcome.ALREADY_SEEN
    assert get(db, fresh).seen == 1
    assert get(db, old).seen == 1


def test_a_project_memory_does_not_absorb_the_statement_from_another_project(
    db: Database,
) -> None:
    in_a = propose(db, "Run make check before pushing", project=PROJECT_A)

    result = curate.add_candidate(
        db, candidate("Run make check before pushing", project=PROJECT_B, path="/t/b.jsonl")
    )

    assert result.outcome == AddOutcome.CREATED
    assert result.memory_id != in_a
    assert get(db, in_a).seen == 1
    assert get(db, result.memory_id).project == PROJECT_B
    assert [m.id for m in curate.inbox(db, project=PROJECT_A)] == [in_a]
    assert [m.id for m in curate.inbox(db, project=PROJECT_B)] == [result.memory_id]


def test_a_global_memory_absorbs_the_statement_from_any_project(db: Database) -> None:
    glob = propose(db, "Answer in English", project=PROJECT_A, scope=Scope.GLOBAL)
    assert get(db, glob).scope == Scope.GLOBAL

    result = curate.add_candidate(
        db, candidate("answer in english", project=PROJECT_B, path="/t/b.jsonl")
    )

    assert result == AddResult(glob, AddOutcome.MERGED)
    assert get(db, glob).seen == 2
    assert count(db, Memory) == 1


def test_a_global_belief_absorbs_the_statement_from_any_project(db: Database) -> None:
    belief, _ = curate.add_belief(db, "Write docstrings", Kind.RULE, ScopeChange(Scope.GLOBAL))
    assert belief.project is None

    result = curate.add_candidate(db, candidate("write docstrings", project=PROJECT_B))

    assert result == AddResult(belief.id, AddOutcome.MERGED)
    memory = get(db, belief.id)
    assert memory.status == Status.CONFIRMED
    assert [e.tool for e in memory.evidence] == [MANUAL_TOOL, TOOL]


# --- confirm ---------------------------------------------------------------------------------


def test_confirm_makes_a_candidate_a_belief(db: Database) -> None:
    memory_id = propose(db, "Use uv to manage environments")

    confirmed = curate.confirm(db, memory_id)

    assert confirmed.status == Status.CONFIRMED
    assert confirmed.text == "Use uv to manage environments"
    assert curate.inbox(db) == []
    assert [m.id for m in curate.beliefs(db)] == [memory_id]
    detail = curate.show(db, memory_id)
    assert len(detail.revisions) == 1  # no edit, no new revision
    event = detail.events[-1]
    assert event.action == Action.CONFIRMED
    assert event.command == "confirm"
    assert event.actor == curate.USER
    assert event.before is not None
    assert event.after is not None
    assert (event.before["status"], event.after["status"]) == ("pending", "confirmed")
    assert "added" not in event.after


def test_confirm_with_edits_writes_a_new_revision(db: Database) -> None:
    memory_id = propose(db, "use black", kind=Kind.PREFERENCE)

    confirmed = curate.confirm(
        db,
        memory_id,
        text="Format code with ruff format",
        kind=Kind.RULE,
        scope=ScopeChange(Scope.GLOBAL),
    )

    assert confirmed.status == Status.CONFIRMED
    assert confirmed.text == "Format code with ruff format"
    assert confirmed.kind == Kind.RULE
    assert confirmed.scope == Scope.GLOBAL
    assert confirmed.project == PROJECT_A  # the project it came from is kept
    detail = curate.show(db, memory_id)
    assert [(r.number, r.text, r.kind, r.scope) for r in detail.revisions] == [
        (1, "use black", Kind.PREFERENCE, Scope.PROJECT),
        (2, "Format code with ruff format", Kind.RULE, Scope.GLOBAL),
    ]
    assert memory_row(db, memory_id)["revision"] == 2
    event = detail.events[-1]
    assert event.action == Action.CONFIRMED
    assert event.before is not None
    assert event.after is not None
    assert {k: event.before[k] for k in ("text", "kind", "scope", "status", "revision")} == {
        "text": "use black",
        "kind": "preference",
        "scope": "project",
        "status": "pending",
        "revision": 1,
    }
    assert {k: event.after[k] for k in ("text", "kind", "scope", "status", "revision")} == {
        "text": "Format code with ruff format",
        "kind": "rule",
        "scope": "global",
        "status": "confirmed",
        "revision": 2,
    }
    assert len(event.after["added"]["revisions"]) == 1


def test_confirm_can_move_a_memory_to_another_project(db: Database) -> None:
    memory_id = propose(db, "Pin dependencies", project=PROJECT_A)
    confirmed = curate.confirm(db, memory_id, scope=ScopeChange(Scope.PROJECT, PROJECT_B))
    assert (confirmed.scope, confirmed.project) == (Scope.PROJECT, PROJECT_B)
    assert [m.id for m in curate.beliefs(db, project=PROJECT_B)] == [memory_id]
    assert curate.beliefs(db, project=PROJECT_A) == []


def test_confirm_takes_back_a_rejection(db: Database) -> None:
    memory_id = propose(db, "Squash merge pull requests")
    curate.reject(db, memory_id)
    assert curate.confirm(db, memory_id).status == Status.CONFIRMED


@pytest.mark.parametrize("status", [Status.CONFIRMED, Status.SUPERSEDED, Status.DEPRECATED])
def test_confirm_refuses_a_memory_that_is_not_a_candidate(db: Database, status: Status) -> None:
    memory_id = believe(db, "Use type hints everywhere")
    if status == Status.SUPERSEDED:
        curate.supersede(db, memory_id, text="Use type hints in public code")
    elif status == Status.DEPRECATED:
        curate.deprecate(db, memory_id)
    counts = table_counts(db)

    with pytest.raises(InvalidStateError, match=f"it is {status.value}"):
        curate.confirm(db, memory_id, text="something else")

    assert get(db, memory_id).status == status
    assert table_counts(db) == counts


@pytest.mark.parametrize(
    "call",
    [
        lambda db: curate.confirm(db, 999),
        lambda db: curate.reject(db, 999),
        lambda db: curate.edit(db, 999, text="x"),
        lambda db: curate.deprecate(db, 999),
        lambda db: curate.lock(db, 999),
        lambda db: curate.unlock(db, 999),
        lambda db: curate.supersede(db, 999, text="x"),
        lambda db: curate.show(db, 999),
    ],
    ids=["confirm", "reject", "edit", "deprecate", "lock", "unlock", "supersede", "show"],
)
def test_an_unknown_id_is_not_found(db: Database, call: Any) -> None:
    propose(db, "Something real")
    counts = table_counts(db)
    with pytest.raises(NotFoundError, match="999"):
        call(db)
    assert table_counts(db) == counts


def test_supersede_by_an_unknown_replacement_is_not_found(db: Database) -> None:
    old = believe(db, "Old way")
    with pytest.raises(NotFoundError):
        curate.supersede(db, old, new_id=999)
    assert get(db, old).status == Status.CONFIRMED


# --- reject ----------------------------------------------------------------------------------


def test_reject_turns_a_candidate_down(db: Database) -> None:
    memory_id = propose(db, "Write everything in Perl")

    rejected = curate.reject(db, memory_id)

    assert rejected.status == Status.REJECTED
    assert curate.inbox(db) == []
    assert curate.beliefs(db) == []
    assert [m.id for m in curate.beliefs(db, statuses=[Status.REJECTED])] == [memory_id]
    event = curate.show(db, memory_id).events[-1]
    assert event.action == Action.REJECTED
    assert event.before is not None
    assert event.after is not None
    assert (event.before["status"], event.after["status"]) == ("pending", "rejected")


def test_reject_refuses_a_confirmed_belief(db: Database) -> None:
    memory_id = believe(db, "Keep functions short")
    with pytest.raises(InvalidStateError, match="not pending"):
        curate.reject(db, memory_id)
    assert get(db, memory_id).status == Status.CONFIRMED


# --- supersede -------------------------------------------------------------------------------


def test_supersede_by_a_candidate(db: Database) -> None:
    old = believe(db, "Use requests for HTTP")
    new = propose(db, "Use httpx for HTTP", line=2)

    replacement = curate.supersede(db, old, new_id=new)

    assert replacement.id == new
    assert replacement.status == Status.CONFIRMED
    assert replacement.supersedes == (old,)
    assert replacement.superseded_by is None
    former = get(db, old)
    assert former.status == Status.SUPERSEDED
    assert former.superseded_by == new
    assert former.supersedes == ()
    assert [m.id for m in curate.beliefs(db)] == [new]
    assert curate.inbox(db) == []
    lineage = curate.show(db, new).lineage
    assert [m.id for m in lineage] == [old, new]
    assert actions(db, old)[-1] == Action.SUPERSEDED
    assert actions(db, new)[-1] == Action.CONFIRMED


def test_supersede_by_new_text_creates_a_confirmed_manual_belief(db: Database) -> None:
    old = believe(db, "Lines are at most 88 characters", project=PROJECT_B, kind=Kind.FACT)

    replacement = curate.supersede(db, old, text="  Lines are at most 100 characters  ")

    assert replacement.id != old
    assert replacement.text == "Lines are at most 100 characters"
    assert replacement.status == Status.CONFIRMED
    assert replacement.kind == Kind.FACT
    assert replacement.scope == Scope.PROJECT
    assert replacement.project == PROJECT_B
    assert replacement.supersedes == (old,)
    (ev,) = replacement.evidence
    assert ev.tool == MANUAL_TOOL
    assert ev.quote == "Lines are at most 100 characters"
    assert ev.timestamp is not None
    assert ev.timestamp.tzinfo is not None
    former = get(db, old)
    assert former.status == Status.SUPERSEDED
    assert former.superseded_by == replacement.id
    assert actions(db, replacement.id) == [Action.CREATED]
    # one operation holds both changes
    events = curate.show(db, replacement.id).events + curate.show(db, old).events[-1:]
    assert len({e.operation_id for e in events}) == 1


def test_supersede_by_new_text_keeps_a_global_scope(db: Database) -> None:
    old, _ = curate.add_belief(db, "Reply tersely", Kind.PREFERENCE, ScopeChange(Scope.GLOBAL))
    new = curate.supersede(db, old.id, text="Reply tersely, with code first", kind=Kind.RULE)
    assert (new.scope, new.project, new.kind) == (Scope.GLOBAL, None, Kind.RULE)


def test_supersede_refuses_a_locked_belief_and_changes_nothing(db: Database) -> None:
    old = believe(db, "The API is versioned in the URL")
    new = propose(db, "The API is versioned in a header", line=2)
    curate.lock(db, old)
    counts = table_counts(db)
    rows = (memory_row(db, old), memory_row(db, new))

    with pytest.raises(LockedError, match="locked"):
        curate.supersede(db, old, new_id=new)
    with pytest.raises(LockedError):
        curate.supersede(db, old, text="Something else")

    assert (memory_row(db, old), memory_row(db, new)) == rows
    assert table_counts(db) == counts
    assert get(db, old).superseded_by is None
    assert get(db, new).status == Status.PENDING


def test_supersede_refuses_a_pending_old_memory(db: Database) -> None:
    old = propose(db, "Candidate A")
    new = propose(db, "Candidate B", line=2)
    with pytest.raises(InvalidStateError, match="it is pending"):
        curate.supersede(db, old, new_id=new)
    assert get(db, old).status == Status.PENDING
    assert get(db, new).status == Status.PENDING
    assert count(db, Supersession) == 0


def test_supersede_refuses_a_replacement_that_is_not_live(db: Database) -> None:
    old = believe(db, "Belief one")
    rejected = propose(db, "Rejected two", line=2)
    curate.reject(db, rejected)
    with pytest.raises(InvalidStateError, match="rejected"):
        curate.supersede(db, old, new_id=rejected)
    assert get(db, old).status == Status.CONFIRMED


def test_a_memory_cannot_supersede_itself(db: Database) -> None:
    memory_id = believe(db, "Self reference")
    counts = table_counts(db)
    with pytest.raises(InvalidInputError, match="itself"):
        curate.supersede(db, memory_id, new_id=memory_id)
    assert get(db, memory_id).status == Status.CONFIRMED
    assert table_counts(db) == counts


@pytest.mark.parametrize("kwargs", [{}, {"new_id": 2, "text": "both"}], ids=["neither", "both"])
def test_supersede_needs_either_an_id_or_a_text(db: Database, kwargs: dict[str, Any]) -> None:
    old = believe(db, "First")
    propose(db, "Second", line=2)
    with pytest.raises(InvalidInputError, match="either"):
        curate.supersede(db, old, **kwargs)


# --- edit ------------------------------------------------------------------------------------


def test_edit_adds_a_revision_rather_than_overwriting(db: Database) -> None:
    memory_id = believe(db, "Use 2 spaces for YAML")

    edited = curate.edit(db, memory_id, text="Use 2 spaces for YAML and JSON")

    assert edited.text == "Use 2 spaces for YAML and JSON"
    assert edited.status == Status.CONFIRMED
    detail = curate.show(db, memory_id)
    assert [(r.number, r.text) for r in detail.revisions] == [
        (1, "Use 2 spaces for YAML"),
        (2, "Use 2 spaces for YAML and JSON"),
    ]
    event = detail.events[-1]
    assert event.action == Action.EDITED
    assert event.before is not None
    assert event.after is not None
    assert event.before["text"] == "Use 2 spaces for YAML"
    assert event.after["text"] == "Use 2 spaces for YAML and JSON"
    assert memory_row(db, memory_id)["revision"] == 2


def test_the_original_wording_of_an_edited_memory_still_merges_into_it(db: Database) -> None:
    memory_id = propose(db, "Use 2 spaces for YAML")
    curate.edit(db, memory_id, text="Indent YAML with two spaces")

    result = curate.add_candidate(db, candidate("use 2 spaces for yaml.", path="/t/z.jsonl"))

    assert result == AddResult(memory_id, AddOutcome.MERGED)
    memory = get(db, memory_id)
    assert memory.text == "Indent YAML with two spaces"
    assert memory.seen == 2
    # and the new wording is recognised too
    again = curate.add_candidate(db, candidate("indent yaml with two spaces", path="/t/y.jsonl"))
    assert again == AddResult(memory_id, AddOutcome.MERGED)
    assert count(db, Memory) == 1


def test_edit_can_change_kind_alone(db: Database) -> None:
    memory_id = propose(db, "The database is PostgreSQL", kind=Kind.RULE)
    edited = curate.edit(db, memory_id, kind=Kind.FACT)
    assert edited.kind == Kind.FACT
    assert edited.status == Status.PENDING
    assert [r.kind for r in curate.show(db, memory_id).revisions] == [Kind.RULE, Kind.FACT]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"text": "Prefer small PRs"},
        {"text": "  Prefer small PRs \n"},
        {"kind": Kind.PREFERENCE},
        {"scope": ScopeChange(Scope.PROJECT)},
        {"scope": ScopeChange(Scope.PROJECT, PROJECT_A)},
    ],
    ids=["nothing", "same-text", "same-text-padded", "same-kind", "same-scope", "same-project"],
)
def test_an_edit_that_changes_nothing_is_refused(db: Database, kwargs: dict[str, Any]) -> None:
    memory_id = propose(db, "Prefer small PRs", kind=Kind.PREFERENCE)
    counts = table_counts(db)
    with pytest.raises(InvalidInputError, match="nothing to change"):
        curate.edit(db, memory_id, **kwargs)
    assert table_counts(db) == counts


def test_edit_refuses_an_empty_text(db: Database) -> None:
    memory_id = propose(db, "Not empty")
    with pytest.raises(InvalidInputError, match="empty"):
        curate.edit(db, memory_id, text="   ")
    assert get(db, memory_id).text == "Not empty"


def test_edit_refuses_a_locked_belief_until_it_is_unlocked(db: Database) -> None:
    memory_id = believe(db, "Tests live in tests/")
    curate.lock(db, memory_id)
    with pytest.raises(LockedError):
        curate.edit(db, memory_id, text="Tests live next to the code")
    assert get(db, memory_id).text == "Tests live in tests/"
    assert len(curate.show(db, memory_id).revisions) == 1

    curate.unlock(db, memory_id)
    edited = curate.edit(db, memory_id, text="Tests live next to the code")
    assert edited.text == "Tests live next to the code"
    assert edited.locked is False


@pytest.mark.parametrize("status", [Status.REJECTED, Status.SUPERSEDED, Status.DEPRECATED])
def test_edit_refuses_a_memory_that_is_not_live(db: Database, status: Status) -> None:
    memory_id = propose(db, "Some statement")
    if status == Status.REJECTED:
        curate.reject(db, memory_id)
    else:
        curate.confirm(db, memory_id)
        if status == Status.SUPERSEDED:
            curate.supersede(db, memory_id, text="Another statement")
        else:
            curate.deprecate(db, memory_id)
    with pytest.raises(InvalidStateError, match=status.value):
        curate.edit(db, memory_id, text="Edited")


# --- deprecate, lock, unlock -----------------------------------------------------------------


def test_deprecate_retires_a_belief(db: Database) -> None:
    memory_id = believe(db, "Support Python 3.8")

    retired = curate.deprecate(db, memory_id)

    assert retired.status == Status.DEPRECATED
    assert curate.beliefs(db) == []
    assert [m.id for m in curate.beliefs(db, statuses=[Status.DEPRECATED])] == [memory_id]
    assert actions(db, memory_id)[-1] == Action.DEPRECATED


def test_deprecate_refuses_a_candidate_and_a_locked_belief(db: Database) -> None:
    pending = propose(db, "A candidate")
    with pytest.raises(InvalidStateError, match="pending"):
        curate.deprecate(db, pending)
    locked = believe(db, "A locked belief", line=2)
    curate.lock(db, locked)
    with pytest.raises(LockedError):
        curate.deprecate(db, locked)
    assert get(db, locked).status == Status.CONFIRMED


def test_lock_and_unlock(db: Database) -> None:
    memory_id = believe(db, "Never commit secrets")

    locked = curate.lock(db, memory_id)
    assert locked.locked is True
    assert locked.status == Status.CONFIRMED
    with pytest.raises(InvalidStateError, match="already locked"):
        curate.lock(db, memory_id)

    unlocked = curate.unlock(db, memory_id)
    assert unlocked.locked is False
    with pytest.raises(InvalidStateError, match="already not locked"):
        curate.unlock(db, memory_id)
    assert actions(db, memory_id) == [
        Action.CREATED,
        Action.CONFIRMED,
        Action.LOCKED,
        Action.UNLOCKED,
    ]
    event = curate.show(db, memory_id).events[2]
    assert event.before is not None
    assert event.after is not None
    assert (event.before["locked"], event.after["locked"]) == (False, True)


@pytest.mark.parametrize("action", [curate.lock, curate.unlock])
def test_lock_and_unlock_refuse_a_candidate(db: Database, action: Any) -> None:
    memory_id = propose(db, "A candidate")
    with pytest.raises(InvalidStateError, match="pending"):
        action(db, memory_id)
    assert get(db, memory_id).locked is False


# --- add_belief ------------------------------------------------------------------------------


def test_add_belief_creates_a_confirmed_manual_belief(db: Database) -> None:
    memory, outcome = curate.add_belief(
        db, "  Use British spelling  ", Kind.PREFERENCE, ScopeChange(Scope.PROJECT, PROJECT_A)
    )

    assert outcome == AddOutcome.CREATED
    assert memory.text == "Use British spelling"
    assert memory.status == Status.CONFIRMED
    assert memory.kind == Kind.PREFERENCE
    assert (memory.scope, memory.project) == (Scope.PROJECT, PROJECT_A)
    assert memory.confidence == 1.0
    (ev,) = memory.evidence
    assert ev.tool == MANUAL_TOOL
    assert ev.path is None
    assert ev.quote == "Use British spelling"
    assert [m.id for m in curate.beliefs(db)] == [memory.id]
    assert curate.inbox(db) == []
    (event,) = curate.show(db, memory.id).events
    assert (event.action, event.command, event.actor) == (Action.CREATED, "add", curate.USER)


def test_add_belief_of_a_pending_candidate_confirms_it(db: Database) -> None:
    pending = propose(db, "Use British spelling", confidence=0.4)

    memory, outcome = curate.add_belief(
        db, "use british spelling.", Kind.RULE, ScopeChange(Scope.PROJECT, PROJECT_A)
    )

    assert outcome == AddOutcome.MERGED
    assert memory.id == pending
    assert memory.status == Status.CONFIRMED
    assert memory.confidence == 1.0
    assert [e.tool for e in memory.evidence] == [TOOL, MANUAL_TOOL]
    assert count(db, Memory) == 1
    assert curate.inbox(db) == []
    assert actions(db, pending) == [Action.CREATED, Action.CONFIRMED]


def test_add_belief_of_a_rejected_statement_confirms_it(db: Database) -> None:
    rejected = propose(db, "Use British spelling")
    curate.reject(db, rejected)

    memory, outcome = curate.add_belief(
        db, "Use British spelling", Kind.RULE, ScopeChange(Scope.PROJECT, PROJECT_A)
    )

    assert (memory.id, outcome, memory.status) == (rejected, AddOutcome.MERGED, Status.CONFIRMED)
    assert count(db, Memory) == 1
    assert memory.seen == 2


def test_add_belief_of_a_belief_is_one_more_manual_sighting(db: Database) -> None:
    existing = believe(db, "Use British spelling")
    memory, outcome = curate.add_belief(
        db, "Use British spelling", Kind.RULE, ScopeChange(Scope.PROJECT, PROJECT_A)
    )
    assert (memory.id, outcome, memory.status) == (existing, AddOutcome.MERGED, Status.CONFIRMED)
    assert actions(db, existing)[-1] == Action.MERGED
    assert count(db, Memory) == 1


def test_add_belief_refuses_a_project_scope_without_a_project(db: Database) -> None:
    with pytest.raises(InvalidInputError, match="project"):
        curate.add_belief(db, "Orphan", Kind.RULE, ScopeChange(Scope.PROJECT))
    with pytest.raises(InvalidInputError, match="empty"):
        curate.add_belief(db, "  ", Kind.RULE, ScopeChange(Scope.GLOBAL))
    assert table_counts(db)["memories"] == 0
    assert table_counts(db)["operations"] == 0


# --- undo ------------------------------------------------------------------------------------


def test_undo_goes_back_through_actions_in_reverse_order(db: Database) -> None:
    memory_id = propose(db, "Run tests with pytest -q")
    curate.confirm(db, memory_id)
    curate.edit(db, memory_id, text="Run tests with pytest -x")
    successor = curate.supersede(db, memory_id, text="Run tests with make test").id
    added, _ = curate.add_belief(
        db, "Prefer ruff over flake8", Kind.PREFERENCE, ScopeChange(Scope.PROJECT, PROJECT_A)
    )

    first = curate.undo(db)
    assert (first.command, first.memory_ids) == ("add", (added.id,))
    with pytest.raises(NotFoundError):
        curate.show(db, added.id)
    assert count(db, Evidence, Evidence.memory_id == added.id) == 0
    assert count(db, Revision, Revision.memory_id == added.id) == 0
    assert [m.id for m in curate.beliefs(db)] == [successor]

    second = curate.undo(db)
    assert second.command == "supersede"
    assert set(second.memory_ids) == {memory_id, successor}
    with pytest.raises(NotFoundError):
        curate.show(db, successor)
    restored = get(db, memory_id)
    assert restored.status == Status.CONFIRMED
    assert restored.superseded_by is None
    assert restored.text == "Run tests with pytest -x"
    assert count(db, Supersession) == 0

    third = curate.undo(db)
    assert (third.command, third.memory_ids) == ("edit", (memory_id,))
    restored = get(db, memory_id)
    assert restored.text == "Run tests with pytest -q"
    assert [r.text for r in curate.show(db, memory_id).revisions] == ["Run tests with pytest -q"]
    assert memory_row(db, memory_id)["revision"] == 1

    fourth = curate.undo(db)
    assert (fourth.command, fourth.memory_ids) == ("confirm", (memory_id,))
    assert get(db, memory_id).status == Status.PENDING
    assert [m.id for m in curate.inbox(db)] == [memory_id]

    with pytest.raises(NothingToUndoError):
        curate.undo(db)  # the candidate itself came from ingest: not undoable
    assert get(db, memory_id).status == Status.PENDING


def test_undo_restores_only_the_fields_the_action_changed(db: Database) -> None:
    memory_id = propose(db, "Name branches after issues", confidence=0.5)
    curate.confirm(db, memory_id)
    merged = curate.add_candidate(db, candidate("name branches after issues", path="/t/b.jsonl"))
    assert merged == AddResult(memory_id, AddOutcome.MERGED)
    assert get(db, memory_id).confidence == pytest.approx(0.75)

    result = curate.undo(db)

    assert result.command == "confirm"
    memory = get(db, memory_id)
    assert memory.status == Status.PENDING
    assert memory.seen == 2  # the evidence merged since is kept
    assert [e.path for e in memory.evidence] == ["/t/a.jsonl", "/t/b.jsonl"]
    assert memory.confidence == pytest.approx(0.75)  # and so is the confidence it raised


def test_undo_of_confirm_with_edits_restores_text_kind_scope_and_revision(db: Database) -> None:
    memory_id = propose(db, "use black", kind=Kind.PREFERENCE)
    before = memory_row(db, memory_id)
    curate.confirm(db, memory_id, text="Use ruff", kind=Kind.RULE, scope=ScopeChange(Scope.GLOBAL))

    curate.undo(db)

    after = memory_row(db, memory_id)
    before.pop("updated_at")
    after.pop("updated_at")
    assert after == before
    assert [r.text for r in curate.show(db, memory_id).revisions] == ["use black"]


def test_undo_of_supersede_by_a_candidate_restores_both(db: Database) -> None:
    old = believe(db, "Use requests")
    new = propose(db, "Use httpx", line=2)
    curate.supersede(db, old, new_id=new)

    curate.undo(db)

    assert get(db, old).status == Status.CONFIRMED
    assert get(db, old).superseded_by is None
    assert get(db, new).status == Status.PENDING
    assert get(db, new).supersedes == ()
    assert count(db, Supersession) == 0


def test_undo_of_add_belief_that_confirmed_a_candidate(db: Database) -> None:
    pending = propose(db, "Use British spelling", confidence=0.4)
    curate.add_belief(db, "Use British spelling", Kind.RULE, ScopeChange(Scope.PROJECT, PROJECT_A))

    curate.undo(db)

    memory = get(db, pending)
    assert memory.status == Status.PENDING
    assert memory.confidence == pytest.approx(0.4)
    assert [e.tool for e in memory.evidence] == [TOOL]


@pytest.mark.parametrize("action", ["reject", "deprecate", "lock"])
def test_undo_of_a_status_change(db: Database, action: str) -> None:
    memory_id = propose(db, "Something")
    if action != "reject":
        curate.confirm(db, memory_id)
    before = memory_row(db, memory_id)
    getattr(curate, action)(db, memory_id)
    assert memory_row(db, memory_id) != before

    assert curate.undo(db).command == action

    after = memory_row(db, memory_id)
    before.pop("updated_at")
    after.pop("updated_at")
    assert after == before


def test_ingest_alone_is_not_undoable(db: Database) -> None:
    propose(db, "One")
    propose(db, "Two", line=2)
    curate.add_candidate(db, candidate("one", path="/t/b.jsonl"))
    counts = table_counts(db)

    with pytest.raises(NothingToUndoError):
        curate.undo(db)

    assert table_counts(db) == counts
    assert len(curate.inbox(db)) == 2


def test_undo_writes_undone_events(db: Database) -> None:
    old = believe(db, "Old rule")
    new = curate.supersede(db, old, text="New rule").id
    operations = count(db, Operation)

    result = curate.undo(db)

    assert count(db, Operation) == operations + 1
    undone = [e for e in event_rows(db) if e["action"] == Action.UNDONE]
    assert {e["memory_id"] for e in undone} == {old, new}
    assert len({e["operation_id"] for e in undone}) == 1
    by_memory = {e["memory_id"]: e for e in undone}
    assert by_memory[new]["after"] is None  # the memory it created is gone
    assert by_memory[new]["before"]["text"] == "New rule"
    assert by_memory[old]["before"]["status"] == "superseded"
    assert by_memory[old]["after"]["status"] == "confirmed"
    assert actions(db, old)[-1] == Action.UNDONE
    with db.read() as session:
        undo_op = session.get(Operation, undone[0]["operation_id"])
        assert undo_op is not None
        assert (undo_op.command, undo_op.undoable, undo_op.undoes_id) == (
            "undo",
            False,
            result.operation_id,
        )


def test_two_undos_in_a_row_undo_two_different_actions(db: Database) -> None:
    one = propose(db, "One")
    two = propose(db, "Two", line=2)
    curate.confirm(db, one)
    curate.reject(db, two)

    first = curate.undo(db)
    second = curate.undo(db)

    assert first.operation_id != second.operation_id
    assert (first.command, first.memory_ids) == ("reject", (two,))
    assert (second.command, second.memory_ids) == ("confirm", (one,))
    assert get(db, one).status == Status.PENDING
    assert get(db, two).status == Status.PENDING
    with db.read() as session:
        undoes = session.scalars(
            select(Operation.undoes_id).where(Operation.undoes_id.is_not(None))
        ).all()
    assert set(undoes) == {first.operation_id, second.operation_id}
    assert len(undoes) == 2
    with pytest.raises(NothingToUndoError):
        curate.undo(db)


def test_an_action_after_an_undo_is_the_next_to_undo(db: Database) -> None:
    one = propose(db, "One")
    curate.confirm(db, one)
    curate.undo(db)
    curate.reject(db, one)

    assert curate.undo(db).command == "reject"
    assert get(db, one).status == Status.PENDING
    with pytest.raises(NothingToUndoError):
        curate.undo(db)  # the confirm was undone already


def test_the_id_of_a_memory_removed_by_undo_is_not_reused(db: Database) -> None:
    first, _ = curate.add_belief(db, "First", Kind.RULE, ScopeChange(Scope.GLOBAL))
    curate.undo(db)
    second, _ = curate.add_belief(db, "Second", Kind.RULE, ScopeChange(Scope.GLOBAL))
    assert second.id > first.id
    # the log of the removed memory is still there and still names it
    assert [e["action"] for e in event_rows(db) if e["memory_id"] == first.id] == [
        Action.CREATED,
        Action.UNDONE,
    ]


# --- the event log and transactions ----------------------------------------------------------


def test_the_event_log_is_append_only(db: Database) -> None:
    memory_id = propose(db, "Document public functions")
    curate.confirm(db, memory_id)
    curate.edit(db, memory_id, text="Document every public function")
    early_events = event_rows(db)
    early_operations = operation_rows(db)
    assert len(early_events) == 3

    sizes = [len(early_events)]
    steps: list[Any] = [
        lambda: curate.lock(db, memory_id),
        lambda: curate.undo(db),
        lambda: curate.undo(db),
        lambda: curate.add_candidate(db, candidate("document public functions", line=5)),
        lambda: curate.supersede(db, memory_id, text="Document public APIs"),
        lambda: curate.undo(db),
        lambda: curate.reject(db, propose(db, "Other", line=9)),
        lambda: curate.undo(db),
    ]
    for step in steps:
        step()
        sizes.append(count(db, Event))

    assert all(b > a for a, b in pairwise(sizes))  # every step added events
    later = event_rows(db)
    assert later[: len(early_events)] == early_events
    assert operation_rows(db)[: len(early_operations)] == early_operations
    assert len({e["id"] for e in later}) == len(later)


def test_a_failed_action_stores_nothing(db: Database) -> None:
    memory_id = propose(db, "Applies everywhere", project=None, scope=Scope.GLOBAL)
    assert get(db, memory_id).project is None
    counts = table_counts(db)
    row = memory_row(db, memory_id)
    events = event_rows(db)

    with pytest.raises(InvalidInputError, match="no project"):
        curate.confirm(db, memory_id, text="Applies here only", scope=ScopeChange(Scope.PROJECT))

    assert table_counts(db) == counts
    assert memory_row(db, memory_id) == row
    assert event_rows(db) == events
    assert get(db, memory_id).status == Status.PENDING
    assert [r.text for r in curate.show(db, memory_id).revisions] == ["Applies everywhere"]
    with pytest.raises(NothingToUndoError):
        curate.undo(db)


def test_a_failed_edit_stores_nothing_either(db: Database) -> None:
    memory_id = propose(db, "Applies everywhere", project=None, scope=Scope.GLOBAL)
    counts = table_counts(db)
    projects = count(db, Project)
    with pytest.raises(InvalidInputError):
        curate.edit(db, memory_id, kind=Kind.FACT, scope=ScopeChange(Scope.PROJECT))
    assert table_counts(db) == counts
    assert count(db, Project) == projects
    assert get(db, memory_id).kind == Kind.RULE


# --- listings --------------------------------------------------------------------------------


def test_inbox_lists_pending_candidates_newest_first_by_project(db: Database) -> None:
    a1 = propose(db, "A one", project=PROJECT_A)
    b1 = propose(db, "B one", project=PROJECT_B, line=2)
    a2 = propose(db, "A two", project=PROJECT_A, line=3)
    a3 = propose(db, "A three", project=PROJECT_A, line=4)
    curate.confirm(db, a2)
    rejected = propose(db, "A rejected", project=PROJECT_A, line=5)
    curate.reject(db, rejected)

    assert [m.id for m in curate.inbox(db)] == [a3, b1, a1]
    assert [m.id for m in curate.inbox(db, project=PROJECT_A)] == [a3, a1]
    assert [m.id for m in curate.inbox(db, project=PROJECT_B)] == [b1]
    assert curate.inbox(db, project="/p/none") == []
    assert all(m.status == Status.PENDING for m in curate.inbox(db))
    assert all(m.seen == 1 for m in curate.inbox(db))


def test_beliefs_defaults_to_confirmed_and_takes_statuses(db: Database) -> None:
    confirmed = believe(db, "Confirmed one")
    pending = propose(db, "Pending one", line=2)
    rejected = propose(db, "Rejected one", line=3)
    curate.reject(db, rejected)
    deprecated = believe(db, "Deprecated one", line=4)
    curate.deprecate(db, deprecated)
    other = believe(db, "Confirmed elsewhere", project=PROJECT_B, line=5)

    assert [m.id for m in curate.beliefs(db)] == [other, confirmed]
    assert [m.id for m in curate.beliefs(db, project=PROJECT_A)] == [confirmed]
    assert [m.id for m in curate.beliefs(db, statuses=[Status.REJECTED, Status.PENDING])] == [
        rejected,
        pending,
    ]
    assert [m.id for m in curate.beliefs(db, statuses=[Status.DEPRECATED])] == [deprecated]
    assert curate.status_counts(db) == {
        Status.PENDING: 1,
        Status.CONFIRMED: 2,
        Status.REJECTED: 1,
        Status.SUPERSEDED: 0,
        Status.DEPRECATED: 1,
    }


def test_listings_carry_evidence_and_links(db: Database) -> None:
    old = believe(db, "Old")
    curate.add_candidate(db, candidate("old", path="/t/b.jsonl"))
    new = curate.supersede(db, old, text="New").id
    (listed_new,) = curate.beliefs(db)
    (listed_old,) = curate.beliefs(db, statuses=[Status.SUPERSEDED])
    assert (listed_new.id, listed_new.supersedes, listed_new.seen) == (new, (old,), 1)
    assert (listed_old.id, listed_old.superseded_by, listed_old.seen) == (old, new, 2)
    assert listed_old == get(db, old)
    assert listed_new == get(db, new)


# --- JSON ------------------------------------------------------------------------------------


def test_memory_json_has_exactly_the_documented_keys(db: Database) -> None:
    moment = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    new = NewCandidate(
        text="Use ISO dates",
        kind=Kind.PREFERENCE,
        evidence=NewEvidence(
            tool=TOOL,
            path="/t/j.json",
            index=4,
            message_id="msg-9",
            session_id="sess-3",
            timestamp=moment,
            quote="use ISO dates",
            rule="preference-verb",
            confidence=0.7,
        ),
        project=PROJECT_A,
        confidence=0.7,
    )
    memory_id = curate.add_candidate(db, new).memory_id
    curate.add_candidate(db, candidate("use iso dates", path="/t/k.jsonl", line=2))

    data = get(db, memory_id).to_json()

    assert set(data) == MEMORY_KEYS
    assert len(data["evidence"]) == 2
    for ev in data["evidence"]:
        assert set(ev) == EVIDENCE_KEYS
    assert data["evidence"][0] == {
        "tool": TOOL,
        "path": "/t/j.json",
        "line": None,
        "index": 4,
        "message_id": "msg-9",
        "session_id": "sess-3",
        "timestamp": "2025-01-02T03:04:05.678901+00:00",
        "quote": "use ISO dates",
        "rule": "preference-verb",
        "confidence": 0.7,
        "redactions": 0,
    }
    assert data["id"] == memory_id
    assert (data["kind"], data["status"], data["scope"]) == ("preference", "pending", "project")
    assert data["project"] == PROJECT_A
    assert data["seen"] == 2
    assert data["locked"] is False
    assert data["supersedes"] == []
    assert data["superseded_by"] is None
    assert data["confidence"] == pytest.approx(0.85)
    created = datetime.fromisoformat(data["created_at"])
    assert created.tzinfo is not None
    assert datetime.fromisoformat(data["updated_at"]) >= created


# --- decisions taken after the first review ---------------------------------------------------


def test_add_belief_confirming_a_candidate_takes_the_persons_kind_and_scope(db: Database) -> None:
    pending = propose(db, "Use British spelling", kind=Kind.FACT)

    stated_in_a = ScopeChange(Scope.GLOBAL, PROJECT_A)
    memory, _ = curate.add_belief(db, "Use British spelling", Kind.PREFERENCE, stated_in_a)

    assert memory.id == pending
    assert (memory.kind, memory.scope) == (Kind.PREFERENCE, Scope.GLOBAL)
    assert [r.number for r in curate.show(db, pending).revisions] == [1, 2]


def test_add_belief_leaves_an_existing_belief_as_it_is(db: Database) -> None:
    existing = believe(db, "Use British spelling", kind=Kind.RULE)
    stated_in_a = ScopeChange(Scope.GLOBAL, PROJECT_A)
    memory, _ = curate.add_belief(db, "Use British spelling", Kind.FACT, stated_in_a)
    assert memory.id == existing
    assert (memory.kind, memory.scope, memory.project) == (Kind.RULE, Scope.PROJECT, PROJECT_A)


def test_supersede_by_text_reuses_a_candidate_of_that_statement(db: Database) -> None:
    old = believe(db, "Use npm")
    pending = propose(db, "Use pnpm", path="/t/b.jsonl")

    new = curate.supersede(db, old, text="use pnpm.")

    assert new.id == pending
    assert new.status == Status.CONFIRMED
    assert [e.tool for e in new.evidence] == [TOOL, MANUAL_TOOL]
    assert new.supersedes == (old,)
    assert count(db, Memory) == 2
    assert curate.inbox(db) == []

    curate.undo(db)
    assert get(db, pending).status == Status.PENDING
    assert get(db, pending).seen == 1
    assert get(db, old).status == Status.CONFIRMED


def test_supersede_by_its_own_statement_is_refused(db: Database) -> None:
    old = believe(db, "Use npm")
    with pytest.raises(InvalidInputError, match="same statement"):
        curate.supersede(db, old, text="USE NPM")
    assert get(db, old).status == Status.CONFIRMED


def test_a_sighting_already_recorded_leaves_no_trace(db: Database) -> None:
    propose(db, "Use pnpm")
    before = table_counts(db)
    result = curate.add_candidate(db, candidate("Use pnpm"))
    assert result.outcome == AddOutcome.ALREADY_SEEN
    assert table_counts(db) == before


def test_beliefs_of_a_project_include_the_global_ones(db: Database) -> None:
    mine = believe(db, "Use pnpm", project=PROJECT_A)
    theirs = believe(db, "Use yarn", project=PROJECT_B, path="/t/b.jsonl")
    everywhere, _ = curate.add_belief(
        db, "Answer in English", Kind.PREFERENCE, ScopeChange(Scope.GLOBAL)
    )

    applies = {m.id for m in curate.beliefs(db, project=PROJECT_A)}

    assert applies == {mine, everywhere.id}
    assert theirs not in applies
    assert [m.id for m in curate.inbox(db, project=PROJECT_A)] == []
