"""A rule's placed pieces (Rule.needs) and the extractor's screen built from them turn away
only sentences and messages the rules would not fire on.

Each rule's needs are read off its expressions by hand; these tests are the check that they
were read right: on its own examples, on the shared corpus and on generated text made of the
rules' words glued into other words (where a piece stands inside a word), a rule run without
any gate never fires where its needs are missing.
"""

from __future__ import annotations

import inspect
import random
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memtui.core.transcripts import Author, Message
from memtui.extract import RULES, RuleExtractor, rules
from memtui.extract.cues import any_of, placed
from memtui.extract.rules import Context, Rule
from memtui.extract.text import Sentence, sentences
from tests.extract.test_gates import (
    CONTEXTS,
    CORPUS,
    EXAMPLES,
    OPENERS,
    SPLITS,
    as_human,
    corpus_texts,
    sentences_of,
)


def placed_rules() -> list[Rule]:
    return [rule for rule in RULES if rule.needs_pattern is not None]


def lacking(rule: Rule, found: list[Sentence]) -> list[str]:
    """ASCII sentences the rule fires on (its test run with no gate) that lack its needs."""
    assert rule.needs_pattern is not None
    return [
        s.raw
        for s in found
        if s.lower.isascii()
        and not rule.needs_pattern.search(s.lower)
        and any(rule.test(s, context) is not None for context in CONTEXTS)
    ]


# --- cues.placed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "text", "found"),
    [
        (["<we>"], "look at the websocket test", False),
        (["<we>"], "owe it", False),
        (["<we>"], "we will use pnpm", True),
        (["<we>"], "so, we'll use pnpm", True),
        (["<use"], "because of it", False),
        (["<use"], "users first", True),
        (["end"], "the backend is at x", True),  # a piece may stand inside a word
        (["<now on>"], "from now  on", True),  # a space is any run of white space
        (["<now on>"], "from now\ton", True),
        (["<now on>"], "from nowon", False),
        (["<now on>"], "from now only", False),
        (["<a", "<ab>"], "xab", False),
        (["<a", "<ab>"], "abc", True),  # a piece that begins with another is implied by it
        ([":", "<to>"], "into", False),
        ([":", "<to>"], "a: b", True),
    ],
)
def test_placed_pieces(pieces: list[str], text: str, found: bool) -> None:
    pattern = placed(pieces)
    assert pattern is not None
    assert bool(pattern.search(text)) is found


def test_no_placed_pieces_is_no_expression() -> None:
    assert placed([]) is None
    assert placed([""]) is None


# --- each rule's needs -------------------------------------------------------------------------


@pytest.mark.parametrize("rule", placed_rules(), ids=lambda r: r.name)
def test_no_example_a_rule_fires_on_lacks_its_needs(rule: Rule) -> None:
    assert lacking(rule, EXAMPLES) == []


def test_every_ascii_rule_but_the_opener_and_the_consulting_ones_has_needs() -> None:
    assert {rule.name for rule in RULES if rule.ascii and rule.needs_pattern is None} == {
        "interrupted",
        "correction_no",
    }
    assert {rule.name for rule in RULES if not rule.ascii} == {"russian", "chinese"}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_no_sentence_of_the_real_corpus_lacks_the_needs_of_a_rule_firing_on_it() -> None:
    found = list(sentences_of(corpus_texts()))
    assert len(found) > 1000
    assert {rule.name: lacking(rule, found) for rule in placed_rules()} == {
        rule.name: [] for rule in placed_rules()
    }


def _words() -> list[str]:
    """The words of the rules' expressions and needs, and a few that hold pieces inside."""
    source = inspect.getsource(rules)
    words = {w.lower() for w in re.findall(r"[A-Za-z][a-z]+(?:['_-][a-z]+)?", source)}
    for rule in RULES:
        for piece in rule.needs:
            words.add(piece.strip("<>").replace("<", "").replace(">", ""))
    extra = "I we it's don't let's I'm we're I'd no, not $HOME :3000 src/ a.py : - -- ,"
    return sorted(words | set(extra.split()) | {"websocket", "because", "backend", "callers"})


WORDS = _words()
SEPARATORS = [" ", " ", " ", "", "  ", "\t", ", ", ": ", "'", "-", "; ", ". "]
"""Mostly a space; no separator glues two words, so that pieces stand inside words."""

sentence_text = st.lists(
    st.tuples(
        st.sampled_from(WORDS) | st.text(alphabet="abeinorstuwy'", min_size=1, max_size=4),
        st.sampled_from(SEPARATORS),
        st.booleans(),
    ),
    min_size=2,
    max_size=14,
).map(lambda parts: "".join((w.capitalize() if up else w) + sep for w, sep, up in parts))


