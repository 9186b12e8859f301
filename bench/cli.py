"""Whole-process timings of the `memtui` command, as a person at a terminal feels them.

Measures, each as the median of n runs (5 by default) after one untimed warm-up run:

- `memtui --version`, beside `python -c pass` as the interpreter's own floor;
- `memtui inbox --json` and `memtui beliefs --json` on a seeded store of 100,000 memories,
  once with every memory pending (the worst case for the inbox) and once with the default mix;
- the first-run migration, `memtui db upgrade` on a new empty file (a new file for each run),
  and `memtui inbox --json` on a database that does not exist yet (which migrates it first);
- whether `memtui inbox --json` imports Textual (it must not), and its costliest imports.

Wall time on the project machine swings by up to 2.5x with the other tenants' load, so the
children's CPU time (user + system) is reported beside it, with the load average. Results go
to bench/results/cli.json (cli-quick.json for `--quick`).

    python -m bench cli            # the full run: 100,000 memories, n = 5
    python -m bench cli --quick    # a smoke run: 10,000 memories, n = 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.seed import DEFAULT_PENDING_SHARE, seed_store, status_counts

FULL_MEMORIES, FULL_RUNS = 100_000, 5
QUICK_MEMORIES, QUICK_RUNS = 10_000, 3
RESULTS_DIR = Path(__file__).resolve().parent / "results"
HEAVY_MODULES = ("textual", "rich", "alembic", "rapidfuzz", "watchfiles", "pyperclip")
"""Modules a headless command should not need; the import check reports each."""

IMPORT_CHECK = """\
import json, sys
import memtui.cli
code = memtui.cli.main(["inbox", "--json", "--db", sys.argv[1]])
loaded = {name: name in sys.modules for name in sys.argv[2:]}
print(json.dumps({"exit": code, "loaded": loaded, "modules": len(sys.modules)}), file=sys.stderr)
"""
"""Runs `memtui inbox --json` in a fresh interpreter, then reports which modules it loaded."""


class BenchmarkError(RuntimeError):
    """A timed command failed: its figures would mean nothing."""


@dataclass
class Timing:
    """The runs of one timed command."""

    name: str
    """What was timed, as printed: the command with placeholders for temporary paths."""
    argv: list[str]
    """The first run's command line, verbatim."""
    wall: list[float] = field(default_factory=list)
    """Seconds from start to exit of each run, as the parent saw them."""
    cpu: list[float] = field(default_factory=list)
    """User + system CPU seconds of each run's process and its children."""
    note: str = ""

    @property
    def n(self) -> int:
        return len(self.wall)

    def summary(self) -> dict[str, Any]:
        """Median, minimum and maximum of wall time, and the median CPU time, in seconds."""
        return {
            "name": self.name,
            "argv": self.argv,
            "n": self.n,
            "median_s": statistics.median(self.wall),
            "min_s": min(self.wall),
            "max_s": max(self.wall),
            "cpu_median_s": statistics.median(self.cpu),
            "wall_s": self.wall,
            "cpu_s": self.cpu,
            "note": self.note,
        }


@dataclass
class Store:
    """A seeded database and what it holds."""

    label: str
    url: str
    path: Path
    pending_share: float
    seed_seconds: float
    counts: dict[str, int]
    file_bytes: int
    printed: dict[str, int] = field(default_factory=dict)
    """How many memories each listing command printed (its JSON list's length)."""


def memtui_executable() -> str:
    """The `memtui` script of the interpreter running the benchmark (its venv), else PATH's."""
    beside = Path(sys.executable).parent / "memtui"
    if beside.is_file():
        return str(beside)
    found = shutil.which("memtui")
    if found is None:
        raise BenchmarkError("no memtui executable beside this Python or on PATH")
    return found


def child_env(home: Path) -> dict[str, str]:
    """The environment of every timed command: no user configuration, no MEMTUI_DB."""
    env = dict(os.environ)
    env["MEMTUI_CONFIG"] = str(home / "config.toml")  # absent: the defaults
    for name in ("MEMTUI_DB", "MEMTUI_DEBUG"):
        env.pop(name, None)
    return env


