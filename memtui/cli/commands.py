"""What each command does: open the store, call a service, print the result."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from memtui.cli import browsing, render
from memtui.cli.output import emit_json, stream_json_list
from memtui.core import paths
from memtui.core.errors import InvalidInputError
from memtui.core.models import Scope, Status, parse_kind, parse_status
from memtui.core.records import MemoryRecord
from memtui.core.settings import Settings, load_settings
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.store import Database, describe, ensure_current

Handler = Callable[[argparse.Namespace, Database], int]


def run(args: argparse.Namespace) -> int:
    """Dispatch a parsed command line."""
    if args.command == "demo":
        return demo(args)  # its own store and transcripts: no settings of the person's
    settings = load_settings(getattr(args, "db", None))
    if args.command == "db":
        return db_command(args, settings)
    if args.command == "doctor":
        return doctor(args, settings)
    database = open_store(settings)
    try:
        if args.command in RULES:
            from memtui.cli.rules import COMMANDS as RULES_COMMANDS

            return RULES_COMMANDS[args.command](args, settings, database)
        if args.command in INGESTING:
            from memtui.cli.ingesting import COMMANDS  # watchfiles, sources: only when reading

            return COMMANDS[args.command](args, settings, database)
        return HANDLERS[args.command](args, database)
    finally:
        database.close()


def open_store(settings: Settings) -> Database:
    """Open the store, bringing its schema up to date first."""
    database = Database(settings.database_url)
    ensure_current(settings.database_url, database.engine)
    return database


def emit_memories(
    args: argparse.Namespace, memories: Sequence[MemoryRecord], *, empty: str
) -> None:
    """Print memories as a JSON list, or as a table (`empty` when there are none)."""
    if args.json:
        stream_json_list(m.to_json() for m in memories)
    elif not memories:
        print(empty)
    else:
        print(render.table(memories, width=render.terminal_width()))


def emit_one(args: argparse.Namespace, verb: str, memory: MemoryRecord) -> int:
    """Report the memory an action produced."""
    if args.json:
        emit_json([memory.to_json()])
    else:
        print(f"{verb} {render.summary(memory)}")
    return 0


def parse_scope(value: str | None) -> ScopeChange | None:
    """`global`, `project` (the memory's own project) or a path inside a project."""
    if value is None:
        return None
    if value.strip().lower() == "global":
        return ScopeChange(Scope.GLOBAL)
    if value.strip().lower() == "project":
        return ScopeChange(Scope.PROJECT)
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise InvalidInputError(f"scope {value!r} is neither 'global' nor an existing folder")
    return ScopeChange(Scope.PROJECT, str(paths.project_root(folder)))


def project_filter(value: str | None) -> str | None:
    """A `--project` path as stored: the root of the project holding it."""
    return None if value is None else str(paths.project_root(value))


def add(args: argparse.Namespace, database: Database) -> int:
    kind = parse_kind(args.kind)
    scope = parse_scope(args.scope)
    cwd = Path.cwd()
    here = str(paths.project_root(cwd)) if paths.in_git_project(cwd) else None
    if scope is None:
        scope = ScopeChange(Scope.PROJECT if here else Scope.GLOBAL, here)
    elif scope.project is None:
        # Stated from inside a project: it came from there, and matches that project's memories.
        scope = ScopeChange(scope.scope, here)
    memory, outcome = curate.add_belief(database, args.text, kind, scope)
    verb = "Added" if outcome == "created" else "Already known, now confirmed:"
    return emit_one(args, verb, memory)


def inbox(args: argparse.Namespace, database: Database) -> int:
    found = curate.inbox(database, project=project_filter(args.project))
    emit_memories(args, found, empty="No candidates waiting.")
    return 0


def beliefs(args: argparse.Namespace, database: Database) -> int:
    names = [n for value in args.status or ["confirmed"] for n in value.split(",") if n.strip()]
    if any(n.strip().lower() == "all" for n in names):
        statuses: list[Status] = list(Status)
    else:
        statuses = list(dict.fromkeys(parse_status(n) for n in names))
    found = curate.beliefs(database, statuses=statuses, project=project_filter(args.project))
    emit_memories(args, found, empty=f"No {' or '.join(statuses)} memories.")
    return 0


def show(args: argparse.Namespace, database: Database) -> int:
    detail = curate.show(database, args.id)
    if args.json:
        emit_json(detail.to_json())
    else:
        print(render.detail(detail))
    return 0


def confirm(args: argparse.Namespace, database: Database) -> int:
    kind = parse_kind(args.kind) if args.kind else None
    memory = curate.confirm(
        database,
        args.id,
        text=args.text,
        kind=kind,
        scope=parse_scope(args.scope),
        accept_flags=args.accept_flags,
    )
    return emit_one(args, "Confirmed", memory)


def edit(args: argparse.Namespace, database: Database) -> int:
    if args.text is None and args.kind is None and args.scope is None:
        raise InvalidInputError("edit needs --text, --kind or --scope")
    kind = parse_kind(args.kind) if args.kind else None
    memory = curate.edit(
        database, args.id, text=args.text, kind=kind, scope=parse_scope(args.scope)
    )
    return emit_one(args, "Edited", memory)


def supersede(args: argparse.Namespace, database: Database) -> int:
    if (args.id is None) == (args.text is None):
        raise InvalidInputError("give the replacement's id or --text, not both")
    kind = parse_kind(args.kind) if args.kind else None
    memory = curate.supersede(
        database,
        args.replaces,
        new_id=args.id,
        text=args.text,
        kind=kind,
        accept_flags=args.accept_flags,
    )
    return emit_one(args, f"#{args.replaces} superseded by", memory)


def simple(action: Callable[[Database, int], MemoryRecord], verb: str) -> Handler:
    """A command that takes one id and reports the memory after the action."""

    def handler(args: argparse.Namespace, database: Database) -> int:
        return emit_one(args, verb, action(database, args.id))

    return handler


def undo(args: argparse.Namespace, database: Database) -> int:
    result = curate.undo(database)
    if args.json:
        emit_json(
            {
                "operation": result.operation_id,
                "command": result.command,
                "memory_ids": list(result.memory_ids),
            }
        )
    else:
        ids = ", ".join(f"#{i}" for i in result.memory_ids)
        print(f"Undid {result.command} of {ids}")
    return 0


def overview(args: argparse.Namespace, database: Database) -> int:
    """`memtui status`: what is waiting, and the commands to act on it."""
    counts = curate.status_counts(database)
    print(render.overview(counts, describe(database.url)))
    return 0


def db_command(args: argparse.Namespace, settings: Settings) -> int:
    from memtui.store import HEAD_REVISION, current_revision, upgrade

    if args.action == "upgrade":
        before = upgrade(settings.database_url)
        if before == HEAD_REVISION:
            print(
                f"Database already at revision {HEAD_REVISION}: {describe(settings.database_url)}"
            )
        else:
            print(
                f"Database upgraded from {before or 'empty'} to {HEAD_REVISION}: "
                f"{describe(settings.database_url)}"
            )
        return 0
    database = Database(settings.database_url)
    try:
        print(current_revision(database.engine) or "none (not migrated yet)")
    finally:
        database.close()
    return 0


def doctor(args: argparse.Namespace, settings: Settings) -> int:
    from memtui.services import diagnose
    from memtui.services.ingest import roots_for

    report = diagnose.report(settings, roots_for(settings))
    if args.json:
        emit_json(report.to_json())
    else:
        print(render.doctor(report))
    return 0 if report.healthy else 1


def demo(args: argparse.Namespace) -> int:
    from memtui.services.demo import build_demo
    from memtui.sources.registry import BY_TOOL

    env = build_demo(args.path)
    database = Database(env.db_url)
    try:
        counts = curate.status_counts(database)
    finally:
        database.close()
    tools = list(dict.fromkeys(BY_TOOL[r.tool].label for r in env.files))
    print(
        render.demo_summary(
            env.folder, env.db_url, len(env.files), tools, len(env.projects), counts
        )
    )
    return 0


INGESTING = frozenset({"scan", "watch", "sources"})
"""The commands that read transcripts (cli.ingesting runs them)."""
RULES = frozenset({"export", "import"})
"""The commands on the agents' rules files (cli.rules runs them)."""
HANDLERS: dict[str, Handler] = {
    "add": add,
    "inbox": inbox,
    "beliefs": beliefs,
    "show": show,
    "confirm": confirm,
    "edit": edit,
    "supersede": supersede,
    "reject": simple(curate.reject, "Rejected"),
    "deprecate": simple(curate.deprecate, "Deprecated"),
    "lock": simple(curate.lock, "Locked"),
    "unlock": simple(curate.unlock, "Unlocked"),
    "undo": undo,
    "status": overview,
}
HANDLERS.update(browsing.HANDLERS)
