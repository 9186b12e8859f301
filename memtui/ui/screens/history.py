"""The history: every change of the event log, newest first, filtered by memory, project and
date; what was believed at a past moment; and reverting one past change (itself an event).

Everything is read and written through services.history, in workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, ClassVar

from rich.cells import set_cell_size
from rich.segment import Segment
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from memtui.core.errors import MemtuiError
from memtui.core.models import Scope, Status
from memtui.ui.format import KIND_LABEL, project_name, when
from memtui.ui.widgets.panes import Pane, diff_content, lines
from memtui.ui.widgets.rowlist import RowList, fit

if TYPE_CHECKING:
    from memtui.core.records import EventRecord, PastBelief
    from memtui.ui.app import MemtuiApp

TIMELINE_LIMIT = 2_000
"""Events read per filter: the newest; a narrower filter reaches older ones."""
FIELDS = ("project", "since", "until")


def parse_moment(value: str, *, end_of_day: bool = False) -> datetime:
    """A date (YYYY-MM-DD) or a date and time, in local time unless it names its offset.
    A day alone means its start, or its end with `end_of_day`. ValueError when unreadable."""
    text = value.strip()
    if len(text) == 10:
        moment = datetime.combine(date.fromisoformat(text), time.max if end_of_day else time.min)
    else:
        moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.astimezone()


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """`#12 project:api since:2026-11-01 until:2026-11-20`, parsed."""

    memory_id: int | None = None
    project: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> HistoryFilter:
        memory_id = project = since = until = None
        problems: list[str] = []
        for token in text.split():
            name, colon, value = token.partition(":")
            if token.startswith("#") and token[1:].isdigit():
                memory_id = int(token[1:])
            elif token.isdigit():
                memory_id = int(token)
            elif colon and name in FIELDS and value:
                if name == "project":
                    project = value
                    continue
                try:
                    moment = parse_moment(value, end_of_day=name == "until")
                except ValueError:
                    problems.append(f"{name}:{value} is not a date (YYYY-MM-DD)")
                    continue
                if name == "since":
                    since = moment
                else:
                    until = moment
            elif not (colon and name in FIELDS):
                problems.append(f"{token!r} is not understood: #ID project:NAME since:DATE")
        return cls(memory_id, project, since, until, tuple(problems))

    def describe(self) -> str:
        parts = []
        if self.memory_id is not None:
            parts.append(f"#{self.memory_id}")
        if self.project:
            parts.append(f"project:{self.project}")
        if self.since:
            parts.append(f"since {when(self.since)}")
        if self.until:
            parts.append(f"until {when(self.until)}")
        return " ".join(parts)


class HistoryList(RowList):
    """Events of the log, or the beliefs held at a past moment."""

    COMPONENT_CLASSES = {  # noqa: RUF012
        "history-list--action",
        "history-list--muted",
    }
    DEFAULT_CSS = """
    HistoryList > .history-list--action { color: $secondary; text-style: bold; }
    HistoryList > .history-list--muted { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: list[EventRecord] = []
        self.past: list[PastBelief] | None = None
        """Set: the list shows what was believed at a moment, not events."""

    def show_events(self, events: list[EventRecord], keep: int | None = None) -> None:
        self.events, self.past = events, None
        position = next((n for n, e in enumerate(events) if e.id == keep), 0)
        self.reset(position=position)

    def show_past(self, past: list[PastBelief]) -> None:
        self.past = past
        self.reset()

    @property
    def current_event(self) -> EventRecord | None:
        if self.past is not None or not 0 <= self.cursor < len(self.events):
            return None
        return self.events[self.cursor]

    @property
    def current_past(self) -> PastBelief | None:
        if self.past is None or not 0 <= self.cursor < len(self.past):
            return None
        return self.past[self.cursor]

    def row_count(self) -> int:
        return len(self.past) if self.past is not None else len(self.events)

    def row_key(self, index: int) -> object:
        if self.past is not None:
            return ("past", self.past[index].id)
        return ("event", self.events[index].id)

    def header(self, width: int) -> Strip:
        if self.past is not None:
            text = "  " + set_cell_size("since", 17) + set_cell_size("memory", 8)
            text += set_cell_size("kind", 11) + set_cell_size("where", 15) + "statement"
        else:
            text = "  " + set_cell_size("when", 17) + set_cell_size("change", 11)
            text += set_cell_size("memory", 8) + set_cell_size("by", 18) + "statement"
        return self.header_line(text, width)

    def row(self, index: int, selected: bool, width: int) -> Strip:
        base = self.line_style(selected)
        muted = base + self.get_component_rich_style("history-list--muted", partial=True)
        action = base + self.get_component_rich_style("history-list--action", partial=True)
        if self.past is not None:
            belief = self.past[index]
            where = "global" if belief.scope == Scope.GLOBAL else project_name(belief.project)
            segments = [
                Segment("  " + set_cell_size(when(belief.since), 17), muted),
                Segment(set_cell_size(f"#{belief.id}", 8), muted),
                Segment(set_cell_size(KIND_LABEL[belief.kind], 11), action),
                Segment(fit(where, 14) + " ", muted),
                Segment(fit(" ".join(belief.text.split()), max(8, width - 55)), base),
            ]
        else:
            event = self.events[index]
            state = event.after or event.before or {}
            text = " ".join(str(state.get("text", "")).split())
            segments = [
                Segment("  " + set_cell_size(when(event.created_at), 17), muted),
                Segment(set_cell_size(event.action.value, 11), action),
                Segment(set_cell_size(f"#{event.memory_id}" if event.memory_id else "", 8), muted),
                Segment(fit(f"{event.actor} ({event.command})", 17) + " ", muted),
                Segment(fit(text, max(8, width - 55)), base),
            ]
        return Strip(segments).adjust_cell_length(width, base)


class HistoryScreen(Screen[None]):
    """The event log, what was believed when, and reverting a change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("a", "as_of", "As of…"),
        Binding("r", "revert", "Revert"),
        Binding("b", "beliefs", "Beliefs"),
        Binding("i", "inbox", "Inbox"),
        Binding("question_mark", "help", "Help"),
        Binding("escape", "back", "Back", show=False),
    ]
    KEYS: ClassVar[list[tuple[str, str]]] = [
        ("/", "filter: #ID project:NAME since:YYYY-MM-DD until:YYYY-MM-DD"),
        ("a", "as of a date: what was believed then"),
        ("r", "revert the selected change (asks first; the revert is an event too)"),
        ("b", "the beliefs"),
        ("i", "the inbox"),
        ("escape", "leave the as-of view, clear the filter, then go back"),
        ("?", "this help"),
    ]
    DEFAULT_CSS = """
    HistoryScreen { layout: vertical; }
    HistoryScreen Input { dock: top; border: tall $accent; }
    HistoryScreen #events { height: 1fr; min-height: 6; }
    HistoryScreen #change { height: 40%; border-top: solid $panel; }
    HistoryScreen #status { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filter = HistoryFilter()
        self.moment: datetime | None = None
        self.problems: tuple[str, ...] = ()
        self.truncated = False

    @property
    def memtui(self) -> MemtuiApp:
        from memtui.ui.app import MemtuiApp

        assert isinstance(self.app, MemtuiApp)
        return self.app

    @property
    def events(self) -> HistoryList:
        return self.query_one(HistoryList)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: #ID project:NAME since:YYYY-MM-DD until:…", id="filter")
        yield HistoryList(id="events")
        yield Pane(id="change")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.events.focus()
        self.show_status()

    def on_screen_resume(self) -> None:
        self.reload()

    def show_memory(self, memory_id: int | None) -> None:
        """Show one memory's events (None: every event)."""
        text = f"#{memory_id}" if memory_id is not None else ""
        self.filter = HistoryFilter.parse(text)
        if self.is_mounted:
            self.query_one("#filter", Input).value = text
        else:
            self.call_after_refresh(self.show_memory, memory_id)

    # --- reading ------------------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        if self.moment is not None:
            self.load_past(self.moment, self.filter.project)
        else:
            self.load_events(self.filter, keep)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load_events(self, wanted: HistoryFilter, keep: int | None) -> None:
        from memtui.services.history import timeline

        worker = get_current_worker()
        root, problem = self.project_root(wanted.project)
        try:
            found = timeline(
                self.memtui.store.database,
                memory_id=wanted.memory_id,
                project=root,
                since=wanted.since,
                until=wanted.until,
                limit=TIMELINE_LIMIT + 1,
            )
        except MemtuiError as exc:
            found, problem = [], str(exc)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.events_loaded, wanted, found, problem, keep)

    def project_root(self, name: str | None) -> tuple[str | None, str | None]:
        """In a worker: the root of the project named like `name` (None for no filter)."""
        if name is None:
            return None, None
        from memtui.services.curate import beliefs

        roots = {
            m.project
            for m in beliefs(self.memtui.store.database, statuses=list(Status))
            if m.project
        }
        found = sorted(r for r in roots if name.casefold() in project_name(r).casefold())
        exact = [r for r in found if project_name(r).casefold() == name.casefold()]
        if len(exact or found) == 1:
            return (exact or found)[0], None
        if not found:
            return None, f"no project is named like {name!r}"
        return None, f"project:{name} names {len(found)} projects: type more"

    def events_loaded(
        self, wanted: HistoryFilter, found: list[EventRecord], problem: str | None, keep: int | None
    ) -> None:
        if wanted != self.filter or self.moment is not None:
            return
        self.truncated = len(found) > TIMELINE_LIMIT
        if keep is None and self.events.current_event is not None:
            keep = self.events.current_event.id
        self.events.show_events(found[:TIMELINE_LIMIT], keep)
        self.problems = (*wanted.problems, *([problem] if problem else []))
        self.show_status()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load_past(self, moment: datetime, project: str | None) -> None:
        from memtui.services.history import as_of

        worker = get_current_worker()
        root, problem = self.project_root(project)
        try:
            found = as_of(self.memtui.store.database, moment, project=root)
        except MemtuiError as exc:
            found, problem = [], str(exc)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.past_loaded, moment, found, problem)

    def past_loaded(self, moment: datetime, found: list[PastBelief], problem: str | None) -> None:
        if moment != self.moment:
            return
        self.events.show_past(found)
        self.problems = (problem,) if problem else ()
        self.show_status()

    def show_status(self) -> None:
        if self.moment is not None:
            count = self.events.row_count()
            parts = [f"as of {when(self.moment)}: {count} belief{'s' if count != 1 else ''}"]
            if self.filter.project:
                parts.append(f"project:{self.filter.project} (and the global ones)")
        else:
            count = len(self.events.events)
            more = " (the newest; filter to see older)" if self.truncated else ""
            parts = [f"{count} change{'s' if count != 1 else ''}{more}"]
            if self.filter.describe():
                parts.append(self.filter.describe())
        parts.extend(self.problems)
        self.query_one("#status", Static).update(" · ".join(parts))

    @on(RowList.Highlighted, "#events")
    def highlighted(self) -> None:
        pane = self.query_one("#change", Pane)
        past = self.events.current_past
        if past is not None:
            pane.show(past_content(past))
            return
        event = self.events.current_event
        pane.show(event_content(event) if event is not None else Content(""))

    # --- the boxes ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter = HistoryFilter.parse(event.value)
        self.reload()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.events.focus()

    def action_as_of(self) -> None:
        """Open the "as of" box (made on first use)."""
        found = self.query("#as-of")
        if found:
            found.first(Input).focus()
            return
        box = Input(placeholder="as of: YYYY-MM-DD or YYYY-MM-DD HH:MM, then Enter", id="as-of")
        self.mount(box, before=self.events)
        box.focus()

    @on(Input.Submitted, "#as-of")
    def as_of_done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.leave_as_of()
            return
        try:
            moment = parse_moment(event.value, end_of_day=True)
        except ValueError:
            self.notify(
                f"not a date: {event.value!r}; write YYYY-MM-DD or YYYY-MM-DD HH:MM",
                severity="error",
            )
            return
        self.moment = moment
        self.events.focus()
        self.reload()

    def leave_as_of(self) -> None:
        for box in self.query("#as-of"):
            box.remove()
        self.moment = None
        self.events.focus()
        self.reload()

    # --- reverting ----------------------------------------------------------------------------

    def action_revert(self) -> None:
        """Revert the selected change, once the person said yes."""
        from memtui.ui.screens.dialogs import ConfirmScreen

        event = self.events.current_event
        if event is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.revert(event.id)

        body = lines(
            Content.assemble(
                (f"{event.action.value} ", "bold"),
                f"of #{event.memory_id} by {event.actor} ({event.command}), ",
                (when(event.created_at), "$text-muted"),
            ),
            "",
            event_content(event),
            "",
            "The whole change is put back (a supersession brings back both beliefs); "
            "the revert is itself recorded.",
        )
        self.app.push_screen(ConfirmScreen("Revert this change?", body), answered)

    @work(thread=True, group="writer", exit_on_error=False)
    def revert(self, event_id: int) -> None:
        from memtui.services import history

        database = self.memtui.store.database
        try:
            done = history.revert(database, event_id=event_id)
        except MemtuiError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not reverted", severity="error", timeout=8
            )
            return
        index = self.memtui.search_index
        if index is not None:
            index.refresh(database, done.memory_ids)
        ids = ", ".join(f"#{i}" for i in done.memory_ids)
        self.app.call_from_thread(self.notify, f"Reverted {done.command} ({ids})", timeout=4)
        self.app.call_from_thread(self.reload)

    # --- moving around ------------------------------------------------------------------------

    def action_beliefs(self) -> None:
        self.memtui.open_screen("beliefs")

    def action_inbox(self) -> None:
        self.memtui.open_screen("inbox")

    def action_back(self) -> None:
        """Leave the as-of view, then clear the filter, then go back."""
        if self.moment is not None or self.query("#as-of"):
            self.leave_as_of()
        elif isinstance(self.focused, Input):
            self.events.focus()
        elif self.filter != HistoryFilter():
            self.query_one("#filter", Input).value = ""
        else:
            self.app.pop_screen()

    def action_help(self) -> None:
        from memtui.ui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self.KEYS, title="memtui: history", signs=False))


