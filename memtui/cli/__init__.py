"""The `memtui` command. Parsing is cheap; a command's imports are paid only when it runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from memtui.cli.parser import build_parser

DEBUG_ENV = "MEMTUI_DEBUG"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one memtui command; return its exit status."""
    from memtui.core.errors import MemtuiError

    args = build_parser().parse_args(argv)
    try:
        if args.command is None:  # the app: it loads what it needs after its first frame
            from memtui.cli.app import open_app
            from memtui.core.settings import load_settings

            return open_app(args, load_settings(getattr(args, "db", None)))
        from memtui.cli import commands

        return commands.run(args)
    except MemtuiError as exc:
        print(f"memtui: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `memtui inbox | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        print(
            f"memtui: unexpected error ({type(exc).__name__}: {exc}); "
            f"run again with {DEBUG_ENV}=1 to see where it happened",
            file=sys.stderr,
        )
        return 70
