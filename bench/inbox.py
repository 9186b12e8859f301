"""The review inbox with 10,000 pending candidates: how fast a decision is drawn, how fast the
app starts, and that no database call runs on the event loop.

    python -m bench inbox            # 10,000 pending, 40 decisions, 5 starts of each app
    python -m bench inbox --quick    # 2,000 pending, 15 decisions, 3 starts

Targets (issue 5):
- key press to the next candidate drawn: median at most 50 ms;
- start to first drawn inbox: at most 1.5x the start of a bare Textual app, same run;
- no database call on the event loop (every one in a worker thread).

"Key press to drawn" is measured in the app itself (headless, the real code path): from the
key being posted until the screen has processed it and repainted (`Pilot.press`, which waits
for the app to go idle, then one more idle). The decision's write goes on in the writer
thread meanwhile, as it does for a person; so does the loading of the next candidate's panes.
"Start" is wall time of a fresh Python process, from spawn to the line it prints once the
first screen is drawn: for memtui, once the inbox shows its rows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from textual import events
from textual.worker import WorkerCancelled

from bench.seed import seed_store
from memtui.store import Database
from memtui.store.database import Database as DatabaseClass
from memtui.ui.app import MemtuiApp, make_app
from memtui.ui.widgets.candidates import CandidateList

RESULTS = Path(__file__).resolve().parent / "results"
BYTECODE_ENV = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
SIZE = (130, 40)


MEMTUI_APP = """
import os, sys
from memtui.cli.parser import build_parser
args = build_parser().parse_args(["--db", sys.argv[1], "--no-watch"])
from memtui.cli.app import build_app
from memtui.core.settings import load_settings
from memtui.ui.widgets.candidates import CandidateList

# What memtui.cli.main does for `memtui --db URL --no-watch`, with a headless run.
app = build_app(load_settings(args.db), watch=not args.no_watch)
display = app._display

def frame(screen, renderable):
    # The first frame produced with the inbox's rows in it: the inbox is drawn.
    result = display(screen, renderable)
    if renderable is not None and app.screen.query(CandidateList) and app.screen.query_one(
        CandidateList
    ).rows:
        os.write(1, b"drawn\\n")  # not print(): Textual holds back what an app prints
        app._display = display
        app.exit()
    return result

app._display = frame
app.run(headless=True, size=(130, 40))
"""
"""memtui as `memtui` starts it (bench/inbox.py's start figure), headless, the terminal's
frames counted in `_display`, where Textual hands a drawn frame to the terminal."""

BARE_APP = """
import os
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App[None]):
    def compose(self):
        yield Static("hello")
        yield Footer()

app = Bare()
display = app._display

def frame(screen, renderable):
    result = display(screen, renderable)
    if renderable is not None:
        os.write(1, b"drawn\\n")
        app._display = display
        app.exit()
    return result

