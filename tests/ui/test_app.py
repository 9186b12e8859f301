"""The app around the inbox: themes remembered, the watcher feeding the inbox, the palette."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.app import SystemCommand

from memtui.core.models import Status
from memtui.services import curate
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root
from memtui.store import Database
from memtui.ui.app import make_app
from memtui.ui.screens.inbox import InboxScreen
from memtui.ui.themes import DEFAULT_THEME
from memtui.ui.widgets.candidates import CandidateList
from tests.ui.conftest import NOW, Seeded, app_on, settle, user_line


async def test_the_chosen_theme_is_remembered_across_runs(db: Database, tmp_path: Path) -> None:
    app = app_on(db, tmp_path)
    async with app.run_test() as pilot:
        assert app.theme == DEFAULT_THEME
        assert {"memtui-dusk", "memtui-paper", "memtui-contrast"} <= set(app.available_themes)
        app.theme = "memtui-paper"
        await settle(app, pilot)
    assert json.loads((tmp_path / "prefs.json").read_text())["theme"] == "memtui-paper"
    again = app_on(db, tmp_path)
    async with again.run_test():
        assert again.theme == "memtui-paper"


async def test_an_unreadable_prefs_file_falls_back_to_the_default(
    db: Database, tmp_path: Path
) -> None:
    (tmp_path / "prefs.json").write_text("{not json", encoding="utf-8")
    app = app_on(db, tmp_path)
    async with app.run_test():
        assert app.theme == DEFAULT_THEME


async def test_every_key_of_the_inbox_is_in_the_command_palette(
    db: Database, seeded: Seeded, tmp_path: Path
) -> None:
    app = app_on(db, tmp_path)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        titles = {
            c.title for c in app.get_system_commands(app.screen) if isinstance(c, SystemCommand)
        }
        for wanted in ("Confirm", "Reject", "Edit", "Supersede", "Merge", "Kind", "Scope", "Undo"):
            assert wanted in titles
        assert "Theme" in titles  # Textual's own theme picker lists memtui's themes


async def test_the_watcher_brings_new_candidates_into_the_open_inbox(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "projects" / "-work-shop-api"
    folder.mkdir(parents=True)
    transcript = folder / "sess-1.jsonl"
    transcript.write_text(user_line("hi, can you look at the login test?", "u0", NOW), "utf-8")
    roots = [Root(tmp_path / "projects", ClaudeCodeSource(), "default")]
    app = make_app(db, roots=roots, prefs_file=tmp_path / "prefs.json", clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await until(pilot, lambda: app.watch_note.startswith("watching"))
        with transcript.open("a", encoding="utf-8") as handle:
            handle.write(user_line("Always use pnpm, never npm, in this repo.", "u1", NOW))
        await until(pilot, lambda: bool(screen.query_one(CandidateList).rows))
        [row] = screen.query_one(CandidateList).rows
        assert "pnpm" in row.text
        assert curate.show(db, row.id).memory.status == Status.PENDING
        assert "1 new" in app.watch_note
    assert app.stop.is_set()  # the watcher thread was told to stop when the app closed


async def until(pilot: object, condition: object, rounds: int = 400) -> None:
    """Hand the loop over until `condition()` holds: each round waits for the app's next
    idle moment (no fixed sleep); fails after `rounds` of them (about 10 s at most)."""
    for _ in range(rounds):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.025)  # type: ignore[attr-defined]
    raise AssertionError("the condition never held")


async def test_no_database_session_is_opened_on_the_event_loop(
    db: Database, seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every key that touches the store: each session must come from a worker thread."""
    on_loop: list[str] = []
    for name in ("read", "write"):
        original = getattr(Database, name)

        def guarded(self: Database, *args: object, __original: Any = original) -> Any:
            if threading.current_thread() is threading.main_thread():
                on_loop.append(__original.__name__)
            return __original(self, *args)

        monkeypatch.setattr(Database, name, guarded)
    app = app_on(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for keys in (("j",), ("c",), ("x",), ("u",), ("t", "2"), ("g",), ("s", "escape")):
            await pilot.press(*keys)
            await settle(app, pilot)
    assert on_loop == []
    assert curate.status_counts(db)[Status.CONFIRMED] >= 2  # the keys did reach the store


async def test_the_inbox_read_before_start_is_shown_without_a_query(
    db: Database, seeded: Seeded, tmp_path: Path
) -> None:
    from memtui.services.review import prefetch

    first = prefetch(db.url)
    first.result(timeout=10)
    app = make_app(
        db, watch=False, prefs_file=tmp_path / "prefs.json", clock=lambda: NOW, first=first
    )
    async with app.run_test(size=(120, 40)) as pilot:
        rows = app.screen.query_one(CandidateList).rows
        assert [r.id for r in rows] == seeded.candidates  # on screen from the first frame
        await settle(app, pilot)


def test_a_long_source_message_is_cut_to_its_quote() -> None:
    from memtui.ui.widgets.panes import AROUND_QUOTE, quoted

    text = "x" * 1000 + " Use pnpm, not npm. " + "y" * 1000
    shown = str(quoted(text, "Use pnpm, not npm."))
    assert "Use pnpm, not npm." in shown
    assert "[… 761 characters before]" in shown
    assert len(shown) < 2 * AROUND_QUOTE + 100
    assert str(quoted("short message", "short")) == "short message"
