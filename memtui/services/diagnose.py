"""`memtui doctor`: where memtui reads and writes, and whether all of it is usable."""

from __future__ import annotations

import platform
from collections.abc import Sequence
from dataclasses import dataclass, field

from memtui import __version__
from memtui.core import paths
from memtui.core.errors import MemtuiError
from memtui.core.models import Status
from memtui.core.records import JSONDict
from memtui.core.settings import Settings
from memtui.services.llm_extract import llm_config
from memtui.sources.registry import Root, transcripts
from memtui.store import queries
from memtui.store.database import Database, describe, parse_url, sqlite_file
from memtui.store.migrate import HEAD_REVISION, current_revision


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
    )


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
