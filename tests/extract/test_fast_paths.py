# ruff: noqa: RUF001  (the Cyrillic and CJK text is meant)
"""The extractor's shortcuts only spare it work: every proposal is the same with them or without.

Each shortcut skips an expression where it cannot change anything: the quick tests of
`memtui.extract.text` (`_may_hold`, `_may_respell`, `_may_contract`, `_UNEVEN_SPACE`,
`_TRAILING_START`, `_BOUNDARY_START`, `_ABBREVIATION_SPAN`), the CJK lead-ins of an ASCII
sentence, a message's challenge looked for only once one of its sentences reaches the rules.
The texts: the rules' examples, texts made to reach each shortcut, the real transcripts of the
shared corpus (when present) and sessions as `python -m bench ingest` generates them, read as
ingest reads them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.ingest import session_lines
from memtui.core.transcripts import MINED, Message, ReadState
from memtui.extract import Proposal, RuleExtractor, text
from memtui.extract.cues import any_of
from memtui.extract.redact import redact
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import detect
from tests.extract.test_gates import MORE, OPENERS, SPLITS, as_human, sentences_of
from tests.extract.test_rules import NEGATIVE, POSITIVE

CORPUS = Path("/work/shared/corpus/real")
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
EXAMPLES = [t for t, _, _ in POSITIVE] + NEGATIVE + MORE + SPLITS + OPENERS
TRICKY = [
    # what the wording takes off or changes, with and without a reason to
    "use pnpm  for\tevery  package ,  please",
    "please use pnpm, please don't use npm please",
    "Use pnpm thanks!!! :)",
    "use pnpm lol...",
    "use pnpm \u2026 ok",
    "用pnpm管理依赖，谢谢",
    "dont push, its ok; Doesnt matter, lets go, im sure ive done it",
    "DONT push to main",
    "do\u017fnt push to main, plea\u017fe",  # the long s: an s, when case is ignored
    "keep the build green like I asked",
    "keep the build green, as we discussed before.",
    "keep it green as I TOLD YOU",
    "never touch main, like we \u017faid",
    "run the linter before each commit because that's where CI fails",
    "run the linter before each commit since THIS is what CI runs",
    "use pnpm - not npm - for the web package",
    "use pnpm-lock - never npm",
    # words _respelled changes, at the edges of what counts as a word
    "use typescript, not javascript",
    "Deploy on vercel.",
    "the API is at api.example.com, the docs on github",
    "run python -m pytest, not pyhton",
    "dont touch teh enviroment",
    "Use `typescript` in code only; write TypeScript in prose",
    "json-schema files: keep them, sqlite/postgres both",
    "naïve typescriptish JSON\u212a iOS",
    # abbreviations before a boundary, far into a long line
    "Always run the tests, e.g. the unit ones. Then push. "
    + "word " * 40
    + "vs. the other ones. Never skip them approx. twice a day. Use No. 5 instead.",
    "Use approx. values. Use e.g. pnpm. Dr. Smith said so. Use i.e. the first. cf. the docs.",
]
TRAILING_WORDS = [
    *["please", "pls", "plz", "thanks", "thx", "lol", "etc", "ok", "okay"],
    *("thank you", "and so on", "for me", "пожалуйста", "спасибо", "плиз"),
]
"""The words _TRAILING takes off the end of a text."""
ENDS = [
    # each form _TRAILING takes off, in each case
    *(" " + word + dots for word in TRAILING_WORDS for dots in ("", ".", "...")),
    *(" " + word.upper() for word in TRAILING_WORDS),
    *("谢谢", " 谢啦", "多谢", " <3", ":)", " :-)", ":D", " :-d", ";)", ";-)", ":P", ":-p"),
    *(" xD", " XD", "^^", "!", "!!", "..", "...", "\u2026", ",", " ;", ": ", "，", "；"),
    *("：", "、", " \t", "\n", "\u3000", " please!!! :)", ", thanks.."),
]


def corpus_messages() -> list[list[Message]]:
    """Each transcript of the shared corpus, its human text redacted as ingest does."""
    found: list[list[Message]] = []
    for path in sorted(CORPUS.rglob("*")) if CORPUS.is_dir() else []:
        source = detect(path) if path.is_file() else None
        if source is not None:
            found.append(redacted(source.read(path, ReadState()).messages))
    return found


def bench_messages(folder: Path) -> list[list[Message]]:
    """Forty sessions as `bench ingest` generates them, read as ingest reads them."""
    rng = random.Random(3)
    source = ClaudeCodeSource()
    found = []
    for number in range(40):
        path = folder / f"session-{number}.jsonl"
        path.write_text("".join(session_lines(rng, "/home/dev/code/shop", START)))
        found.append(redacted(source.read(path, ReadState(), human_only=True).messages))
    return found


def redacted(messages: list[Message]) -> list[Message]:
    return [replace(m, text=redact(m.text).text) if m.author in MINED else m for m in messages]


def transcripts(folder: Path) -> Iterator[list[Message]]:
    said = EXAMPLES + TRICKY + [t + end for t in TRICKY[:8] for end in ENDS]
    yield as_human(said)
    yield from (as_human([t]) for t in said)
    yield from corpus_messages()
    yield from bench_messages(folder)


def propose_all(folder: Path) -> list[list[Proposal]]:
    extractor = RuleExtractor()
    return [extractor.propose(messages) for messages in transcripts(folder)]


def plain_trailing() -> re.Pattern[str]:
    """_TRAILING without its quick test."""
    pattern = text._TRAILING.pattern.removeprefix(text._TRAILING_START)
    return re.compile(pattern, text._TRAILING.flags)


def without_shortcuts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every quick test of `text` answering "maybe", every expression looking everywhere."""
    monkeypatch.setattr(text, "_may_hold", lambda _pieces, _text: True)
    monkeypatch.setattr(text, "_may_respell", lambda _text: True)
    monkeypatch.setattr(text, "_may_contract", lambda _text: True)
    monkeypatch.setattr(text, "_UNEVEN_SPACE", re.compile(""))
    monkeypatch.setattr(text, "_TRAILING", plain_trailing())
    monkeypatch.setattr(text, "_ABBREVIATION_SPAN", 10**9)  # the whole line before a boundary
    plain = text._BOUNDARY.pattern.removeprefix(text._BOUNDARY_START)
    monkeypatch.setattr(text, "_BOUNDARY", re.compile(plain, text._BOUNDARY.flags))


