"""History against a real migrated SQLite file: the timeline, `as_of` and `revert`.

Each action's events get a controlled time (the clock cannot be steered inside curate), so
the moments asked about fall between known actions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from memtui.core.errors import InvalidInputError, InvalidStateError, NotFoundError
from memtui.core.models import Action, Kind, Scope, Status
from memtui.core.records import NewCandidate, NewEvidence
from memtui.services import curate, history
from memtui.services.curate import ScopeChange
from memtui.store import Database
from memtui.store.models import Event, Memory, Operation, Supersession

SHOP = "/code/shop"
BLOG = "/code/blog"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def stamp(db: Database, when: datetime) -> None:
    """Give the newest operation, and its events, the time `when`."""
    with db.write() as session:
        newest = session.scalar(select(func.max(Operation.id)))
        session.execute(update(Operation).where(Operation.id == newest).values(created_at=when))
        session.execute(update(Event).where(Event.operation_id == newest).values(created_at=when))


def belief(db: Database, text: str, when: datetime, project: str | None = SHOP) -> int:
    scope = ScopeChange(Scope.PROJECT, project) if project else ScopeChange(Scope.GLOBAL)
    memory, _ = curate.add_belief(db, text, Kind.RULE, scope)
    stamp(db, when)
    return memory.id


def candidate(db: Database, text: str, when: datetime, line: int = 1) -> int:
    found = curate.add_candidate(
        db,
        NewCandidate(
            text=text,
            kind=Kind.PREFERENCE,
            evidence=NewEvidence(tool="codex", path="/t/x.jsonl", line=line, quote=text),
            project=SHOP,
        ),
    )
    stamp(db, when)
    return found.memory_id


def believed(db: Database, when: datetime, project: str | None = None) -> dict[int, str]:
    return {b.id: b.text for b in history.as_of(db, when, project=project)}


@pytest.fixture
def story(db: Database) -> dict[str, int]:
    """Two weeks of curation, one action a day."""
    pnpm = belief(db, "Use pnpm, not npm", day(0))
    tabs = candidate(db, "Indent with tabs", day(1))
    english = belief(db, "Answer in English", day(2), project=None)
    curate.confirm(db, tabs)
    stamp(db, day(3))
    curate.edit(db, pnpm, text="Use pnpm, never npm")
    stamp(db, day(4))
    bun = curate.supersede(db, pnpm, text="Use bun for scripts")
    stamp(db, day(5))
    curate.deprecate(db, english)
    stamp(db, day(6))
    curate.lock(db, tabs)
    stamp(db, day(7))
    blog = belief(db, "Posts are in Markdown", day(8), project=BLOG)
    return {"pnpm": pnpm, "tabs": tabs, "english": english, "bun": bun.id, "blog": blog}


def test_as_of_rebuilds_each_past_moment(db: Database, story: dict[str, int]) -> None:
    s = story
    assert believed(db, day(0) - timedelta(seconds=1)) == {}
    assert believed(db, day(0)) == {s["pnpm"]: "Use pnpm, not npm"}
    # A pending candidate is not a belief yet.
    assert believed(db, day(1) + timedelta(hours=12)) == {s["pnpm"]: "Use pnpm, not npm"}
    assert believed(db, day(3)) == {
        s["pnpm"]: "Use pnpm, not npm",
        s["tabs"]: "Indent with tabs",
        s["english"]: "Answer in English",
    }
    # The text as it read then, after the edit.
    assert believed(db, day(4))[s["pnpm"]] == "Use pnpm, never npm"
    after_supersede = believed(db, day(5))
    assert s["pnpm"] not in after_supersede
    assert after_supersede[s["bun"]] == "Use bun for scripts"
    assert s["english"] not in believed(db, day(6))
    locked = {b.id: b.locked for b in history.as_of(db, day(7))}
    assert locked[s["tabs"]] is True
    now = believed(db, day(30))
    assert now == {
        b.id: b.text
        for b in curate.beliefs(db, statuses=[Status.CONFIRMED])
        if b.id in {s["tabs"], s["bun"], s["blog"]}
    }
    assert set(now) == {s["tabs"], s["bun"], s["blog"]}


def test_as_of_by_project_includes_global_beliefs(db: Database, story: dict[str, int]) -> None:
    s = story
    assert set(believed(db, day(3), project=BLOG)) == {s["english"]}
    assert set(believed(db, day(9), project=BLOG)) == {s["blog"]}
    assert set(believed(db, day(9), project=SHOP)) == {s["tabs"], s["bun"]}


def test_as_of_needs_a_time_zone(db: Database) -> None:
    with pytest.raises(InvalidInputError, match="time zone"):
        history.as_of(db, datetime(2026, 3, 1))


def test_as_of_forgets_an_undone_creation(db: Database) -> None:
    memory = belief(db, "Ship on Fridays", day(0))
    curate.undo(db)
    stamp(db, day(1))
    assert believed(db, day(0)) == {memory: "Ship on Fridays"}
    assert believed(db, day(2)) == {}


def test_timeline_filters(db: Database, story: dict[str, int]) -> None:
    s = story
    everything = history.timeline(db)
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    assert everything[0].memory_id == s["blog"]

    of_pnpm = history.timeline(db, memory_id=s["pnpm"])
    assert [e.action for e in of_pnpm] == [Action.SUPERSEDED, Action.EDITED, Action.CREATED]

    in_blog = history.timeline(db, project=BLOG)
    assert {e.memory_id for e in in_blog} == {s["blog"]}

    span = history.timeline(db, since=day(3), until=day(5))
    assert {e.created_at for e in span} == {day(3), day(4), day(5)}
    assert [e.action for e in history.timeline(db, since=day(5), until=day(5))] == [
        Action.SUPERSEDED,
        Action.CREATED,
    ]
    assert len(history.timeline(db, limit=2)) == 2
    with pytest.raises(InvalidInputError):
        history.timeline(db, since=day(5), until=day(4))


def test_revert_an_old_change_as_a_new_operation(db: Database, story: dict[str, int]) -> None:
    s = story
    [deprecation] = [
        e for e in history.timeline(db, memory_id=s["english"]) if e.action == Action.DEPRECATED
    ]
    result = history.revert(db, event_id=deprecation.id)
    assert result.command == "deprecate"
    assert result.memory_ids == (s["english"],)
    assert curate.show(db, s["english"]).memory.status == Status.CONFIRMED
    with db.read() as session:
        reverting = session.get(Operation, result.revert_operation_id)
        assert reverting is not None
        assert (reverting.command, reverting.undoes_id) == ("revert", deprecation.operation_id)
    newest = history.timeline(db, limit=1)[0]
    assert (newest.action, newest.command, newest.memory_id) == (
        Action.UNDONE,
        "revert",
        s["english"],
    )
    # Later actions were left alone, and undo does not pick the reverted action again.
    assert curate.show(db, s["tabs"]).memory.locked
    with pytest.raises(InvalidStateError, match="reverted it already"):
        history.revert(db, event_id=deprecation.id)


def test_revert_a_supersession_puts_both_back(db: Database, story: dict[str, int]) -> None:
    s = story
    [event] = [e for e in history.timeline(db, memory_id=s["pnpm"]) if e.action == "superseded"]
    history.revert(db, operation_id=event.operation_id)
    assert curate.show(db, s["pnpm"]).memory.status == Status.CONFIRMED
    assert curate.show(db, s["pnpm"]).memory.text == "Use pnpm, never npm"
    with pytest.raises(NotFoundError):  # bun was created by the supersession
        curate.show(db, s["bun"])
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Supersession)) == 0


def test_revert_refuses_when_a_later_change_conflicts(db: Database, story: dict[str, int]) -> None:
    s = story
    [edit] = [e for e in history.timeline(db, memory_id=s["pnpm"]) if e.action == "edited"]
    with pytest.raises(InvalidStateError, match=f"#{s['pnpm']} was changed since"):
        history.revert(db, event_id=edit.id)
    [confirmed] = [e for e in history.timeline(db, memory_id=s["tabs"]) if e.action == "confirmed"]
    with pytest.raises(InvalidStateError, match="revert that first"):  # locked since
        history.revert(db, event_id=confirmed.id)
    with db.read() as session:  # nothing changed
        pnpm = session.get(Memory, s["pnpm"])
        assert pnpm is not None
        assert (pnpm.status, pnpm.text) == (Status.SUPERSEDED, "Use pnpm, never npm")


def test_revert_keeps_later_evidence(db: Database) -> None:
    tabs = candidate(db, "Indent with tabs", day(0))
    curate.edit(db, tabs, kind=Kind.RULE)
    stamp(db, day(1))
    again = candidate(
        db, "Indent with tabs", day(2), line=9
    )  # a merge: new evidence, not a conflict
    assert again == tabs
    [edit] = [e for e in history.timeline(db, memory_id=tabs) if e.action == "edited"]
    history.revert(db, event_id=edit.id)
    shown = curate.show(db, tabs).memory
    assert shown.kind == Kind.PREFERENCE
    assert shown.seen == 2


def test_revert_refuses_undo_and_unknown_ids(db: Database) -> None:
    memory = belief(db, "Ship on Fridays", day(0))
    curate.undo(db)
    undo_event = history.timeline(db, limit=1)[0]
    with pytest.raises(InvalidStateError, match="take that action again"):
        history.revert(db, event_id=undo_event.id)
    with pytest.raises(NotFoundError, match="no event with id 999"):
        history.revert(db, event_id=999)
    with pytest.raises(NotFoundError, match="no operation"):
        history.revert(db, operation_id=999)
    with pytest.raises(InvalidInputError):
        history.revert(db)
    assert memory > 0
