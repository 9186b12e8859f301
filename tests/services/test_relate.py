"""What a reviewed memory may duplicate or replace is shown, never applied."""

from __future__ import annotations

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import NewCandidate, NewEvidence
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.store import Database

PROJECT = "/p/shop"


def belief(db: Database, text: str, project: str | None = PROJECT) -> int:
    scope = ScopeChange(Scope.PROJECT, project) if project else ScopeChange(Scope.GLOBAL)
    return curate.add_belief(db, text, Kind.RULE, scope)[0].id


def candidate(db: Database, text: str, project: str = PROJECT, line: int = 1) -> int:
    evidence = NewEvidence(tool="aider", path="/t/.aider.chat.history.md", line=line, quote=text)
    new = NewCandidate(text=text, kind=Kind.DECISION, evidence=evidence, project=project)
    return curate.add_candidate(db, new).memory_id


def test_a_near_duplicate_shows_the_belief_it_repeats(db: Database) -> None:
    pnpm = belief(db, "Always use pnpm instead of npm.")
    belief(db, "Never run migrations against prod.")
    shown = curate.show(db, candidate(db, "Use pnpm, not npm."))
    assert [r.id for r in shown.similar] == [pnpm]
    assert shown.similar[0].score >= 80
    assert shown.may_replace == ()
    assert curate.show(db, pnpm).memory.status == Status.CONFIRMED  # nothing was applied


def test_a_reversal_is_proposed_as_a_replacement(db: Database) -> None:
    python = belief(db, "Let's use python instead of bash.")
    belief(db, "Tests live next to the code.")
    shown = curate.show(db, candidate(db, "Let's continue using bash."))
    assert [r.id for r in shown.may_replace] == [python]
    assert shown.similar == ()
    data = shown.to_json()
    assert data["may_replace"][0]["id"] == python


def test_beliefs_of_another_project_are_not_related(db: Database) -> None:
    belief(db, "Always use pnpm instead of npm.", project="/p/other")
    global_one = belief(db, "Always use pnpm, never npm.", project=None)
    shown = curate.show(db, candidate(db, "Use pnpm, not npm."))
    assert [r.id for r in shown.similar] == [global_one]


def test_a_statement_without_a_change_word_replaces_nothing(db: Database) -> None:
    belief(db, "Deploy the API with docker compose.")
    shown = curate.show(db, candidate(db, "The API runs on port 8080."))
    assert (shown.similar, shown.may_replace) == ((), ())


def test_the_beliefs_stamp_changes_with_the_beliefs_only(db: Database) -> None:
    from memtui.services.relate import beliefs_stamp

    empty = beliefs_stamp(db)
    pnpm = belief(db, "Always use pnpm instead of npm.")
    one = beliefs_stamp(db)
    assert one != empty
    rejected = candidate(db, "Never run migrations against prod.")
    kept = candidate(db, "Tests live next to the code.", line=2)
    assert beliefs_stamp(db) == one  # candidates are not beliefs
    curate.reject(db, rejected)
    assert beliefs_stamp(db) == one
    curate.confirm(db, kept)
    two = beliefs_stamp(db)
    assert two != one
    curate.edit(db, pnpm, text="Always use pnpm, never npm.")
    edited = beliefs_stamp(db)
    assert edited != two
    curate.deprecate(db, kept)
    assert beliefs_stamp(db) not in (two, edited)
