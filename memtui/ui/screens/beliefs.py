"""The beliefs browser: every memory kept, searched as you type, with its evidence, lineage and
revisions, and the actions on a belief.

The list is drawn from the search index (services.search), built once per app in a worker and
kept current: the worker that makes a change refreshes the memories it touched, and coming
back to the screen refreshes those the event log says changed meanwhile (the inbox's
decisions). Each keystroke searches in an exclusive worker; a newer keystroke cancels the
search under way, which stops at its next step (`stale=`), and a result that arrives after a
newer search began is dropped, never drawn.

As in the inbox, state flows down and messages up, every database call runs in a worker, and
changes go through one ordered writer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from memtui.core.errors import MemtuiError
from memtui.core.models import Kind, Scope, Status
from memtui.ui.beliefquery import BeliefQuery
from memtui.ui.format import KIND_LABEL, project_name, when
from memtui.ui.widgets.beliefs import BeliefList
from memtui.ui.widgets.panes import (
    BLANK,
    TabbedPanes,
    belief_lineage_content,
    lines,
    provenance_content,
    revision_diffs,
)
from memtui.ui.widgets.rowlist import RowList
from memtui.ui.widgets.searchbox import SearchBox
from memtui.ui.writer import Outcome, Writer, failed

if TYPE_CHECKING:
    from array import array
    from concurrent.futures import Future

    from textual.timer import Timer

    from memtui.core.records import IndexedMemory, MemoryDetail, SearchHit
    from memtui.services.firstpage import BeliefsPage
    from memtui.services.provenance import Provenance
    from memtui.services.search import SearchIndex
    from memtui.store.database import Database
    from memtui.ui.app import MemtuiApp

TABS = (("evidence", "p"), ("lineage", "l"), ("revisions", "d"))
DETAIL_DELAY = 0.05
"""Seconds a row stays under the cursor before its detail is read."""
TYPING_DETAIL_DELAY = 0.3
"""The same while the search box has the focus: a result drawn while typing is soon replaced."""
HOLD = 0.05
"""Seconds the repaints may be held for a search's result (`hold_frames`)."""
LOADING = Content.styled("Loading…", "$text-muted")
EMPTY = "No belief yet: confirm candidates in the inbox (i) and they appear here."


