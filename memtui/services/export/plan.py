"""Export: plan what each rules file would become, write the plan, revert a file's last export.

A plan reads files and the store and changes nothing; the UI shows it (diffs, warnings) and
applies it from a worker thread. Applying checks that each file is still as it was planned,
writes it atomically and records what it held before, so the write can be reverted.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select

from memtui.core import paths
from memtui.core.errors import InvalidStateError, MemtuiError, NotFoundError
from memtui.core.models import Scope, Status, statement_key
from memtui.core.records import (
    ExportFile,
    ExportPlan,
    FileAction,
    MemoryRecord,
    RevertResult,
)
from memtui.core.settings import Settings
from memtui.services.curate import USER, Tx
from memtui.services.export import blocks, lines, render, write
from memtui.services.export.targets import (
    TARGETS,
    Level,
    Location,
    Mode,
    parse_targets,
    present_targets,
    project_locations,
    user_locations,
)
from memtui.store import queries
from memtui.store.database import Database
from memtui.store.models import Evidence, ExportRecord, Memory, Project, utcnow

READS_AGENTS_MD = frozenset({"cursor", "cline", "copilot", "windsurf", "continue", "roo"})
"""Targets whose tools also load the project's root AGENTS.md (rules-files.md §1.5)."""

PROJECT_READS: dict[str, tuple[str, ...]] = {
    "claude": ("CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md", ".claude/rules/**/*.md"),
    "cursor": (".cursorrules", ".cursor/rules/**/*.mdc"),
    "cline": (".clinerules", ".clinerules/**/*", ".cursorrules", ".windsurfrules"),
    "agents": ("AGENTS.md",),
    "gemini": ("GEMINI.md",),
    "copilot": (".github/copilot-instructions.md", ".github/instructions/**/*.instructions.md"),
    "windsurf": (".windsurf/rules/**/*.md", ".windsurfrules", ".devin/rules/**/*.md"),
    "continue": (".continue/rules/**/*.md",),
    "roo": (".roo/rules/**/*", ".roorules", ".clinerules"),
}
"""The project files each tool loads: a belief written there by the person already reaches
it, so memtui's block does not repeat it."""


@dataclass(frozen=True, slots=True)
class _Group:
    """The locations that are one physical file."""

    real: Path
    locations: tuple[Location, ...]

    @property
    def first(self) -> Location:
        return self.locations[0]


def resolve_project(project: str | os.PathLike[str] | None) -> Path | None:
    """The project root for a path (the git top level), None for none."""
    return None if project is None else paths.project_root(project)


def enabled_targets(db: Database, settings: Settings, root: Path) -> tuple[tuple[str, ...], str]:
    """A project's enabled targets and where they come from (the config, or what it uses)."""
    configured = settings.export.targets_for(root)
    if configured is not None:
        return parse_targets(configured, origin=f"{settings.config_path}: {root}"), "config"
    with db.read() as session:
        tools = session.scalars(
            select(Evidence.tool)
            .join(Memory, Memory.id == Evidence.memory_id)
            .join(Project, Project.id == Memory.project_id)
            .where(Project.root == str(root))
            .distinct()
        ).all()
    found = present_targets(root, tools)
    return (found or ("agents",)), "default"


def _beliefs(db: Database, root: Path | None) -> tuple[list[MemoryRecord], list[MemoryRecord]]:
    """Confirmed beliefs of the project, and the global ones."""
    with db.read() as session:
        confirmed = queries.list_memories(
            session, statuses=[Status.CONFIRMED], project=str(root) if root else None,
            with_global=True,
        )  # fmt: skip
    if root is None:
        confirmed = [m for m in confirmed if m.scope == Scope.GLOBAL]
    own = [m for m in confirmed if m.scope == Scope.PROJECT and m.project == str(root)]
    return own, [m for m in confirmed if m.scope == Scope.GLOBAL]


def _group(locations: Sequence[Location]) -> list[_Group]:
    """Locations by physical file (a CLAUDE.md -> AGENTS.md symlink is one file), in order."""
    groups: dict[Path, list[Location]] = {}
    for location in locations:
        groups.setdefault(location.path.resolve(), []).append(location)
    return [_Group(real, tuple(found)) for real, found in groups.items()]


