"""The line-API row list: a row with its matched characters marked, the cursor kept in view."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from memtui.ui.widgets.rowlist import RowList, _marked_ascii, _marked_cells, marked_text

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


class Numbers(RowList):
    """A RowList of numbered rows."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def row_count(self) -> int:
        return self.count

    def row(self, index: int, selected: bool, width: int) -> Strip:
        return Strip([Segment(f"{'>' if selected else ' '} row {index}".ljust(width))], width)


class ListApp(App[None]):
    CSS = "Numbers { height: 10; }"

    def compose(self) -> ComposeResult:
        yield Numbers(100)

    def on_mount(self) -> None:
        self.query_one(Numbers).reset()
        self.query_one(Numbers).focus()


def drawn_cursor(numbers: Numbers) -> list[str]:
    lines = [
        "".join(s.text for s in strip)
        for strip in numbers.render_lines(numbers.region.reset_offset)
    ]
    return [line for line in lines[1:] if line.startswith(">")]  # line 0 is the header


async def test_the_cursor_row_is_never_hidden_under_the_header() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        numbers = app.query_one(Numbers)
        for key, steps in (("j", 30), ("k", 30), ("pagedown", 4), ("pageup", 4), ("end", 1)):
            for _ in range(steps):
                await pilot.press(key)
                await pilot.pause()
                assert drawn_cursor(numbers) == [f"> row {numbers.cursor}".ljust(40)[:40]]
        numbers.reset(position=0)  # rows changed while scrolled down: back to the first
        await pilot.pause()
        assert numbers.scroll_offset.y == 0
        assert drawn_cursor(numbers)[0].startswith("> row 0")