class BeliefsScreen(Screen[None]):
    """Browse, search and change the beliefs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("e", "edit", "Edit"),
        Binding("t", "kind", "Kind"),
        Binding("g", "scope", "Scope"),
        Binding("D", "deprecate", "Deprecate"),
        Binding("L", "lock", "Lock"),
        Binding("s", "supersede", "Supersede"),
        Binding("y", "copy", "Copy"),
        Binding("h", "history", "History"),
        Binding("i", "inbox", "Inbox"),
        Binding("p", "pane('evidence')", "Evidence", show=False),
        Binding("l", "pane('lineage')", "Lineage", show=False),
        Binding("d", "pane('revisions')", "Revisions", show=False),
        Binding("o", "next_sighting", "Next sighting", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back", show=False),
    ]
    KEYS: ClassVar[list[tuple[str, str]]] = [
        ("/", "search; also filters: kind:rule status:superseded project:api tool:codex locked"),
        ("enter ↓", "from the search box to the list"),
        ("e", "edit the text (a new revision)"),
        ("t", "change its kind"),
        ("g", "toggle global / project scope"),
        ("D", "deprecate: no longer believed"),
        ("L", "lock (pin) or unlock"),
        ("s", "supersede: pick the belief this one replaces"),
        ("y", "copy the text"),
        ("p l d", "show evidence, lineage or revisions"),
        ("o", "the next sighting in the evidence pane"),
        ("h", "history of this belief"),
        ("i escape", "back to the inbox"),
        ("?", "this help"),
    ]
    DEFAULT_CSS = """
    BeliefsScreen { layout: vertical; }
    BeliefsScreen #search { dock: top; border: tall $accent; }
    BeliefsScreen #list { height: 1fr; min-height: 6; }
    BeliefsScreen #empty {
        height: 1fr; display: none; padding: 1 2; background: $surface; color: $text;
    }
    BeliefsScreen.empty #empty { display: block; }
    BeliefsScreen.empty #list { display: none; }
    BeliefsScreen #below { height: 50%; border-top: solid $panel; }
    BeliefsScreen #card {
        width: 40%; height: 1fr; padding: 0 1; background: $surface;
        border-right: solid $panel;
    }
    BeliefsScreen #side { width: 1fr; }
    BeliefsScreen #status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.index: SearchIndex | None = None
        self.query_box = BeliefQuery()
        self.query_box_text = ""
        """The box as typed (for the status line while the index is being built)."""
        self.generation = 0
        """Raised by each search asked for; a result of an older one is dropped."""
        self.shown_text: str | None = None
        """The search text whose result is drawn (None: nothing drawn yet)."""
        self.dropped = 0
        """Results that arrived after a newer search began (not drawn)."""
        self.total = 0
        self.problems: tuple[str, ...] = ()
        self.detail: MemoryDetail | None = None
        self.shown: Provenance | None = None
        self.sighting = 0
        self.synced: datetime | None = None
        """When the index last caught up with the store (real time, as the event log's)."""
        self.sync_lock = threading.Lock()
        self.roots: list[str] | None = None
        self.tools: list[str] | None = None
        self.writer: Writer[Outcome] = Writer(self, lambda: self.database, self.written, failed)
        self.starting = False
        """Whether the first page and the index were asked for."""
        self.held: AbstractContextManager[None] | None = None
        """Textual's batch of repaints held while a search runs (`hold_frames`)."""
        self.held_timer: Timer | None = None
        self.drawn_status: str | None = None
        """The status line drawn: the same line is not drawn again (a repaint of the bottom
        row widens the region Textual paints per key to the whole screen)."""

    @property
    def database(self) -> Database:
        """The store (in a worker: never call this on the event loop)."""
        return self.memtui.store.database

    @property
    def memtui(self) -> MemtuiApp:
        from memtui.ui.app import MemtuiApp

        assert isinstance(self.app, MemtuiApp)
        return self.app

    @property
    def beliefs(self) -> BeliefList:
        return self.query_one(BeliefList)

    @property
    def side(self) -> TabbedPanes:
        """The evidence, lineage and revisions panes."""
        return self.query_one(TabbedPanes)

    def compose(self) -> ComposeResult:
        yield SearchBox(
            placeholder="search beliefs · kind:rule status:superseded project:api tool:codex "
            "locked",
            id="search",
        )
        yield BeliefList(id="list")
        yield Static(id="empty")
        with Horizontal(id="below"):
            yield Static(id="card")
            yield TabbedPanes(TABS, id="side")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.beliefs.focus()
        self.show_status()

    @on(ScreenResume)
    def resumed(self) -> None:
        """Draw the first beliefs and build the index the first time; later, catch up with
        changes made elsewhere."""
        if self.index is not None:
            self.catch_up()
        elif not self.starting:
            self.starting = True
            app = self.memtui
            first, app.first_beliefs = app.first_beliefs, None
            if app.search_index is not None:
                self.prepare()  # built already (another screen of this app)
            elif first is None:
                self.read_first_page()
            elif first.done():
                self.first_page(first.result() if first.exception() is None else None)
            else:
                self.wait_first_page(first)

    # --- the index ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="first", exit_on_error=False)
    def read_first_page(self) -> None:
        """The first beliefs read with sqlite3 (None for a store it cannot read)."""
        from memtui.services.firstpage import first_beliefs

        try:
            page = first_beliefs(self.memtui.store.url)
        except Exception:
            page = None
        self.app.call_from_thread(self.first_page, page)

    @work(thread=True, exclusive=True, group="first", exit_on_error=False)
    def wait_first_page(self, first: Future[BeliefsPage | None]) -> None:
        """Wait for the read the command line started (it is nearly done)."""
        try:
            page = first.result()
        except Exception:
            page = None
        self.app.call_from_thread(self.first_page, page)

    def first_page(self, page: BeliefsPage | None) -> None:
        """Draw the first screenful read before the index, then build the index behind it.

        The rows are the index's own first rows (same order, same content), so the list the
        index draws next only adds the rows below them.
        """
        if page is None or self.index is not None:
            self.prepare()
            return
        rows = {row.id: row for row in page.rows}

        def fetch(ids: Sequence[int]) -> list[IndexedMemory]:
            return [rows[i] for i in ids if i in rows]

        self.beliefs.show_listing([row.id for row in page.rows], fetch, now=self.memtui.clock())
        self.total = page.total
        self.shown_text = ""
        self.set_class(not page.rows, "empty")
        if not page.rows:
            self.query_one("#empty", Static).update(EMPTY)
        self.show_status()
        self.call_after_refresh(self.first_drawn)

    def first_drawn(self) -> None:
        self.memtui.first_screen_drawn()
        self.prepare()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def prepare(self) -> None:
        """The app's search index (built on first use), then the first listing."""
        from memtui.services.search import SearchIndex

        app = self.memtui
        with app.index_lock:
            index = app.search_index
            if index is None:
                began = datetime.now(UTC)
                index = SearchIndex.build(self.database)
                app.search_index = index
                app.index_built = began
        with self.sync_lock:
            self.synced = app.index_built
        self.app.call_from_thread(self.index_ready, index)

    def index_ready(self, index: SearchIndex) -> None:
        # What is alive now (modules, classes, the screens, the index's vocabulary) lives as
        # long as the app: freezing it keeps the collector's full passes from walking it
        # again. Those passes held the GIL 70-80 ms at a time while typing, the longest
        # stalls of the event loop; new objects are collected as before.
        self.memtui.pauses.freeze()
        self.index = index
        self.run_search()
        self.catch_up()
        self.memtui.first_screen_drawn()  # when no first page was drawn before the index

    @work(thread=True, exclusive=True, group="catch-up", exit_on_error=False)
    def catch_up(self) -> None:
        """Refresh the memories the event log changed since the index last caught up."""
        from memtui.services.history import timeline

        index = self.index
        if index is None:
            return
        with self.sync_lock:
            since = self.synced
            now = datetime.now(UTC)
            if since is None:
                return
            changed = {e.memory_id for e in timeline(self.database, since=since)}
            changed.discard(None)
            ids = {i for i in changed if i is not None}
            if ids:
                index.refresh(self.database, ids)
            self.synced = now
        if ids:
            self.app.call_from_thread(self.refreshed, tuple(ids), None)

    def refreshed(self, ids: tuple[int, ...], select: int | None) -> None:
        """These memories changed in the index: draw them again, search again."""
        self.roots = self.tools = None
        self.beliefs.forget(ids)
        current = self.beliefs.current_id
        self.run_search(keep=select if select is not None else current)
        if current is not None and current in ids:
            self.load_detail(current)

    # --- searching ----------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        self.query_box = BeliefQuery.parse(event.value)
        self.query_box_text = event.value.strip()
        if self.index is not None:
            self.hold_frames()
        self.run_search()

    def hold_frames(self) -> None:
        """Paint the letter typed and its results in one frame (at most HOLD seconds later).

        Textual paints at most once per 1/60 s: the frame echoing the letter, painted at once,
        made the frame of its results wait for the next period, and painting it took the GIL
        from the search meanwhile. So the screen's repaints are held (Textual's public
        `batch_update`) until the result of the newest search is drawn, or HOLD has passed.
        """
        if self.held is not None:
            return
        held = self.app.batch_update()
        held.__enter__()
        self.held = held
        self.held_timer = self.set_timer(HOLD, self.release_frames)

    @on(ScreenSuspend)
    def suspended(self) -> None:
        """Leaving the screen (another screen, a dialog) never leaves the repaints held."""
        self.release_frames()

    def release_frames(self) -> None:
        held, self.held = self.held, None
        if self.held_timer is not None:
            self.held_timer.stop()
            self.held_timer = None
        if held is not None:
            held.__exit__(None, None, None)

    @on(Input.Submitted, "#search")
    def submitted(self) -> None:
        self.beliefs.focus()

    def run_search(self, keep: int | None = None) -> None:
        """Search (or list) for what the box says; a newer call drops this one's result."""
        self.generation += 1
        if self.index is None:
            self.show_status()
            return
        self.search(self.generation, self.query_box, keep, self.beliefs.size.height)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search(self, generation: int, box: BeliefQuery, keep: int | None, rows: int) -> None:
        """The hits of the box's text, or the listing of its filters (empty text). The hits on
        the list's `rows` are marked here, not on the event loop as they are drawn."""
        from memtui.services.search import SearchFilters, Superseded

        worker = get_current_worker()
        index = self.index
        assert index is not None
        problems = list(box.problems)
        root = None
        if box.project is not None:
            if self.roots is None:
                self.roots = index.projects()
            root, problem = box.project_root(self.roots)
            problems += [problem] if problem else []
        tools = None
        if box.tool:
            if self.tools is None:
                self.tools = index.tools()
            tools, problem = box.tool_names(self.tools)
            problems += [problem] if problem else []
        filters = SearchFilters(
            statuses=box.statuses,
            kinds=box.kinds,
            scope=box.scope,
            project=root,
            with_global=False,
            tools=tools,
            locked=box.locked,
        )
        hits: list[SearchHit] | None = None
        ids: array[int] | None = None
        marker: Callable[[str], tuple[int, ...]] | None = None
        if box.text.strip():
            try:
                hits, marker = index.as_typed(
                    box.text, filters, marked=rows, stale=lambda: worker.is_cancelled
                )
            except Superseded:
                return
        else:
            ids = index.listing(filters)
        if worker.is_cancelled:
            return
        self.app.call_from_thread(
            self.found, generation, box, hits, ids, tuple(problems), keep, marker
        )

    def found(
        self,
        generation: int,
        box: BeliefQuery,
        hits: list[SearchHit] | None,
        ids: array[int] | None,
        problems: tuple[str, ...],
        keep: int | None,
        marker: Callable[[str], tuple[int, ...]] | None = None,
    ) -> None:
        """Draw a search's result, unless a newer search was asked for meanwhile. The rows
        drawn are marked as they are drawn (`marker`)."""
        if generation != self.generation or self.index is None:
            self.dropped += 1
            return
        index = self.index
        now = self.memtui.clock()
        if keep is None:
            keep = self.beliefs.current_id if self.shown_text == box.text else None
        if hits is not None:
            self.beliefs.show_hits(hits, index.entries, keep=keep, now=now, marker=marker)
            self.total = len(hits)
        else:
            assert ids is not None
            self.beliefs.show_listing(ids, index.entries, keep=keep, now=now)
            self.total = len(ids)
        self.shown_text = box.text
        self.problems = problems
        self.show_empty()
        self.show_status()
        self.release_frames()  # the letter and its result are painted in the next frame

    def show_status(self) -> None:
        if self.index is None:
            parts = ["indexing the beliefs…"]
            if self.shown_text is not None:
                parts.append(f"{self.total:,} belief{'' if self.total == 1 else 's'}, newest first")
            box = self.query_box
            if box.text.strip() or box.describe():
                parts.append(f"“{self.query_box_text}” is searched once the index is ready")
            text = " · ".join(parts)
        else:
            box = self.query_box
            noun = "belief" if box.statuses == frozenset({Status.CONFIRMED}) else "memor"
            plural = {"belief": "beliefs", "memor": "memories"}[noun]
            single = {"belief": "belief", "memor": "memory"}[noun]
            if box.text.strip():
                from memtui.services.search import TYPED_LIMIT  # loaded with the index

                best = " (the best)" if self.total >= TYPED_LIMIT else ""
                parts = [f"{self.total} {single if self.total == 1 else plural} found{best}"]
            else:
                parts = [f"{self.total:,} {single if self.total == 1 else plural}"]
            described = box.describe()
            if described:
                parts.append(described)
            parts.extend(self.problems)
            text = " · ".join(parts)
        if text != self.drawn_status:
            self.query_one("#status", Static).update(text, layout=False)  # one line, always
            self.drawn_status = text

    def show_empty(self) -> None:
        empty = self.index is not None and not self.beliefs.ids
        self.set_class(empty, "empty")
        if empty:
            if self.query_box.text.strip() or self.query_box.describe():
                text = "Nothing matches. Try other words, or fewer filters (status:all)."
            else:
                text = EMPTY
            self.query_one("#empty", Static).update(text)

    # --- the detail ---------------------------------------------------------------------------

    @on(RowList.Highlighted, "#list")
    def highlighted(self, event: RowList.Highlighted) -> None:
        """Draw what the index tells at once; load the rest in a worker."""
        self.detail = None
        self.shown = None
        self.sighting = 0
        memory = self.beliefs.current
        self.query_one("#card", Static).update(belief_card(memory, None), layout=False)
        if memory is None:
            self.side.show(evidence=BLANK, lineage=BLANK, revisions=BLANK)
            return
        self.side.show(evidence=LOADING, lineage=LOADING, revisions=LOADING)
        typing = self.focused is self.query_one("#search", Input)
        self.load_detail(memory.id, delay=TYPING_DETAIL_DELAY if typing else DETAIL_DELAY)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self, memory_id: int, sighting: int = 0, delay: float = 0.0) -> None:
        """The memory's detail, then one of its sightings read back from its transcript.

        After `delay` seconds, unless another row was highlighted meanwhile (this worker is
        then cancelled): reading a detail through SQLAlchemy is Python work that competes with
        the search for the GIL, and while the person types or runs down the list, the rows
        the cursor passes are not read.
        """
        from memtui.services import curate
        from memtui.services.provenance import provenance

        worker = get_current_worker()
        if delay:
            time.sleep(delay)
            if worker.is_cancelled:
                return
        try:
            detail = curate.show(self.database, memory_id, relations=False)
        except MemtuiError:
            return  # gone meanwhile: the list is being drawn again
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.detail_loaded, detail)
        evidence = sorted(
            detail.memory.evidence, key=lambda e: (e.timestamp or e.created_at, e.id), reverse=True
        )
        if evidence:
            shown = provenance(evidence[sighting % len(evidence)])
            if not worker.is_cancelled:
                self.app.call_from_thread(self.provenance_loaded, detail, shown)

    def detail_loaded(self, detail: MemoryDetail) -> None:
        if self.beliefs.current_id != detail.memory.id:
            return
        self.detail = detail
        self.query_one("#card", Static).update(
            belief_card(self.beliefs.current, detail), layout=False
        )
        self.side.show(
            evidence=evidence_content(detail, None, self.sighting),
            lineage=belief_lineage_content(detail),
            revisions=revisions_content(detail),
        )

    def provenance_loaded(self, detail: MemoryDetail, shown: Provenance) -> None:
        if self.detail is None or self.detail.memory.id != detail.memory.id:
            return
        self.shown = shown
        self.side.show(evidence=evidence_content(self.detail, shown, self.sighting))

    def action_next_sighting(self) -> None:
        """Show the next sighting's source message in the evidence pane."""
        if self.detail is None or len(self.detail.memory.evidence) < 2:
            return
        self.sighting = (self.sighting + 1) % len(self.detail.memory.evidence)
        self.side.tab = "evidence"
        self.load_detail(self.detail.memory.id, self.sighting)

    def action_pane(self, name: str) -> None:
        self.side.choose(name)

    # --- changing a belief --------------------------------------------------------------------

    def change(
        self, verb: str, apply: Callable[[Database, int], object], *, also: tuple[int, ...] = ()
    ) -> None:
        """Queue a change of the memory under the cursor; the index follows in the worker."""
        memory = self.beliefs.current
        if memory is None:
            return
        memory_id = memory.id

        def job(db: Database) -> Outcome:
            try:
                result = apply(db, memory_id)
            except MemtuiError as exc:
                return Outcome(error=str(exc))
            changed = {memory_id, *also}
            result_id = getattr(result, "id", None)
            if isinstance(result_id, int):
                changed.add(result_id)
            index = self.memtui.search_index
            if index is not None:
                index.refresh(db, changed)
            return Outcome(f"{verb} #{memory_id}", changed=tuple(sorted(changed)), select=memory_id)

        self.writer.put(job)

    def written(self, outcome: Outcome) -> None:
        if outcome.error:
            self.notify(outcome.error, title="Not done", severity="error", timeout=8)
            return
        self.notify(outcome.message, timeout=3)
        self.refreshed(outcome.changed, outcome.select)

    def action_edit(self) -> None:
        from memtui.services import curate
        from memtui.ui.screens.dialogs import EditScreen

        memory = self.beliefs.current
        if memory is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.change("Edited", lambda db, i: curate.edit(db, i, text=text))

        self.app.push_screen(EditScreen(f"Edit #{memory.id}", memory.text), done)

    def action_kind(self) -> None:
        from memtui.services import curate
        from memtui.ui.screens.dialogs import KindScreen

        memory = self.beliefs.current
        if memory is None:
            return

        def chosen(kind: Kind | None) -> None:
            if kind is not None and kind != memory.kind:
                self.change(
                    f"Kind {KIND_LABEL[kind]}:", lambda db, i: curate.edit(db, i, kind=kind)
                )

        self.app.push_screen(KindScreen(memory.kind), chosen)

    def action_scope(self) -> None:
        from memtui.services import curate
        from memtui.services.curate import ScopeChange

        memory = self.beliefs.current
        if memory is None:
            return
        to_global = memory.scope != Scope.GLOBAL
        scope = ScopeChange(Scope.GLOBAL if to_global else Scope.PROJECT)
        label = "Global:" if to_global else "Project scope:"
        self.change(label, lambda db, i: curate.edit(db, i, scope=scope))

    def action_deprecate(self) -> None:
        from memtui.services import curate

        self.change("Deprecated", lambda db, i: curate.deprecate(db, i))

    def action_lock(self) -> None:
        from memtui.services import curate

        memory = self.beliefs.current
        if memory is None:
            return
        if memory.locked:
            self.change("Unlocked", lambda db, i: curate.unlock(db, i))
        else:
            self.change("Locked", lambda db, i: curate.lock(db, i))

    def action_supersede(self) -> None:
        """Pick the belief the one under the cursor replaces."""
        from memtui.services import curate, pick
        from memtui.ui.screens.dialogs import PickerScreen

        memory = self.beliefs.current
        if memory is None:
            return
        project = None if memory.scope == Scope.GLOBAL else memory.project

        def chosen(old_id: int | None) -> None:
            if old_id is None:
                return
            self.change(
                f"Superseded #{old_id} by",
                lambda db, i: curate.supersede(db, old_id, new_id=i),
                also=(old_id,),
            )

        self.app.push_screen(
            PickerScreen(
                "Which belief does this one replace?",
                memory.text,
                lambda: pick.belief_choices(self.database, project),
            ),
            chosen,
        )

    def action_copy(self) -> None:
        memory = self.beliefs.current
        if memory is not None:
            self.copy(memory.text)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def copy(self, text: str) -> None:
        from memtui.ui.clipboard import copy_text

        said = copy_text(self.app, text)
        self.app.call_from_thread(self.notify, said, timeout=4)

    # --- moving around ------------------------------------------------------------------------

    def action_history(self) -> None:
        self.memtui.open_history(memory_id=self.beliefs.current_id)

    def action_inbox(self) -> None:
        self.memtui.open_screen("inbox")

    def action_back(self) -> None:
        """From the search box to the list; from the list back to the inbox."""
        if self.focused is self.query_one("#search", Input):
            self.beliefs.focus()
        else:
            self.action_inbox()

    def on_key(self, event: object) -> None:
        """↓ in the search box goes to the list."""
        if getattr(event, "key", None) == "down" and isinstance(self.focused, Input):
            self.beliefs.focus()

    def action_help(self) -> None:
        from memtui.ui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self.KEYS, title="memtui: browsing beliefs", signs=False))


