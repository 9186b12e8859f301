"""Keeping the interpreter's own pauses out of the person's way while they type.

Two things stop the event loop that no code of ours runs:

- The garbage collector's full passes walk every object that survived the younger ones. Once
  a screen's data is loaded (the inbox's rows, the beliefs index), what lives as long as the
  app is kept out of them (`freeze`), but the objects a screen makes as it draws still pile up:
  a full pass took 5-7 ms in the middle of typing, on top of a frame. Full passes are put off
  until the first freeze (before it, one walked the 140,000 objects of an index being built:
  70 ms); then they run when the keys have stopped for a second (`tick`), or at the latest
  every LATEST seconds. Young passes (well under a millisecond) run as before.
- A search runs in a worker thread, and the loop waits for the interpreter lock while that
  thread runs Python: up to the switch interval (5 ms by default) per wait, several times per
  search. A 1 ms interval lets the loop in sooner, at the cost of a few more switches.

Both are process-wide settings: `start` takes them, `stop` gives back what was there.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

SWITCH_INTERVAL = 0.001
"""Seconds a thread waiting for the interpreter lock waits before asking for it."""
QUIET = 1.0
"""Seconds without a key or a mouse event after which a full collection may run."""
LATEST = 30.0
"""Seconds after which a full collection runs even while keys keep coming."""
DEFERRED = 1_000_000
"""The third collection threshold while full passes are put off: never reached."""
DUE = 10
"""Young collections after which a full one is due (the interpreter's default threshold)."""


class Pauses:
    """The collector and thread-switch settings of an interactive session (see the module)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_input = clock()
        self.last_full = clock()
        self.full_passes = 0
        """Full collections run by `tick` (for tests and benchmarks)."""
        self.frozen = False
        """Whether `freeze` ran: full passes wait for it."""
        self._saved: tuple[tuple[int, int, int], float] | None = None

    @property
    def started(self) -> bool:
        return self._saved is not None

    def start(self) -> None:
        """Put full collections off and shorten the switch interval (once)."""
        if self._saved is not None:
            return
        self._saved = (gc.get_threshold(), sys.getswitchinterval())
        first, second, _ = self._saved[0]
        gc.set_threshold(first, second, DEFERRED)
        sys.setswitchinterval(SWITCH_INTERVAL)

    def stop(self) -> None:
        """Give back the settings `start` found, and unfreeze (a test's process runs many
        apps)."""
        if self._saved is None:
            return
        (first, second, third), interval = self._saved
        gc.set_threshold(first, second, third)
        sys.setswitchinterval(interval)
        if self.frozen:
            gc.unfreeze()  # what the app froze is garbage once it is gone
            self.frozen = False
        self._saved = None

    def freeze(self) -> None:
        """Keep what is alive now (modules, screens, an index) out of every later full pass."""
        gc.freeze()
        self.frozen = True

    def input(self) -> None:
        """A key or a mouse event came."""
        self.last_input = self.clock()

    def tick(self) -> bool:
        """Run a full collection if one is due, the app's data is frozen and the keys have
        stopped (or LATEST passed); return whether it ran."""
        if self._saved is None or not self.frozen:
            return False
        now = self.clock()
        due = gc.get_count()[2] >= DUE
        quiet = now - self.last_input >= QUIET
        if not due or not (quiet or now - self.last_full >= LATEST):
            return False
        gc.collect()
        self.last_full = now
        self.full_passes += 1
        return True
