"""`python -m bench search`: per-keystroke search latency at 10k, 100k and 1M beliefs.

Every keystroke of a few queries typed letter by letter (each with a typo) goes through
`SearchIndex.as_typed`, what the beliefs screen's search worker calls per key (the best 200
hits), and the marking of the rows a screen shows (20), 40 ms apart as a fast typist's keys
are (not back to back: the caches of the search before would make each look faster); a plain
full rapidfuzz scan
(`process.extract`, WRatio, pre-processed texts) runs on a sample of the same keystrokes in the
same run, for comparison. Also: index build time, the longest stall of an asyncio loop while a
thread searches (what the app's event loop would feel), and the resident memory of a fresh
process after building the index of the 100k store.

10k and 100k: stores seeded by bench.seed and indexed from the database. 1M: seeding a
1M-row SQLite takes minutes, so the index is built from 1M generated memories directly
(`SearchIndex.from_entries`), with the same statement generator.

Options: --quick (10k only), -n N (repetitions of each typing session, default 3).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.seed import seed_store, statement
from memtui.core.models import Kind, Scope, Status
from memtui.core.records import IndexedMemory
from memtui.services.search import SearchIndex
from memtui.store import Database
from memtui.ui.pauses import Pauses

SESSIONS = (
    "prefer f-strings over percent formating",
    "use pnmp not npm in the web package",
    "deploys to vercle from main",
    "run npm typechek before review",
)
"""Queries typed letter by letter; each has a typo."""
PACE = 0.04
"""Seconds between keystrokes (a fast typist). Searched back to back, with the caches warm
from the search before, a keystroke took about a third less than paced as typed."""
VISIBLE_ROWS = 20
"""Rows of hits the beliefs screen shows (and marks) at once in a 40-line terminal."""
BASELINE_KEYS = 4
"""Keystrokes per session measured with the full scan (it takes seconds at 1M)."""
RESULTS = Path(__file__).parent / "results"


def keystrokes(query: str) -> list[str]:
    return [query[: n + 1] for n in range(len(query))]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def generated(count: int, seed: int = 1) -> list[IndexedMemory]:
    rng = random.Random(seed)
    kinds = list(Kind)
    now = datetime.now(UTC)
    statuses = (Status.CONFIRMED,) * 7 + (Status.PENDING, Status.REJECTED, Status.SUPERSEDED)
    return [
        IndexedMemory(
            id=n + 1,
            text=statement(rng, kind := rng.choice(kinds)),
            kind=kind,
            status=rng.choice(statuses),
            scope=Scope.PROJECT,
            project=f"/code/project-{rng.randrange(20)}",
            tools=(rng.choice(("claude-code", "codex", "cline", "aider")),),
            locked=False,
            updated_at=now - timedelta(seconds=count - n),
        )
        for n in range(count)
    ]


def time_keystrokes(index: SearchIndex, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        for session in SESSIONS:
            for typed in keystrokes(session):
                time.sleep(PACE)
                began = time.perf_counter()
                index.as_typed(typed, marked=VISIBLE_ROWS)
                samples.append((time.perf_counter() - began) * 1000)
    return samples


def time_full_scan(texts: list[str]) -> list[float]:
    from rapidfuzz import fuzz, process, utils

    processed = [utils.default_process(t) for t in texts]
    samples = []
    for session in SESSIONS:
        typed = keystrokes(session)
        step = max(1, len(typed) // BASELINE_KEYS)
        for prefix in typed[step - 1 :: step][:BASELINE_KEYS]:
            began = time.perf_counter()
            process.extract(
                utils.default_process(prefix), processed, scorer=fuzz.WRatio,
                processor=None, limit=50,
            )  # fmt: skip
            samples.append((time.perf_counter() - began) * 1000)
    return samples


def loop_stall(index: SearchIndex | None) -> float:
    """Longest gap (ms) between 1 ms ticks of an asyncio loop while a thread types queries
    (with no index: while the thread sleeps for a second, the machine's own noise), with the
    collector and thread-switch settings the app runs with (memtui.ui.pauses)."""

    async def watch() -> float:
        done = threading.Event()

        def typing() -> None:
            if index is None:
                time.sleep(1)
            else:
                time_keystrokes(index, 1)
            done.set()

        thread = threading.Thread(target=typing)
        worst = 0.0
        last = time.perf_counter()
        thread.start()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            worst = max(worst, now - last)
            last = now
        thread.join()
        return worst * 1000

    pauses = Pauses()
    pauses.start()
    try:
        return asyncio.run(watch())
    finally:
        pauses.stop()


RSS_PROBE = """
import sys, time
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
from memtui.services.search import SearchIndex
from memtui.ui.pauses import Pauses
from memtui.store import Database
before = rss()
began = time.perf_counter()
index = SearchIndex.build(Database(sys.argv[1]))
built = time.perf_counter() - began
index.query('prefer f-strings')
print(before, rss(), built)
"""


def rss_after_build(url: str) -> tuple[float, float, float]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, url], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench search", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 beliefs only")
    parser.add_argument("-n", type=int, default=3, help="typing sessions repeated (default 3)")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    keys = sum(len(s) for s in SESSIONS)
    print(f"load average {os.getloadavg()[0]:.2f}; {keys} keystrokes per round, {args.n} rounds")
    header = (
        f"{'memories':>10} {'source':>9} {'build s':>8} {'query med':>10} {'p95':>7} "
        f"{'max':>7} {'stall':>7} {'idle':>5} {'scan med':>9} {'scan p95':>9}"
    )
    print(header)
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            if size <= 100_000:
                url = f"sqlite:///{Path(folder) / f'search-{size}.db'}"
                seed_store(url, size)
                database = Database(url)
                began = time.perf_counter()
                index = SearchIndex.build(database)
                built = time.perf_counter() - began
                database.close()
                source = "store"
            else:
                entries = generated(size)
                began = time.perf_counter()
                index = SearchIndex.from_entries(entries)
                built = time.perf_counter() - began
                del entries
                source = "generated"
            index.query("warm up")
            samples = time_keystrokes(index, args.n)
            stall = loop_stall(index)
            idle = loop_stall(None)
            texts = [e.text for e in index.entries(list(index.listing()))]
            scan = time_full_scan(texts)
            row = {
                "source": source,
                "build_s": built,
                "query_median_ms": statistics.median(samples),
                "query_p95_ms": percentile(samples, 0.95),
                "query_max_ms": max(samples),
                "loop_stall_ms": stall,
                "idle_loop_stall_ms": idle,
                "scan_median_ms": statistics.median(scan),
                "scan_p95_ms": percentile(scan, 0.95),
                "confirmed": len(texts),
            }
            figures[str(size)] = row
            print(
                f"{size:>10,} {source:>9} {built:>8.2f} {row['query_median_ms']:>10.2f} "
                f"{row['query_p95_ms']:>7.2f} {row['query_max_ms']:>7.1f} "
                f"{stall:>7.1f} {idle:>5.1f} "
                f"{row['scan_median_ms']:>9.0f} {row['scan_p95_ms']:>9.0f}",
                flush=True,
            )
            del index, texts
            if size == 100_000:
                before, after, build = rss_after_build(url)
                figures["rss_100k"] = {"after_imports_mb": before, "after_build_mb": after}
                print(
                    f"fresh process, 100k store: RSS {before:.0f} MB after imports, "
                    f"{after:.0f} MB after building the index ({build:.2f} s) and one query"
                )
    print(
        "query: SearchIndex.as_typed + marks of 20 rows per keystroke (ms; median, p95, max); "
        "stall: "
        "longest gap of a 1 ms asyncio tick while a thread searched (idle: while it slept); "
        "scan: full rapidfuzz "
        f"process.extract WRatio over the confirmed beliefs, {BASELINE_KEYS} keystrokes per query."
    )
    RESULTS.mkdir(exist_ok=True)
    name = "search-quick.json" if args.quick else "search.json"
    (RESULTS / name).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
