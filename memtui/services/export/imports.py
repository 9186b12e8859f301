"""Import: the instructions of existing rules files become confirmed beliefs of the person.

Each instruction line (a bullet or a sentence) of CLAUDE.md, AGENTS.md, `.cursor/rules/*.mdc`,
`.clinerules` and the rest becomes a belief of the project the file belongs to, or a global one
for user-level files. memtui's own regions are skipped, a statement already known joins its
memory, and one the person turned down (or that turns a belief around) goes to the inbox
instead. Importing the same files again changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from memtui.core import paths
from memtui.core.errors import MemtuiError
from memtui.core.models import Kind, Scope, Status, statement_key
from memtui.core.records import (
    ImportLine,
    ImportOutcome,
    ImportReport,
    NewCandidate,
    NewEvidence,
    RulesFile,
)
from memtui.core.settings import Settings
from memtui.services import curate
from memtui.services.curate import MATCH_PREFERENCE, USER, ScopeChange, rank
from memtui.services.export import blocks, lines, write
from memtui.services.export.plan import known_projects
from memtui.services.export.targets import (
    is_user_level,
    own_file_names,
    project_of_rules_file,
)
from memtui.store.database import Database
from memtui.store.models import Evidence, Memory, Project, Revision, utcnow

TOOL = "rules-file"
"""The evidence tool of a statement read from a rules file."""
IMPORT_RULE = "import"
EDITED_RULE = "edited-block"

SOURCES: tuple[tuple[str, str], ...] = (
    ("CLAUDE.md", "claude"),
    (".claude/CLAUDE.md", "claude"),
    ("CLAUDE.local.md", "claude"),
    (".claude/rules/**/*.md", "claude"),
    ("AGENTS.md", "agents"),
    ("GEMINI.md", "gemini"),
    (".cursorrules", "cursor"),
    (".cursor/rules/**/*.mdc", "cursor"),
    (".clinerules", "cline"),
    (".clinerules/**/*", "cline"),
    (".windsurfrules", "windsurf"),
    (".windsurf/rules/**/*.md", "windsurf"),
    (".devin/rules/**/*.md", "windsurf"),
    (".github/copilot-instructions.md", "copilot"),
    (".github/instructions/**/*.instructions.md", "copilot"),
    (".continue/rules/**/*.md", "continue"),
    (".roo/rules/**/*", "roo"),
    (".roorules", "roo"),
)
"""The rules files of a project that import reads, and the target each belongs to."""
USER_SOURCES: tuple[tuple[str, str], ...] = (
    (".claude/CLAUDE.md", "claude"),
    (".gemini/GEMINI.md", "gemini"),
    (".codex/AGENTS.md", "agents"),
    (".codeium/windsurf/memories/global_rules.md", "windsurf"),
    (".copilot/copilot-instructions.md", "copilot"),
)


@dataclass(frozen=True, slots=True)
class _Found:
    path: Path
    line: int
    text: str
    kind: Kind
    scope: Scope
    project: str | None


def _is_rules_file(path: Path) -> bool:
    return (
        path.is_file()
        and path.name not in own_file_names()
        and not path.name.startswith(".memtui-")
    )


def project_rules_files(root: Path) -> list[tuple[Path, str]]:
    """The rules files a project holds (memtui's own files left out), with their target."""
    found: dict[Path, str] = {}
    for pattern, target in SOURCES:
        for path in sorted(root.glob(pattern)):
            if _is_rules_file(path):
                found.setdefault(path, target)
    return list(found.items())


def expand(paths_given: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Files named, and the rules files inside folders named; (files, problems)."""
    files: list[Path] = []
    problems: list[str] = []
    for given in paths_given:
        path = given.expanduser()
        if path.is_dir():
            inside = [p for p, _ in project_rules_files(path)]
            if not inside:  # a rules folder itself (.clinerules/, .cursor/rules/)
                inside = [p for p in sorted(path.rglob("*")) if _is_rules_file(p)]
            if not inside:
                problems.append(f"{path}: no rules files in this folder")
            files.extend(inside)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return list(dict.fromkeys(files)), problems


def read_instructions(path: Path, env: Mapping[str, str]) -> list[_Found]:
    """The instructions of one rules file, with the scope they get."""
    data = write.read_bytes(path)
    if data is None:
        raise write.WriteError(f"{path}: no such file")
    text = blocks.decode(data, name=str(path)).text
    if is_user_level(path, env):
        scope, project = Scope.GLOBAL, None
    else:
        scope, project = Scope.PROJECT, str(paths.project_root(project_of_rules_file(path)))
    return [
        _Found(path, i.line, i.text, i.kind, scope, project)
        for i in lines.instructions(text, name=str(path))
    ]


def _same(session: Session, text: str, project: str | None) -> Memory | None:
    """The memory that holds this statement where it applies (read only: creates nothing)."""
    in_scope = Memory.scope == Scope.GLOBAL
    if project is not None:
        project_id = session.scalar(select(Project.id).where(Project.root == project))
        if project_id is not None:
            in_scope = in_scope | (Memory.project_id == project_id)
    matches = session.scalars(
        select(Memory)
        .join(Revision, Revision.memory_id == Memory.id)
        .where(Revision.key == statement_key(text), in_scope)
        .where(Memory.status.in_(list(MATCH_PREFERENCE)))
        .distinct()
    ).all()
    return min(matches, key=rank, default=None)


def _classify(session: Session, found: _Found) -> tuple[ImportOutcome, int | None, str | None]:
    """What importing one instruction does, judged before any change."""
    from memtui.services.relate import related  # rapidfuzz: only when importing

    same = _same(session, found.text, found.project)
    if same is not None:
        here = session.scalar(
            select(Evidence.id).where(
                Evidence.memory_id == same.id,
                Evidence.tool == TOOL,
                Evidence.path == str(found.path),
                Evidence.quote == found.text,
            )
        )
        if here is not None:
            return ImportOutcome.KNOWN, same.id, None
        if same.status == Status.REJECTED:
            return ImportOutcome.CONFLICT, same.id, f"you rejected #{same.id} before"
        return ImportOutcome.MERGE, same.id, None
    project_id = None
    if found.project is not None:
        project_id = session.scalar(select(Project.id).where(Project.root == found.project))
    _, may_replace = related(session, 0, found.text, found.scope, project_id)
    if may_replace:
        ids = ", ".join(f"#{r.id}" for r in may_replace)
        return ImportOutcome.CONFLICT, None, f"may replace {ids}: sent to the inbox"
    return ImportOutcome.CREATE, None, None


def import_files(
    db: Database,
    given: Sequence[str | os.PathLike[str]],
    *,
    dry_run: bool = False,
    env: Mapping[str, str] | None = None,
    actor: str = USER,
) -> ImportReport:
    """Import the instructions of rules files (or of the rules files inside folders)."""
    env = os.environ if env is None else env
    files, problems = expand(Path(p) for p in given)
    results: list[ImportLine] = []
    planned: dict[tuple[str, str | None], int | None] = {}
    for path in files:
        try:
            found = read_instructions(path, env)
        except MemtuiError as exc:
            problems.append(str(exc))
            continue
        for item in found:
            with db.read() as session:
                outcome, memory_id, reason = _classify(session, item)
            key = (statement_key(item.text), item.project)
            if dry_run:
                if outcome == ImportOutcome.CREATE and key in planned:
                    outcome, memory_id = ImportOutcome.MERGE, planned[key]
                planned.setdefault(key, memory_id)
            else:
                memory_id = _apply(db, item, outcome, actor) or memory_id
            results.append(
                ImportLine(
                    str(path), item.line, item.text, item.kind, item.scope, item.project,
                    outcome, memory_id, reason,
                )
            )  # fmt: skip
    return ImportReport(tuple(results), tuple(problems), dry_run)


def _evidence(item: _Found, rule: str) -> NewEvidence:
    return NewEvidence(
        tool=TOOL, path=str(item.path), line=item.line, timestamp=utcnow(), quote=item.text,
        rule=rule, confidence=1.0,
    )  # fmt: skip


def _apply(db: Database, item: _Found, outcome: ImportOutcome, actor: str) -> int | None:
    """Make the change an instruction's outcome calls for; the memory it landed on."""
    if outcome == ImportOutcome.KNOWN:
        return None
    if outcome == ImportOutcome.CONFLICT:
        result = curate.add_candidate(
            db,
            NewCandidate(
                item.text, item.kind, _evidence(item, IMPORT_RULE), item.scope, item.project, 0.9
            ),
            actor=actor,
        )
        return result.memory_id
    memory, _ = curate.add_belief(
        db,
        item.text,
        item.kind,
        ScopeChange(item.scope, item.project),
        actor=actor,
        evidence=_evidence(item, IMPORT_RULE),
        command="import",
    )
    return memory.id


def import_edits(
    db: Database, path: str | os.PathLike[str], edited: Sequence[str], *, actor: str = USER
) -> list[int]:
    """Propose the lines someone wrote inside memtui's block as candidates; their ids.

    `edited` are the lines a plan found (ExportFile.edited_lines); each becomes a pending
    candidate of the file's project (or a global one for a user-level file).
    """
    file = Path(path)
    wanted = {statement_key(t) for t in edited}
    data = write.read_bytes(file)
    if data is None:
        raise write.WriteError(f"{file}: no such file")
    text = blocks.decode(data, name=str(file)).text
    region = blocks.find_region(text, name=str(file))
    if region is None:
        return []
    found = lines.instructions(region.body, name=str(file), first_line=region.begin_line + 1)
    user = is_user_level(file, os.environ)
    project = None if user else str(paths.project_root(project_of_rules_file(file)))
    scope = Scope.GLOBAL if user else Scope.PROJECT
    ids = []
    for instruction in found:
        if statement_key(instruction.text) not in wanted:
            continue
        item = _Found(file, instruction.line, instruction.text, instruction.kind, scope, project)
        candidate = NewCandidate(
            item.text, item.kind, _evidence(item, EDITED_RULE), scope, project, 0.9
        )
        ids.append(curate.add_candidate(db, candidate, actor=actor).memory_id)
    return list(dict.fromkeys(ids))


def importable_files(
    db: Database, settings: Settings, env: Mapping[str, str] | None = None
) -> list[RulesFile]:
    """The rules files of the known projects, and the user-level ones (the first-start offer)."""
    env = os.environ if env is None else env
    found: list[RulesFile] = []
    for root in known_projects(db, settings):
        for path, target in project_rules_files(root):
            found.extend(_counted(path, str(root), target, env))
    home = Path.home()
    user_files = [(home / relative, target) for relative, target in USER_SOURCES]
    for path, target in user_files:
        if _is_rules_file(path):
            found.extend(_counted(path, None, target, env))
    return found


def _counted(
    path: Path, project: str | None, target: str, env: Mapping[str, str]
) -> list[RulesFile]:
    try:
        count = len(read_instructions(path, env))
    except MemtuiError:
        return []
    return [RulesFile(str(path), project, target, count)] if count else []
