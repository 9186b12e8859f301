"""`memtui` with no command: the app, on the user's store or on a demo store.

What runs before the first frame is kept to Textual and the standard library: a store that
needs no migration is not even opened with SQLAlchemy until the inbox is on screen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from memtui.core import paths
from memtui.core.errors import InvalidInputError
from memtui.core.settings import Settings

if TYPE_CHECKING:
    from memtui.sources.registry import Root
    from memtui.store import Database
    from memtui.ui.app import MemtuiApp

NOT_A_TERMINAL = (
    "(the app needs a terminal: this is `memtui status`; `memtui --help` lists commands)"
)
EMPTY_HINT = (
    "Nothing to review yet.\n\n"
    "memtui reads what you tell Claude Code, Codex CLI, Cline, Gemini CLI, Aider, Cursor and "
    "OpenCode in their transcripts on this machine (`memtui sources` shows where it looks and "
    "what it found), and proposes here what sounds like a rule, a preference, a correction, a "
    "fact, a decision or a procedure, with where you said it.\n\n"
    "Keep this open while you work with your agents: new candidates appear as you talk.\n\n"
    "To see memtui at work right away: quit (q) and run `memtui --demo`.\n"
    "To read transcripts kept elsewhere: `memtui scan PATH`."
)


def interactive() -> bool:
    """Whether memtui runs in a terminal a person can type into."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def open_app(args: argparse.Namespace, settings: Settings) -> int:
    """Run the app until the person quits. Without a terminal, print the status instead."""
    if args.demo:
        return open_demo(args)
    if not interactive():
        return status_instead(settings)
    app = build_app(settings, watch=not args.no_watch, start=args.screen)
    try:
        app.run()
    finally:
        app.store.close()
    return 0


def build_app(settings: Settings, *, watch: bool = True, start: str = "inbox") -> MemtuiApp:
    """The app on the configured store (migrated first if it needs it), opened on the screen
    `start` (inbox, beliefs or history)."""
    from memtui.services.firstpage import prefetch_beliefs
    from memtui.services.review import is_current_sqlite, prefetch

    url = settings.database_url
    if not is_current_sqlite(url):
        from memtui.cli.commands import open_store

        open_store(settings).close()  # creates or migrates the store, the one slow start
    # The first screen's rows are read while Textual loads; the inbox under another screen
    # reads its own once that screen is drawn.
    first = prefetch(url) if start == "inbox" else None
    first_beliefs = prefetch_beliefs(url) if start == "beliefs" else None
    from memtui.ui.app import make_app

    def opener() -> Database:
        from memtui.store import Database

        return Database(url)

    def roots() -> list[Root]:
        from memtui.services.ingest import roots_for

        return roots_for(settings)

    here = Path.cwd()
    return make_app(
        url=url,
        opener=opener,
        roots=roots,
        watch=watch,
        empty_hint=EMPTY_HINT,
        first=first,
        first_beliefs=first_beliefs,
        settings=settings,
        start=start,
        home_project=str(paths.project_root(here)) if paths.in_git_project(here) else None,
    )


def status_instead(settings: Settings) -> int:
    """`memtui status`, with a note that the app needs a terminal."""
    from memtui.cli import render
    from memtui.cli.commands import open_store
    from memtui.services import curate
    from memtui.store import describe

    database = open_store(settings)
    try:
        print(render.overview(curate.status_counts(database), describe(database.url)))
        print(NOT_A_TERMINAL)
    finally:
        database.close()
    return 0


def open_demo(args: argparse.Namespace) -> int:
    """The app on a demo built in a temporary folder, removed when the app closes."""
    from memtui.services.demo import build_demo

    if not interactive():
        raise InvalidInputError(
            "the demo opens the app, which needs a terminal; "
            "`memtui demo PATH` builds the demo store for the other commands"
        )
    from memtui.store import Database
    from memtui.ui.app import make_app

    with tempfile.TemporaryDirectory(prefix="memtui-demo-") as folder:
        demo = build_demo(Path(folder) / "demo")
        app = make_app(
            url=demo.db_url,
            opener=lambda: Database(demo.db_url),
            roots=demo.roots,
            watch=not args.no_watch,
            settings=demo.settings,
            user_level=False,  # the demo writes its own projects' files, never your home's
            offer_import=False,
            start=args.screen,
        )
        try:
            app.run()
        finally:
            app.store.close()
    return 0