def _stated_keys(location: Location, root: Path | None) -> set[str]:
    """Statement keys of what the person wrote in the files the location's tool loads."""
    files = [location.path]
    if location.level == Level.PROJECT and root is not None:
        patterns = list(PROJECT_READS.get(location.target, ()))
        if location.target in READS_AGENTS_MD:
            patterns.append("AGENTS.md")
        for pattern in patterns:
            files.extend(p for p in root.glob(pattern) if p.is_file())
    elif location.target == "claude":
        files.append(Path.home() / ".claude" / "CLAUDE.md")
    keys: set[str] = set()
    for file in dict.fromkeys(files):
        try:
            data = file.read_bytes()
            text = blocks.decode(data, name=str(file)).text
            found = lines.instructions(text, name=str(file))
        except (OSError, MemtuiError):
            continue
        keys.update(statement_key(i.text) for i in found)
    return keys


def _diff(path: Path, old: str | None, new: str) -> str:
    before = [] if old is None else old.splitlines(keepends=True)
    after = new.splitlines(keepends=True)
    name = str(path)
    return "".join(
        difflib.unified_diff(
            before, after, "/dev/null" if old is None else name, name, lineterm="\n"
        )
    )


def _edited_lines(region: blocks.Region, beliefs: Sequence[MemoryRecord]) -> tuple[str, ...]:
    """Instructions in an edited block that are not the text of a belief memtui writes."""
    known = {statement_key(render.escape(m.text)) for m in beliefs}
    known |= {statement_key(m.text) for m in beliefs}
    found = lines.instructions("\n".join(blocks.body_lines(region.body)))
    return tuple(i.text for i in found if statement_key(i.text) not in known)


def plan_file(
    group: _Group,
    beliefs: Sequence[MemoryRecord],
    root: Path | None,
    *,
    provenance: bool = False,
    overwrite: bool = False,
) -> ExportFile:
    """What memtui would write in one physical file."""
    location = group.first
    targets = tuple(dict.fromkeys(loc.target for loc in group.locations))
    warnings = [note for loc in group.locations for note in loc.notes]
    base = ExportFile(
        targets=targets,
        level=location.level.value,
        path=str(location.path),
        mode=location.mode.value,
        action=FileAction.BLOCKED,
        reason=None,
        diff="",
        block="",
        memory_ids=(),
    )
    name = str(location.path)
    try:
        data = write.read_bytes(group.real)
        if data is not None and group.real.stat().st_nlink > 1:
            return replace(base, reason=f"{name}: has hard links; replacing it would break them")
        decoded = blocks.decode(data, name=name) if data is not None else blocks.NEW_FILE
        region = blocks.find_region(decoded.text, name=name)
    except MemtuiError as exc:
        return replace(base, reason=str(exc), warnings=tuple(warnings))

    stated = _stated_keys(location, root)
    chosen = [m for m in beliefs if statement_key(m.text) not in stated]
    body = render.render_body(chosen, provenance=provenance)
    scope = "user" if location.level == Level.USER else "project"
    block = blocks.make_region(body, scope=scope, newline="\n")
    ids = tuple(sorted(m.id for m in chosen))
    base = replace(
        base,
        block=block,
        memory_ids=ids,
        encoding=decoded.encoding,
        current_sha=write.sha256(data) if data is not None else None,
    )
    if region is not None and region.drifted:
        edited = _edited_lines(region, beliefs)
        if not overwrite:
            return replace(
                base,
                reason=f"{name}: edited inside memtui's block since the last export; import the "
                "edits as candidates, or export again with --overwrite",
                drift=True,
                edited_lines=edited,
                warnings=tuple(warnings),
            )
        warnings.append("overwrites the edits made inside memtui's block")
        base = replace(base, drift=True, edited_lines=edited)
    if data is None and not chosen:
        return replace(base, action=FileAction.UNCHANGED, warnings=tuple(warnings))
    if data is not None and region is None and not chosen:
        return replace(base, action=FileAction.UNCHANGED, warnings=tuple(warnings))

    region_text = blocks.make_region(body, scope=scope, newline=decoded.newline)
    if data is None:
        front = location.frontmatter if location.mode == Mode.OWN else ""
        new = front + region_text
    else:
        new = blocks.splice(decoded.text, region_text, name=name)
    budget = location.budget
    if budget is not None and budget.measure(new) > budget.limit:
        warnings.append(
            f"{budget.measure(new)} {budget.unit}, past the {budget.limit} budget ({budget.why})"
        )
    if data is not None and new == decoded.text:
        return replace(base, action=FileAction.UNCHANGED, new_content=new, warnings=tuple(warnings))
    return replace(
        base,
        action=FileAction.CREATE if data is None else FileAction.UPDATE,
        diff=_diff(location.path, None if data is None else decoded.text, new),
        new_content=new,
        warnings=tuple(warnings),
    )


