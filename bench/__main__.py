"""`python -m bench [NAME ...] [OPTIONS]`: run memtui's benchmarks from the repository root.

With no NAME, every benchmark module of this package runs, one after the other; OPTIONS
(`--quick`, say) go to each of them. A benchmark module is one that defines
`run(argv) -> int`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

Runner = Callable[[Sequence[str]], int]


def benchmarks() -> dict[str, Runner]:
    """Every benchmark module of this package by name, in alphabetical order."""
    found: dict[str, Runner] = {}
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_") or module.ispkg:
            continue
        loaded = importlib.import_module(f"{__package__ or 'bench'}.{module.name}")
        runner = getattr(loaded, "run", None)
        if callable(runner):
            found[module.name] = cast(Runner, runner)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the named benchmarks (all by default); return the worst exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    names: list[str] = []
    while args and not args[0].startswith("-"):
        names.append(args.pop(0))
    available = benchmarks()
    if not names and args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        print("benchmarks:", ", ".join(available))
        return 0
    unknown = [name for name in names if name not in available]
    if unknown:
        print(
            f"python -m bench: no benchmark named {', '.join(unknown)} "
            f"(there are: {', '.join(available)})",
            file=sys.stderr,
        )
        return 2
    status = 0
    for name in names or list(available):
        print(f"== bench {name} {' '.join(args)}".rstrip(), flush=True)
        status = max(status, available[name](args))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
