"""The command line's grammar. Importing this module costs only argparse."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from memtui import __version__

KINDS = "rule, preference, correction, fact, decision, procedure"
STATUSES = "pending, confirmed, rejected, superseded, deprecated, all"


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is reported in one line that says where to look."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def memory_id(value: str) -> int:
    """An id as people write it: `12` or `#12`."""
    try:
        number = int(value.removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a memory id: {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"not a memory id: {value!r}")
    return number


def build_parser() -> Parser:
    """The whole `memtui` command line."""
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database: a SQLAlchemy URL or a SQLite file path (default: MEMTUI_DB, the config "
        "file, then the user data directory)",
    )
    as_json = Parser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON for scripts")

    parser = Parser(
        prog="memtui",
        description="Curated, versioned memory from what you tell your AI coding agents.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"memtui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a temporary store filled from sample transcripts",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="open the app without reading transcripts as they change",
    )
    parser.add_argument(
        "--screen",
        choices=("inbox", "beliefs", "history"),
        default="inbox",
        help="the screen the app opens on (default: inbox)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def command(name: str, help_text: str, *, json: bool = True) -> argparse.ArgumentParser:
        parents = [common, as_json] if json else [common]
        return sub.add_parser(name, help=help_text, description=help_text, parents=parents)

    add = command("add", "add a belief of your own, confirmed at once")
    add.add_argument("text", help="the statement, as the agents should read it")
    add.add_argument("--kind", required=True, help=f"one of: {KINDS}")
    add.add_argument(
        "--scope",
        metavar="global|PROJECT_PATH",
        help="where it applies (default: the git project of the current directory, "
        "or global outside one)",
    )

    command("status", "count what is waiting and list the commands to act on it")

    inbox = command("inbox", "list the pending candidates, newest first")
    inbox.add_argument("--project", metavar="PATH", help="only candidates of this project")

    beliefs = command("beliefs", "list beliefs (confirmed memories by default)")
    beliefs.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help=f"one of: {STATUSES}; repeat or separate with commas",
    )
    beliefs.add_argument(
        "--project", metavar="PATH", help="only what applies there: its memories and global ones"
    )

    show = command("show", "show a memory with its evidence, lineage and events")
    show.add_argument("id", type=memory_id)

    confirm = command("confirm", "confirm a candidate, optionally changing it")
    confirm.add_argument("id", type=memory_id)
    confirm.add_argument("--text", help="the text to confirm instead of the proposed one")
    confirm.add_argument("--kind", help=f"one of: {KINDS}")
    confirm.add_argument("--scope", metavar="global|project|PROJECT_PATH")
    confirm.add_argument(
        "--accept-flags",
        action="store_true",
        help="confirm a candidate flagged as trying to steer agents, having read it",
    )

    for name, help_text in (
        ("reject", "reject a candidate; the same statement will not be proposed again"),
        ("deprecate", "retire a belief that no longer holds"),
        ("lock", "pin a belief: it is not superseded, edited or retired until unlocked"),
        ("unlock", "release a pinned belief"),
    ):
        command(name, help_text).add_argument("id", type=memory_id)

    supersede = command("supersede", "replace a belief by a candidate, a belief, or new text")
    supersede.add_argument("id", type=memory_id, nargs="?", help="the replacement")
    supersede.add_argument(
        "--replaces", type=memory_id, required=True, metavar="OLD_ID", help="the belief replaced"
    )
    supersede.add_argument("--text", help="new text to use as the replacement instead of an id")
    supersede.add_argument("--kind", help=f"kind of the replacement: {KINDS}")
    supersede.add_argument(
        "--accept-flags", action="store_true", help="use a flagged candidate, having read it"
    )

    edit = command("edit", "change a candidate's or belief's text, kind or scope (a revision)")
    edit.add_argument("id", type=memory_id)
    edit.add_argument("--text")
    edit.add_argument("--kind", help=f"one of: {KINDS}")
    edit.add_argument("--scope", metavar="global|project|PROJECT_PATH")

    command("undo", "undo your last action (again to undo the one before)")

    tools = "claude-code, codex, cline, gemini, aider, cursor, opencode"
    scan = command("scan", "read new messages from agents' transcripts into the inbox")
    scan.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="transcript files or folders (default: every tool's transcripts on this machine)",
    )  # fmt: skip
    scan.add_argument("--tool", help=f"read PATHs as this tool's: {tools}")
    scan.add_argument(
        "--progress", action="store_true", help="report progress on stderr even when not a terminal"
    )

    watch = command(
        "watch", "follow transcripts as agents write them, until interrupted", json=False
    )
    watch.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    watch.add_argument("--tool", help=f"read PATHs as this tool's: {tools}")

    listing = command("sources", "list where memtui looks for transcripts and what it has read")
    listing.add_argument("--all", action="store_true", help="also the places that do not exist")

    db = command("db", "migrate the database or print its revision", json=False)
    db.add_argument("action", choices=["upgrade", "current"])

    command("doctor", "report where memtui reads and writes, and the state of the database")

    demo_help = "build a demo: sample transcripts of five tools and a store read from them"
    demo = sub.add_parser("demo", help=demo_help, description=demo_help)
    demo.add_argument(
        "path", type=Path, metavar="PATH", help="a new or empty folder to build the demo in"
    )
    add_rules_commands(command)
    add_history_commands(command)
    return parser


def add_rules_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """`export` and `import`: the agents' rules files."""
    targets = "claude, cursor, cline, agents, aider, gemini, copilot, windsurf, continue, roo"
    export = command("export", "write the confirmed beliefs into the agents' rules files")
    export.add_argument(
        "--to", metavar="LIST", help=f"comma-separated targets: {targets} (default: the "
        "project's enabled targets)",
    )  # fmt: skip
    export.add_argument(
        "--project", metavar="PATH",
        help="the project to export (default: the git project of the current directory)",
    )  # fmt: skip
    export.add_argument(
        "--dry-run", action="store_true", help="print a unified diff per file, write nothing"
    )
    export.add_argument(
        "--overwrite", action="store_true",
        help="replace memtui's block even where it was edited since the last export",
    )  # fmt: skip
    export.add_argument(
        "--import-edits", action="store_true",
        help="propose the lines edited inside memtui's blocks as candidates, write nothing",
    )  # fmt: skip
    export.add_argument(
        "--revert", action="store_true", help="put back each file as before its last export"
    )
    export.add_argument(
        "--no-user", action="store_true", help="leave the user-level (global) files alone"
    )
    imports = command("import", "turn existing rules files into confirmed beliefs")
    imports.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH",
        help="rules files, or folders holding them (default: every known project's)",
    )  # fmt: skip
    imports.add_argument(
        "--dry-run", action="store_true", help="list what would be created, merged or conflict"
    )


