"""The review list: one line per candidate, drawn through the line API.

Only the rows on screen are rendered, so 10,000 candidates cost what 30 do; removing the
current row after a decision and drawing the next one is a list operation and a repaint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from rich.cells import set_cell_size
from rich.segment import Segment
from textual.strip import Strip

from memtui.core.rows import InboxRow
from memtui.ui.format import KIND_LABEL, ago, flag_signs, tool_label, where
from memtui.ui.widgets.rowlist import RowList, fit

KIND_WIDTH = 10
TOOL_WIDTH = 12
PROJECT_WIDTH = 14
AGE_WIDTH = 4
SEEN_WIDTH = 3
CONF_WIDTH = 4
FLAGS_WIDTH = 3
FIXED = (
    2 + KIND_WIDTH + TOOL_WIDTH + PROJECT_WIDTH + AGE_WIDTH + SEEN_WIDTH + CONF_WIDTH + FLAGS_WIDTH
)
"""Cells taken by every column but the text (the spaces between columns not counted)."""


def text_width(width: int) -> int:
    """The statement column's width in a list `width` cells wide (one space between columns)."""
    return max(8, width - FIXED - 8)


class CandidateList(RowList):
    """Candidates, one per line, with a cursor and marks."""

    COMPONENT_CLASSES = {  # noqa: RUF012
        "candidate-list--marked",
        "candidate-list--kind",
        "candidate-list--muted",
        "candidate-list--flag",
    }
    DEFAULT_CSS = """
    CandidateList > .candidate-list--marked { color: $accent; text-style: bold; }
    CandidateList > .candidate-list--kind { color: $secondary; }
    CandidateList > .candidate-list--muted { color: $text-muted; }
    CandidateList > .candidate-list--flag { color: $warning; text-style: bold; }
    """

    class Highlighted(RowList.Highlighted):
        """The candidate under the cursor changed (`row` None: the list is empty)."""

        def __init__(self, rows: RowList, index: int) -> None:
            super().__init__(rows, index)
            listed = rows.rows if isinstance(rows, CandidateList) else []
            self.row: InboxRow | None = listed[index] if 0 <= index < len(listed) else None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[InboxRow] = []
        self.marked: set[int] = set()
        self.relations: dict[int, str] = {}
        self.now = datetime.now(UTC)

    # --- state handed down by the screen ------------------------------------------------------

    def show_rows(
        self, rows: Sequence[InboxRow], *, keep: int | None = None, now: datetime | None = None
    ) -> None:
        """Show these rows; the cursor goes to the row with id `keep`, else stays in place.
        Ages are counted to `now`."""
        self.rows = list(rows)
        self.now = now or datetime.now(UTC)
        position = self.cursor
        if keep is not None:
            position = next((i for i, r in enumerate(self.rows) if r.id == keep), position)
        self.marked &= {r.id for r in self.rows}
        self.reset(position=position, announce=False)

    def drop(self, ids: set[int]) -> None:
        """Take decided rows out; the cursor lands on the row that followed the current one."""
        if not ids:
            return
        current = self.cursor
        before = sum(1 for r in self.rows[:current] if r.id in ids)
        self.rows = [r for r in self.rows if r.id not in ids]
        self.marked -= ids
        self.reset(position=current - before, announce=False)

    def set_relations(self, relations: dict[int, str], checked: Iterable[int] = ()) -> None:
        """Marks of similar / may-replace for some rows (computed in the background): the
        rows `checked` lose the marks they had unless `relations` gives them one."""
        for row_id in checked:
            self.relations.pop(row_id, None)
        self.relations.update(relations)
        self.refresh()

    @property
    def current(self) -> InboxRow | None:
        """The row under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def toggle_mark(self) -> None:
        """Mark or unmark the current row, then move down (as file managers do)."""
        row = self.current
        if row is None:
            return
        self.marked.symmetric_difference_update({row.id})
        self.refresh()
        self.action_move(1)

    # --- RowList ------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self.rows)

    def row_key(self, index: int) -> object:
        return self.rows[index].id

    def header(self, width: int) -> Strip:
        text = (
            "  "
            + set_cell_size("kind", KIND_WIDTH + 1)
            + set_cell_size("statement", text_width(width) + 1)
            + set_cell_size("tool", TOOL_WIDTH + 1)
            + set_cell_size("project", PROJECT_WIDTH + 1)
            + set_cell_size("age", AGE_WIDTH + 1)
            + f"{'×':>{SEEN_WIDTH}} "
            + f"{'conf':>{CONF_WIDTH}} "
            + "⚑"
        )
        return self.header_line(text, width)

    def row(self, index: int, selected: bool, width: int) -> Strip:
        row = self.rows[index]
        base = self.line_style(selected)
        muted = base + self.get_component_rich_style("candidate-list--muted", partial=True)
        kind = base + self.get_component_rich_style("candidate-list--kind", partial=True)
        flag = base + self.get_component_rich_style("candidate-list--flag", partial=True)
        marked = row.id in self.marked
        mark_style = base + self.get_component_rich_style("candidate-list--marked", partial=True)
        text = " ".join(row.text.split())
        segments = [
            Segment("● " if marked else "  ", mark_style),
            Segment(set_cell_size(KIND_LABEL[row.kind], KIND_WIDTH) + " ", kind),
            Segment(fit(text, text_width(width)) + " ", mark_style if marked else base),
            Segment(set_cell_size(tool_label(row), TOOL_WIDTH) + " ", muted),
            Segment(fit(where(row), PROJECT_WIDTH) + " ", muted),
            Segment(set_cell_size(ago(row.last_seen, self.now), AGE_WIDTH) + " ", muted),
            Segment(f"{row.seen:>{SEEN_WIDTH}} ", base),
            Segment(f"{row.confidence:>{CONF_WIDTH}.2f} ", muted),
            Segment(set_cell_size(flag_signs(row, self.relations.get(row.id)), FLAGS_WIDTH), flag),
        ]
        strip = Strip(segments)
        return strip.adjust_cell_length(width, base)
