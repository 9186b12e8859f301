"""The commands that read transcripts: scan, watch and sources."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from memtui.cli import render
from memtui.cli.output import emit_json
from memtui.core.errors import InvalidInputError
from memtui.core.settings import Settings
from memtui.services import ingest, sources_report, watch
from memtui.services.ingest import FileResult, ScanSummary
from memtui.services.llm_extract import extractor_for
from memtui.store import Database


class ProgressLine:
    """One line on stderr, rewritten after each file: files, megabytes, candidates."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int, result: FileResult, summary: ScanSummary) -> None:
        if not self.enabled:
            return
        rate = summary.bytes_read / 2**20 / max(time.monotonic() - self.started, 1e-6)
        line = (
            f"files {done}/{total} · {summary.bytes_read / 2**20:.1f} MB ({rate:.0f} MB/s) · "
            f"{summary.created} new candidate(s) · {summary.merged} merged"
        )
        sys.stderr.write(f"\r{line}\x1b[K" if sys.stderr.isatty() else f"{line}\n")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.enabled and self.drawn and sys.stderr.isatty():
            sys.stderr.write("\n")


def scan(args: argparse.Namespace, settings: Settings, database: Database) -> int:
    roots = ingest.roots_for(settings, args.paths, args.tool)
    for root in roots:
        if root.origin == "command line":
            try:
                root.path.stat()
            except FileNotFoundError:
                raise InvalidInputError(f"no such file or folder: {root.path}") from None
            except OSError as error:  # a loop of links, no permission
                raise InvalidInputError(f"cannot read {root.path}: {error.strerror}") from None
    progress = ProgressLine(args.progress or sys.stderr.isatty())
    extractor = extractor_for(settings)
    try:
        summary = ingest.scan(database, roots, extractor=extractor, progress=progress)
    finally:
        progress.close()
    if args.json:
        emit_json(render.scan_json(summary))
    else:
        print(render.scan_summary(summary))
    return 1 if summary.errors else 0


def follow(args: argparse.Namespace, settings: Settings, database: Database) -> int:
    roots = ingest.roots_for(settings, args.paths, args.tool)
    folders = watch.watched_folders(roots)
    if not folders:
        print(
            "memtui: none of the transcript folders exists yet; nothing to watch", file=sys.stderr
        )
        return 1
    extractor = extractor_for(settings)
    summary = ingest.scan(database, roots, extractor=extractor)
    print(render.scan_summary(summary), flush=True)

    def announce() -> None:
        print(f"Watching {len(folders)} folder(s); Ctrl-C to stop.", flush=True)

    stop = threading.Event()
    try:
        watch.follow(database, roots, stop, _report, extractor=extractor, on_ready=announce)
    except KeyboardInterrupt:
        stop.set()
    return 0


def _report(result: FileResult) -> None:
    """One line per file that changed and gave something (or failed)."""
    if result.error is not None:
        print(f"{time.strftime('%H:%M:%S')}  {result.path}: {result.error}", flush=True)
    elif result.created or result.merged or result.skipped:
        print(f"{time.strftime('%H:%M:%S')}  {render.file_line(result)}", flush=True)


def sources(args: argparse.Namespace, settings: Settings, database: Database) -> int:
    report = sources_report.report(database, ingest.roots_for(settings))
    if args.json:
        emit_json([entry.to_json() for entry in report])
    else:
        print(render.sources(report, home=Path.home(), every=args.all))
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings, Database], int]] = {
    "scan": scan,
    "watch": follow,
    "sources": sources,
}
