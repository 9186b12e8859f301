"""Ingest throughput: ~200 MB of Claude-Code-style JSONL, scanned end to end into a new store,
beside the parse-only speed of the same files in the same run.

    python -m bench ingest            # 200 MB, 5 runs
    python -m bench ingest --quick    # 20 MB, 3 runs

Targets (issue 3): end to end at least 150 MB/s, and at least 0.4x the parse-only speed.
"end to end" is `memtui scan`'s work: read, parse, extract, store candidates and cursors.
"parse-only" is the same source reading the same files with nothing done with the messages.

The sessions are shaped like real Claude Code ones (../shared/corpus/real/claude-code): typed
prompts, assistant text, thinking blocks with signatures in about a third of the steps, Read
calls whose output is in the tool_result and again in the `toolUseResult` side-car (a third of
the bytes of the real sessions). A quarter of the prompts state a rule, and there are about 20
typed prompts per MB: denser in what extraction must read than the real sessions (about 6 per
MB), so the figure errs on the slow side.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.seed import statement
from memtui.core.models import Kind
from memtui.core.transcripts import ReadState
from memtui.services import ingest
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root
from memtui.store import Database, upgrade

RESULTS = Path(__file__).resolve().parent / "results"
TASKS = (
    "add a retry to the upload client",
    "why does the login test fail on CI?",
    "rename the config loader and update its callers",
    "can you look at the flaky websocket test",
    "write the migration for the invoices table",
    "make the sidebar collapsible",
)
CODE = "\n".join(
    f"    def handler_{i}(self, request):\n        return self.render(request, 'page_{i}.html')"
    for i in range(40)
)


def _line(record: dict[str, Any]) -> str:
    """One JSONL record, compact as Claude Code writes it."""
    return json.dumps(record, separators=(",", ":")) + "\n"


def session_lines(rng: random.Random, project: str, start: datetime) -> list[str]:
    """One session: prompts (some stating rules), assistant text, tool calls and results."""
    session = str(uuid.UUID(int=rng.getrandbits(128)))
    base = {
        "isSidechain": False,
        "userType": "external",
        "cwd": project,
        "sessionId": session,
        "version": "2.1.39",
        "gitBranch": "main",
    }
    lines: list[str] = []
    parent: str | None = None
    moment = start
    for _turn in range(rng.randrange(8, 20)):
        moment += timedelta(seconds=rng.randrange(20, 400))
        if rng.random() < 0.25:
            prompt = f"{statement(rng, rng.choice(list(Kind)))}. {rng.choice(TASKS)}"
        else:
            prompt = rng.choice(TASKS)
        uid = str(uuid.UUID(int=rng.getrandbits(128)))
        lines.append(
            _line(
                {
                    **base,
                    "parentUuid": parent,
                    "type": "user",
                    "uuid": uid,
                    "timestamp": moment.isoformat().replace("+00:00", "Z"),
                    "promptSource": "typed",
                    "message": {"role": "user", "content": prompt},
                }
            )
        )
        parent = uid
        for _step in range(rng.randrange(2, 6)):
            message_id = f"msg_{rng.getrandbits(64):016x}"
            tool_id = f"toolu_{rng.getrandbits(64):016x}"
            thinking = (
                {
                    "type": "thinking",
                    "thinking": "The handler renders a page per request. " * rng.randrange(2, 12),
                    "signature": base64.b64encode(rng.randbytes(rng.randrange(200, 700))).decode(),
                }
                if rng.random() < 0.35
                else None
            )
            for block in (
                *([thinking] if thinking else []),
                {
                    "type": "text",
                    "text": "Let me look at the handlers first. " * rng.randrange(1, 6),
                },
                {
                    "type": "tool_use",
                    "id": tool_id,
                    "name": "Read",
                    "input": {"file_path": f"{project}/app/views.py"},
                },
            ):
                uid = str(uuid.UUID(int=rng.getrandbits(128)))
                lines.append(
                    _line(
                        {
                            **base,
                            "parentUuid": parent,
                            "type": "assistant",
                            "uuid": uid,
                            "timestamp": moment.isoformat(),
                            "message": {
                                "id": message_id,
                                "role": "assistant",
                                "content": [block],
                                "model": "claude-x",
                                "usage": {"input_tokens": 1200, "output_tokens": 80},
                            },
                        }
                    )
                )
                parent = uid
            uid = str(uuid.UUID(int=rng.getrandbits(128)))
            result = CODE[: rng.randrange(2_000, len(CODE))] * rng.randrange(1, 4)
            lines.append(
                _line(
                    {
                        **base,
                        "parentUuid": parent,
                        "type": "user",
                        "uuid": uid,
                        "timestamp": moment.isoformat(),
                        "message": {
                            "role": "user",
                            "content": [
                                {"type": "tool_result", "tool_use_id": tool_id, "content": result}
                            ],
                        },
                        # Claude Code repeats a Read's output in this side-car (about a third
                        # of the bytes of real sessions: ../shared/corpus/real/claude-code).
                        "toolUseResult": {
                            "type": "text",
                            "file": {
                                "filePath": f"{project}/app/views.py",
                                "content": result,
                                "numLines": result.count("\n") + 1,
                                "startLine": 1,
                                "totalLines": result.count("\n") + 1,
                            },
                        },
                    }
                )
            )
            parent = uid
    return lines


def generate(folder: Path, megabytes: int, seed: int = 0) -> int:
    """Write session files under folder/projects/<slug>/ until about `megabytes`; return bytes."""
    rng = random.Random(seed)
    total, start = 0, datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    projects = [f"/home/dev/code/{name}" for name in ("shop", "api", "blog", "infra", "cli")]
    while total < megabytes * 2**20:
        project = rng.choice(projects)
        slug = project.replace("/", "-")
        path = folder / "projects" / slug / f"{uuid.UUID(int=rng.getrandbits(128))}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(session_lines(rng, project, start)).encode()
        path.write_bytes(data)
        total += len(data)
        start += timedelta(hours=3)
    return total


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Seconds an action took, and what it returned."""
    began = time.perf_counter()
    value = action()
    return time.perf_counter() - began, value


