"""Follow transcripts as agents write them, with watchfiles (inotify, FSEvents, ...).

Headless: `memtui watch` runs it in the foreground; the app runs the same loop in a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import watchfiles

from memtui.extract import Extractor, RuleExtractor
from memtui.services.ingest import FileResult, ingest_file, source_for
from memtui.sources.base import Source
from memtui.sources.registry import Root, plan
from memtui.store.database import Database

DEBOUNCE_MS = 50
"""Changes arriving within this window are handled together: short, so a message typed to an
agent reaches the inbox well within a quarter of a second."""


def watched_folders(roots: Sequence[Root]) -> list[Path]:
    """The existing folders to watch: each root folder, or the folder holding a root file."""
    folders = {root.path if root.path.is_dir() else root.path.parent for root in roots}
    existing = sorted(f for f in folders if f.is_dir())
    # A folder inside another watched folder is covered by it (watching is recursive).
    return [f for f in existing if not any(p in f.parents for p in existing)]


IDLE_MS = 200
"""How often the loop wakes when nothing changes (to notice `stop`)."""


def changed_transcripts(
    roots: Sequence[Root], stop: threading.Event, on_ready: Callable[[], None] | None = None
) -> Iterator[list[tuple[Path, Source]]]:
    """Batches of transcripts that changed, until `stop` is set.

    `on_ready` is called once the folders are being watched: a change made after it is seen.
    """
    folders = watched_folders(roots)
    if not folders:
        return
    for changes in watchfiles.watch(
        *folders,
        debounce=DEBOUNCE_MS,
        step=DEBOUNCE_MS,
        stop_event=stop,
        rust_timeout=IDLE_MS,
        yield_on_timeout=True,  # the first (empty) turn tells that the watches are in place
        raise_interrupt=False,
    ):
        if on_ready is not None:
            on_ready()
            on_ready = None
        batch: dict[Path, Source] = {}
        for change, name in changes:
            if change == watchfiles.Change.deleted:
                continue
            path = Path(name)
            source = source_for(path, roots)
            if source is not None and path.is_file():
                batch[path] = source
        if batch:
            yield sorted(batch.items(), key=lambda item: str(item[0]))


def follow(
    db: Database,
    roots: Sequence[Root],
    stop: threading.Event,
    on_file: Callable[[FileResult], None],
    *,
    extractor: Extractor | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Ingest every change below the roots as it happens, until `stop` is set.

    Once the watches are in place, every transcript is read up to date a first time: what was
    written before the watching began is not left waiting for the file's next change.
    """
    extractor = extractor or RuleExtractor()

    def catch_up() -> None:
        for path, source in plan(roots):
            on_file(ingest_file(db, path, source, extractor))
        if on_ready is not None:
            on_ready()

    for batch in changed_transcripts(roots, stop, catch_up):
        for path, source in batch:
            on_file(ingest_file(db, path, source, extractor))
