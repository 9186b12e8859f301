"""`memtui` with no command: the app, on the user's store or on a demo store."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from memtui.cli import render
from memtui.core.errors import InvalidInputError
from memtui.core.settings import Settings
from memtui.services import curate
from memtui.services.ingest import roots_for
from memtui.store import describe

NOT_A_TERMINAL = (
    "(the app needs a terminal: this is `memtui status`; `memtui --help` lists commands)"
)


def open_app(args: argparse.Namespace, settings: Settings) -> int:
    """Run the app until the person quits. Without a terminal, print the status instead."""
    from memtui.cli.commands import open_store

    if args.demo:
        return open_demo(args)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        database = open_store(settings)
        try:
            print(render.overview(curate.status_counts(database), describe(database.url)))
            print(NOT_A_TERMINAL)
        finally:
            database.close()
        return 0
    from memtui.ui.app import make_app  # Textual is imported here and nowhere else in cli

    database = open_store(settings)
    try:
        roots = roots_for(settings)
        make_app(
            database,
            roots=roots,
            watch=not args.no_watch,
            empty_hint=empty_hint(sum(1 for r in roots if r.path.exists())),
        ).run()
    finally:
        database.close()
    return 0


def open_demo(args: argparse.Namespace) -> int:
    """The app on a demo built in a temporary folder, removed when the app closes."""
    from memtui.services.demo import build_demo

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InvalidInputError(
            "the demo opens the app, which needs a terminal; "
            "`memtui demo PATH` builds the demo store for the other commands"
        )
    from memtui.store import Database
    from memtui.ui.app import make_app

    with tempfile.TemporaryDirectory(prefix="memtui-demo-") as folder:
        demo = build_demo(Path(folder) / "demo")
        database = Database(demo.db_url)
        try:
            make_app(database, roots=demo.roots, watch=not args.no_watch).run()
        finally:
            database.close()
    return 0


def empty_hint(existing_roots: int) -> str:
    """What an empty inbox says to someone who just installed memtui."""
    where = (
        f"memtui reads your agents' transcripts in {existing_roots} place(s) on this machine "
        "(`memtui sources` lists them) and found nothing you said worth keeping yet."
        if existing_roots
        else "memtui found no transcripts of Claude Code, Codex CLI, Cline, Gemini CLI, Aider, "
        "Cursor or OpenCode on this machine yet (`memtui sources --all` shows where it looks)."
    )
    return (
        "Nothing to review yet.\n\n"
        f"{where}\n\n"
        "Keep this open while you work with your agents: what you tell them that sounds like a "
        "rule, a preference or a decision appears here, with where you said it.\n\n"
        "To see memtui at work right away: quit (q) and run `memtui --demo`.\n"
        "To read transcripts kept elsewhere: `memtui scan PATH`."
    )
