"""The memtui app: themes, the review inbox, and the transcript watcher running in a worker.

`make_app` is the one factory the command line, the tests and the screenshot script use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from memtui.ui.pauses import QUIET, Pauses
from memtui.ui.prefs import load_prefs, prefs_path, save_prefs
from memtui.ui.screens.inbox import InboxScreen
from memtui.ui.themes import DEFAULT_THEME, load_themes

if TYPE_CHECKING:
    from concurrent.futures import Future

    from memtui.core.records import RulesFile
    from memtui.core.settings import Settings
    from memtui.services.firstpage import BeliefsPage
    from memtui.services.ingest import FileResult
    from memtui.services.review import Look
    from memtui.services.search import SearchIndex
    from memtui.sources.registry import Root
    from memtui.store.database import Database

RELOAD_DELAY = 0.25
"""Seconds the inbox waits after the watcher stored candidates before reading the list again:
a burst of files (the first catch-up) costs one read, not one per file."""


class Store:
    """The app's database: its URL at once, the SQLAlchemy handle on first use.

    Opening it imports SQLAlchemy, which costs more than Textual's whole start, so the app
    opens it in a worker once the inbox is on screen (the first frame reads with sqlite3).
    """

    def __init__(self, url: str, opener: Callable[[], Database], *, owned: bool) -> None:
        self.url = url
        self._opener = opener
        self._owned = owned
        self._database: Database | None = None
        self._lock = threading.Lock()

    @property
    def database(self) -> Database:
        """The handle, opened on first use (from a worker thread)."""
        with self._lock:
            if self._database is None:
                self._database = self._opener()
            return self._database

    def close(self) -> None:
        """Close the handle if the app opened it."""
        with self._lock:
            if self._database is not None and self._owned:
                self._database.close()
            self._database = None


def _beliefs_screen() -> Screen[None]:
    from memtui.ui.screens.beliefs import BeliefsScreen  # loaded when first opened

    return BeliefsScreen()


def _history_screen() -> Screen[None]:
    from memtui.ui.screens.history import HistoryScreen

    return HistoryScreen()


class MemtuiApp(App[None]):
    """Review what you told your agents; keep what should last."""

    TITLE = "memtui"
    SCREENS = {"beliefs": _beliefs_screen, "history": _history_screen}  # noqa: RUF012
    BINDINGS = [Binding("q", "quit", "Quit")]  # noqa: RUF012 - Textual reads this attribute
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        store: Store,
        *,
        roots: Callable[[], Sequence[Root]] | None = None,
        watch: bool = True,
        prefs_file: Path | None = None,
        theme_folders: list[Path] | None = None,
        empty_hint: str = "",
        clock: Callable[[], datetime] | None = None,
        first: Future[Look | None] | None = None,
        first_beliefs: Future[BeliefsPage | None] | None = None,
        settings: Settings | None = None,
        user_level: bool = True,
        offer_import: bool = True,
        home_project: str | None = None,
        start: str = "inbox",
    ) -> None:
        super().__init__()
        self.start = start
        """The screen shown first: inbox, beliefs or history."""
        self.first_drawn = start == "inbox"
        """Whether the first screen is drawn. Under another first screen, the inbox waits for
        it before it reads its rows (and starts the watcher): they would slow that frame."""
        self.first_beliefs = first_beliefs
        """The first beliefs as read before the app started (the command line's prefetch)."""
        self.search_index: SearchIndex | None = None
        """The beliefs' search index, built by the beliefs screen when first opened."""
        self.index_built: datetime | None = None
        self.index_lock = threading.Lock()
        self.first = first
        """The inbox as read before the app started (the command line's prefetch), if any."""
        self.settings = settings
        """The configuration, for exports and imports (read on first use when not given)."""
        self.user_level = user_level
        """Whether exports write the user-level rules files too (the demo's do not)."""
        self.offer_import = offer_import
        self.home_project = home_project
        """The project memtui was started in: exported when the cursor names none."""
        self.clock = clock or (lambda: datetime.now(UTC))
        self.store = store
        self.find_roots = roots
        """Where the transcripts are: looked up by the watcher's worker (it walks the disk)."""
        self.watching = watch and roots is not None
        self.prefs_file = prefs_file or prefs_path()
        self.theme_folders = theme_folders
        self.empty_hint = empty_hint
        self.stop = threading.Event()
        self.new_candidates = 0
        self.folders = 0
        self.watch_note = ""
        self._reload_pending = False
        self._remember_theme = False
        loaded = load_themes(theme_folders)
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_problems = loaded.problems
        self.pauses = Pauses()
        """The collector's and the thread switches' settings while the app runs."""
        wanted = load_prefs(self.prefs_file).theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME

    @property
    def inbox(self) -> InboxScreen:
        """The review screen (at the bottom of the screen stack)."""
        return next(s for s in self.screen_stack if isinstance(s, InboxScreen))

    def get_default_screen(self) -> Screen[None]:
        return InboxScreen(empty_hint=self.empty_hint, deferred=self.start != "inbox")

    def on_mount(self) -> None:
        self.pauses.start()
        self.set_interval(QUIET / 2, self.pauses.tick, name="collector")
        self._remember_theme = True
        for problem in self.theme_problems:
            self.notify(f"theme not loaded: {problem}", severity="warning", timeout=8)
        if self.watching:
            self.set_watch_note("reading transcripts…")
        if self.start != "inbox":
            self.open_screen(self.start)
            if self.start != "beliefs":  # the beliefs screen says when its rows are drawn
                self.call_after_refresh(self.first_screen_drawn)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.pauses.input()
        await super().on_event(event)

    def first_screen_drawn(self) -> None:
        """The screen the app opened on is drawn: the inbox beneath it may read its rows."""
        if self.first_drawn:
            return
        self.first_drawn = True
        inbox = self.inbox
        if not inbox.is_mounted:
            return
        if inbox.composed:
            inbox.begin()
        else:
            self.call_next(inbox.build)  # composes it, then reads its rows

    def inbox_drawn(self) -> None:
        """The inbox is on screen: now start what may take a while."""
        self.pauses.freeze()  # what the app has loaded so far lives as long as it does
        if self.watching:
            self.follow_transcripts()  # offers the import once its first reading is done
        else:
            self.offer_rules_import()

    def export_settings(self) -> Settings:
        """The settings exports follow (in a worker: reading them touches the disk)."""
        if self.settings is None:
            from memtui.core.settings import load_settings

            self.settings = load_settings()
        return self.settings

    # --- the first-start import offer -----------------------------------------------------------

    @work(thread=True, group="offer", exit_on_error=False)
    def offer_rules_import(self) -> None:
        """Once, when the person has not answered yet: offer the rules files of the projects
        memtui found, to import as beliefs."""
        if not self.offer_import or load_prefs(self.prefs_file).import_offer is not None:
            return
        from memtui.services import export

        files = export.importable_files(self.store.database, self.export_settings())
        if files:
            self.call_from_thread(self.ask_import, files)

    def ask_import(self, files: list[RulesFile]) -> None:
        from memtui.ui.screens.export import ImportOfferScreen

        def answered(answer: str | None) -> None:
            if answer == "import":
                self.import_rules([f.path for f in files])
            if answer in ("import", "never"):
                self.remember(import_offer=answer)

        self.push_screen(ImportOfferScreen(files), answered)

    @work(thread=True, group="offer", exit_on_error=False)
    def import_rules(self, paths: list[str]) -> None:
        from memtui.services import export

        report = export.import_files(self.store.database, paths)
        counts: dict[str, int] = {}
        for line in report.lines:
            counts[line.outcome.value] = counts.get(line.outcome.value, 0) + 1
        said = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to import"
        self.call_from_thread(self.notify, f"Imported your rules files: {said}", timeout=8)
        for problem in report.problems:
            self.call_from_thread(self.notify, problem, severity="warning", timeout=10)
        self.call_from_thread(self.inbox.load_rows)

    def on_unmount(self) -> None:
        self.pauses.stop()
        self.stop.set()

    # --- screens ------------------------------------------------------------------------------

    def open_screen(self, name: str) -> Screen[object]:
        """Show the inbox, the beliefs or the history screen. The inbox is at the bottom of the
        stack; the others are kept once made (their state survives), put on top, or brought
        back to the top by closing what is above them."""
        if name == "inbox":
            while len(self.screen_stack) > 1:
                self.pop_screen()
            if not self.inbox.composed:  # shown before the first screen was drawn
                self.call_next(self.inbox.build)
            return self.screen
        target = self.get_screen(name)
        if target in self.screen_stack:
            while self.screen is not target:
                self.pop_screen()
        else:
            self.push_screen(target)
        return target

    def open_history(self, memory_id: int | None = None) -> None:
        """The history screen, showing one memory's events when given one."""
        from memtui.ui.screens.history import HistoryScreen

        screen = self.open_screen("history")
        assert isinstance(screen, HistoryScreen)
        screen.show_memory(memory_id)

    # --- themes -------------------------------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen (from the palette) for the next run."""
        if self._remember_theme:
            self.save_theme(theme)

    def save_theme(self, theme: str) -> None:
        self.remember(theme=theme)

    @work(thread=True, group="prefs", exit_on_error=False)
    def remember(self, **changes: str) -> None:
        """Keep a choice for the next run (the file is read again: other choices are kept)."""
        try:
            save_prefs(self.prefs_file, replace(load_prefs(self.prefs_file), **changes))
        except OSError as exc:
            self.call_from_thread(self.notify, f"cannot remember it: {exc}", severity="warning")

    # --- the watcher --------------------------------------------------------------------------

    @work(thread=True, group="watcher", exit_on_error=False)
    def follow_transcripts(self) -> None:
        """Ingest the transcripts as the agents write them, until the app closes."""
        from memtui.services.watch import follow, watched_folders

        assert self.find_roots is not None
        roots = list(self.find_roots())
        folders = len(watched_folders(roots))
        if not folders:
            self.call_from_thread(self.set_watch_note, "no transcript folder to watch")
            return

        self.folders = folders

        def ready() -> None:
            self.call_from_thread(self.set_watch_note, self._watch_note(folders))
            self.call_from_thread(self.offer_rules_import)

        def stored(result: FileResult) -> None:
            if result.created or result.merged:
                self.call_from_thread(self.ingested, result.created)

        try:
            follow(self.store.database, roots, self.stop, stored, on_ready=ready)
        except Exception as exc:
            self.call_from_thread(
                self.set_watch_note, f"not watching ({type(exc).__name__}: {exc})"
            )

    def set_watch_note(self, note: str) -> None:
        """What the watcher is doing, for the status bar."""
        self.watch_note = note
        inbox = self.inbox
        if inbox.is_mounted and inbox.composed:
            inbox.show_status()

    def _watch_note(self, folders: int) -> str:
        note = f"watching {folders} folder{'s' if folders != 1 else ''}"
        if self.new_candidates:
            note += f", {self.new_candidates} new"
        return note

    def ingested(self, created: int) -> None:
        """The watcher stored candidates: read the inbox again, once per burst."""
        self.new_candidates += created
        if self._reload_pending:
            return
        self._reload_pending = True

        def reload() -> None:
            self._reload_pending = False
            self.set_watch_note(self._watch_note(self.folders))
            self.inbox.ingested(created)

        self.set_timer(RELOAD_DELAY, reload)

    # --- the command palette ------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every key of the screen is also a command of the palette."""
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            key = binding.key.split(",")[0].replace("question_mark", "?").replace("slash", "/")
            yield SystemCommand(
                binding.description,
                f"key: {key}",
                partial(screen.run_action, binding.action),
            )


def make_app(
    database: Database | None = None,
    *,
    url: str | None = None,
    opener: Callable[[], Database] | None = None,
    roots: Callable[[], Sequence[Root]] | Sequence[Root] | None = None,
    watch: bool = True,
    prefs_file: Path | None = None,
    empty_hint: str = "",
    clock: Callable[[], datetime] | None = None,
    first: Future[Look | None] | None = None,
    first_beliefs: Future[BeliefsPage | None] | None = None,
    settings: Settings | None = None,
    user_level: bool = True,
    offer_import: bool = True,
    home_project: str | None = None,
    start: str = "inbox",
) -> MemtuiApp:
    """The app on a store: the command line, the tests and the screenshots all build it here.

    Give an open `database` (the caller closes it), or its `url` and an `opener` that the app
    calls in a worker once its first frame is drawn (the app closes what it opened).
    """
    if database is not None:
        opened = database
        store = Store(database.url, lambda: opened, owned=False)
    elif url is not None and opener is not None:
        store = Store(url, opener, owned=True)
    else:
        raise ValueError("make_app needs a database, or a url and an opener")
    if roots is not None and not callable(roots):
        fixed = list(roots)
        roots = lambda: fixed  # noqa: E731 - a list given is looked up as it is
    return MemtuiApp(
        store,
        roots=roots,
        watch=watch,
        prefs_file=prefs_file,
        empty_hint=empty_hint,
        clock=clock,
        first=first,
        first_beliefs=first_beliefs,
        settings=settings,
        user_level=user_level,
        offer_import=offer_import,
        home_project=home_project,
        start=start,
    )
