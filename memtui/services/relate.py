"""What a memory may duplicate or replace: computed when a memory is reviewed.

Near-duplicates ("similar to") are confirmed beliefs whose wording overlaps almost entirely.
Replacements ("may replace") are beliefs on the same subject that the memory turns around:
"let's continue using bash" after "let's use python instead of bash". Both are proposals for
the person; nothing is merged or superseded without them. Scoring every candidate against
every belief while ingesting would cost seconds per scan, so this runs for the memory shown.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils
from sqlalchemy import select
from sqlalchemy.orm import Session

from memtui.core.models import Scope, Status
from memtui.core.records import RelatedBelief
from memtui.store.models import Memory

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