def children_cpu() -> float:
    """CPU seconds used so far by every waited-for child process."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command with stdout to /dev/null; return its wall and CPU seconds."""
    cpu_before = children_cpu()
    began = time.perf_counter()
    done = subprocess.run(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False
    )
    wall = time.perf_counter() - began
    cpu = children_cpu() - cpu_before
    if done.returncode != 0:
        error = done.stderr.decode(errors="replace").strip()
        raise BenchmarkError(f"{' '.join(argv)} exited with {done.returncode}: {error}")
    return wall, cpu


def measure(
    name: str,
    command: Callable[[int], list[str]],
    runs: int,
    env: dict[str, str],
    note: str = "",
) -> Timing:
    """Time `command(i)` for i in 1..runs, after an untimed warm-up run `command(0)`.

    The warm-up puts the interpreter, the packages' bytecode and the database in the page
    cache, so every timed run sees the same warm machine.
    """
    run_once(command(0), env)
    timing = Timing(name, command(1), note=note)
    for index in range(1, runs + 1):
        wall, cpu = run_once(command(index), env)
        timing.wall.append(wall)
        timing.cpu.append(cpu)
    return timing


def make_store(label: str, folder: Path, memories: int, pending_share: float) -> Store:
    """Seed a new SQLite store and record how long that took and what it holds."""
    path = folder / f"store-{label}.db"
    url = f"sqlite:///{path}"
    began = time.perf_counter()
    seed_store(url, memories, pending_share=pending_share)
    seconds = time.perf_counter() - began
    return Store(label, url, path, pending_share, seconds, status_counts(url), path.stat().st_size)


def count_printed(memtui: str, command: str, store: Store, env: dict[str, str]) -> int:
    """Run a listing command once, check its output is JSON, return how many it listed."""
    done = subprocess.run(
        [memtui, command, "--json", "--db", store.url],
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BenchmarkError(f"memtui {command} failed: {done.stderr.decode().strip()}")
    listed = json.loads(done.stdout)
    if not isinstance(listed, list):
        raise BenchmarkError(f"memtui {command} --json did not print a list")
    return len(listed)


def import_check(store: Store, env: dict[str, str]) -> dict[str, Any]:
    """Which heavy modules `memtui inbox --json` loads, and its slowest top-level imports."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_CHECK, store.url, *HEAVY_MODULES],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BenchmarkError(f"the import check failed: {done.stderr.decode().strip()}")
    report: dict[str, Any] = json.loads(done.stderr.decode().strip().splitlines()[-1])
    if report["exit"] != 0:
        raise BenchmarkError(f"memtui inbox --json exited with {report['exit']}")

    traced = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "memtui", "inbox", "--json", "--db", store.url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        check=True,
    )
    report["top_imports_ms"] = top_level_imports(traced.stderr.decode())
    return report


def top_level_imports(importtime: str, keep: int = 8) -> dict[str, float]:
    """The packages imported directly (not by another import) with their cumulative ms."""
    found: dict[str, float] = {}
    for line in importtime.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split(":", 1)[1].split("|"))
        if not cumulative.isdigit() or line.split("|")[2].startswith("  "):
            continue  # the header, or an import made by another module
        found[name] = found.get(name, 0.0) + int(cumulative) / 1000
    ranked = sorted(found.items(), key=lambda item: item[1], reverse=True)
    return dict(ranked[:keep])


def profile_command(argv: Sequence[str], env: dict[str, str], keep: int = 15) -> dict[str, Any]:
    """Run `python -m cProfile -m memtui ARGV`; keep the profile file, return its top entries.

    The profile is saved in bench/results/ for a closer look (`python -m pstats FILE`).
    """
    RESULTS_DIR.mkdir(exist_ok=True)
    target = RESULTS_DIR / f"cli-{argv[0]}.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(target), "-m", "memtui", *argv]
    subprocess.run(command, stdout=subprocess.DEVNULL, env=env, check=True)
    entries = pstats.Stats(str(target)).stats  # type: ignore[attr-defined]  # untyped in typeshed
    rows = [
        (f"{'/'.join(Path(file).parts[-2:])}:{line}({function})", calls, own, cumulative, file)
        for (file, line, function), (_, calls, own, cumulative, _) in entries.items()
    ]
    # By cumulative time, only Python functions of memtui and its libraries: the interpreter's
    # frames (runpy, importlib, exec) enclose everything and say nothing.
    in_code = [row for row in rows if not row[4].startswith(("<", "~")) and "runpy" not in row[4]]

    def top(candidates: list[tuple[str, int, float, float, str]], index: int) -> list[Any]:
        ranked = sorted(candidates, key=lambda row: row[index], reverse=True)[:keep]
        return [
            {"function": name, "calls": calls, "own_s": own, "cumulative_s": cumulative}
            for name, calls, own, cumulative, _ in ranked
        ]

    return {
        "command": " ".join(["memtui", *argv[:2]]),
        "file": str(target),
        "total_s": max(row[3] for row in rows),
        "by_own_time": top(rows, 2),
        "by_cumulative_time": top(in_code, 3),
    }


def describe_machine() -> dict[str, Any]:
    """What a reader needs to compare these figures with another run's."""
    from memtui import __version__

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "memtui": __version__,
        "commit": commit or None,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
    }