def plan_export(
    db: Database,
    settings: Settings,
    project: str | os.PathLike[str] | None,
    targets: Sequence[str] | None = None,
    *,
    user_level: bool = True,
    overwrite: bool = False,
    env: Mapping[str, str] | None = None,
) -> ExportPlan:
    """What exporting would write: the project's files for its beliefs, and (with
    `user_level`) the user-level files of the same targets for the global beliefs.

    Without `targets`, the project's enabled ones (config, else the tools it uses); without
    a project, only the user-level files.
    """
    env = os.environ if env is None else env
    root = resolve_project(project)
    notes: list[str] = []
    if targets is not None:
        chosen = parse_targets(targets)
    elif root is not None:
        chosen, origin = enabled_targets(db, settings, root)
        notes.append(
            "targets from the configuration file"
            if origin == "config"
            else "targets: the tools this project uses (set them with [[export.projects]])"
        )
    else:
        configured = settings.export.user_targets
        chosen = parse_targets(configured or TARGETS, origin="export.user_targets")
    own, shared = _beliefs(db, root)
    locations: list[Location] = []
    if root is not None:
        for target in chosen:
            locations.extend(project_locations(target, root, env))
        if "agents" in chosen:
            twice = sorted(READS_AGENTS_MD & set(chosen))
            if twice:
                notes.append(
                    f"{', '.join(twice)} also read AGENTS.md: they will see these memories twice"
                )
    user_chosen = chosen
    if settings.export.user_targets is not None and targets is None:
        user_chosen = parse_targets(settings.export.user_targets, origin="export.user_targets")
    if user_level:
        for target in user_chosen:
            found = user_locations(target, env)
            if not found:
                notes.append(
                    f"{target} has no user-level rules file: copy the global block into its "
                    "settings (Cursor: Settings, Rules, User Rules)"
                )
            locations.extend(found)
    files = []
    for group in _group(locations):
        beliefs = shared if group.first.level == Level.USER else own
        files.append(
            plan_file(
                group, beliefs, root, provenance=settings.export.provenance, overwrite=overwrite
            )
        )
    return ExportPlan(str(root) if root else None, chosen, tuple(files), tuple(notes))


def apply_export(db: Database, plan: ExportPlan, *, actor: str = USER) -> ExportPlan:
    """Write every file the plan creates or updates; return the plan with what was written.

    A file that changed since it was planned is not written (it becomes blocked): plan again.
    A file that cannot be written is blocked too; the others are written all the same.
    """
    done: list[ExportFile] = []
    operation_id: int | None = None
    for file in plan.files:
        if file.action not in (FileAction.CREATE, FileAction.UPDATE):
            done.append(file)
            continue
        assert file.new_content is not None
        path = Path(file.path)
        try:
            data = write.read_bytes(path)
            now = write.sha256(data) if data is not None else None
            if now != file.current_sha:
                raise InvalidStateError(f"{path}: changed since the preview; preview again")
            old = blocks.decode(data, name=file.path) if data is not None else None
            new_bytes = (old or blocks.Decoded("", file.encoding, "\n")).encode(file.new_content)
            region = blocks.find_region(file.new_content, name=file.path)
            assert region is not None
            with db.write() as session:
                tx = Tx(session, "export", actor, undoable=False)
                this_operation = operation_id if operation_id is not None else tx.operation.id
                project_id = tx.project_id(plan.project) if file.level == "project" else None
                session.add(
                    ExportRecord(
                        target=",".join(file.targets)[:32],
                        path=str(path.resolve()),
                        project_id=project_id,
                        content_hash=blocks.body_hash(region.body),
                        memory_ids=list(file.memory_ids),
                        previous_content=old.text if old is not None else None,
                        operation_id=this_operation,
                        file_hash=write.sha256(new_bytes),
                        encoding=old.encoding if old is not None else "utf-8",
                    )
                )
                session.flush()
                write.atomic_write(path, new_bytes)
            operation_id = this_operation
        except MemtuiError as exc:
            done.append(replace(file, action=FileAction.BLOCKED, reason=str(exc)))
            continue
        done.append(replace(file, written=True))
    return replace(plan, files=tuple(done))


