"""The commands on the agents' rules files: export (with its dry run and revert) and import."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from memtui.cli.output import emit_json
from memtui.core import paths
from memtui.core.errors import InvalidInputError
from memtui.core.records import ExportFile, ExportPlan, FileAction
from memtui.core.settings import Settings
from memtui.services import export as service
from memtui.store import Database

VERBS = {
    FileAction.CREATE: "created",
    FileAction.UPDATE: "updated",
    FileAction.UNCHANGED: "unchanged",
    FileAction.BLOCKED: "blocked",
}


def export_project(args: argparse.Namespace) -> Path | None:
    """The project `--project` names, else the git project of the current directory."""
    if args.project is not None:
        folder = Path(args.project).expanduser()
        if not folder.is_dir():
            raise InvalidInputError(f"--project {args.project!r} is not an existing folder")
        return paths.project_root(folder)
    here = Path.cwd()
    return paths.project_root(here) if paths.in_git_project(here) else None


def file_line(file: ExportFile, *, planned: bool) -> str:
    """One line per file: what happened (or would), where, for which targets."""
    verb = file.action.value if planned else VERBS[file.action]
    if file.action == FileAction.BLOCKED:
        return f"{verb:<9} {file.path}: {file.reason}"
    if file.skipped is not None and file.action == FileAction.UNCHANGED:
        return f"{'skipped':<9} {file.path}  ({', '.join(file.targets)}: {file.skipped})"
    count = len(file.memory_ids)
    return f"{verb:<9} {file.path}  ({', '.join(file.targets)}; {count} belief(s))"


def print_plan(plan: ExportPlan, *, planned: bool, diffs: bool) -> None:
    """A plan (or an applied one) for people."""
    for file in plan.files:
        print(file_line(file, planned=planned))
        if file.skipped is not None and file.action != FileAction.UNCHANGED:
            print(f"          skipped: {file.skipped}; memtui's earlier memories come out")
        for warning in file.warnings:
            print(f"          warning: {warning}")
        if file.drift and file.edited_lines and file.action == FileAction.BLOCKED:
            print(
                f"          edited lines: {len(file.edited_lines)} (--import-edits proposes them)"
            )
        if diffs and file.diff:
            print(file.diff, end="" if file.diff.endswith("\n") else "\n")
    for note in plan.notes:
        print(f"note: {note}")
    counts = Counter(f.action for f in plan.files)
    changed = counts[FileAction.CREATE] + counts[FileAction.UPDATE]
    verb = "would write" if planned else "wrote"
    print(
        f"{plan.project or 'user-level files'}: {verb} {changed} file(s), "
        f"{counts[FileAction.UNCHANGED]} unchanged, {counts[FileAction.BLOCKED]} blocked"
    )


def export(args: argparse.Namespace, settings: Settings, database: Database) -> int:
    project = export_project(args)
    targets = args.to.split(",") if args.to is not None else None
    chosen = sum((args.dry_run, args.revert, args.import_edits))
    if chosen > 1:
        raise InvalidInputError("choose one of --dry-run, --revert and --import-edits")
    plan = service.plan_export(
        database,
        settings,
        project,
        targets,
        user_level=not args.no_user,
        overwrite=args.overwrite and not args.import_edits,
    )
    if args.revert:
        return revert(args, database, plan)
    if args.import_edits:
        return import_edits(args, database, plan)
    if not args.dry_run:
        plan = service.apply_export(database, plan)
    if args.json:
        emit_json(plan.to_json())
    else:
        print_plan(plan, planned=args.dry_run, diffs=args.dry_run)
    for file in plan.blocked:
        print(f"memtui: {file.reason}", file=sys.stderr)
    return 1 if plan.blocked else 0


def revert(args: argparse.Namespace, database: Database, plan: ExportPlan) -> int:
    results, problems = service.revert(database, plan)
    if args.json:
        emit_json({"reverted": [r.to_json() for r in results], "problems": problems})
    else:
        for result in results:
            print(f"{result.action:<14} {result.path}")
        if not results and not problems:
            print("Nothing to revert.")
    for problem in problems:
        print(f"memtui: {problem}", file=sys.stderr)
    return 1 if problems else 0


def import_edits(args: argparse.Namespace, database: Database, plan: ExportPlan) -> int:
    found: dict[str, list[int]] = {}
    for file in plan.files:
        if file.drift and file.edited_lines:
            found[file.path] = service.import_edits(database, file.path, file.edited_lines)
    if args.json:
        emit_json([{"path": path, "candidates": ids} for path, ids in found.items()])
    elif not found:
        print("No edits inside memtui's blocks.")
    else:
        for path, ids in found.items():
            listed = ", ".join(f"#{i}" for i in ids)
            print(f"{len(ids)} candidate(s) from {path}: {listed}")
        print(
            "Review them with `memtui inbox`; then `memtui export --overwrite` rewrites the block."
        )
    return 0


def import_command(args: argparse.Namespace, settings: Settings, database: Database) -> int:
    given: list[Path] = list(args.paths)
    if not given:
        given = [Path(f.path) for f in service.importable_files(database, settings)]
        if not given:
            print("No rules files found in the projects memtui knows.")
            return 0
    report = service.import_files(database, given, dry_run=args.dry_run)
    if args.json:
        emit_json(report.to_json())
    else:
        for line in report.lines:
            where = f"{line.path}:{line.line}"
            extra = f"  ({line.reason})" if line.reason else ""
            ident = f" #{line.memory_id}" if line.memory_id is not None else ""
            print(f"{line.outcome.value:<8}{ident} {where}  {line.text}{extra}")
        counts = Counter(line.outcome.value for line in report.lines)
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        verb = "Would import" if args.dry_run else "Imported"
        print(f"{verb} {len(report.lines)} instruction(s): {summary or 'none'}")
    for problem in report.problems:
        print(f"memtui: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings, Database], int]] = {
    "export": export,
    "import": import_command,
}