@settings(max_examples=400, deadline=None)
@given(sentence_text)
def test_a_rule_never_fires_where_its_needs_are_missing(text: str) -> None:
    for sentence in sentences(text):
        for rule in placed_rules():
            assert lacking(rule, [sentence]) == [], rule.name


def test_the_generated_sentences_reach_the_rules() -> None:
    # Not a check of the needs: that the sentences generated above are ones rules fire on.
    fired = {
        rule.name
        for text in sentence_text_examples(3000)
        for s in sentences(text)
        for rule in placed_rules()
        if rule.test(s, Context())
    }
    assert len(fired) >= 8, fired


def sentence_text_examples(count: int) -> list[str]:
    """Texts made as `sentence_text` makes them, from a seeded generator."""
    rng = random.Random(11)
    texts = []
    for _ in range(count):
        parts = [
            (rng.choice(WORDS), rng.choice(SEPARATORS), rng.random() < 0.5)
            for _ in range(rng.randint(2, 14))
        ]
        texts.append("".join((w.capitalize() if up else w) + sep for w, sep, up in parts))
    return texts


# --- the extractor's screen --------------------------------------------------------------------

INSIDE_WORDS = [
    "can you look at the flaky websocket test",  # "we" (decision) in "websocket"
    "rename the config loader and update its callers",  # "name" in "rename", "all" in "callers"
    "check the address field because it breaks",  # "use" in "because", "add" in "address"
    "the backend tests are flaky",  # "end" and "are " (fact) but not "the backend is at"
    "fix the notes and the cannot-parse error",  # "not" in "notes" and "cannot"
]


@pytest.mark.parametrize("text", INSIDE_WORDS)
def test_a_piece_inside_a_word_where_the_rule_needs_a_word_is_passed_over(text: str) -> None:
    screen = RuleExtractor()._screen
    assert screen is not None
    gates = any_of(piece for rule in RULES for piece in rule.gate)
    assert gates is not None
    assert gates.search(text)
    assert screen.passes_over(text)
    assert RuleExtractor().propose(as_human([text])) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("We will use pnpm for the web package.", "decision"),
        ("The backend is at https://api.example.com/v2.", "fact"),
        ("Do not touch the generated files.", "imperative"),
        ("Use ruff, not flake8.", "contrast"),
        ("From now on, write commit messages in English.", "explicit"),
    ],
)
def test_a_message_a_rule_fires_on_is_not_passed_over(text: str, rule: str) -> None:
    screen = RuleExtractor()._screen
    assert screen is not None
    assert not screen.passes_over(text)
    [proposal] = RuleExtractor().propose(as_human([text]))
    assert proposal.rule == rule


def _unscreened() -> RuleExtractor:
    """The extractor as it was before needs: each rule behind its gate alone, no screen."""
    extractor = RuleExtractor([replace(r, needs=(), needs_pattern=None) for r in RULES])
    extractor._screen = None
    return extractor


SCREENED, UNSCREENED = RuleExtractor(), _unscreened()


@settings(max_examples=300, deadline=None)
@given(st.lists(sentence_text, min_size=1, max_size=3), st.booleans())
def test_a_message_the_screen_passes_over_has_no_proposal(
    texts: list[str], interrupted: bool
) -> None:
    text = " ".join(texts)
    screen = SCREENED._screen
    assert screen is not None
    before = as_human(["[Request interrupted by user]"]) if interrupted else []
    messages = [*before, Message(tool="t", author=Author.HUMAN, text=text, path="/t", line=9)]
    found = UNSCREENED.propose(messages)
    if screen.passes_over(text):
        assert found == []
    assert SCREENED.propose(messages) == found


KELVIN = [
    # The one character outside ASCII that lowercases into it (K, the Kelvin sign): such a
    # sentence's lowercased body is ASCII, and ignoring case in the rules means lowercasing.
    "\u212aeep the unit tests under 10 seconds.",
    "We will use \u212aotlin for the app.",
    "Never use \u212a8s here.",
]


def test_a_body_that_lowercases_into_ascii_gets_the_same_proposals() -> None:
    for text in KELVIN:
        assert not text.isascii()
        assert text.lower().isascii()
        proposals = SCREENED.propose(as_human([text]))
        assert proposals == UNSCREENED.propose(as_human([text]))
        assert proposals


def test_screening_with_needs_changes_no_proposal_on_the_examples() -> None:
    texts = [*INSIDE_WORDS, *SPLITS, *OPENERS, *KELVIN, *(s.raw for s in EXAMPLES)]
    if CORPUS.is_dir():
        texts += corpus_texts()
    interrupted = as_human(["[Request interrupted by user]"])
    for messages in [as_human(texts), *(interrupted + as_human([text]) for text in texts)]:
        assert SCREENED.propose(messages) == UNSCREENED.propose(messages)
