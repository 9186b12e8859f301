"""Drawing one row of a list with the matched characters marked (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style

from memtui.ui.widgets.rowlist import _marked_ascii, _marked_cells, marked_text

BASE, MARK = Style(), Style(bold=True)


def test_marked_runs_are_cut_with_an_ellipsis_and_padded() -> None:
    marked = marked_text("use pnpm, not npm", frozenset({4, 5, 6, 7}), 12, BASE, MARK)
    assert [(s.text, s.style) for s in marked] == [
        ("use ", BASE),
        ("pnpm", MARK),
        (", n", BASE),
        ("…", BASE),
    ]
    padded = marked_text("ab", frozenset({1}), 4, BASE, MARK)
    assert [(s.text, s.style) for s in padded] == [("a", BASE), ("b", MARK), ("  ", BASE)]


def test_wide_characters_take_two_cells() -> None:
    marked = marked_text("用 pnpm", frozenset({2}), 5, BASE, MARK)
    assert sum(cell_len(s.text) for s in marked) == 5
    assert [s.text for s in marked if s.style == MARK] == ["p"]


@given(
    text=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
    positions=st.frozensets(st.integers(-2, 90), max_size=40),
    width=st.integers(0, 90),
)
def test_the_ascii_path_draws_what_the_general_one_does(
    text: str, positions: frozenset[int], width: int
) -> None:
    fast = _marked_ascii(text, positions, width, BASE, MARK)
    slow = _marked_cells(text, positions, width, BASE, MARK)
    assert [(s.text, s.style) for s in fast] == [(s.text, s.style) for s in slow]
