"""A rule's gate only spares it work: no sentence the rule fires on is turned away by it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from memtui.core.transcripts import ReadState
from memtui.extract import RULES
from memtui.extract.rules import Context, Rule
from memtui.extract.text import _BOUNDARY, _MAY_SPLIT, Sentence, sentences
from memtui.sources.registry import detect
from tests.extract.test_rules import NEGATIVE, POSITIVE

CORPUS = Path("/work/shared/corpus/real")
CONTEXTS = [Context(), Context(interrupted=True), Context(challenged=True)]
MORE = [
    # the pieces that stand for whole alternatives of a rule
    "To deploy: run make release and tag the commit.",
    "How to release: bump the version, then push the tag.",
    "Before merging, always run the linter.",
    "Run the formatter after each change to the schema.",
    "You have to rebuild the image before pushing.",
    "The test command is make check.",
    "First build the assets, then start the server.",
    "Let's migrate to Postgres.",
    "Migrate the whole app to TypeScript.",
    "We migrated from MySQL to Postgres last year.",
    "Port it to Rust.",
    "The API is at https://api.example.com/v2.",
    "The database lives on the db-2 host.",
    "We use Redis for the job queue.",
    "It runs with a separate service account.",
    "I'm on Windows with PowerShell.",
    "The port is 5432.",
    "Our tokens are $GITHUB_TOKEN.",
]


def sentences_of(texts: list[str]) -> Iterator[Sentence]:
    for text in texts:
        yield from sentences(text)


def corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(CORPUS.rglob("*")):
        source = detect(path) if path.is_file() else None
        if source is not None:
            texts += [m.text for m in source.read(path, ReadState()).messages]
    return texts


def gated() -> list[Rule]:
    return [rule for rule in RULES if rule.gate_pattern is not None]


def turned_away(rule: Rule, found: list[Sentence]) -> list[str]:
    """Sentences the rule fires on (its test run without the gate) that the gate refuses."""
    assert rule.gate_pattern is not None
    return [
        s.raw
        for s in found
        if not rule.gate_pattern.search(s.lower)
        and any(rule.test(s, context) is not None for context in CONTEXTS)
    ]


EXAMPLES = list(sentences_of([text for text, _, _ in POSITIVE] + NEGATIVE + MORE))


@pytest.mark.parametrize("rule", gated(), ids=lambda r: r.name)
def test_no_example_a_rule_fires_on_is_turned_away_by_its_gate(rule: Rule) -> None:
    assert turned_away(rule, EXAMPLES) == []


def test_the_examples_reach_every_tightened_gate() -> None:
    fired = {
        rule.name
        for rule in RULES
        for s in EXAMPLES
        if any(rule.test(s, context) for context in CONTEXTS)
    }
    assert {"procedure", "decision", "fact"} <= fired


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_no_sentence_of_the_real_corpus_is_turned_away() -> None:
    found = list(sentences_of(corpus_texts()))
    assert len(found) > 1000
    assert {rule.name: turned_away(rule, found) for rule in gated()} == {
        rule.name: [] for rule in gated()
    }


SPLITS = [
    "use pnpm. run the tests",
    "use pnpm! run the tests",
    "use pnpm? run the tests",
    "use pnpm\u2026 run the tests",
    "\u603b\u662f\u7528pnpm\u3002\u4e0d\u8981\u7528npm",
    "use pnpm; run the tests",
    "use pnpm -- run the tests",
    "use pnpm \u2014 run the tests",
    "use pnpm \u2013 run the tests",
    *(
        f"use pnpm {word} run the tests"
        for word in ("First", "Then", "Also", "Next", "Finally", "Afterwards", "Lets", "Let's")
    ),
    "use pnpm Please run the tests",
]


@pytest.mark.parametrize("line", SPLITS)
def test_every_kind_of_sentence_boundary_gets_past_the_quick_test(line: str) -> None:
    assert _BOUNDARY.search(line)
    assert _MAY_SPLIT.search(line)


def test_no_line_with_a_boundary_is_taken_for_one_sentence() -> None:
    texts = [text for text, _, _ in POSITIVE] + NEGATIVE + MORE + SPLITS
    if CORPUS.is_dir():
        texts += corpus_texts()
    lines = [line for text in texts for line in text.splitlines()]
    assert [line for line in lines if _BOUNDARY.search(line) and not _MAY_SPLIT.search(line)] == []