def event_content(event: EventRecord) -> Content:
    """What one event changed: the text word by word, and the other fields."""
    from memtui.services.diff import word_diff

    before, after = event.before or {}, event.after or {}
    rows: list[Content | str] = [
        Content.assemble(
            (f"{event.action.value}", "bold $secondary"),
            f"  #{event.memory_id}  event #{event.id}  ",
            (f"{when(event.created_at)} · {event.actor} ({event.command})", "$text-muted"),
        )
    ]
    old, new = str(before.get("text", "")), str(after.get("text", ""))
    if before and after and old != new:
        rows.append(diff_content(word_diff(old, new)))
    else:
        rows.append(Content.styled(new or old, "bold"))
    for name in sorted(set(before) | set(after)):
        if name in HIDDEN or before.get(name) == after.get(name):
            continue
        if not before:
            rows.append(Content.assemble((f"{name}: ", "$text-muted"), _value(after.get(name))))
            continue
        rows.append(
            Content.assemble(
                (f"{name}: ", "$text-muted"),
                f"{_value(before.get(name))} → {_value(after.get(name))}",
            )
        )
    return lines(*rows)


HIDDEN = frozenset({"text", "project_id", "revision", "flags"})
"""Fields of an event's snapshot not shown: the text has its diff, the others are internal."""


def _value(value: object) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, str) and value.startswith("/"):
        return project_name(value)
    return str(value)


def past_content(belief: PastBelief) -> Content:
    where = "global" if belief.scope == Scope.GLOBAL else project_name(belief.project)
    return lines(
        Content.styled(belief.text, "bold"),
        Content.assemble(
            (KIND_LABEL[belief.kind], "bold $secondary"),
            f"  #{belief.id}  ",
            (where, "$text-muted"),
            ("  ⚿ locked" if belief.locked else "", "$warning"),
        ),
        Content.styled(f"as it read since {when(belief.since)}", "$text-muted"),
    )
