"""cues.any_of finds a text holding any of its pieces: exactly when one of them is in it."""

from __future__ import annotations

import random

import pytest

from memtui.extract.cues import any_of
from memtui.extract.rules import RULES


def holds_any(text: str, pieces: list[str]) -> bool:
    return any(piece in text for piece in pieces)


def test_nothing_to_find_is_no_expression() -> None:
    assert any_of([]) is None
    assert any_of(["", ""]) is None


@pytest.mark.parametrize(
    ("pieces", "text", "found"),
    [
        (["note", "now on", "no "], "i knew one thing", False),
        (["note", "now on", "no "], "from now on use pnpm", True),
        (["note", "now on", "no "], "no more npm", True),
        (["me ", "me,", "my "], "rename", False),
        (["me ", "me,", "my "], "ask me, then go", True),
        (["$", ".", "a+b", "(x"], "cost is $5", True),
        (["$", ".", "a+b", "(x"], "aab (y", False),
        (["to", "t"], "cat", True),  # a piece that begins with another is implied by it
    ],
)
def test_examples(pieces: list[str], text: str, found: bool) -> None:
    pattern = any_of(pieces)
    assert pattern is not None
    assert bool(pattern.search(text)) is found is holds_any(text, pieces)


def test_random_pieces_and_texts_agree_with_a_plain_search() -> None:
    rng = random.Random(3)
    alphabet = "abno .$"
    for _ in range(300):
        pieces = ["".join(rng.choices(alphabet, k=rng.randint(1, 4))) for _ in range(8)]
        pattern = any_of(pieces)
        assert pattern is not None
        for _ in range(20):
            text = "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
            assert bool(pattern.search(text)) is holds_any(text, pieces), (pieces, text)


def test_every_rule_gate_agrees_with_its_pieces() -> None:
    rng = random.Random(5)
    for rule in RULES:
        if rule.gate_pattern is None:
            continue
        texts = [f"xx {piece} yy" for piece in rule.gate] + [
            "".join(rng.choices("abcdefghilmnorstuwy :'", k=30)) for _ in range(200)
        ]
        for text in texts:
            assert bool(rule.gate_pattern.search(text)) is holds_any(text, list(rule.gate))