def parse_only(files: list[Path], *, human_only: bool) -> int:
    """Read every file with the Claude Code source from the start; return the messages."""
    source = ClaudeCodeSource()
    return sum(len(source.read(p, ReadState(), human_only=human_only).messages) for p in files)


def end_to_end(folder: Path, work: Path, run: int) -> tuple[float, ingest.ScanSummary]:
    """Seconds to scan the corpus into a new, migrated store (migration not timed)."""
    url = f"sqlite:///{work / f'ingest-{run}.db'}"
    upgrade(url)
    database = Database(url)
    try:
        root = Root(folder / "projects", ClaudeCodeSource(), "bench")
        began = time.perf_counter()
        summary = ingest.scan(database, [root])
        return time.perf_counter() - began, summary
    finally:
        database.close()


def run(argv: Sequence[str] | None = None) -> int:
    """Generate the corpus, then time raw reading, parse-only and end-to-end scans."""
    parser = argparse.ArgumentParser(prog="python -m bench ingest")
    parser.add_argument("--quick", action="store_true", help="20 MB, 3 runs")
    parser.add_argument("--megabytes", type=int)
    parser.add_argument("-n", type=int)
    args, _ = parser.parse_known_args(argv)
    megabytes = args.megabytes or (20 if args.quick else 200)
    runs = args.n or (3 if args.quick else 5)

    with tempfile.TemporaryDirectory(prefix="memtui-bench-ingest-") as tmp:
        folder, work = Path(tmp) / "claude", Path(tmp)
        size = generate(folder, megabytes)
        files = sorted((folder / "projects").rglob("*.jsonl"))
        print(f"generated {size / 2**20:.0f} MB in {len(files)} Claude Code session files")
        rows: dict[str, list[float]] = {
            "raw read": [],
            "parse-only (human)": [],
            "parse-only (all)": [],
            "end to end": [],
        }
        summary = None
        for index in range(runs):
            rows["raw read"].append(size / timed(lambda: [p.read_bytes() for p in files])[0])
            rows["parse-only (human)"].append(
                size / timed(lambda: parse_only(files, human_only=True))[0]
            )
            rows["parse-only (all)"].append(
                size / timed(lambda: parse_only(files, human_only=False))[0]
            )
            seconds, summary = end_to_end(folder, work, index)
            rows["end to end"].append(size / seconds)
        assert summary is not None
        medians = {name: statistics.median(v) / 2**20 for name, v in rows.items()}
        ratio = medians["end to end"] / medians["parse-only (human)"]
        ratio_all = medians["end to end"] / medians["parse-only (all)"]
        print(f"{'what':<22} {'median MB/s':>12} {'min':>8} {'max':>8}   (n={runs})")
        for name, values in rows.items():
            mbs = [v / 2**20 for v in values]
            print(f"{name:<22} {medians[name]:>12.0f} {min(mbs):>8.0f} {max(mbs):>8.0f}")
        print(
            f"end to end / parse-only: {ratio:.2f}x against the human-only parse ingest uses, "
            f"{ratio_all:.2f}x against a parse of every record (target >= 0.4x); "
            f"end to end {medians['end to end']:.0f} MB/s (target >= 150 MB/s)"
        )
        print(
            f"last scan: {summary.files} files, {summary.human} human messages, "
            f"{summary.created} candidates, {summary.merged} merged, "
            f"{len(summary.skipped)} skipped"
        )
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / ("ingest-quick.json" if args.quick else "ingest.json")).write_text(
            json.dumps(
                {
                    "megabytes": size / 2**20,
                    "runs": runs,
                    "median_mb_s": medians,
                    "ratio": ratio,
                    "ratio_all_records": ratio_all,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
