"""Watch latency: from a user message appended to a live transcript to its candidate stored.

    python -m bench watch            # 30 appends
    python -m bench watch --quick    # 10 appends

Target (issue 3): median under 250 ms. The clock starts just before the line is written and
stops when the watcher has committed the candidate (its per-file callback), so it includes
the file-system notification, the debounce, parsing, extraction and the transaction.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from memtui.services import watch
from memtui.services.ingest import FileResult
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root
from memtui.store import Database, upgrade

RESULTS = Path(__file__).resolve().parent / "results"
RULES = (
    "Never run migrations against prod",
    "Always use pnpm, not npm, in this repo",
    "We decided to keep the API on FastAPI",
    "I prefer small commits with short messages",
)


def user_line(session: str, text: str) -> str:
    """A typed prompt as Claude Code appends it."""
    return json.dumps({
        "parentUuid": None, "isSidechain": False, "userType": "external",
        "cwd": "/home/dev/code/shop", "sessionId": session, "version": "2.1.39",
        "type": "user", "uuid": str(uuid.uuid4()),
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "message": {"role": "user", "content": text},
    }) + "\n"  # fmt: skip


def run(argv: Sequence[str] | None = None) -> int:
    """Append prompts one at a time and time each until its candidate is stored."""
    parser = argparse.ArgumentParser(prog="python -m bench watch")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("-n", type=int)
    args, _ = parser.parse_known_args(argv)
    count = args.n or (10 if args.quick else 30)

    with tempfile.TemporaryDirectory(prefix="memtui-bench-watch-") as tmp:
        folder = Path(tmp) / "projects" / "-home-dev-code-shop"
        folder.mkdir(parents=True)
        transcript = folder / f"{uuid.uuid4()}.jsonl"
        transcript.write_text(user_line("s", "hello"))
        url = f"sqlite:///{Path(tmp) / 'watch.db'}"
        upgrade(url)
        database = Database(url)
        stop = threading.Event()
        stored = threading.Event()
        latest: list[FileResult] = []

        def on_file(result: FileResult) -> None:
            latest.append(result)
            if result.created or result.merged:
                stored.set()

        roots = [Root(Path(tmp) / "projects", ClaudeCodeSource(), "bench")]
        ready = threading.Event()
        follower = threading.Thread(
            target=watch.follow,
            args=(database, roots, stop, on_file),
            kwargs={"on_ready": ready.set},
            daemon=True,
        )
        follower.start()
        if not ready.wait(timeout=10):
            print("the watcher did not start within 10 s")
            return 1
        latencies: list[float] = []
        try:
            for index in range(count):
                stored.clear()
                text = f"{RULES[index % len(RULES)]} (note {index})."
                began = time.perf_counter()
                with transcript.open("a") as handle:
                    handle.write(user_line("s", text))
                if not stored.wait(timeout=5):
                    print(f"append {index}: no candidate within 5 s ({latest[-1:]})")
                    return 1
                latencies.append(time.perf_counter() - began)
        finally:
            stop.set()
            follower.join(timeout=5)
            database.close()
    ms = sorted(x * 1000 for x in latencies)
    print(
        f"watch latency over {len(ms)} appends: median {statistics.median(ms):.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms (target: median < 250 ms)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "watch.json").write_text(json.dumps({"latencies_ms": ms}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
