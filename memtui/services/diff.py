"""Word-level differences between two statements, for the diff view. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
"""Words, runs of white space, and single punctuation marks: the units a person reads."""


class Change(StrEnum):
    """What happened to a run of words."""

    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text that is the same in both statements, or only in one of them."""

    change: Change
    text: str


def tokens(text: str) -> list[str]:
    """`text` cut into words, spaces and punctuation; joined back they give `text`."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn `old` into `new`: removed words come before the added ones that
    replace them, and neighbouring pieces of one kind are joined."""
    before, after = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _append(pieces, Change.SAME, "".join(before[i1:i2]))
            continue
        _append(pieces, Change.REMOVED, "".join(before[i1:i2]))
        _append(pieces, Change.ADDED, "".join(after[j1:j2]))
    return pieces


def _append(pieces: list[Piece], change: Change, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].change == change:
        pieces[-1] = Piece(change, pieces[-1].text + text)
    else:
        pieces.append(Piece(change, text))


def unchanged(pieces: list[Piece]) -> bool:
    """Whether a diff has no change at all."""
    return all(piece.change == Change.SAME for piece in pieces)