def size_label(memories: int) -> str:
    """`100k` for 100,000 memories, `500` for 500."""
    return f"{memories // 1000}k" if memories >= 1000 else str(memories)


def run_all(memories: int, runs: int, folder: Path, *, profile: bool = False) -> dict[str, Any]:
    """Every measurement of this module; returns the results document.

    With `profile`, `memtui inbox --json` on the all-pending store is also run under cProfile.
    """
    memtui = memtui_executable()
    env = child_env(folder)
    machine = describe_machine()
    timings: list[Timing] = []

    def fixed(argv: list[str]) -> Callable[[int], list[str]]:
        return lambda _index: argv

    print(f"memtui --version and python -c pass (n={runs}) ...", file=sys.stderr)
    timings.append(measure("python -c pass", fixed([sys.executable, "-c", "pass"]), runs, env))
    timings.append(measure("memtui --version", fixed([memtui, "--version"]), runs, env))

    stores: list[Store] = []
    for label, share in (("all-pending", 1.0), ("mixed", DEFAULT_PENDING_SHARE)):
        print(f"seeding {memories:,} memories, {share:.0%} pending ...", file=sys.stderr)
        store = make_store(label, folder, memories, share)
        stores.append(store)
        where = f"<{size_label(memories)}, {share:.0%} pending>"
        for command in ("inbox", "beliefs"):
            listed = count_printed(memtui, command, store, env)
            store.printed[command] = listed
            print(f"memtui {command} --json on {where} ...", file=sys.stderr)
            timings.append(
                measure(
                    f"memtui {command} --json --db {where}",
                    fixed([memtui, command, "--json", "--db", store.url]),
                    runs,
                    env,
                    note=f"prints {listed:,} memories",
                )
            )

    print("first-run migration ...", file=sys.stderr)
    fresh = folder / "fresh"
    fresh.mkdir()

    def on_new_file(*words: str) -> Callable[[int], list[str]]:
        """The command `memtui WORDS --db F`, with F a new file for every run."""
        return lambda index: [memtui, *words, "--db", str(fresh / f"{words[0]}-{index}.db")]

    timings.append(
        measure("memtui db upgrade --db <new file>", on_new_file("db", "upgrade"), runs, env)
    )
    timings.append(
        measure(
            "memtui inbox --json --db <new file>",
            on_new_file("inbox", "--json"),
            runs,
            env,
            note="migrates the new database first",
        )
    )

    print("import check ...", file=sys.stderr)
    imports = import_check(stores[-1], env)
    profiled = None
    if profile:
        print("profiling memtui inbox --json ...", file=sys.stderr)
        profiled = profile_command(["inbox", "--json", "--db", stores[0].url], env)
    machine["loadavg_end"] = os.getloadavg()
    return {
        "benchmark": "cli",
        "memories": memories,
        "runs": runs,
        "machine": machine,
        "stores": [
            {k: v for k, v in asdict(s).items() if k not in ("url", "path")} for s in stores
        ],
        "timings": [t.summary() for t in timings],
        "imports": imports,
        "profile": profiled,
    }