app._display = frame
app.run(headless=True, size=(130, 40))
"""


def start_time(script: str, *args: str) -> float:
    """Seconds from spawning `python -c script` to its `drawn` line."""
    env = {**os.environ, "MEMTUI_PREFS": os.devnull}
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("drawn"):
            elapsed = time.perf_counter() - began
            break
    else:
        raise RuntimeError(f"the app never drew its first screen (exit {process.wait()})")
    process.wait()
    return elapsed


@contextmanager
def compiled_bytecode(folder: Path) -> Iterator[None]:
    """Child processes start from compiled bytecode, as an installed memtui does (pip compiles
    it; Textual's is in site-packages): with PYTHONDONTWRITEBYTECODE set (it is on the project
    machine) memtui would be compiled from source at every start. The bytecode goes to a folder
    of the run; start each app once, unmeasured, to write it."""
    saved = {name: os.environ.get(name) for name in BYTECODE_ENV}
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def loop_watch() -> Iterator[list[str]]:
    """Record every database session opened on the main thread (the event loop's)."""
    offenders: list[str] = []
    original_read, original_write = DatabaseClass.read, DatabaseClass.write

    def guard(original):  # type: ignore[no-untyped-def]
        def opened(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            if threading.current_thread() is threading.main_thread():
                offenders.append(original.__name__)
            return original(self, *args, **kwargs)

        return opened

    DatabaseClass.read = guard(original_read)  # type: ignore[method-assign]
    DatabaseClass.write = guard(original_write)  # type: ignore[method-assign]
    try:
        yield offenders
    finally:
        DatabaseClass.read = original_read  # type: ignore[method-assign]
        DatabaseClass.write = original_write  # type: ignore[method-assign]


async def workers_done(app: MemtuiApp) -> None:
    """Wait until no worker runs (a worker cancelled by a newer one counts as done)."""
    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def key_latencies(url: str, decisions: int) -> dict[str, list[float]]:
    """Milliseconds from a key's arrival to the screen drawn with the next candidate, for
    moves and for decisions, on the store at `url`.

    The app's `_display` (where a drawn frame goes to the terminal) is wrapped to note when a
    frame is produced; the key counts as done at the first frame with the new candidate under
    the cursor. Between keys, the workers the previous one started are let finish, as they
    are while a person reads the candidate.
    """
    database = Database(url)
    app = make_app(database, watch=False, prefs_file=Path(os.devnull))
    timings: dict[str, list[float]] = {"move (j)": [], "confirm (c)": [], "reject (x)": []}
    async with app.run_test(size=SIZE) as pilot:
        lister = app.screen.query_one(CandidateList)
        while len(lister.rows) == 0:
            await pilot.pause(0.01)
        await workers_done(app)
        drawn = asyncio.Event()
        display = app._display

        def frame(screen, renderable):  # type: ignore[no-untyped-def]
            drawn.set()
            return display(screen, renderable)

        app._display = frame  # type: ignore[method-assign]
        driver = app._driver
        assert driver is not None
        for number in range(decisions):
            for key in ("j", "c" if number % 2 else "x"):
                name = {"j": "move (j)", "c": "confirm (c)", "x": "reject (x)"}[key]
                before = lister.current
                event = events.Key(key, key)
                event.set_sender(app)
                drawn.clear()
                began = time.perf_counter()
                driver.send_message(event)
                while True:
                    await drawn.wait()
                    if lister.current is not before:
                        break
                    drawn.clear()
                timings[name].append((time.perf_counter() - began) * 1000)
                await workers_done(app)
                await pilot.pause()
        app._display = display  # type: ignore[method-assign]
        await workers_done(app)
    database.close()
    return timings


def describe(values: Sequence[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):7.1f}   p95 {p95:7.1f}   max {max(values):7.1f}"


def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench inbox")
    parser.add_argument("--quick", action="store_true", help="2,000 pending, fewer runs")
    args = parser.parse_args(list(argv))
    pending = 2_000 if args.quick else 10_000
    decisions, starts = (15, 3) if args.quick else (40, 5)

    with tempfile.TemporaryDirectory(prefix="memtui-bench-inbox-") as folder:
        url = f"sqlite:///{Path(folder) / 'inbox.db'}"
        total = int(pending / 0.85)
        seed_store(url, total, pending_share=0.85)
        print(
            f"store: {total:,} memories, about {pending:,} pending   load {os.getloadavg()[0]:.2f}"
        )

        # Starts first, alternating, while this process is idle: the key test leaves worker
        # threads finishing in the background, which would slow a child process down.
        bare: list[float] = []
        ours: list[float] = []
        with compiled_bytecode(Path(folder)):
            start_time(BARE_APP)  # unmeasured: writes the bytecode
            start_time(MEMTUI_APP, url)
            for _ in range(starts):
                bare.append(start_time(BARE_APP))
                ours.append(start_time(MEMTUI_APP, url))
        ratio = statistics.median(ours) / statistics.median(bare)
        print(f"\nstart to first drawn screen, {starts} runs each:")
        print(f"  bare Textual app   {describe([b * 1000 for b in bare])}  (ms)")
        print(f"  memtui inbox       {describe([o * 1000 for o in ours])}  (ms)")
        print(f"  ratio of medians   {ratio:.2f}x   (target at most 1.5x)")

        with loop_watch() as offenders:
            timings = asyncio.run(key_latencies(url, decisions))
        print(f"\nkey press to next candidate drawn (ms), {decisions} of each:")
        for name, values in timings.items():
            print(f"  {name:<12} {describe(values)}")
        print(f"\ndatabase sessions opened on the event loop: {len(offenders)}   (target 0)")

    decision_ms = timings["confirm (c)"] + timings["reject (x)"]
    met = statistics.median(decision_ms) <= 50 and ratio <= 1.5 and not offenders
    RESULTS.mkdir(exist_ok=True)
    name = "inbox-quick.json" if args.quick else "inbox.json"
    (RESULTS / name).write_text(
        json.dumps(
            {
                "pending": pending,
                "key_ms": timings,
                "start_bare_s": bare,
                "start_memtui_s": ours,
                "start_ratio": ratio,
                "loop_db_sessions": len(offenders),
            },
            indent=2,
        )
    )
    print("\nall targets met" if met else "\nTARGET MISSED")
    return 0 if met else 1
