"""`memtui doctor`: where memtui reads and writes, and whether all of it is usable."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass, field

from memtui import __version__
from memtui.core import paths
from memtui.core.errors import MemtuiError
from memtui.core.models import Status
from memtui.core.records import ExportFile, FileAction, JSONDict
from memtui.core.settings import Settings
from memtui.services.llm_extract import llm_config
from memtui.sources.registry import Root, transcripts
from memtui.store import queries
from memtui.store.database import Database, describe, parse_url, sqlite_file
from memtui.store.migrate import current_revision
from memtui.store.schema import HEAD_REVISION


@dataclass(frozen=True, slots=True)
class ProjectTargets:
    """A known project's enabled export targets and the state of their files."""

    project: str
    targets: tuple[str, ...]
    origin: str
    """`config` (set in the configuration file) or `default` (the tools the project uses)."""
    files: tuple[tuple[str, str, str], ...]
    """(targets, path, state): `in sync`, `would be created`, `would change`,
    `nothing to write`, or `blocked: why`."""

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui doctor --json`."""
        return {
            "project": self.project,
            "targets": list(self.targets),
            "origin": self.origin,
            "files": [
                {"targets": t.split(","), "path": path, "state": state}
                for t, path, state in self.files
            ],
        }


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """What doctor found."""

    version: str
    python: str
    config_path: str
    config_exists: bool
    data_dir: str
    database: str
    database_origin: str
    database_file: str | None
    revision: str | None
    head: str
    counts: dict[Status, int] | None
    extractor: str = "rules"
    """Which extractor proposes candidates: the rules, or a configured model."""
    roots: tuple[tuple[str, str, bool, int], ...] = field(default=())
    """Where transcripts are looked for: (tool, path, exists, transcripts found)."""
    problems: tuple[str, ...] = field(default=())
    exports: tuple[ProjectTargets, ...] = field(default=())
    """Per known project, its export targets and their files."""

    @property
    def healthy(self) -> bool:
        """Whether nothing stops memtui from working."""
        return not self.problems

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui doctor --json`."""
        return {
            "version": self.version,
            "python": self.python,
            "config": {"path": self.config_path, "exists": self.config_exists},
            "data_dir": self.data_dir,
            "database": {
                "url": self.database,
                "origin": self.database_origin,
                "file": self.database_file,
                "revision": self.revision,
                "head": self.head,
                "counts": None
                if self.counts is None
                else {status.value: n for status, n in self.counts.items()},
            },
            "extractor": self.extractor,
            "transcript_roots": [
                {"tool": tool, "path": path, "exists": exists, "transcripts": found}
                for tool, path, exists, found in self.roots
            ],
            "exports": [p.to_json() for p in self.exports],
            "problems": list(self.problems),
            "healthy": self.healthy,
        }


def report(settings: Settings, roots: Sequence[Root] = ()) -> DoctorReport:
    """Inspect the configuration, the database and the transcript roots; change nothing."""
    problems = list(settings.warnings)
    file = sqlite_file(parse_url(settings.database_url))
    revision: str | None = None
    counts: dict[Status, int] | None = None
    if file is None or file.exists():
        revision, counts, problem = _inspect(settings.database_url)
        if problem:
            problems.append(problem)
    return DoctorReport(
        version=__version__,
        python=platform.python_version(),
        config_path=str(settings.config_path),
        config_exists=settings.config_exists,
        data_dir=str(paths.data_dir()),
        database=describe(settings.database_url),
        database_origin=settings.database_origin,
        database_file=str(file) if file is not None else None,
        revision=revision,
        head=HEAD_REVISION,
        counts=counts,
        extractor=_extractor(settings, problems),
        roots=tuple(
            (
                root.source.tool if root.source is not None else "any",
                str(root.path),
                root.path.exists(),
                sum(1 for _ in transcripts(root)),
            )
            for root in roots
        ),
        problems=tuple(problems),
        exports=_exports(settings, problems) if counts is not None else (),
    )


def _state(file: ExportFile) -> str:
    if file.action == FileAction.BLOCKED:
        return f"blocked: {file.reason}"
    if file.action == FileAction.CREATE:
        return "would be created"
    if file.action == FileAction.UPDATE:
        return "would change"
    return "in sync" if file.new_content is not None else "nothing to write"


def _exports(settings: Settings, problems: list[str]) -> tuple[ProjectTargets, ...]:
    """Each known project's enabled targets and the state of their files (nothing written)."""
    from memtui.services.export import enabled_targets, known_projects, plan_export

    database = Database(settings.database_url)
    found = []
    try:
        for root in known_projects(database, settings):
            targets, origin = enabled_targets(database, settings, root)
            plan = plan_export(database, settings, root, targets, user_level=False)
            files = tuple((",".join(f.targets), f.path, _state(f)) for f in plan.files)
            found.append(ProjectTargets(str(root), targets, origin, files))
    except MemtuiError as exc:
        problems.append(str(exc))
    finally:
        database.close()
    return tuple(found)


def _extractor(settings: Settings, problems: list[str]) -> str:
    """How candidates are proposed, as the configuration says."""
    try:
        config = llm_config(settings.extract, str(settings.config_path))
    except MemtuiError as exc:
        problems.append(str(exc))
        return "rules (the model settings are not usable)"
    if config is None:
        return "rules"
    if config.command is not None:
        return f"model via command `{config.command}` (rules when it fails)"
    return f"model {config.model} at {config.url} (rules when it fails)"


def _inspect(url: str) -> tuple[str | None, dict[Status, int] | None, str | None]:
    """Revision, counts and a problem, if any, of an existing database."""
    database = Database(url)
    try:
        revision = current_revision(database.engine)
        if revision != HEAD_REVISION:
            state = "not migrated yet" if revision is None else f"at revision {revision}"
            return (
                revision,
                None,
                f"database {state}; `memtui db upgrade` brings it to {HEAD_REVISION}",
            )
        with database.read() as session:
            return revision, queries.count_by_status(session), None
    except MemtuiError as exc:
        return None, None, str(exc)
    finally:
        database.close()