def test_the_shortcuts_change_no_proposal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = propose_all(tmp_path)
    without_shortcuts(monkeypatch)
    slow = propose_all(tmp_path)
    assert fast == slow
    assert sum(map(len, fast)) > 300
    if CORPUS.is_dir():
        assert sum(len(p) for p in fast[-len(corpus_messages()) - 40 :]) > 100  # corpus, bench


def all_texts(folder: Path) -> list[str]:
    texts = EXAMPLES + TRICKY + [t + end for t in TRICKY for end in ENDS]
    texts += [m.text for messages in corpus_messages() for m in messages]
    texts += [m.text for messages in bench_messages(folder) for m in messages]
    return texts


def test_the_wording_is_the_same_with_or_without_the_quick_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = [s.body for s in sentences_of(all_texts(tmp_path))]
    bodies += [t + end for t in TRICKY for end in ENDS]
    fast = [(text.reword(body), text.proposal_text(body)) for body in bodies]
    without_shortcuts(monkeypatch)
    assert [(text.reword(body), text.proposal_text(body)) for body in bodies] == fast
    assert sum(r != b for (r, _), b in zip(fast, bodies, strict=True)) > 20


def test_a_word_to_respell_is_never_missed(tmp_path: Path) -> None:
    pieces = [s.body for s in sentences_of(all_texts(tmp_path))] + TRICKY
    missed = [
        piece
        for piece in pieces
        if any(w.lower() in text._RESPELLABLE for w in text._WORD_TOKEN.findall(piece))
        and not text._may_respell(piece)
    ]
    assert missed == []
    assert sum(map(text._may_respell, pieces)) > 10


def test_every_form_taken_off_the_end_starts_where_the_quick_test_looks() -> None:
    start = re.compile(text._TRAILING_START, text._TRAILING.flags)
    for end in ENDS:
        found = plain_trailing().search("Use pnpm" + end)
        assert found is not None, end
        assert start.match(found.group()), end
        assert text._TRAILING.sub("", "Use pnpm" + end) == "Use pnpm", end


