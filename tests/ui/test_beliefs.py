"""The beliefs and history screens driven by their keys, checked against the store."""

from __future__ import annotations

import threading
from pathlib import Path

import pyperclip
import pytest
from textual.widgets import Input

from memtui.core.models import Kind, Scope, Status
from memtui.services import curate, search
from memtui.store import Database
from memtui.ui.app import MemtuiApp, make_app
from memtui.ui.clipboard import TERMINAL
from memtui.ui.screens.beliefs import BeliefsScreen
from memtui.ui.screens.dialogs import ConfirmScreen, PickerScreen
from memtui.ui.screens.history import HistoryList, HistoryScreen
from memtui.ui.screens.inbox import InboxScreen
from memtui.ui.widgets.beliefs import BeliefList
from tests.ui.conftest import NOW, Seeded, app_on, settle, status_of


def beliefs_screen(app: MemtuiApp) -> BeliefsScreen:
    screen = app.screen
    assert isinstance(screen, BeliefsScreen)
    return screen


def listed(app: MemtuiApp) -> list[int]:
    return list(beliefs_screen(app).query_one(BeliefList).ids)


def memory(db: Database, memory_id: int) -> curate.MemoryRecord:  # type: ignore[name-defined]
    return curate.show(db, memory_id).memory


@pytest.fixture
def beliefs(db: Database, seeded: Seeded) -> list[int]:
    """The seeded belief and two confirmed candidates: three beliefs, newest first."""
    first, _, third = seeded.candidates
    curate.confirm(db, third)
    curate.confirm(db, first)
    return [first, third, seeded.belief]


async def open_beliefs(app: MemtuiApp, pilot: object) -> None:
    await settle(app, pilot)  # type: ignore[arg-type]
    await pilot.press("b")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]


