"""The garbage-collector pause used by large listings."""

from __future__ import annotations

import gc
import threading

from memtui.core.bulk import gc_paused


def test_pause_is_nested_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_in_threads_end_with_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with gc_paused():
            inside.set()
            release.wait(timeout=10)

    worker = threading.Thread(target=hold)
    worker.start()
    inside.wait(timeout=10)
    with gc_paused():
        pass
    assert not gc.isenabled()  # the thread's pause is still on
    release.set()
    worker.join()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_exception() -> None:
    try:
        with gc_paused():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()
