"""Quick tests for pieces of words: does a text hold any of them?

The rules' gates and the extractor's test of a whole message ask only whether one of many
literal pieces occurs. A plain alternation (`remember|note|mind|...`) makes the regular
expression engine try every piece at every position; the same pieces arranged as a tree of
their shared beginnings (`n(?:ote|ow on)|...`) try one branch per position, several times
faster for a hundred pieces. The answer, found or not, is the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def any_of(pieces: Iterable[str]) -> re.Pattern[str] | None:
    """An expression that finds a text holding any of the pieces (None for no pieces).

    Pieces are matched literally; a piece that begins with another piece is left out, as any
    text holding it holds the shorter one too.
    """
    return _compiled(pieces, re.escape)


WORD_START = "<"
WORD_END = ">"
_PLACED = {WORD_START: r"\b", WORD_END: r"\b", " ": r"\s+"}


def placed(pieces: Iterable[str]) -> re.Pattern[str] | None:
    """Like `any_of`, for pieces that also say where they stand: `<` is a word's start, `>` a
    word's end, and a space one or more white space characters ("<we>" finds "we" but not
    "websocket" or "owe"; "<use" finds "user" but not "because"; "<now on>" finds "now  on").

    A rule's `needs` are such pieces (see rules.Rule): in text where none of them stands, the
    rule's expressions cannot match.
    """
    return _compiled(pieces, lambda char: _PLACED.get(char) or re.escape(char))


def _compiled(pieces: Iterable[str], token: Callable[[str], str]) -> re.Pattern[str] | None:
    unique = {piece for piece in pieces if piece}
    if not unique:
        return None
    shortest: list[str] = []
    for piece in sorted(unique):  # what begins with a piece sorts right after it
        if not (shortest and piece.startswith(shortest[-1])):
            shortest.append(piece)
    return re.compile(_tree(shortest, token))


def _tree(pieces: list[str], token: Callable[[str], str]) -> str:
    """The source of an expression for sorted pieces none of which begins another."""
    by_first: dict[str, list[str]] = {}
    for piece in pieces:
        by_first.setdefault(piece[0], []).append(piece[1:])
    branches = [
        token(first) + (_tree(rests, token) if rests != [""] else "")
        for first, rests in sorted(by_first.items())
    ]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
