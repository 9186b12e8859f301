"""What the beliefs screen draws before its search index exists: the first screenful, fast.

Building the search index of 100,000 memories takes seconds; the screen does not wait for it.
For a SQLite store whose schema is current, the first rows of the beliefs list are read with
the standard library's sqlite3 alone (store/fastread.py), in the very order and with the very
content the index's listing will give them (a test compares the two), so the list drawn first
is the list the index then draws again. The command line starts this read in a thread before
it imports Textual, as it does for the inbox (services/review.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

from memtui.core.models import Status
from memtui.core.rows import IndexedMemory
from memtui.store.fastread import read_beliefs, sqlite_file
from memtui.store.schema import HEAD_REVISION

FIRST_BELIEFS = 120
"""Rows read for the first frame: a tall terminal's screenful and more."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BeliefsPage:
    """The first rows of the confirmed beliefs, most recent change first, and how many there
    are in all."""

    rows: list[IndexedMemory]
    total: int


def first_beliefs(url: str, *, limit: int = FIRST_BELIEFS) -> BeliefsPage | None:
    """The first `limit` confirmed beliefs of a current SQLite store; None for any other."""
    path = sqlite_file(url)
    found = None if path is None else read_beliefs(path, HEAD_REVISION, (Status.CONFIRMED,), limit)
    if found is None:
        return None
    rows, total = found
    return BeliefsPage(rows, total)


def in_thread(read: Callable[[], T], name: str) -> Future[T]:
    """Run `read` in a daemon thread of its own; its future result.

    SQLite works with the GIL released, so a read started before Textual is imported is done
    (or nearly) when the app wants it.
    """
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(read())
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


def prefetch_beliefs(url: str) -> Future[BeliefsPage | None]:
    """Start reading the first beliefs in a thread; its future result."""
    return in_thread(lambda: first_beliefs(url), "memtui-prefetch-beliefs")
