"""The review inbox: pending candidates, one key per decision, with provenance, lineage and diff.

State flows down and messages up: the screen holds the rows and hands them to the list; the
list says which row is highlighted; the screen loads that row's detail in a worker and hands it
to the panes. Every database call runs in a worker thread. Decisions go through one writer
thread, in the order they were made, so undo always undoes the newest.

The services are imported inside the workers that call them: the first frame needs none of
SQLAlchemy, rapidfuzz or the transcript parsers, so the inbox is drawn before they load.

A decision is drawn at once: the decided rows leave the list and the cursor lands on the next
candidate before the store is written. If the write fails, the person is told and the list
is read again, so nothing is shown as decided that is not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from memtui.core.errors import MemtuiError
from memtui.core.models import Kind, Scope, Status
from memtui.core.rows import InboxRow
from memtui.services.review import Look, first_look
from memtui.ui.filtering import Filter
from memtui.ui.format import project_name
from memtui.ui.widgets.candidates import CandidateList
from memtui.ui.widgets.panes import (
    BLANK,
    TabbedPanes,
    card,
    diff_pane_content,
    lineage_content,
    provenance_content,
)
from memtui.ui.writer import Writer

if TYPE_CHECKING:
    from memtui.core.records import ExportPlan, MemoryDetail
    from memtui.services.provenance import Provenance
    from memtui.store.database import Database
    from memtui.ui.app import MemtuiApp

TABS = (("provenance", "p"), ("lineage", "l"), ("diff", "d"))
"""The panes beside the candidate, and their keys."""
RELATION_BATCH = 500
"""Candidates scored against the beliefs per step of the background similar/replace pass."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a write did: how many undoable operations it made, and what to tell."""

    operations: int
    message: str
    error: str | None = None
    reselect: int | None = None
    """A memory to put the cursor on once the list is read again (after an undo)."""
    warning: str | None = None
    then: Callable[[], None] | None = None
    """What to do next on the event loop (open a dialog with what the job found)."""
    reload: bool = True
    """Whether the list must be read again (a preview changes nothing)."""


def export_outcome(plan: ExportPlan, *, written: bool) -> Outcome:
    """What an export did, in one line, and the files it could not write with their reasons."""
    counts: dict[str, int] = {}
    for file in plan.files:
        verb = file.action.value
        if verb in ("create", "update") and written and not file.written:
            verb = "blocked"
        counts[verb] = counts.get(verb, 0) + 1
    where = project_name(plan.project) if plan.project else "user-level files"
    words = {"create": "created", "update": "updated", "unchanged": "unchanged"}
    done = ", ".join(f"{counts[k]} {w}" for k, w in words.items() if counts.get(k))
    blocked = [f"{f.path}: {f.reason}" for f in plan.files if f.reason]
    message = f"Exported {where}: {done or 'no rules file to write'}"
    return Outcome(0, message, warning="\n".join(blocked) or None, reload=False)


