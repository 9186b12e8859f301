"""A list of many rows drawn through the line API: only the rows on screen are rendered.

The base keeps a cursor, moves it by keys and clicks, and says which row is highlighted;
a subclass says how many rows there are and draws one row or the header. The review, the
beliefs and the history lists are built on it.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def marked_text(
    text: str, positions: frozenset[int], width: int, base: Style, mark: Style
) -> list[Segment]:
    """`text` on one line in exactly `width` cells, the characters at `positions` in `mark`.

    Line breaks and tabs become spaces one for one, so the offsets still point at the same
    characters; a text too long is cut with an ellipsis.
    """
    flat = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    if flat.isascii() and flat.isprintable():  # one cell per character: cut by runs
        return _marked_ascii(flat, positions, width, base, mark)
    return _marked_cells(flat, positions, width, base, mark)


def _marked_cells(
    flat: str, positions: frozenset[int], width: int, base: Style, mark: Style
) -> list[Segment]:
    """marked_text of any text, character by character (wide characters take two cells)."""
    segments: list[Segment] = []
    run: list[str] = []
    run_marked = False
    used = 0
    cut = cell_len(flat) > width
    room = width - 1 if cut else width
    for offset, char in enumerate(flat):
        size = cell_len(char)
        if used + size > room:
            break
        is_marked = offset in positions
        if run and is_marked != run_marked:
            segments.append(Segment("".join(run), mark if run_marked else base))
            run = []
        run_marked = is_marked
        run.append(char)
        used += size
    if run:
        segments.append(Segment("".join(run), mark if run_marked else base))
    if cut:
        segments.append(Segment("…", base))
        used += 1
    if used < width:
        segments.append(Segment(" " * (width - used), base))
    return segments


def _marked_ascii(
    flat: str, positions: frozenset[int], width: int, base: Style, mark: Style
) -> list[Segment]:
    """marked_text for a text of printable ASCII (one cell each), in runs, not per character."""
    cut = len(flat) > width
    shown = flat[: max(0, width - 1)] if cut else flat
    segments: list[Segment] = []
    done = 0
    for offset in sorted(p for p in positions if 0 <= p < len(shown)):
        if offset < done:
            continue
        end = offset + 1
        while end in positions and end < len(shown):
            end += 1
        if offset > done:
            segments.append(Segment(shown[done:offset], base))
        segments.append(Segment(shown[offset:end], mark))
        done = end
    if done < len(shown):
        segments.append(Segment(shown[done:], base))
    if cut:
        segments.append(Segment("…", base))
    if len(shown) + cut < width:
        segments.append(Segment(" " * (width - len(shown) - cut), base))
    return segments


class RowList(ScrollView, can_focus=True):
    """Rows with a cursor; line 0 is a header, row i is line i + 1."""

    BINDINGS = [  # noqa: RUF012 - Textual reads this class attribute
        Binding("j,down", "move(1)", "Down", show=False),
        Binding("k,up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"row-list--header", "row-list--cursor"}  # noqa: RUF012
    DEFAULT_CSS = """
    RowList { background: $surface; scrollbar-gutter: stable; }
    RowList > .row-list--header { color: $text-muted; text-style: bold; }
    RowList > .row-list--cursor { background: $block-cursor-blurred-background; }
    RowList:focus > .row-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    class Highlighted(Message):
        """The row under the cursor changed (index -1: the list is empty)."""

        def __init__(self, rows: RowList, index: int) -> None:
            super().__init__()
            self.rows = rows
            self.index = index

        @property
        def control(self) -> RowList:
            return self.rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cursor = 0
        self._said: object = ()

    # --- for subclasses -----------------------------------------------------------------------

    def line_style(self, selected: bool) -> Style:
        """The style a row's line starts from: the cursor's on the row under it."""
        if selected:
            return self.rich_style + self.get_component_rich_style("row-list--cursor")
        return self.rich_style

    def header_line(self, text: str, width: int) -> Strip:
        """The header: column names, in exactly `width` cells."""
        style = self.rich_style + self.get_component_rich_style("row-list--header")
        return Strip([Segment(set_cell_size(text, width), style)], width)

    def row_count(self) -> int:
        """How many rows there are."""
        raise NotImplementedError

    def row_key(self, index: int) -> object:
        """What identifies the row at `index` (the list says Highlighted when it changes)."""
        return index

    def header(self, width: int) -> Strip:
        """The first line."""
        return Strip.blank(width, self.rich_style)

    def row(self, index: int, selected: bool, width: int) -> Strip:
        """The line of row `index`."""
        raise NotImplementedError

    def before_drawing(self, first: int, last: int) -> None:
        """Called once per repaint with the rows about to be drawn (fetch them in one go)."""

    # --- state ---------------------------------------------------------------------------------

    def reset(self, *, position: int = 0, announce: bool = True) -> None:
        """The rows changed: size the list again and put the cursor at `position`; say
        Highlighted even when the row under it is the same one, unless not `announce`."""
        self.virtual_size = Size(self.size.width, self.row_count() + 1)
        if announce:
            self._said = ()
        self._place(position)
        self.refresh()

    # --- moving -------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self._place(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._place(self.cursor + direction * max(1, self.size.height - 2))

    def action_jump(self, position: int) -> None:
        self._place(position if position >= 0 else self.row_count() - 1)

    def _place(self, position: int) -> None:
        count = self.row_count()
        position = max(0, min(position, count - 1))
        old = self.cursor
        self.cursor = position
        self.refresh_line(old + 1)  # lines of the virtual space: row i is line i + 1
        self.refresh_line(position + 1)
        # Line 0 is the header, so row i is line i + 1; the header hides the first line in
        # view, so the line above the row must be in view too.
        self.scroll_to_region(Region(0, position, 1, 2), animate=False, immediate=True, force=True)
        key = self.row_key(position) if count else None
        if key != self._said:
            self._said = key
            self.post_message(self.Highlighted(self, position if count else -1))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count() + 1)

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int) and offset >= 1:
            self._place(int(self.scroll_offset.y) + offset - 1)

    # --- drawing ------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        top = int(self.scroll_offset.y)
        first = max(0, top + crop.y - 1)
        last = min(self.row_count(), top + crop.y + crop.height)
        if last > first:
            self.before_drawing(first, last)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self.header(width)
        index = y - 1 + int(self.scroll_offset.y)
        if index >= self.row_count():
            return Strip.blank(width, self.rich_style)
        return self.row(index, index == self.cursor, width)
