"""The memtui app: themes, the review inbox, and the transcript watcher running in a worker.

`make_app` is the one factory the command line, the tests and the screenshot script use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from memtui.services.ingest import FileResult
from memtui.sources.registry import Root
from memtui.ui.prefs import Prefs, load_prefs, prefs_path, save_prefs
from memtui.ui.screens.inbox import InboxScreen
from memtui.ui.themes import DEFAULT_THEME, load_themes

if TYPE_CHECKING:
    from memtui.store.database import Database

RELOAD_DELAY = 0.25
"""Seconds the inbox waits after the watcher stored candidates before reading the list again:
a burst of files (the first catch-up) costs one read, not one per file."""


class MemtuiApp(App[None]):
    """Review what you told your agents; keep what should last."""

    TITLE = "memtui"
    BINDINGS = [Binding("q", "quit", "Quit")]  # noqa: RUF012 - Textual reads this attribute
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        database: Database,
        *,
        roots: Sequence[Root] = (),
        watch: bool = True,
        prefs_file: Path | None = None,
        theme_folders: list[Path] | None = None,
        empty_hint: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.database = database
        self.roots = list(roots)
        self.watching = watch and bool(self.roots)
        self.prefs_file = prefs_file or prefs_path()
        self.theme_folders = theme_folders
        self.empty_hint = empty_hint
        self.stop = threading.Event()
        self.new_candidates = 0
        self.watch_note = ""
        self._reload_pending = False
        self._remember_theme = False
        loaded = load_themes(theme_folders)
        for theme in loaded.themes:
            self.register_theme(theme)
        self.theme_problems = loaded.problems
        wanted = load_prefs(self.prefs_file).theme
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME

    @property
    def inbox(self) -> InboxScreen:
        """The review screen (at the bottom of the screen stack)."""
        return next(s for s in self.screen_stack if isinstance(s, InboxScreen))

    def get_default_screen(self) -> Screen[None]:
        return InboxScreen(self.database, empty_hint=self.empty_hint)

    def on_mount(self) -> None:
        self._remember_theme = True
        for problem in self.theme_problems:
            self.notify(f"theme not loaded: {problem}", severity="warning", timeout=8)
        if self.watching:
            self.set_watch_note("reading transcripts…")
            self.follow_transcripts()

    def on_unmount(self) -> None:
        self.stop.set()

    # --- themes -------------------------------------------------------------------------------

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen (from the palette) for the next run."""
        if self._remember_theme:
            self.save_theme(theme)

    @work(thread=True, group="prefs", exit_on_error=False)
    def save_theme(self, theme: str) -> None:
        try:
            save_prefs(self.prefs_file, Prefs(theme=theme))
        except OSError as exc:
            self.call_from_thread(
                self.notify, f"cannot remember the theme: {exc}", severity="warning"
            )

    # --- the watcher --------------------------------------------------------------------------

    @work(thread=True, group="watcher", exit_on_error=False)
    def follow_transcripts(self) -> None:
        """Ingest the transcripts as the agents write them, until the app closes."""
        from memtui.services.watch import follow, watched_folders

        folders = len(watched_folders(self.roots))

        def ready() -> None:
            self.call_from_thread(self.set_watch_note, self._watch_note(folders))

        def stored(result: FileResult) -> None:
            if result.created or result.merged:
                self.call_from_thread(self.ingested, result.created)

        try:
            follow(self.database, self.roots, self.stop, stored, on_ready=ready)
        except Exception as exc:
            self.call_from_thread(
                self.set_watch_note, f"not watching ({type(exc).__name__}: {exc})"
            )

    def set_watch_note(self, note: str) -> None:
        """What the watcher is doing, for the status bar."""
        self.watch_note = note
        inbox = self.inbox
        if inbox.is_mounted:
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
            from memtui.services.watch import watched_folders

            self.set_watch_note(self._watch_note(len(watched_folders(self.roots))))
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
    database: Database,
    *,
    roots: Sequence[Root] = (),
    watch: bool = True,
    prefs_file: Path | None = None,
    empty_hint: str = "",
    clock: Callable[[], datetime] | None = None,
) -> MemtuiApp:
    """The app on a store: the command line, the tests and the screenshots all build it here."""
    return MemtuiApp(
        database,
        roots=roots,
        watch=watch,
        prefs_file=prefs_file,
        empty_hint=empty_hint,
        clock=clock,
    )