class InboxScreen(Screen[None]):
    """Triage pending candidates."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "decide('confirm')", "Confirm"),
        Binding("x", "decide('reject')", "Reject"),
        Binding("e", "edit", "Edit"),
        Binding("s", "supersede", "Supersede"),
        Binding("m", "merge", "Merge"),
        Binding("t", "kind", "Kind"),
        Binding("g", "scope", "Scope"),
        Binding("space", "mark", "Mark", key_display="␣"),
        Binding("u", "undo", "Undo"),
        Binding("E", "export", "Export"),
        Binding("P", "preview", "Preview export", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("p", "pane('provenance')", "Provenance", show=False),
        Binding("l", "pane('lineage')", "Lineage", show=False),
        Binding("d", "pane('diff')", "Diff", show=False),
        Binding("b", "beliefs", "Beliefs", show=False),
        Binding("h", "history", "History", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "clear", "Clear filter/marks", show=False),
    ]
    KEYS: ClassVar[list[tuple[str, str]]] = [
        ("c", "confirm: the candidate becomes a belief"),
        ("x", "reject: never proposed again"),
        ("e", "edit the text, then confirm"),
        ("s", "supersede: pick the belief it replaces"),
        ("m", "merge into a belief that says the same"),
        ("t", "change its kind"),
        ("g", "toggle global / project scope"),
        ("space", "mark; decisions then act on every marked one"),
        ("u", "undo the last decision"),
        ("E", "export the beliefs into this project's rules files"),
        ("P", "preview the export as diffs (then w writes, y copies)"),
        ("/", "filter: words, kind:…, tool:…, project:…"),
        ("p l d", "show provenance, lineage or diff"),
        ("b", "the beliefs: search, browse, edit"),
        ("h", "the history of every change"),
        ("j k ↑ ↓", "move; PgUp PgDn Home End"),
        ("escape", "clear the filter and the marks"),
        ("?", "this help"),
        ("q", "quit"),
    ]
    DEFAULT_CSS = """
    InboxScreen { layout: vertical; }
    InboxScreen #filter { dock: top; border: tall $accent; }
    InboxScreen #list { height: 1fr; min-height: 6; }
    InboxScreen #empty {
        height: 1fr; display: none; padding: 1 2; background: $surface; color: $text;
    }
    InboxScreen.empty #empty { display: block; }
    InboxScreen.empty #list { display: none; }
    InboxScreen #below { height: 55%; border-top: solid $panel; }
    InboxScreen #card {
        width: 40%; padding: 0 1; background: $surface; border-right: solid $panel;
    }
    InboxScreen #side { width: 1fr; }
    InboxScreen #status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, empty_hint: str = "", deferred: bool = False) -> None:
        super().__init__()
        self.empty_hint = empty_hint
        self.composed = not deferred
        """Whether its widgets are there. Under a screen the app opened on first (beliefs,
        history), the inbox is composed once that screen is drawn (`build`): composing both
        at start made the first frame 15-20 ms later."""
        self.rows: list[InboxRow] = []
        self.filter = Filter()
        self.counts: dict[Status, int] = {}
        self.detail: MemoryDetail | None = None
        self.shown: Provenance | None = None
        self.undo_sizes: list[int] = []
        self.last_project: str | None = None
        self.loaded = False
        self.begun = False
        self.related_stamp: tuple[int, int, str] | None = None
        """The beliefs (relate.beliefs_stamp) the rows' flags were worked out against."""
        self.related: dict[int, tuple[str, Scope, str | None]] = {}
        """The rows flagged against them, with what the flags were worked out from (in the
        rows' worker only)."""
        self.writer: Writer[Outcome] = Writer(
            self, lambda: self.database, self.decided, lambda error: Outcome(0, "", error=error)
        )

    @property
    def database(self) -> Database:
        """The store, opened on first use (in a worker: never call this on the event loop)."""
        return self.memtui.store.database

    @property
    def memtui(self) -> MemtuiApp:
        from memtui.ui.app import MemtuiApp

        assert isinstance(self.app, MemtuiApp)
        return self.app

    def now(self) -> datetime:
        """The app's clock (fixed in snapshot tests, so ages do not drift)."""
        return self.memtui.clock()

    def compose(self) -> ComposeResult:
        if not self.composed:
            return
        yield CandidateList(id="list")
        yield Static(id="empty")
        with Horizontal(id="below"):
            yield Static(id="card")
            yield TabbedPanes(TABS, id="side")
        yield Static(id="status")
        yield Footer(compact=True)

    @property
    def candidates(self) -> CandidateList:
        return self.query_one(CandidateList)

    @property
    def side(self) -> TabbedPanes:
        """The provenance, lineage and diff panes."""
        return self.query_one(TabbedPanes)

    def on_mount(self) -> None:
        if not self.composed:
            return
        self.candidates.focus()
        self.show_status()
        if self.memtui.first_drawn:
            self.begin()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key acts on the inbox before its widgets are there (see `composed`)."""
        return self.composed

    async def build(self) -> None:
        """Compose the inbox put off at start, then read its rows (as mounting would have)."""
        if self.composed:
            return
        self.composed = True
        await self.recompose()
        self.on_mount()

    def begin(self) -> None:
        """Read the rows: the prefetched first page when there is one (once only)."""
        if self.begun:
            return
        self.begun = True
        first = self.memtui.first
        self.memtui.first = None
        if first is None:
            self.load_rows()
        elif first.done():
            self.first_page(first.result() if first.exception() is None else None)
        else:
            self.wait_first_page(first)

    def first_page(self, look: Look | None) -> None:
        """Draw the first page read before the app started, then read the rest."""
        if look is None:
            self.load_rows()
            return
        self.rows_loaded(look.rows, look.counts, None)
        if look.complete:
            self.mark_rows(look.rows)
        else:
            self.call_after_refresh(self.load_rows)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def wait_first_page(self, first: Future[Look | None]) -> None:
        """Wait for the read the command line started (it is nearly done)."""
        try:
            look = first.result()
        except Exception:
            look = None
        self.app.call_from_thread(self.first_page, look)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def mark_rows(self, rows: list[InboxRow]) -> None:
        """Flag the rows that repeat or may replace a belief (in a worker)."""
        self.mark_relations(rows)

    # --- reading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def load_rows(self, keep: int | None = None) -> None:
        """Read the pending candidates and the counts (with the standard library's sqlite3 when
        the store allows it), then score them against the beliefs."""
        worker = get_current_worker()
        look = first_look(self.memtui.store.url)
        if look is None:
            from memtui.services import curate  # SQLAlchemy: a store sqlite3 cannot read

            rows, counts = curate.inbox_rows(self.database), curate.status_counts(self.database)
        else:
            rows, counts = look.rows, look.counts
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.rows_loaded, rows, counts, keep)
        self.mark_relations(rows)

    def mark_relations(self, rows: list[InboxRow]) -> None:
        """In a worker: flag the rows that repeat or may replace a belief, batch by batch.

        Only the rows not flagged yet against the beliefs as they are now: a decision that
        left the beliefs as they were (a reject, a new candidate) flags the new rows only.
        """
        from memtui.services import relate

        worker = get_current_worker()
        stamp = relate.beliefs_stamp(self.database)
        if stamp != self.related_stamp:
            self.related_stamp, self.related = stamp, {}
        todo = [r for r in rows if self.related.get(r.id) != (r.text, r.scope, r.project)]
        for start in range(0, len(todo), RELATION_BATCH):
            batch = todo[start : start + RELATION_BATCH]
            found = relate.marks(self.database, [(r.id, r.text, r.scope, r.project) for r in batch])
            if worker.is_cancelled:
                return
            self.related.update({r.id: (r.text, r.scope, r.project) for r in batch})
            self.app.call_from_thread(self.candidates.set_relations, found, [r.id for r in batch])

    def rows_loaded(
        self, rows: list[InboxRow], counts: dict[Status, int], keep: int | None
    ) -> None:
        if not self.loaded:
            self.call_after_refresh(self.memtui.inbox_drawn)
        self.loaded = True
        self.rows = rows
        self.counts = counts
        current = self.candidates.current
        if keep is None and current is not None:
            keep = current.id
        self.candidates.show_rows(self.filter.apply(rows), keep=keep, now=self.now())
        self.show_empty()
        self.show_status()

    @on(CandidateList.Highlighted)
    def highlighted(self, event: CandidateList.Highlighted) -> None:
        """Draw what the row itself tells at once; load the rest in a worker."""
        self.detail = None
        self.shown = None
        row = event.row
        if row is not None and row.scope == Scope.PROJECT and row.project:
            self.last_project = row.project
        self.query_one("#card", Static).update(card(row, None, self.now()))
        if row is None:
            self.side.show(provenance=BLANK, lineage=BLANK, diff=BLANK)
            return
        self.side.show(
            provenance=provenance_content((), None, loading=True),
            lineage=lineage_content(None),
            diff=diff_pane_content(row, None),
        )
        self.call_after_refresh(self.load_detail, row)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def load_detail(self, row: InboxRow) -> None:
        """The candidate's detail, then its newest sighting read back from the transcript."""
        from memtui.services import curate
        from memtui.services.provenance import provenance

        worker = get_current_worker()
        try:
            detail = curate.show(self.database, row.id)
        except MemtuiError:
            return  # decided and gone meanwhile: the list is being read again
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.detail_loaded, row, detail)
        evidence = detail.memory.evidence
        if evidence:
            newest = max(evidence, key=lambda e: (e.timestamp or e.created_at, e.id))
            shown = provenance(newest)
            if not worker.is_cancelled:
                self.app.call_from_thread(self.provenance_loaded, row, shown)

    def detail_loaded(self, row: InboxRow, detail: MemoryDetail) -> None:
        if self.candidates.current != row:
            return
        self.detail = detail
        self.query_one("#card", Static).update(card(row, detail, self.now()))
        self.side.show(
            provenance=provenance_content(detail.memory.evidence, None, loading=True),
            lineage=lineage_content(detail),
            diff=diff_pane_content(row, detail),
        )

    def provenance_loaded(self, row: InboxRow, shown: Provenance) -> None:
        if self.candidates.current != row or self.detail is None:
            return
        self.shown = shown
        self.side.show(provenance=provenance_content(self.detail.memory.evidence, shown))

    def ingested(self, created: int) -> None:
        """The watcher stored new candidates: read the list again, keeping the cursor."""
        self.load_rows()

    def show_status(self) -> None:
        counts = self.counts
        parts = [
            f"{counts.get(Status.PENDING, 0)} pending",
            f"{counts.get(Status.CONFIRMED, 0)} beliefs",
            f"{counts.get(Status.REJECTED, 0)} rejected",
        ]
        if not self.loaded:
            parts = ["reading the store…"]
        marked = len(self.candidates.marked)
        if marked:
            parts.append(f"{marked} marked")
        if self.filter.active:
            parts.append(f"filter {self.filter.describe()} ({len(self.candidates.rows)} shown)")
        if self.memtui.watch_note:
            parts.append(self.memtui.watch_note)
        self.query_one("#status", Static).update(" · ".join(parts))

    def show_empty(self) -> None:
        empty = self.loaded and not self.candidates.rows
        self.set_class(empty, "empty")
        if not empty:
            return
        if self.filter.active:
            text = "No candidate matches the filter. Escape clears it."
        elif self.counts.get(Status.CONFIRMED, 0) or self.counts.get(Status.REJECTED, 0):
            text = "Inbox zero: every candidate is decided. New ones appear here as you work."
        else:
            text = self.empty_hint or "Nothing to review yet."
        self.query_one("#empty", Static).update(text)

    # --- deciding -----------------------------------------------------------------------------

    def targets(self) -> list[InboxRow]:
        """The marked rows, else the row under the cursor."""
        marked = self.candidates.marked
        if marked:
            return [r for r in self.candidates.rows if r.id in marked]
        current = self.candidates.current
        return [current] if current is not None else []

    def action_decide(self, verb: str) -> None:
        """Confirm or reject the targets."""
        from memtui.services import curate  # loaded by the first worker already

        rows = self.targets()
        if not rows:
            return
        if verb == "reject":
            self.commit(rows, "Rejected", lambda db, r: curate.reject(db, r.id))
            return
        flagged = [(r.id, r.text, r.flags) for r in rows if r.flags]

        def confirm(accept: bool | None) -> None:
            if flagged and not accept:
                return
            self.commit(
                rows,
                "Confirmed",
                lambda db, r: curate.confirm(db, r.id, accept_flags=bool(flagged)),
            )

        if flagged:
            from memtui.ui.screens.dialogs import FlagScreen

            self.app.push_screen(FlagScreen(flagged), confirm)
        else:
            confirm(None)

    def action_edit(self) -> None:
        """Edit the current candidate's text, then confirm it."""
        from memtui.services import curate

        row = self.candidates.current
        if row is None:
            return

        def done(text: str | None) -> None:
            if text is None:
                return

            def confirm_edited(accept: bool | None = None) -> None:
                self.commit(
                    [row],
                    "Edited and confirmed",
                    lambda db, r: curate.confirm(db, r.id, text=text, accept_flags=bool(accept)),
                )

            if row.flags:
                self.app.push_screen(FlagScreen([(row.id, row.text, row.flags)]), confirm_edited)
            else:
                confirm_edited()

        from memtui.ui.screens.dialogs import EditScreen, FlagScreen

        self.app.push_screen(EditScreen(f"Edit #{row.id}, then confirm it", row.text), done)

    def action_supersede(self) -> None:
        """Pick the belief the current candidate replaces."""
        self.pick_belief("supersede", "Supersede which belief with this candidate?")

    def action_merge(self) -> None:
        """Pick the belief the current candidate repeats; its sightings join that belief."""
        self.pick_belief("merge", "Merge this candidate into which belief?")

    def pick_belief(self, verb: str, title: str) -> None:
        from memtui.services import curate, pick
        from memtui.ui.screens.dialogs import FlagScreen, PickerScreen

        row = self.candidates.current
        if row is None:
            return
        project = None if row.scope == Scope.GLOBAL else row.project

        def chosen(belief_id: int | None) -> None:
            if belief_id is None:
                return
            if verb == "merge":
                self.commit(
                    [row],
                    f"Merged into #{belief_id}",
                    lambda db, r: curate.merge(db, r.id, belief_id),
                )
                return

            def replace(accept: bool | None = None) -> None:
                if row.flags and not accept:
                    return
                self.commit(
                    [row],
                    f"Superseded #{belief_id} by",
                    lambda db, r: curate.supersede(
                        db, belief_id, new_id=r.id, accept_flags=bool(accept)
                    ),
                )

            if row.flags:
                self.app.push_screen(FlagScreen([(row.id, row.text, row.flags)]), replace)
            else:
                replace()

        self.app.push_screen(
            PickerScreen(title, row.text, lambda: pick.belief_choices(self.database, project)),
            chosen,
        )

    def action_kind(self) -> None:
        """Change the kind of the targets (they stay in the inbox)."""
        from memtui.services import curate

        rows = self.targets()
        if not rows:
            return

        def chosen(kind: Kind | None) -> None:
            if kind is None:
                return
            changing = [r for r in rows if r.kind != kind]
            self.commit(
                changing,
                f"Kind {kind.value}:",
                lambda db, r: curate.edit(db, r.id, kind=kind),
                stays=True,
            )

        from memtui.ui.screens.dialogs import KindScreen

        self.app.push_screen(KindScreen(rows[0].kind), chosen)

    def action_scope(self) -> None:
        """Make the targets global, or (back to) their project's."""
        from memtui.services import curate
        from memtui.services.curate import ScopeChange

        rows = self.targets()
        if not rows:
            return
        to_global = rows[0].scope != Scope.GLOBAL
        scope = ScopeChange(Scope.GLOBAL if to_global else Scope.PROJECT)
        changing = [r for r in rows if (r.scope == Scope.GLOBAL) != to_global]
        label = "Global:" if to_global else "Project scope:"
        self.commit(changing, label, lambda db, r: curate.edit(db, r.id, scope=scope), stays=True)

    def action_mark(self) -> None:
        self.candidates.toggle_mark()
        self.show_status()

    def action_undo(self) -> None:
        """Undo the newest decision (all of a batch made on marked candidates)."""
        from memtui.services import curate

        size = self.undo_sizes.pop() if self.undo_sizes else 1

        def job(db: Database) -> Outcome:
            last = None
            done = 0
            for _ in range(size):
                try:
                    last = curate.undo(db)
                except MemtuiError as exc:
                    if done == 0:
                        return Outcome(0, "", error=str(exc))
                    break
                done += 1
            assert last is not None
            ids = ", ".join(f"#{i}" for i in last.memory_ids)
            noun = f"{done} decisions" if done > 1 else last.command
            return Outcome(-1, f"Undid {noun} ({ids})", reselect=last.memory_ids[0])

        self.writer.put(job)

    def commit(
        self,
        rows: Sequence[InboxRow],
        verb: str,
        apply: Callable[[Database, InboxRow], object],
        *,
        stays: bool = False,
    ) -> None:
        """Draw the decision now, and queue its write."""
        if not rows:
            return
        ids = {r.id for r in rows}
        if not stays:
            self.candidates.drop(ids)
            self.rows = [r for r in self.rows if r.id not in ids]
            self.counts[Status.PENDING] = max(0, self.counts.get(Status.PENDING, 0) - len(ids))
            self.show_empty()
        self.candidates.marked -= ids
        self.show_status()

        def job(db: Database) -> Outcome:
            done = 0
            for row in rows:
                try:
                    apply(db, row)
                except MemtuiError as exc:
                    return Outcome(done, "", error=str(exc))
                done += 1
            names = ", ".join(f"#{r.id}" for r in rows[:5]) + (" …" if len(rows) > 5 else "")
            return Outcome(done, f"{verb} {names}")

        self.writer.put(job)

    def decided(self, outcome: Outcome) -> None:
        """A write is done: tell what it did and read the list again (on the event loop)."""
        if outcome.operations > 0:
            self.undo_sizes.append(outcome.operations)
        if outcome.error:
            self.notify(outcome.error, title="Not done", severity="error", timeout=8)
        elif outcome.message:
            self.notify(outcome.message, timeout=3 if outcome.warning is None else 6)
        if outcome.warning:
            self.notify(outcome.warning, severity="warning", timeout=10)
        if outcome.then is not None:
            outcome.then()
        if outcome.reload:
            self.load_rows(keep=outcome.reselect)

    # --- export ---------------------------------------------------------------------------------

    def export_project(self) -> str | None:
        """The project to export: the candidate's under the cursor (or the last one's, once the
        inbox is empty), else the one memtui was started in (None: user-level files only)."""
        row = self.candidates.current
        if row is not None and row.scope == Scope.PROJECT and row.project:
            return row.project
        return self.last_project or self.memtui.home_project

    def action_export(self) -> None:
        """Write the beliefs into the project's enabled rules files now (after the decisions
        made before, which the writer applies first)."""
        project = self.export_project()
        app = self.memtui

        def job(db: Database) -> Outcome:
            from memtui.services import export

            plan = export.export(db, app.export_settings(), project, user_level=app.user_level)
            return export_outcome(plan, written=True)

        self.notify("Exporting…", timeout=2)
        self.writer.put(job)

    def action_preview(self) -> None:
        """Show what exporting would write, as diffs; write or copy from there."""
        project = self.export_project()
        app = self.memtui

        def job(db: Database) -> Outcome:
            from memtui.services import export

            plan = export.plan_export(db, app.export_settings(), project, user_level=app.user_level)
            return Outcome(0, "", then=lambda: self.show_preview(plan, project), reload=False)

        self.writer.put(job)

    def show_preview(self, plan: ExportPlan, project: str | None) -> None:
        from memtui.ui.screens.export import PreviewScreen

        def chosen(answer: str | None) -> None:
            app = self.memtui
            if answer == "write":

                def write(db: Database) -> Outcome:
                    from memtui.services import export

                    return export_outcome(export.apply_export(db, plan), written=True)

                self.writer.put(write)
            elif answer == "copy":

                def copy(db: Database) -> Outcome:
                    from memtui.services import export
                    from memtui.ui.clipboard import copy_text

                    text = export.block_text(db, app.export_settings(), project)
                    if not text.strip():
                        return Outcome(
                            0, "", warning="Nothing to copy: no confirmed belief applies here."
                        )
                    said = copy_text(self.app, text)  # in this worker: pyperclip runs a program
                    return Outcome(0, f"Beliefs {said}.", reload=False)

                self.writer.put(copy)

        self.app.push_screen(PreviewScreen(plan), chosen)

    # --- views --------------------------------------------------------------------------------

    def action_pane(self, name: str) -> None:
        """Show the provenance, lineage or diff pane."""
        self.side.choose(name)

    def action_beliefs(self) -> None:
        """Open the beliefs browser."""
        self.memtui.open_screen("beliefs")

    def action_history(self) -> None:
        """Open the history of every change."""
        self.memtui.open_history()

    def action_help(self) -> None:
        from memtui.ui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self.KEYS))

    def action_filter(self) -> None:
        """Open the filter box (made on first use: most sessions never filter)."""
        found = self.query("#filter")
        if found:
            found.first(Input).focus()
            return
        box = Input(placeholder="filter: words, kind:rule, tool:codex, project:api", id="filter")
        self.mount(box, before=self.candidates)
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = Filter.parse(event.value)
        self.candidates.show_rows(self.filter.apply(self.rows), now=self.now())
        self.show_empty()
        self.show_status()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        box = self.query_one("#filter", Input)
        if not box.value.strip():
            box.remove()
        self.candidates.focus()

    def action_clear(self) -> None:
        """Clear the filter and the marks."""
        for box in self.query("#filter"):
            box.remove()
        if self.filter.active:
            self.filter = Filter()
            self.candidates.show_rows(self.rows, now=self.now())
            self.show_empty()
        if self.candidates.marked:
            self.candidates.marked.clear()
            self.candidates.refresh()
        self.candidates.focus()
        self.show_status()
