"""Follow transcripts as agents write them, with watchfiles (inotify, FSEvents, ...).

Headless: `memtui watch` runs it in the foreground; the app runs the same loop in a worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import watchfiles

from memtui.extract import Extractor, RuleExtractor
from memtui.services.ingest import FileResult, ScanSummary, ingest_file, scan, transcript_of
from memtui.sources.base import Source
from memtui.sources.registry import Root
from memtui.store.database import Database

DEBOUNCE_MS = 50
"""Changes arriving within this window are handled together: short, so a message typed to an
agent reaches the inbox well within a quarter of a second."""


def watched_folders(roots: Sequence[Root]) -> list[Path]:
    """The folders to watch: each existing root folder, and the folder of each existing root
    file. A root that does not exist is not watched (nor its parent: that may be a home)."""
    folders = {root.path for root in roots if root.path.is_dir()}
    folders |= {root.path.parent for root in roots if root.path.is_file()}
    # A folder inside another watched folder is covered by it (watching is recursive).
    return sorted(f for f in folders if not any(p in f.parents for p in folders))


IDLE_MS = 200
"""How often the loop wakes when nothing changes (to notice `stop`)."""


def changed_transcripts(
    roots: Sequence[Root], stop: threading.Event, on_ready: Callable[[], None] | None = None
) -> Iterator[dict[Path, Source]]:
    """The transcripts that changed, turn after turn (an empty turn when nothing did), until
    `stop` is set.

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
            if change == watchfiles.Change.deleted and not name.endswith("-wal"):
                continue
            found = transcript_of(Path(name), roots)
            if found is not None and found[0].is_file():
                batch[found[0]] = found[1]
        yield batch


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
    written before the watching began is not left waiting for the file's next change. A
    transcript whose source reads slowly (min_interval) is read at most that often: changes
    in between wait for the next turn.
    """
    extractor = extractor or RuleExtractor()
    last_read: dict[Path, float] = {}
    waiting: dict[Path, Source] = {}

    def catch_up() -> None:
        def read(done: int, total: int, result: FileResult, summary: ScanSummary) -> None:
            last_read[Path(result.path)] = time.monotonic()
            on_file(result)

        scan(db, roots, extractor=extractor, progress=read)  # in groups, as `memtui scan`
        if on_ready is not None:
            on_ready()

    for batch in changed_transcripts(roots, stop, catch_up):
        waiting.update(batch)
        for path, source in sorted(waiting.items(), key=lambda item: str(item[0])):
            if time.monotonic() - last_read.get(path, -math.inf) < source.min_interval:
                continue
            del waiting[path]
            on_file(ingest_file(db, path, source, extractor))
            last_read[path] = time.monotonic()
