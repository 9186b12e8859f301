"""The extractor's shortcuts only spare it work: every proposal is the same with them or without.

Each shortcut skips an expression where it cannot change anything (`text._may_respell`,
`text._ABBREVIATION_SPAN`, the CJK lead-ins of an ASCII sentence, a message's challenge looked
for only when one of its sentences reaches the rules). The texts: the rules' examples, the
real transcripts of the shared corpus (when present) and a slice of `python -m bench ingest`'s
generated sessions, read as ingest reads them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.ingest import session_lines
from memtui.core.transcripts import MINED, Message, ReadState
from memtui.extract import Proposal, RuleExtractor, text
from memtui.extract.redact import redact
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import detect
from tests.extract.test_gates import MORE, OPENERS, SPLITS, as_human, sentences_of
from tests.extract.test_rules import NEGATIVE, POSITIVE

CORPUS = Path("/work/shared/corpus/real")
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
EXAMPLES = [t for t, _, _ in POSITIVE] + NEGATIVE + MORE + SPLITS + OPENERS
TRICKY = [
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
    yield as_human(EXAMPLES + TRICKY)
    yield from (as_human([t]) for t in EXAMPLES + TRICKY)
    yield from corpus_messages()
    yield from bench_messages(folder)


def propose_all(folder: Path) -> list[list[Proposal]]:
    extractor = RuleExtractor()
    return [extractor.propose(messages) for messages in transcripts(folder)]


def test_the_shortcuts_change_no_proposal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = propose_all(tmp_path)
    monkeypatch.setattr(text, "_may_respell", lambda _text: True)
    monkeypatch.setattr(text, "_ABBREVIATION_SPAN", 10**9)  # the whole line before a boundary
    slow = propose_all(tmp_path)
    assert fast == slow
    assert sum(map(len, fast)) > 200
    if CORPUS.is_dir():
        assert sum(len(p) for p in fast[len(EXAMPLES + TRICKY) + 1 :]) > 50  # corpus, bench


def all_texts(folder: Path) -> list[str]:
    texts = list(EXAMPLES + TRICKY)
    texts += [m.text for messages in corpus_messages() for m in messages]
    texts += [m.text for messages in bench_messages(folder) for m in messages]
    return texts


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


def test_the_rewording_is_the_same_with_or_without_the_quick_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = [s.body for s in sentences_of(all_texts(tmp_path))] + TRICKY
    fast = [text.reword(body) for body in bodies]
    monkeypatch.setattr(text, "_may_respell", lambda _text: True)
    assert [text.reword(body) for body in bodies] == fast
    assert any(f != b for f, b in zip(fast, bodies, strict=True))


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
