"""A rule's gate only spares it work: no sentence the rule fires on is turned away by it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from memtui.core.models import Kind
from memtui.core.transcripts import Author, Message, ReadState
from memtui.extract import RULES, RuleExtractor
from memtui.extract.rules import Context, Hit, Rule
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


# --- the extractor's screen of whole messages ------------------------------------------------


def as_human(texts: list[str]) -> list[Message]:
    return [
        Message(tool="claude-code", author=Author.HUMAN, text=text, path="/t.jsonl", line=n)
        for n, text in enumerate(texts, 1)
    ]


def test_the_default_rules_can_screen_messages() -> None:
    # A rule without a gate that the screen does not know turns it off: gate it, or teach
    # extractor._Screen what it needs.
    assert RuleExtractor()._screen is not None


def test_a_rule_without_a_known_cue_turns_the_screen_off() -> None:
    loose = Rule("loose", Kind.FACT, 0.5, "fires on anything", lambda s, c: Hit(0, 1))
    assert RuleExtractor([*RULES, loose])._screen is None


@pytest.mark.parametrize(
    ("text", "passed_over"),
    [
        ("make the sidebar collapsible", True),
        ("add a retry to the upload client", True),
        ("ok", True),
        ("nah, leave the tabs", False),  # no piece of any gate: correction_no's opener
        ("Nope, leave the tabs alone", False),
        ("никогда не пушь в main", False),  # not ASCII: every sentence goes through the rules
        ("以后都用pnpm管理依赖", False),
        ("Always run the tests", False),
    ],
)
def test_what_the_screen_passes_over(text: str, passed_over: bool) -> None:
    screen = RuleExtractor()._screen
    assert screen is not None
    assert screen.passes_over(text) is passed_over


OPENERS = ["nah, leave the tabs", "Nope, leave the tabs alone", "NO, leave the tabs"]
"""Proposed by correction_no alone, holding no piece of any gate."""


def test_screening_changes_no_proposal() -> None:
    texts = [text for text, _, _ in POSITIVE] + NEGATIVE + MORE + SPLITS + OPENERS
    if CORPUS.is_dir():
        texts += corpus_texts()
    interrupted = as_human(["[Request interrupted by user]"])
    screened, unscreened = RuleExtractor(), RuleExtractor()
    unscreened._screen = None
    for messages in [as_human(texts), *(interrupted + as_human([text]) for text in texts)]:
        assert screened.propose(messages) == unscreened.propose(messages)
    assert sum(screened._screen.passes_over(text) for text in texts) > 20  # type: ignore[union-attr]


def test_an_opener_alone_is_enough_to_be_read() -> None:
    for text in OPENERS:
        [proposal] = RuleExtractor().propose(as_human([text]))
        assert proposal.rule == "correction_no"