def export(
    db: Database,
    settings: Settings,
    project: str | os.PathLike[str] | None,
    targets: Sequence[str] | None = None,
    *,
    user_level: bool = True,
    overwrite: bool = False,
    env: Mapping[str, str] | None = None,
) -> ExportPlan:
    """Plan and write at once (the app's `E`)."""
    plan = plan_export(
        db, settings, project, targets, user_level=user_level, overwrite=overwrite, env=env
    )
    return apply_export(db, plan)


def block_text(db: Database, settings: Settings, project: str | os.PathLike[str] | None) -> str:
    """The rendered beliefs, for the clipboard: the project's, or the global ones without one."""
    root = resolve_project(project)
    own, shared = _beliefs(db, root)
    body = render.render_body(own if root else shared, provenance=settings.export.provenance)
    return "\n".join(body) + ("\n" if body else "")


def revert_file(db: Database, path: str | os.PathLike[str]) -> RevertResult:
    """Put back a file as it was before memtui's last export to it.

    When the person changed the file since, only memtui's region is put back as it was (or
    removed, if there was none): what they wrote outside it stays.
    """
    real = Path(path).expanduser().resolve()
    with db.read() as session:
        record = session.scalars(
            select(ExportRecord)
            .where(ExportRecord.path == str(real), ExportRecord.reverted_at.is_(None))
            .order_by(ExportRecord.id.desc())
            .limit(1)
        ).first()
    if record is None:
        raise NotFoundError(f"{real}: no export to revert")
    data = write.read_bytes(real)
    name = str(real)
    encoding = record.encoding or "utf-8"
    if data is not None and write.sha256(data) == record.file_hash:
        if record.previous_content is None:
            write.delete(real)
            action = "deleted"
        else:
            previous = blocks.Decoded(record.previous_content, encoding, "\n")
            write.atomic_write(real, previous.encode(record.previous_content))
            action = "restored"
    else:
        if data is None:
            raise InvalidStateError(f"{name}: removed since memtui's export; nothing to revert")
        current = blocks.decode(data, name=name)
        region = blocks.find_region(current.text, name=name)
        if region is None:
            raise InvalidStateError(f"{name}: memtui's block is gone; nothing to revert")
        if region.drifted:
            raise InvalidStateError(
                f"{name}: edited inside memtui's block since the export; revert refused"
            )
        before = record.previous_content
        old_region = blocks.find_region(before, name=name) if before is not None else None
        prefix = current.text[: region.start]
        if old_region is None and before is not None and prefix.startswith(before):
            # memtui appended its block to this file: drop it with the separator it added.
            extra = prefix[len(before) :]
            text = (before if not extra.strip() else prefix) + current.text[region.end :]
        elif old_region is None:
            text = blocks.remove(current.text, name=name)
        else:
            assert before is not None
            text = blocks.splice(current.text, before[old_region.start : old_region.end])
        write.atomic_write(real, current.encode(text))
        action = "block-restored"
    with db.write() as session:
        row = session.get(ExportRecord, record.id)
        assert row is not None
        row.reverted_at = utcnow()
    return RevertResult(str(real), action, record.id)


def revert(db: Database, plan: ExportPlan) -> tuple[list[RevertResult], list[str]]:
    """Revert the last export of every file of a plan that has one; (results, problems)."""
    results: list[RevertResult] = []
    problems: list[str] = []
    for file in plan.files:
        try:
            results.append(revert_file(db, file.path))
        except NotFoundError:
            continue
        except MemtuiError as exc:
            problems.append(str(exc))
    return results, problems


def known_projects(db: Database, settings: Settings) -> list[Path]:
    """The projects memtui knows (from transcripts, beliefs or the config) that exist here."""
    with db.read() as session:
        roots = [Path(r) for r in session.scalars(select(Project.root).order_by(Project.root))]
    roots.extend(path for path, _ in settings.export.projects)
    return [r for r in dict.fromkeys(roots) if r.is_dir()]