def belief_card(memory: IndexedMemory | None, detail: MemoryDetail | None) -> Content:
    """The memory under the cursor: its text and what is known about it."""
    if memory is None:
        return Content("No belief selected.")
    where = "global" if memory.scope == Scope.GLOBAL else project_name(memory.project)
    facts: list[str | tuple[str, str]] = [
        (KIND_LABEL[memory.kind], "bold $secondary"),
        f"  #{memory.id}  ",
        (memory.status.value, "bold" if memory.status != Status.CONFIRMED else "$text-muted"),
        "  ",
        (where, "$text-muted"),
    ]
    if memory.locked:
        facts.append(("  ⚿ locked", "bold $warning"))
    rows: list[Content | str] = [Content.styled(memory.text, "bold"), Content.assemble(*facts)]
    if memory.tools:
        rows.append(Content.styled(f"seen in {', '.join(memory.tools)}", "$text-muted"))
    rows.append(Content.styled(f"changed {when(memory.updated_at)}", "$text-muted"))
    if detail is not None:
        record = detail.memory
        rows.append(
            Content.styled(
                f"seen {len(record.evidence)}×  confidence {record.confidence:.2f}  "
                f"{len(detail.revisions)} revision{'s' if len(detail.revisions) != 1 else ''}",
                "$text-muted",
            )
        )
        if record.superseded_by is not None:
            rows.append(Content.styled(f"superseded by #{record.superseded_by}", "$warning"))
    return lines(*rows)


def evidence_content(detail: MemoryDetail, shown: Provenance | None, sighting: int) -> Content:
    """The sighting shown in its transcript (o: the next), then every sighting."""
    evidence = detail.memory.evidence
    if not evidence:
        return Content.styled("No sighting: typed into memtui.", "$text-muted")
    head = Content.styled(
        f"Sighting {sighting % len(evidence) + 1} of {len(evidence)}"
        + (" (o: the next)" if len(evidence) > 1 else ""),
        "bold",
    )
    return lines(head, provenance_content(evidence, shown, loading=shown is None))


def revisions_content(detail: MemoryDetail) -> Content:
    """Each revision against the one before, word by word."""
    rows = revision_diffs(detail.revisions)
    if not rows:
        return Content("One version: it was never edited.")
    return lines(*rows)
