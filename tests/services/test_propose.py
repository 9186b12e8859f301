"""The bulk proposer decides exactly as adding the same candidates one by one would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from memtui.core.models import Action, Kind, Scope
from memtui.core.records import AddOutcome, NewCandidate, NewEvidence
from memtui.services import curate
from memtui.services.propose import proposing
from memtui.store import Database, upgrade
from memtui.store.models import Event, Evidence, Memory, Project, Revision


def candidate(
    text: str,
    line: int,
    *,
    project: str = "/p/a",
    message_id: str | None = None,
    scope: Scope = Scope.PROJECT,
) -> NewCandidate:
    return NewCandidate(
        text=text,
        kind=Kind.RULE,
        scope=scope,
        project=project,
        confidence=0.5,
        evidence=NewEvidence(
            tool="claude-code",
            path="/t/s.jsonl",
            line=line,
            quote=text,
            message_id=message_id,
            rule="imperative",
            confidence=0.5,
        ),
    )


BATCH = [
    candidate("Never push to main", 1),
    candidate("never push to main.", 2),  # the same statement elsewhere: merged
    candidate("Use pnpm", 3),
    candidate("Never push to main", 1),  # the same place again: already seen
    candidate("Never push to main", 4, project="/p/b"),  # another project: its own memory
    candidate("Answer in English", 5, scope=Scope.GLOBAL),
    candidate("answer in english", 6, project="/p/b"),  # a global memory absorbs it
    candidate("Keep commits small", 7, message_id="m-1"),
    candidate("Keep commits small", 99, message_id="m-1"),  # same message id: same place
]


def store_state(db: Database) -> Any:
    """The store's rows, in a stable order; evidence ids (which a batch assigns in another
    order) left out of the events."""
    with db.read() as session:
        rows = (
            session.execute(
                select(
                    Memory.id,
                    Memory.text,
                    Memory.status,
                    Memory.confidence,
                    Memory.project_id,
                    Memory.revision,
                )
            ).all(),
            session.execute(select(Evidence.memory_id, Evidence.line)).all(),
            session.execute(select(Revision.memory_id, Revision.number, Revision.key)).all(),
            [
                (memory_id, action, {k: v for k, v in (after or {}).items() if k != "added"})
                for memory_id, action, after in session.execute(
                    select(Event.memory_id, Event.action, Event.after)
                )
            ],
        )
    return [sorted(map(tuple, part), key=repr) for part in rows]


def fresh(tmp_path: Path, name: str) -> Database:
    url = f"sqlite:///{tmp_path / name}"
    upgrade(url)
    return Database(url)


def test_a_batch_equals_the_same_candidates_one_by_one(tmp_path: Path) -> None:
    one_by_one, batched = fresh(tmp_path, "single.db"), fresh(tmp_path, "batch.db")
    single = [curate.add_candidate(one_by_one, c) for c in BATCH]
    with proposing(batched) as proposer:
        together = proposer.add_many(BATCH)
    assert together == single
    assert [r.outcome for r in together] == [
        AddOutcome.CREATED,
        AddOutcome.MERGED,
        AddOutcome.CREATED,
        AddOutcome.ALREADY_SEEN,
        AddOutcome.CREATED,
        AddOutcome.CREATED,
        AddOutcome.MERGED,
        AddOutcome.CREATED,
        AddOutcome.ALREADY_SEEN,
    ]
    assert store_state(batched) == store_state(one_by_one)


def test_a_batch_against_a_store_that_already_knows_its_statements(tmp_path: Path) -> None:
    db = fresh(tmp_path, "known.db")
    first = curate.add_candidate(db, candidate("Never push to main", 1))
    curate.reject(db, first.memory_id)
    with proposing(db) as proposer:
        results = proposer.add_many(
            [candidate("Never push to main", 2), candidate("Never push to main", 1)]
        )
    assert [r.outcome for r in results] == [AddOutcome.SUPPRESSED, AddOutcome.ALREADY_SEEN]
    assert curate.inbox(db) == []
    assert curate.show(db, first.memory_id).memory.seen == 2


def test_a_merge_event_names_the_evidence_row_it_added(tmp_path: Path) -> None:
    """Evidence ids are handed out when the batch is written: each merge still names its own."""
    db = fresh(tmp_path, "added.db")
    curate.add_candidate(db, candidate("Use pnpm", 1))
    with proposing(db) as proposer:
        proposer.add_many(
            [
                candidate("Keep commits small", 2),
                candidate("use pnpm", 3),  # into a memory stored before the batch
                candidate("keep commits small.", 4),  # into one the batch itself created
                candidate("Use pnpm", 5),
            ]
        )
    with db.read() as session:
        lines = {
            evidence_id: (memory_id, line)
            for evidence_id, memory_id, line in session.execute(
                select(Evidence.id, Evidence.memory_id, Evidence.line)
            )
        }
        merges = session.execute(
            select(Event.memory_id, Event.after).where(Event.action == Action.MERGED)
        ).all()
    named = [lines[after["added"]["evidence"][0]] for _, after in merges]
    assert [memory_id for memory_id, _ in named] == [memory_id for memory_id, _ in merges]
    assert sorted(line for _, line in named) == [3, 4, 5]


def test_a_batch_finds_the_projects_it_names_in_one_query(tmp_path: Path) -> None:
    db = fresh(tmp_path, "projects.db")
    for line, root in enumerate(["/p/a", "/p/b", "/p/c"], 1):
        curate.add_candidate(db, candidate(f"Use tool {line}", line, project=root))
    with proposing(db) as proposer:
        statements: list[str] = []
        event.listen(proposer.session.get_bind(), "before_cursor_execute", _count(statements))
        results = proposer.add_many(
            [
                candidate("Keep commits small", 10 + n, project=root)
                for n, root in enumerate(["/p/a", "/p/b", "/p/c", "/p/new", "/p/a"])
            ]
        )
    assert [r.outcome for r in results] == [AddOutcome.CREATED] * 4 + [AddOutcome.MERGED]
    project_lookups = [s for s in statements if "FROM projects" in s]
    assert len(project_lookups) == 2  # the batch's roots at once, then the new one alone
    with db.read() as session:
        roots = dict(session.execute(select(Memory.id, Project.root).join(Project)).all())
    assert [roots[r.memory_id] for r in results] == ["/p/a", "/p/b", "/p/c", "/p/new", "/p/a"]


def _count(statements: list[str]) -> Any:
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    return before
