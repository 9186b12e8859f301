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
from memtui.core.models import Action, Scope, Status, statement_key
from memtui.core.records import (
    ExportFile,
    ExportPlan,
    FileAction,
    MemoryRecord,
    RevertResult,
)
from memtui.core.settings import Settings
from memtui.services.curate import USER, Tx
from memtui.services.export import aider, blocks, lines, render, write
from memtui.services.export.targets import (
    TARGETS,
    Level,
    Location,
    Mode,
    claude_reads_agents_md,
    gemini_file_names,
    parse_targets,
    present_targets,
    project_locations,
    sync_location,
    sync_tool,
    user_locations,
)
from memtui.store import queries
from memtui.store.database import Database
from memtui.store.models import Event, Evidence, ExportRecord, Memory, Project, utcnow

READS_AGENTS_MD = frozenset({"cursor", "cline", "copilot", "windsurf", "continue", "roo"})
"""Targets whose tools also load the project's root AGENTS.md (rules-files.md §1.5)."""

PROJECT_READS: dict[str, tuple[str, ...]] = {
    "claude": ("CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md", ".claude/rules/**/*.md"),
    "cursor": (".cursorrules", ".cursor/rules/**/*.mdc"),
    "cline": (".clinerules", ".clinerules/**/*", ".cursorrules", ".windsurfrules"),
    "agents": ("AGENTS.md",),
    "aider": ("AGENTS.md", "CONVENTIONS.md"),
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
            session,
            statuses=[Status.CONFIRMED],
            project=str(root) if root else None,
            with_global=True,
        )
    if root is None:
        confirmed = [m for m in confirmed if m.scope == Scope.GLOBAL]
    own = [m for m in confirmed if m.scope == Scope.PROJECT and m.project == str(root)]
    return own, [m for m in confirmed if m.scope == Scope.GLOBAL]


def _group(locations: Sequence[Location]) -> list[_Group]:
    """Locations by physical file (a CLAUDE.md -> AGENTS.md symlink is one file), in order."""
    groups: dict[Path, list[Location]] = {}
    for location in locations:
        groups.setdefault(paths.real(location.path), []).append(location)
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
    skipped: str | None = None,
) -> ExportFile:
    """What memtui would write in one physical file; none of the beliefs when `skipped` says
    why its tool reads them elsewhere."""
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
        skipped=skipped,
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
    chosen = [] if skipped else [m for m in beliefs if statement_key(m.text) not in stated]
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


