"""What a memory may duplicate or replace: computed when a memory is reviewed.

Near-duplicates ("similar to") are confirmed beliefs whose wording overlaps almost entirely.
Replacements ("may replace") are beliefs on the same subject that the memory turns around:
"let's continue using bash" after "let's use python instead of bash". Both are proposals for
the person; nothing is merged or superseded without them. Scoring every candidate against
every belief while ingesting would cost seconds per scan, so this runs for the memory shown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memtui.core.models import Scope, Status
from memtui.core.records import RelatedBelief
from memtui.store.database import Database
from memtui.store.models import Memory, Project

SIMILAR = 80.0
"""token_set_ratio (0-100) from which two statements read as the same belief."""
LIMIT = 3
CHANGE = re.compile(
    r"\b(?:instead|rather than|not|no longer|anymore|stop|stopped|switch(?:ed)?|keep|continue"
    r"|stay with|revert|back to|actually|never mind|from now on|going forward|drop|replace)\b"
)
"""Words with which people turn a decision around."""
STOPWORDS = frozenset(
    (
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "do",
        "don't",
        "for",
        "from",
        "have",
        "i",
        "in",
        "is",
        "it",
        "it's",
        "let",
        "let's",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "please",
        "should",
        "so",
        "that",
        "the",
        "them",
        "then",
        "there",
        "this",
        "to",
        "use",
        "used",
        "using",
        "we",
        "we'll",
        "will",
        "with",
        "you",
        "your",
        "always",
        "never",
        "keep",
        "continue",
        "instead",
        "rather",
        "than",
        "stop",
        "actually",
        "must",
        "make",
        "sure",
        "all",
        "any",
        "from",
        "now",
        "going",
        "forward",
    )
)


def subject_terms(text: str) -> set[str]:
    """The words that say what a statement is about (not how it is phrased)."""
    words = utils.default_process(text).split()
    return {w for w in words if len(w) > 2 and w not in STOPWORDS}


def related(
    session: Session, memory_id: int, text: str, scope: Scope, project_id: int | None
) -> tuple[list[RelatedBelief], list[RelatedBelief]]:
    """Confirmed beliefs the memory duplicates, and those it may replace, best first."""
    in_scope = Memory.scope == Scope.GLOBAL
    if project_id is not None:
        in_scope = in_scope | (Memory.project_id == project_id)
    if scope == Scope.GLOBAL:
        in_scope = Memory.id.is_not(None)  # a global statement meets every project's beliefs
    query = select(Memory.id, Memory.text).where(
        Memory.status == Status.CONFIRMED, Memory.id != memory_id, in_scope
    )
    # A list of rows: dict() would take a Result, which has keys(), for a mapping.
    beliefs: dict[int, str] = dict(session.execute(query).all())
    if not beliefs:
        return [], []
    similar = [
        RelatedBelief(belief_id, beliefs[belief_id], score)
        for _, score, belief_id in process.extract(
            text,
            beliefs,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            score_cutoff=SIMILAR,
            limit=LIMIT,
        )
    ]
    return similar, _may_replace(text, beliefs, {r.id for r in similar})


def _may_replace(text: str, beliefs: dict[int, str], similar: set[int]) -> list[RelatedBelief]:
    """Beliefs on the memory's subject that its words turn around."""
    if not CHANGE.search(utils.default_process(text)):
        return []
    terms = subject_terms(text)
    found = []
    for belief_id, belief in beliefs.items():
        shared = terms & subject_terms(belief)
        if belief_id in similar or not shared:
            continue
        score = 100.0 * len(shared) / max(1, min(len(terms), len(subject_terms(belief))))
        found.append(RelatedBelief(belief_id, belief, score))
    return sorted(found, key=lambda r: (-r.score, -r.id))[:LIMIT]


NEAREST = 20
"""Beliefs sharing the most subject words with a memory that `marks` scores it against."""
SIMILAR_MARK = "similar"
REPLACE_MARK = "may-replace"


def beliefs_stamp(db: Database) -> tuple[int, int, str]:
    """What the marks of `marks` depend on, in one cheap value: the number of beliefs, the
    sum of their ids and their latest change. A belief confirmed, edited, deprecated or
    superseded changes it; a candidate rejected or added does not."""
    with db.read() as session:
        count, ids, latest = session.execute(
            select(
                func.count(), func.coalesce(func.sum(Memory.id), 0), func.max(Memory.updated_at)
            ).where(Memory.status == Status.CONFIRMED)
        ).one()
    return int(count), int(ids), str(latest)


def marks(db: Database, memories: Sequence[tuple[int, str, Scope, str | None]]) -> dict[int, str]:
    """For a review list: which memories nearly repeat a belief (`similar`) or may turn one
    around (`may-replace`). Memories given as (id, text, scope, project root).

    The tests of `related`, in bulk: the beliefs are read once and indexed by subject word,
    and each memory is scored only against the beliefs that share most words with it (a
    near-duplicate shares nearly all of them), so a list of 10,000 costs a second or two.
    """
    with db.read() as session:
        rows = session.execute(
            select(Memory.id, Memory.text, Memory.scope, Project.root)
            .outerjoin(Project, Project.id == Memory.project_id)
            .where(Memory.status == Status.CONFIRMED)
        ).all()
    if not rows or not memories:
        return {}
    texts: dict[int, str] = {}
    where: dict[int, tuple[Scope, str | None]] = {}
    by_term: dict[str, list[int]] = {}
    for belief_id, text, scope, root in rows:
        texts[belief_id] = text
        where[belief_id] = (scope, root)
        for term in subject_terms(text):
            by_term.setdefault(term, []).append(belief_id)
    found: dict[int, str] = {}
    for memory_id, text, scope, project in memories:
        shared: Counter[int] = Counter()
        for term in subject_terms(text):
            shared.update(by_term.get(term, ()))
        near = [
            belief_id
            for belief_id, _ in shared.most_common(NEAREST)
            if belief_id != memory_id
            and (
                scope == Scope.GLOBAL
                or where[belief_id][0] == Scope.GLOBAL
                or where[belief_id][1] == project
            )
        ]
        if not near:
            continue
        best = process.extractOne(
            text,
            {belief_id: texts[belief_id] for belief_id in near},
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            score_cutoff=SIMILAR,
        )
        if best is not None:
            found[memory_id] = SIMILAR_MARK
        elif CHANGE.search(utils.default_process(text)):
            found[memory_id] = REPLACE_MARK
    return found