def event_id(value: str) -> int:
    """An event id as `memtui history` prints it: `7` or `#7`."""
    try:
        return memory_id(value)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"not an event id: {value!r}") from None


def positive(value: str) -> int:
    """A count of at least one."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"not a positive number: {value!r}")
    return number


def add_history_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """`search`, `history` and `revert`."""
    search = command("search", "find memories as you would in the app: typos and any word order")
    search.add_argument("query", help="words to look for")
    search.add_argument("--limit", type=positive, default=20, metavar="N", help="(default 20)")
    search.add_argument("--kind", action="append", metavar="KIND", help=f"one of: {KINDS}")
    search.add_argument(
        "--status", action="append", metavar="STATUS",
        help=f"one of: {STATUSES}; repeat or separate with commas (default: confirmed)",
    )  # fmt: skip
    search.add_argument(
        "--project", metavar="PATH", help="only what applies there: its memories and global ones"
    )

    dates = "YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time unless an offset is given"
    history = command("history", "the event log, newest first, or what was believed at a date")
    history.add_argument(
        "--as-of", metavar="DATE", help=f"list the beliefs held then instead ({dates}; a day "
        "alone means its end)",
    )  # fmt: skip
    history.add_argument("--memory", type=memory_id, metavar="ID", help="only this memory's")
    history.add_argument("--project", metavar="PATH", help="only this project's memories")
    history.add_argument("--since", metavar="DATE", help=f"from this moment on ({dates})")
    history.add_argument("--until", metavar="DATE", help="up to this moment (a day: its end)")
    history.add_argument("--limit", type=positive, metavar="N", help="only the newest N events")

    revert = command("revert", "undo one past action, named by one of its events (see history)")
    revert.add_argument("event", type=event_id, metavar="EVENT_ID")
