"""One ordered writer per screen: changes are applied in a worker thread, one after the other,
in the order the keys were pressed; each outcome is handed back on the event loop."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from memtui.store.database import Database

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a write did: what to tell, and which memories it changed."""

    message: str = ""
    error: str | None = None
    changed: tuple[int, ...] = ()
    select: int | None = None
    """A memory to put the cursor on afterwards."""


def failed(error: str) -> Outcome:
    """The outcome of a job that raised."""
    return Outcome(error=error)


class Writer(Generic[T]):
    """A queue of jobs drained by one thread worker of `screen` at a time. A job returns an
    outcome of the screen's own kind (T); `error` makes one from an exception it raised."""

    def __init__(
        self,
        screen: Screen[Any],
        database: Callable[[], Database],
        done: Callable[[T], None],
        error: Callable[[str], T],
    ) -> None:
        self.screen = screen
        self.database = database
        self.done = done
        self.error = error
        self.jobs: queue.Queue[Callable[[Database], T]] = queue.Queue()
        self.lock = threading.Lock()
        self.draining = False

    def put(self, job: Callable[[Database], T]) -> None:
        """Queue a job; it runs after every job queued before it."""
        with self.lock:
            self.jobs.put(job)
            if self.draining:
                return
            self.draining = True
        self.screen.run_worker(self._drain, thread=True, group="writer", exit_on_error=False)

    def _drain(self) -> None:
        while True:
            with self.lock:
                if self.jobs.empty():
                    self.draining = False
                    return
                job = self.jobs.get()
            try:
                outcome = job(self.database())
            except Exception as exc:  # told to the person by the screen
                outcome = self.error(f"{type(exc).__name__}: {exc}")
            self.screen.app.call_from_thread(self.done, outcome)
