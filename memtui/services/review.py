"""What the review screen reads before anything else: the inbox and the counts, fast.

For a SQLite store whose schema is current this needs only the standard library (see
store/fastread.py): the app draws its inbox before SQLAlchemy is even imported. For any
other store it returns None and the screen reads through the curation service.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from memtui.core.models import Status
from memtui.core.records import InboxRow
from memtui.store.fastread import read_counts, read_inbox, revision, sqlite_file
from memtui.store.schema import HEAD_REVISION


def first_look(url: str) -> tuple[list[InboxRow], dict[Status, int]] | None:
    """The pending candidates and the counts of a current SQLite store; None otherwise."""
    path = sqlite_file(url)
    if path is None or revision(path) != HEAD_REVISION:
        return None
    return read_inbox(path), read_counts(path)


def is_current_sqlite(url: str) -> bool:
    """Whether `url` is a SQLite file already at this memtui's schema (no migration to run)."""
    path = sqlite_file(url)
    return path is not None and revision(path) == HEAD_REVISION


FirstLook = tuple[list[InboxRow], dict[Status, int]] | None


def prefetch(url: str) -> Future[FirstLook]:
    """Start `first_look` in a thread of its own and return its future result.

    The command line calls this before it imports Textual: SQLite works with the GIL released,
    so the inbox is read while the app's modules load.
    """
    future: Future[FirstLook] = Future()

    def read() -> None:
        try:
            future.set_result(first_look(url))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=read, name="memtui-prefetch", daemon=True).start()
    return future