def render(results: dict[str, Any]) -> str:
    """The results as a plain-text report: the timing table, then the stores and imports."""
    machine = results["machine"]
    lines = [
        f"memtui {machine['memtui']} ({machine['commit']}), Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, {machine['cpus']} CPUs, load average "
        f"{machine['loadavg_start'][0]:.2f} at start, {machine['loadavg_end'][0]:.2f} at end",
        "",
    ]
    width = max(len(t["name"]) for t in results["timings"])
    header = f"{'command':<{width}}  {'n':>2}  {'median':>8}  {'min':>8}  {'max':>8}  {'cpu':>8}"
    lines += [header, "-" * len(header)]
    for t in results["timings"]:
        figures = "  ".join(f"{t[key]:>7.3f}s" for key in ("median_s", "min_s", "max_s"))
        note = f"  {t['note']}" if t["note"] else ""
        lines.append(
            f"{t['name']:<{width}}  {t['n']:>2}  {figures}  {t['cpu_median_s']:>7.3f}s{note}"
        )
    lines += ["", "(wall seconds; cpu = median user+system seconds of the process)", ""]
    for store in results["stores"]:
        counts = ", ".join(f"{n:,} {status}" for status, n in sorted(store["counts"].items()))
        lines.append(
            f"store {store['label']}: seeded in {store['seed_seconds']:.1f} s, "
            f"{store['file_bytes'] / 1e6:.0f} MB; {counts}"
        )
        printed = ", ".join(f"{command} printed {n:,}" for command, n in store["printed"].items())
        lines.append(f"  {printed}")
    imports = results["imports"]
    loaded = [name for name, is_loaded in imports["loaded"].items() if is_loaded]
    lines += [
        "",
        f"memtui inbox --json: textual imported: {imports['loaded']['textual']}; "
        f"heavy modules loaded: {', '.join(loaded) or 'none'}; "
        f"{imports['modules']} modules in sys.modules",
        "  slowest top-level imports (cumulative ms): "
        + ", ".join(f"{name} {ms:.0f}" for name, ms in imports["top_imports_ms"].items()),
    ]
    if results["profile"]:
        lines += render_profile(results["profile"])
    return "\n".join(lines)


def render_profile(profile: dict[str, Any]) -> list[str]:
    """The costliest functions of a profiled command, by own time and by cumulative time."""
    lines = [
        "",
        f"{profile['command']} under cProfile on the all-pending store: "
        f"{profile['total_s']:.2f} s in all (profile: {profile['file']})",
    ]
    for key, title in (("by_own_time", "own"), ("by_cumulative_time", "cumulative")):
        lines.append(f"  top functions by {title} time:   calls     own  cumulative")
        for entry in profile[key]:
            name, calls = entry["function"][:60], entry["calls"]
            own, cumulative = entry["own_s"], entry["cumulative_s"]
            lines.append(f"    {name:<60} {calls:>8} {own:>7.2f}s {cumulative:>7.2f}s")
    return lines


def run(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bench cli`: measure, print the report, write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench cli", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_MEMORIES:,} memories, n={QUICK_RUNS}"
    )
    parser.add_argument("--memories", type=int, help="memories in each seeded store")
    parser.add_argument("-n", "--runs", type=int, help="timed runs of each command")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile memtui inbox --json on the all-pending store (cProfile)",
    )
    args = parser.parse_args(argv)
    memories = args.memories or (QUICK_MEMORIES if args.quick else FULL_MEMORIES)
    runs = args.runs or (QUICK_RUNS if args.quick else FULL_RUNS)
    if runs < 1 or memories < 1:
        parser.error("--memories and --runs must be positive")

    with tempfile.TemporaryDirectory(prefix="memtui-bench-") as tmp:
        try:
            results = run_all(memories, runs, Path(tmp), profile=args.profile)
        except BenchmarkError as exc:
            print(f"bench cli: {exc}", file=sys.stderr)
            return 1
    results["quick"] = args.quick
    print(render(results))
    RESULTS_DIR.mkdir(exist_ok=True)
    target = RESULTS_DIR / ("cli-quick.json" if args.quick else "cli.json")
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run())
