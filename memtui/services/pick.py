"""Choosing a belief by a few words: the supersede and merge pickers of the review screen."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select

from memtui.core.models import Scope, Status
from memtui.store.database import Database
from memtui.store.models import Memory, Project


@dataclass(frozen=True, slots=True)
class Choice:
    """A belief offered by a picker."""

    id: int
    text: str
    project: str | None
    """Root of the belief's project; None for a global belief."""
    score: float = 0.0


def belief_choices(db: Database, project: str | None) -> list[Choice]:
    """The confirmed beliefs a candidate of `project` can meet: that project's and the global
    ones (every belief for a global candidate), newest first."""
    query = (
        select(Memory.id, Memory.text, Memory.scope, Project.root)
        .outerjoin(Project, Project.id == Memory.project_id)
        .where(Memory.status == Status.CONFIRMED)
        .order_by(Memory.updated_at.desc(), Memory.id.desc())
    )
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        Choice(belief_id, text, None if scope == Scope.GLOBAL else root)
        for belief_id, text, scope, root in rows
        if project is None or scope == Scope.GLOBAL or root == project
    ]


def best(choices: list[Choice], query: str, *, limit: int = 50) -> list[Choice]:
    """The choices that match `query` best, best first; with no query, as they come."""
    if not query.strip():
        return choices[:limit]
    found = process.extract(
        query,
        [c.text for c in choices],
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=30,
    )
    return [
        Choice(choices[i].id, choices[i].text, choices[i].project, score) for _, score, i in found
    ]