@pytest.mark.parametrize(
    ("pieces", "said", "maybe"),
    [
        (["please"], "PLEASE use pnpm", True),
        (["please"], "use pnpm", False),
        (["please"], "plea\u017fe use pnpm", True),  # not ASCII: maybe
        (["that", "this"], "because THAT is it", True),
        (["that", "this"], "because it is", False),
    ],
)
def test_what_may_hold_answers(pieces: list[str], said: str, maybe: bool) -> None:
    assert text._may_hold(any_of(pieces), said) is maybe


def test_sentences_split_the_same_with_or_without_the_quick_tests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = all_texts(tmp_path) + SPLITS + [line.replace(" ", "\n") for line in SPLITS]
    fast = list(sentences_of(texts))
    without_shortcuts(monkeypatch)
    assert list(sentences_of(texts)) == fast
    start = re.compile(text._BOUNDARY_START)
    for line in SPLITS:
        boundaries = list(text._BOUNDARY.finditer(line))
        assert boundaries, line
        assert all(start.match(line, b.start()) for b in boundaries), line


def test_sentences_split_the_same_with_the_short_abbreviation_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = all_texts(tmp_path)
    fast = list(sentences_of(texts))
    monkeypatch.setattr(text, "_ABBREVIATION_SPAN", 10**9)
    assert list(sentences_of(texts)) == fast
    raws = [s.raw for s in sentences_of(TRICKY[-2:])]
    assert "Use approx. values." in raws
    assert any(raw.startswith("Always run the tests, e.g. the unit ones.") for raw in raws)


@pytest.mark.parametrize(
    "said",
    ["a b c", "a  b", "a\tb", "a \nb", "a\u00a0b", " a", "a ", "a\u3000b", "ab", "a b  c d"],
)
def test_uneven_space_is_found_exactly_where_the_spaces_would_change(said: str) -> None:
    # Without it, runs of spaces reach _TRAILING, whose nested repetitions then backtrack
    # without end on a long run.
    assert bool(text._UNEVEN_SPACE.search(said)) is (text._SPACE.sub(" ", said) != said)


# The expression that trims the end, as it was written before each form took one step; it
# backtracked exponentially on "tests!!!!!!!!!!!!!!!!!!!!!!!!before" (3 s for 24 marks).
NESTED_TRAILING = re.compile(
    r"""(?:[\s,;:\uff0c\uff1b\uff1a\u3001]+
      | \s+(?:please|pls|plz|thanks|thank\s+you|thx|lol|etc\.*|and\s+so\s+on|for\s+me|ok|okay|
           пожалуйста|спасибо|плиз)\b\.*
      | \s*(?:谢谢|谢啦|多谢)
      | \s*(?:<3|:-?\)|:-?D|;-?\)|:-?P|xD|\^\^|!+|\.{2,}|\u2026))+$""",
    re.VERBOSE | re.IGNORECASE,
)
TAIL_PIECES = [
    *(" please", "please", " thank you", " etc", "etc.", " ok", "ok", " and so on", " for me"),
    *(" спасибо", " ПОЖАЛУЙСТА.", "谢谢", "谢啦 ", ".", "..", "!", ",", " ", ";", ":", "\t"),
    *("，", ":)", " :-D", "XD", "xd", "^^", "<3", "\u2026", "x", "pnpm", "-", "a."),
]


@given(st.lists(st.sampled_from(TAIL_PIECES), max_size=7))
@settings(max_examples=2000, deadline=None)
def test_the_end_is_trimmed_as_the_nested_expression_trimmed_it(pieces: list[str]) -> None:
    said = "Use pnpm" + "".join(pieces)
    assert text._TRAILING.sub("", said) == NESTED_TRAILING.sub("", said)


@pytest.mark.parametrize("run", ["!" * 60, "," * 60, "." * 60, " please.." * 30, "!!.. ,," * 20])
def test_a_long_run_of_marks_inside_a_message_is_left_alone(run: str) -> None:
    said = "Always run the tests" + run + "before pushing"
    assert text._TRAILING.sub("", said) == said
    assert text._TRAILING.sub("", "Always run the tests" + run) == "Always run the tests"
