"""The beliefs list: any number of memories, one per line, matched characters highlighted.

The list holds ids only (the search index's compact listing, or a search's hits) and asks the
index for the memories of the rows about to be drawn, a screenful at a time: 100,000 beliefs
cost what 40 do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from memtui.core.models import Scope, Status
from memtui.ui.format import KIND_LABEL, ago, project_name
from memtui.ui.widgets.rowlist import RowList, fit, marked_text

if TYPE_CHECKING:
    from memtui.core.records import IndexedMemory, SearchHit

KIND_WIDTH = 10
STATUS_WIDTH = 10
PROJECT_WIDTH = 14
TOOLS_WIDTH = 12
AGE_WIDTH = 4
FIXED = 2 + KIND_WIDTH + STATUS_WIDTH + PROJECT_WIDTH + TOOLS_WIDTH + AGE_WIDTH + 6
CACHE_LIMIT = 4_000
"""Memories kept for drawing; past this the cache starts again from the rows on screen."""

Fetch = Callable[[Sequence[int]], "list[IndexedMemory]"]
Marker = Callable[[str], tuple[int, ...]]


def text_width(width: int) -> int:
    """The statement column's width in a list `width` cells wide."""
    return max(8, width - FIXED)


class BeliefList(RowList):
    """Memories by id; the rows on screen are fetched from the index as they are drawn."""

    COMPONENT_CLASSES = {  # noqa: RUF012
        "belief-list--match",
        "belief-list--kind",
        "belief-list--muted",
        "belief-list--lock",
    }
    DEFAULT_CSS = """
    BeliefList > .belief-list--match { color: $accent; text-style: bold underline; }
    BeliefList > .belief-list--kind { color: $secondary; }
    BeliefList > .belief-list--muted { color: $text-muted; }
    BeliefList > .belief-list--lock { color: $warning; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ids: Sequence[int] = ()
        self.positions: dict[int, frozenset[int]] = {}
        """The matched characters of the rows drawn (or of every hit, when they came with them)."""
        self.marker: Marker | None = None
        self.cache: dict[int, IndexedMemory] = {}
        self.fetch: Fetch | None = None
        self.now = datetime.now(UTC)
        self._styles: dict[bool, tuple[Style, Style, Style, Style, Style]] = {}

    # --- state handed down by the screen ------------------------------------------------------

    def show_listing(
        self, ids: Sequence[int], fetch: Fetch, *, keep: int | None = None, now: datetime
    ) -> None:
        """Show these ids (fetched from the index as drawn); the cursor goes to `keep`."""
        self.ids = ids
        self.fetch = fetch
        self.positions = {}
        self.marker = None
        self.cache = {}
        self.now = now
        self.reset(position=self._index_of(keep))

    def show_hits(
        self,
        hits: Sequence[SearchHit],
        fetch: Fetch,
        *,
        keep: int | None = None,
        now: datetime,
        marker: Marker | None = None,
    ) -> None:
        """Show a search's hits, best first, their matched characters highlighted: those the
        hits carry, and, given a `marker`, for the hits without, those it finds in each row as
        the row is drawn."""
        self.ids = [hit.memory.id for hit in hits]
        self.fetch = fetch
        self.marker = marker
        self.positions = {
            h.memory.id: frozenset(h.positions) for h in hits if h.positions or marker is None
        }
        self.cache = {hit.memory.id: hit.memory for hit in hits}
        self.now = now
        self.reset(position=self._index_of(keep))

    def forget(self, ids: Sequence[int]) -> None:
        """These memories changed: fetch them again when drawn."""
        for memory_id in ids:
            self.cache.pop(memory_id, None)
        self.refresh()

    def _index_of(self, memory_id: int | None) -> int:
        if memory_id is None:
            return 0
        for position, found in enumerate(self.ids):
            if found == memory_id:
                return position
        return 0

    @property
    def current_id(self) -> int | None:
        """The id of the memory under the cursor."""
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def current(self) -> IndexedMemory | None:
        """The memory under the cursor, as the index holds it."""
        memory_id = self.current_id
        if memory_id is None:
            return None
        if memory_id not in self.cache:
            self.before_drawing(self.cursor, self.cursor + 1)
        return self.cache.get(memory_id)

    # --- RowList ------------------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self.ids)

    def row_key(self, index: int) -> object:
        return self.ids[index]

    def before_drawing(self, first: int, last: int) -> None:
        """Fetch the memories of these rows (and a screenful around) that are not cached."""
        if self.fetch is None:
            return
        margin = max(1, self.size.height)
        start, end = max(0, first - margin), min(len(self.ids), last + margin)
        wanted = [i for i in self.ids[start:end] if i not in self.cache]
        if not wanted:
            return
        if len(self.cache) + len(wanted) > CACHE_LIMIT:
            self.cache = {}
            wanted = list(self.ids[start:end])
        for memory in self.fetch(wanted):
            self.cache[memory.id] = memory

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = {}  # worked out once per repaint, not once per row
        return super().render_lines(crop)

    def _row_styles(self, selected: bool) -> tuple[Style, Style, Style, Style, Style]:
        """A row's styles: base, muted, kind, lock and match."""
        if selected not in self._styles:
            base = self.line_style(selected)

            def part(name: str) -> Style:
                return base + self.get_component_rich_style(f"belief-list--{name}", partial=True)

            self._styles[selected] = (
                base,
                part("muted"),
                part("kind"),
                part("lock"),
                part("match"),
            )
        return self._styles[selected]

    def header(self, width: int) -> Strip:
        text = (
            "  "
            + set_cell_size("kind", KIND_WIDTH + 1)
            + set_cell_size("statement", text_width(width) + 1)
            + set_cell_size("status", STATUS_WIDTH + 1)
            + set_cell_size("project", PROJECT_WIDTH + 1)
            + set_cell_size("tools", TOOLS_WIDTH + 1)
            + "age"
        )
        return self.header_line(text, width)

    def row(self, index: int, selected: bool, width: int) -> Strip:
        memory_id = self.ids[index]
        memory = self.cache.get(memory_id)
        if memory is None:
            self.before_drawing(index, index + 1)
            memory = self.cache.get(memory_id)
        base, muted, kind, lock, match = self._row_styles(selected)
        if memory is None:  # removed from the index meanwhile
            return Strip([Segment(fit(f"  #{memory_id} (gone)", width), base)], width)
        marks = self.positions.get(memory_id)
        if marks is None:
            marks = frozenset(self.marker(memory.text)) if self.marker else frozenset()
            self.positions[memory_id] = marks
        where = "global" if memory.scope == Scope.GLOBAL else project_name(memory.project)
        status = "" if memory.status == Status.CONFIRMED else memory.status.value
        segments = [
            Segment("⚿ " if memory.locked else "  ", lock),
            Segment(set_cell_size(KIND_LABEL[memory.kind], KIND_WIDTH) + " ", kind),
            *marked_text(memory.text, marks, text_width(width), base, match),
            Segment(" " + set_cell_size(status, STATUS_WIDTH) + " ", muted),
            Segment(fit(where, PROJECT_WIDTH) + " ", muted),
            Segment(fit(", ".join(memory.tools), TOOLS_WIDTH) + " ", muted),
            Segment(set_cell_size(ago(memory.updated_at, self.now), AGE_WIDTH), muted),
        ]
        return Strip(segments).adjust_cell_length(width, base)
