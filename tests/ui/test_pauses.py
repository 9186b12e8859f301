"""The collector and thread-switch settings the app takes while it runs (ui/pauses.py)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from memtui.store import Database
from memtui.ui.pauses import DEFERRED, DUE, LATEST, QUIET, SWITCH_INTERVAL, Pauses
from tests.ui.conftest import app_on, settle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pauses() -> Iterator[tuple[Pauses, Clock]]:
    clock = Clock()
    taken = Pauses(clock)
    taken.start()
    taken.frozen = True  # as after the app's first freeze (not frozen here: tests go on)
    try:
        yield taken, clock
    finally:
        taken.stop()


def make_due() -> None:
    """Young collections until a full one is due (each collect(1) counts one)."""
    while gc.get_count()[2] < DUE:
        gc.collect(1)


def test_start_puts_full_passes_off_and_stop_gives_the_settings_back() -> None:
    before = (gc.get_threshold(), sys.getswitchinterval())
    taken = Pauses()
    taken.start()
    try:
        assert gc.get_threshold()[2] == DEFERRED
        assert gc.get_threshold()[:2] == before[0][:2]
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
    finally:
        taken.stop()
    assert (gc.get_threshold(), sys.getswitchinterval()) == before
    taken.stop()  # twice: nothing more
    assert (gc.get_threshold(), sys.getswitchinterval()) == before


def test_a_due_full_pass_waits_for_the_keys_to_stop(pauses: tuple[Pauses, Clock]) -> None:
    taken, clock = pauses
    make_due()
    taken.input()
    clock.now += QUIET / 2
    assert not taken.tick()  # typing
    assert gc.get_count()[2] >= DUE
    clock.now += QUIET
    assert taken.tick()  # quiet for longer than QUIET
    assert gc.get_count()[2] == 0
    assert taken.full_passes == 1
    assert not taken.tick()  # nothing due any more


def test_a_full_pass_runs_at_the_latest_after_latest_seconds(
    pauses: tuple[Pauses, Clock],
) -> None:
    taken, clock = pauses
    make_due()
    for _ in range(int(LATEST / (QUIET / 2))):
        clock.now += QUIET / 2
        taken.input()
        if taken.tick():
            break
    assert taken.full_passes == 1
    assert clock.now - 1000.0 >= LATEST


def test_nothing_runs_before_start_or_the_first_freeze_or_when_nothing_is_due() -> None:
    clock = Clock()
    taken = Pauses(clock)
    make_due()
    clock.now += LATEST * 2
    assert not taken.tick()  # not started
    taken.start()
    try:
        assert not taken.tick()  # started, due, quiet, but the app's data is not loaded yet
        taken.frozen = True
        gc.collect()
        assert not taken.tick()  # nothing due
    finally:
        taken.stop()


async def test_the_app_takes_the_settings_while_it_runs(db: Database, tmp_path: Path) -> None:
    before = (gc.get_threshold(), sys.getswitchinterval())
    app = app_on(db, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.pauses.started
        assert app.pauses.frozen  # the inbox's rows are loaded
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)
        said = app.pauses.last_input
        await pilot.press("j")
        assert app.pauses.last_input > said
    assert (gc.get_threshold(), sys.getswitchinterval()) == before