async def test_b_lists_the_beliefs_newest_first_and_i_goes_back(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        assert listed(app) == beliefs
        assert "3 beliefs" in str(app.screen.query_one("#status").render())
        await pilot.press("i")
        await settle(app, pilot)
        assert not isinstance(app.screen, BeliefsScreen)
        await pilot.press("b")
        await settle(app, pilot)
        assert listed(app) == beliefs  # the same screen, its index kept


async def test_typing_with_a_typo_finds_the_belief_and_marks_its_letters(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        await pilot.press("slash", *"migratoins")
        await settle(app, pilot)
        screen = beliefs_screen(app)
        assert listed(app)[0] == beliefs[1]  # "Never run migrations against prod."
        assert screen.shown_text == "migratoins"
        marks = screen.query_one(BeliefList).positions[beliefs[1]]
        text = "Never run migrations against prod."
        assert {text[i] for i in marks} <= set("migrations")
        assert len(marks) >= 8


async def test_a_search_longer_than_the_box_scrolls_to_the_letter_typed(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    """The box repaints itself only as it is typed in (SearchBox), and still scrolls along."""
    app = app_on(db, tmp_path)
    async with app.run_test(size=(60, 30)) as pilot:
        await open_beliefs(app, pilot)
        box = app.screen.query_one("#search", Input)
        region = box.region
        words = "never run migrations against prod unless asked twice by the owner "
        await pilot.press("slash", *["space" if c == " " else c for c in words.strip()])
        await settle(app, pilot)
        assert box.value == words.strip()
        assert box.region == region
        assert box.scroll_x > 0
        assert region.contains(*box.cursor_screen_offset)
        assert "owner" in "".join(s.text for s in box.render_lines(box.region.reset_offset))


async def test_filters_narrow_the_listing(db: Database, beliefs: list[int], tmp_path: Path) -> None:
    curate.deprecate(db, beliefs[0])
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        assert beliefs[0] not in listed(app)
        await pilot.press("slash", *"status:deprecated")
        await settle(app, pilot)
        assert listed(app) == [beliefs[0]]
        box = app.screen.query_one("#search", Input)
        box.value = "kind:nonsense"
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        assert "kind:nonsense is not one of" in status
        assert len(listed(app)) == 2  # the bad term is left out, the rest still applies


async def test_a_superseded_search_is_dropped(
    db: Database, beliefs: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first search is held until a newer one is drawn; released, it must not draw."""
    release = threading.Event()
    entered = threading.Event()
    original = search.SearchIndex.query

    def held(self: search.SearchIndex, text: str, *args: object, **kwargs: object) -> object:
        if text.startswith("never"):
            entered.set()
            assert release.wait(10)
            # The screen's exclusive worker was cancelled meanwhile: `stale` says so.
            stale = kwargs.get("stale")
            assert callable(stale)
            assert stale()
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search.SearchIndex, "query", held)
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        box = app.screen.query_one("#search", Input)
        box.value = "never"
        await pilot.pause()
        assert entered.wait(10)
        box.value = "pnpm"
        while beliefs_screen(app).shown_text != "pnpm":
            await pilot.pause(0.01)
        drawn = listed(app)
        assert drawn[0] == beliefs[0]
        assert beliefs[1] not in drawn
        release.set()
        await settle(app, pilot)
        assert beliefs_screen(app).shown_text == "pnpm"
        assert listed(app) == drawn  # "never run migrations" was never drawn


async def test_edit_kind_scope_lock_and_deprecate_write_the_store(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    app = app_on(db, tmp_path)
    target = beliefs[0]
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        assert beliefs_screen(app).query_one(BeliefList).current_id == target
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one(Input).value = "Use pnpm, never npm, in this repo."
        await pilot.press("enter")
        await settle(app, pilot)
        assert memory(db, target).text == "Use pnpm, never npm, in this repo."
        await pilot.press("t", "4")
        await settle(app, pilot)
        assert memory(db, target).kind == Kind.FACT
        await pilot.press("g")
        await settle(app, pilot)
        assert memory(db, target).scope == Scope.GLOBAL
        await pilot.press("L")
        await settle(app, pilot)
        assert memory(db, target).locked
        assert beliefs_screen(app).query_one(BeliefList).current.locked  # type: ignore[union-attr]
        await pilot.press("D")  # a locked belief is not deprecated: said, nothing lost
        await settle(app, pilot)
        assert status_of(db, target) == Status.CONFIRMED
        await pilot.press("L")
        await settle(app, pilot)
        assert not memory(db, target).locked
        await pilot.press("D")
        await settle(app, pilot)
        assert status_of(db, target) == Status.DEPRECATED
        assert target not in listed(app)  # the index followed


async def test_supersede_picks_the_belief_replaced(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    app = app_on(db, tmp_path)
    new, old = beliefs[0], beliefs[2]  # "Use pnpm, not npm" replaces "Use npm for installs."
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, PickerScreen)
        await pilot.press(*"npm for installs")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert status_of(db, old) == Status.SUPERSEDED
        assert memory(db, new).supersedes == (old,)
        assert old not in listed(app)


async def test_copy_falls_back_to_the_terminal(
    db: Database, beliefs: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no clipboard mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == "Use pnpm, not npm, in this repo."
        assert any(n.message == TERMINAL for n in app._notifications)


async def test_copy_uses_the_system_clipboard_when_there_is_one(
    db: Database, beliefs: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert copied == ["Use pnpm, not npm, in this repo."]
        assert app.clipboard == ""


async def test_history_reverts_the_selected_change_after_asking(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    target = beliefs[0]
    curate.edit(db, target, text="Use pnpm everywhere.")
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        await pilot.press("h")  # the history of the belief under the cursor
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        events = app.screen.query_one(HistoryList).events
        assert events
        assert {e.memory_id for e in events} == {target}
        assert events[0].action.value == "edited"
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert memory(db, target).text == "Use pnpm everywhere."
        await pilot.press("r", "y")
        await settle(app, pilot)
        assert memory(db, target).text == "Use pnpm, not npm, in this repo."
        assert app.screen.query_one(HistoryList).events[0].command == "revert"
        await pilot.press("escape", "escape")  # clear the filter, then back to the beliefs
        await settle(app, pilot)
        assert isinstance(app.screen, BeliefsScreen)
        await settle(app, pilot)
        shown = beliefs_screen(app).query_one(BeliefList).current
        assert shown is not None
        assert shown.text == "Use pnpm, not npm, in this repo."


async def test_as_of_lists_what_was_believed_then(
    db: Database, beliefs: list[int], tmp_path: Path
) -> None:
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("a", *"2000-01-01", "enter")
        await settle(app, pilot)
        history = app.screen.query_one(HistoryList)
        assert history.past == []
        assert "as of 2000-01-01" in str(app.screen.query_one("#status").render())
        await pilot.press("a")
        app.screen.query_one("#as-of", Input).value = "2999-01-01"
        await pilot.press("enter")
        await settle(app, pilot)
        assert history.past is not None
        assert sorted(b.id for b in history.past) == sorted(beliefs)
        await pilot.press("escape")
        await settle(app, pilot)
        assert history.past is None
        assert history.events


async def test_opened_on_the_beliefs_it_draws_them_before_the_index_and_searches_after(
    db: Database,
    seeded: Seeded,
    beliefs: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first screenful comes from sqlite3; what is typed while the index is being built
    is searched once it is ready."""
    from memtui.services.firstpage import prefetch_beliefs

    release = threading.Event()
    build = search.SearchIndex.build

    def held(database: Database) -> search.SearchIndex:
        assert release.wait(timeout=30)
        return build(database)

    monkeypatch.setattr(search.SearchIndex, "build", held)
    app = make_app(
        db,
        watch=False,
        prefs_file=tmp_path / "prefs.json",
        clock=lambda: NOW,
        offer_import=False,
        start="beliefs",
        first_beliefs=prefetch_beliefs(db.url),
    )
    built_after: list[str | None] = []
    build_inbox = InboxScreen.build

    async def build_watched(inbox: InboxScreen) -> None:
        built_after.append(beliefs_screen(app).shown_text)
        await build_inbox(inbox)

    monkeypatch.setattr(InboxScreen, "build", build_watched)
    async with app.run_test(size=(130, 40)) as pilot:
        screen = beliefs_screen(app)
        for _ in range(500):  # the first page arrives from the prefetch thread
            if screen.shown_text is not None:
                break
            await pilot.pause()
        assert screen.shown_text == ""
        assert screen.index is None
        assert listed(app) == beliefs  # the index's own order, read before it exists
        assert "indexing the beliefs… · 3 beliefs, newest first" in status_text(app)
        await pilot.press("slash", *"pnpm")
        await pilot.pause()
        assert "“pnpm” is searched once the index is ready" in status_text(app)
        assert listed(app) == beliefs
        release.set()
        await settle(app, pilot)
        assert screen.shown_text == "pnpm"
        assert listed(app)[0] == beliefs[0]  # "Use pnpm, not npm, in this repo."
        assert "found" in status_text(app)
        app.screen.query_one("#search", Input).value = ""
        await settle(app, pilot)
        assert listed(app) == beliefs
        await pilot.press("i")
        await settle(app, pilot)
        assert built_after == [""]  # composed once, after the first beliefs were drawn
        assert app.inbox.loaded  # the inbox underneath read its rows after the first frame
        shown = [row.id for row in app.inbox.candidates.rows]
        assert shown == [seeded.candidates[1]]  # the one candidate still pending


def status_text(app: MemtuiApp) -> str:
    return str(app.screen.query_one("#status").render())


async def test_leaving_while_a_search_is_held_back_never_freezes_the_app(
    db: Database, beliefs: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letter typed waits for its result in one frame; leaving meanwhile lets go."""
    from memtui.ui.screens import beliefs as screens

    monkeypatch.setattr(screens, "HOLD", 60.0)  # only leaving can let go within the test
    app = app_on(db, tmp_path)
    async with app.run_test(size=(130, 40)) as pilot:
        await open_beliefs(app, pilot)
        screen = beliefs_screen(app)
        monkeypatch.setattr(screen, "search", lambda *args: None)  # the result never comes
        await pilot.press("slash", "p")
        assert screen.held is not None
        assert app._batch_count == 1
        await pilot.press("escape", "escape")  # to the list, then back to the inbox
        await settle(app, pilot)
        assert not isinstance(app.screen, BeliefsScreen)
        assert screen.held is None
        assert app._batch_count == 0