def plan_config(group: _Group, *, wanted: bool, overwrite: bool = False) -> ExportFile:
    """memtui's entry in a config file's list (Aider's `read:`): added when `wanted` (the file
    it names will exist), taken out otherwise."""
    location = group.first
    base = ExportFile(
        targets=tuple(dict.fromkeys(loc.target for loc in group.locations)),
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
        if wanted:
            new = aider.add_entry(decoded.text, location.entry, name=name, overwrite=overwrite)
        else:
            new = aider.remove(decoded.text, name=name)
    except MemtuiError as exc:
        return replace(base, reason=str(exc))
    region = aider.find_region(new, name=name)
    base = replace(
        base,
        block="" if region is None else new[region.start : region.end],
        encoding=decoded.encoding,
        current_sha=write.sha256(data) if data is not None else None,
        new_content=new,
    )
    if new == decoded.text:
        return replace(base, action=FileAction.UNCHANGED)
    return replace(
        base,
        action=FileAction.CREATE if data is None else FileAction.UPDATE,
        diff=_diff(location.path, None if data is None else decoded.text, new),
    )


def _will_exist(file: ExportFile) -> bool:
    """Whether a planned file is on disk after the export (written, or already there)."""
    if file.action == FileAction.BLOCKED:
        return False
    return file.current_sha is not None or file.action == FileAction.CREATE


def _carries(file: ExportFile) -> bool:
    """Whether a planned file holds memtui's memories after the export."""
    return _will_exist(file) and bool(file.memory_ids)


def _on_disk_with_memories(path: Path) -> bool:
    """Whether a file memtui does not write this time holds a region of its with memories."""
    try:
        data = write.read_bytes(path)
        if data is None:
            return False
        region = blocks.find_region(blocks.decode(data).text)
    except MemtuiError:
        return False
    return region is not None and bool(blocks.body_lines(region.body))


def _readers(
    target: str, root: Path, env: Mapping[str, str], cline_agents_md: bool, claude: bool | None
) -> tuple[str, ...]:
    """The project files memtui may write that the tool behind `target` loads."""
    agents = ("AGENTS.md",)
    if target == "claude":
        return (".claude/rules/memtui.md", *(agents if claude else ()))
    if target == "cursor":
        return (".cursor/rules/memtui.mdc", *agents)
    if target == "cline":
        found = (".clinerules/memtui.md", ".clinerules", ".cursor/rules/memtui.mdc")
        return found + (agents if cline_agents_md else ())
    if target in ("agents", "aider"):
        return agents
    if target == "gemini":
        return tuple(n for n in gemini_file_names(root, env) if "/" not in n)
    if target == "copilot":
        return (".github/instructions/memtui.instructions.md", *agents, "CLAUDE.md", "GEMINI.md")
    if target == "windsurf":
        return (".windsurf/rules/memtui.md", ".devin/rules/memtui.md", *agents)
    if target == "continue":
        return (".continue/rules/memtui.md", *agents)
    if target == "roo":
        return (".roo/rules/memtui.md", ".roorules", *agents)
    return ()


def _plan_project(
    groups: list[_Group],
    beliefs: Sequence[MemoryRecord],
    root: Path,
    chosen: Sequence[str],
    settings: Settings,
    env: Mapping[str, str],
    *,
    overwrite: bool,
) -> tuple[dict[Path, ExportFile], list[str]]:
    """The project's files, AGENTS.md first: a tool that will read memtui's AGENTS.md block
    gets no second copy (rules-files.md §1.5), re-decided on every export."""
    notes: list[str] = []
    planned: dict[Path, ExportFile] = {}
    provenance = settings.export.provenance
    agents_real = paths.real(root / "AGENTS.md")
    for group in groups:
        if group.real == agents_real:
            planned[group.real] = plan_file(
                group, beliefs, root, provenance=provenance, overwrite=overwrite
            )
    agents_file = planned.get(agents_real)
    carried = agents_file is not None and _will_exist(agents_file)

    claude, claude_why = claude_reads_agents_md(root, env) if "claude" in chosen else (False, "")
    skips: dict[str, str] = {}
    if carried:
        if claude:
            skips["claude"] = f"Claude Code reads memtui's block in AGENTS.md ({claude_why})"
            if "imports" not in claude_why:
                notes.append(
                    "a CLAUDE.md created later (by /init, say) switches Claude Code off "
                    "AGENTS.md: export again then, and memtui writes .claude/rules/memtui.md"
                )
        if settings.export.cline_agents_md:
            skips["cline"] = (
                "Cline reads memtui's block in AGENTS.md (if its AGENTS.md toggle is off, "
                "set cline_agents_md = false in [export])"
            )
        names = gemini_file_names(root, env)
        if "AGENTS.md" in names and names[0] != "AGENTS.md":
            skips["gemini"] = "Gemini CLI reads memtui's block in AGENTS.md (context.fileName)"
        if claude is None and "claude" in chosen:
            notes.append(
                f"claude: {claude_why}; from 2.1.277 on it also reads AGENTS.md, and would "
                "see these memories 2 times"
            )
    for target, why in skips.items():
        if target in chosen:
            notes.append(f"{target}: skipped, {why}")

    for group in groups:
        if group.real in planned:
            continue
        if group.first.mode == Mode.CONFIG:
            continue
        targets = {loc.target for loc in group.locations}
        skipped = "; ".join(skips[t] for t in sorted(targets)) if targets <= set(skips) else None
        planned[group.real] = plan_file(
            group, beliefs, root, provenance=provenance, overwrite=overwrite, skipped=skipped
        )
    for group in groups:
        if group.first.mode == Mode.CONFIG:
            carrier = paths.real(group.real.parent / group.first.entry)
            found = planned.get(carrier)
            wanted = found is not None and _will_exist(found)
            planned[group.real] = plan_config(group, wanted=wanted, overwrite=overwrite)

    # Where a tool still gets the memories from more than one file, say so.
    carrying = {path for path, file in planned.items() if _carries(file)}
    for target in chosen:
        if target in skips:
            continue
        seen = []
        for relative in _readers(target, root, env, settings.export.cline_agents_md, claude):
            real = paths.real(root / relative)
            if real in carrying or (real not in planned and _on_disk_with_memories(real)):
                seen.append(relative)
        if len(seen) > 1:
            notes.append(f"{target} will see these memories {len(seen)} times ({', '.join(seen)})")
    return planned, notes


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
    files: list[ExportFile] = []
    if root is not None:
        tool = sync_tool(root)
        if tool is not None:
            source = sync_location(tool, chosen[0], root).path.relative_to(root)
            notes.append(
                f"this project uses {tool}: memtui writes its source {source}, which "
                f"`{tool}` copies into every agent's file (run it after exporting), instead of "
                "the files it generates"
            )
            locations = [sync_location(tool, target, root) for target in chosen]
            for group in _group(locations):
                files.append(
                    plan_file(
                        group,
                        own,
                        root,
                        provenance=settings.export.provenance,
                        overwrite=overwrite,
                    )
                )
        else:
            locations = []
            for target in chosen:
                locations.extend(project_locations(target, root, env))
            groups = _group(locations)
            planned, found_notes = _plan_project(
                groups, own, root, chosen, settings, env, overwrite=overwrite
            )
            files.extend(planned[group.real] for group in groups)
            notes.extend(found_notes)
    user_chosen = chosen
    if settings.export.user_targets is not None and targets is None:
        user_chosen = parse_targets(settings.export.user_targets, origin="export.user_targets")
    if user_level:
        user_found: list[Location] = []
        for target in user_chosen:
            found = user_locations(target, env)
            if not found:
                notes.append(
                    f"{target} has no user-level rules file: copy the global block into its "
                    "settings (Cursor: Settings, Rules, User Rules)"
                )
            user_found.extend(found)
        user_groups = _group(user_found)
        user_planned: dict[Path, ExportFile] = {}
        for group in user_groups:
            if group.first.mode != Mode.CONFIG:
                user_planned[group.real] = plan_file(
                    group,
                    shared,
                    root,
                    provenance=settings.export.provenance,
                    overwrite=overwrite,
                )
        for group in user_groups:
            if group.first.mode == Mode.CONFIG:
                carrier = user_planned.get(paths.real(group.first.entry))
                wanted = carrier is not None and _will_exist(carrier)
                user_planned[group.real] = plan_config(group, wanted=wanted, overwrite=overwrite)
        files.extend(user_planned[group.real] for group in user_groups)
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
            with db.write() as session:
                tx = Tx(session, "export", actor, undoable=False)
                this_operation = operation_id if operation_id is not None else tx.operation.id
                project_id = tx.project_id(plan.project) if file.level == "project" else None
                real = str(paths.real(path))
                _log_written(tx, this_operation, file, real)
                session.add(
                    ExportRecord(
                        target=",".join(file.targets)[:32],
                        path=real,
                        project_id=project_id,
                        content_hash=_region_hash(file),
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


def _region_hash(file: ExportFile) -> str:
    """The hash of memtui's region in a planned file's new content ('' body when none)."""
    assert file.new_content is not None
    if file.mode == Mode.CONFIG.value:
        config = aider.find_region(file.new_content, name=file.path)
        return blocks.body_hash(config.body if config is not None else "")
    region = blocks.find_region(file.new_content, name=file.path)
    assert region is not None
    return blocks.body_hash(region.body)


def _log_written(tx: Tx, operation_id: int, file: ExportFile, real: str) -> None:
    """One `exported` event per memory this write puts into the file: new to it, or changed
    since the file's last export. Memories and their state are as they were; `after` names
    the file."""
    if not file.memory_ids:
        return
    session = tx.session
    last = session.scalars(
        select(ExportRecord)
        .where(ExportRecord.path == real, ExportRecord.reverted_at.is_(None))
        .order_by(ExportRecord.id.desc())
        .limit(1)
    ).first()
    there = set(last.memory_ids) if last is not None else set()
    memories = session.scalars(
        select(Memory).where(Memory.id.in_(file.memory_ids)).order_by(Memory.id)
    ).all()
    for memory in memories:
        if last is not None and memory.id in there and memory.updated_at <= last.created_at:
            continue
        state = tx.snapshot(memory)
        after = {**state, "file": real, "targets": list(file.targets)}
        session.add(
            Event(
                operation_id=operation_id,
                memory_id=memory.id,
                action=Action.EXPORTED,
                before=state,
                after=after,
            )
        )


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
    real = paths.real(path)
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
        if real.suffix in (".yml", ".yaml"):
            text = _revert_config(current.text, record.previous_content, name)
            write.atomic_write(real, current.encode(text))
            return _mark_reverted(db, record.id, str(real), "block-restored")
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
    return _mark_reverted(db, record.id, str(real), action)


def _mark_reverted(db: Database, record_id: int, path: str, action: str) -> RevertResult:
    with db.write() as session:
        row = session.get(ExportRecord, record_id)
        assert row is not None
        row.reverted_at = utcnow()
    return RevertResult(path, action, record_id)


def _revert_config(text: str, before: str | None, name: str) -> str:
    """A config file changed since memtui's export, with memtui's lines as they were before
    it: gone, or (when the person's lines are as they were then) the earlier ones."""
    region = aider.find_region(text, name=name)
    if region is None:
        raise InvalidStateError(f"{name}: memtui's lines are gone; nothing to revert")
    if region.drifted:
        raise InvalidStateError(
            f"{name}: edited between memtui's lines since the export; revert refused"
        )
    bare = aider.remove(text, name=name)
    if before is None or aider.find_region(before, name=name) is None:
        return bare
    if aider.remove(before, name=name) == bare:
        return before
    raise InvalidStateError(
        f"{name}: changed since the export, and memtui's earlier lines cannot be put back "
        "around the new ones; edit it by hand"
    )


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
