"""What the review screen reads: the inbox and the counts, fast.

For a SQLite store whose schema is current this needs only the standard library (see
store/fastread.py): the app draws its inbox before SQLAlchemy is even imported, and reads it
again after each change without it. For any other store these return None and the screen
reads through the curation service.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from memtui.core.models import Status
from memtui.core.rows import InboxRow
from memtui.services.firstpage import in_thread
from memtui.store.fastread import read_first, revision, sqlite_file
from memtui.store.schema import HEAD_REVISION

FIRST_PAGE = 200
"""Rows read for the first frame: a screenful and more; the rest follow once it is drawn."""


@dataclass(frozen=True, slots=True)
class Look:
    """The pending candidates (all, or the first of them) and the counts by status."""

    rows: list[InboxRow]
    counts: dict[Status, int]
    complete: bool
    """Whether `rows` holds every pending candidate."""


def first_look(url: str, *, limit: int | None = None) -> Look | None:
    """The pending candidates (the first `limit`) and the counts of a current SQLite store;
    None for any other store."""
    path = sqlite_file(url)
    found = None if path is None else read_first(path, HEAD_REVISION, (Status.PENDING,), limit)
    if found is None:
        return None
    rows, counts = found
    return Look(rows, counts, limit is None or len(rows) < limit)


def is_current_sqlite(url: str) -> bool:
    """Whether `url` is a SQLite file already at this memtui's schema (no migration to run)."""
    path = sqlite_file(url)
    return path is not None and revision(path) == HEAD_REVISION


def prefetch(url: str) -> Future[Look | None]:
    """Start reading the first page of the inbox in a thread of its own; its future result.

    The command line calls this before it imports Textual: SQLite works with the GIL released,
    so the inbox is read while the app's modules load.
    """
    return in_thread(lambda: first_look(url, limit=FIRST_PAGE), "memtui-prefetch")
