"""The demo: a store filled from sample transcripts bundled with memtui, through the real code.

`build_demo(folder)` renders the templates of `memtui/demo/` (their syntax is described in
`memtui/demo/README.md`) into `folder`: transcripts of several tools under
`folder/transcripts/<tool>/`, and the projects they talk about under `folder/projects/<name>/`
(each with a `.git` folder, so it is a project; Aider keeps its log inside the project, as it
does on a real machine). Then it migrates a new store at `folder/memtui.db` and replays the last
few days as memtui would have lived them: each transcript is read by the normal scan at the time
its session ended, the earlier triage of `memtui/demo/triage.toml` is applied through the
curation services at the time it names, and a last scan of every root finds nothing left.

Everything is written at times derived from `now`, and nothing random goes in: the same `now`
and folder give the same store, row for row, so tests and screenshots are reproducible.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from memtui.core.errors import InvalidInputError
from memtui.core.models import Status, parse_kind, statement_key
from memtui.core.paths import PACKAGE_DIR
from memtui.core.settings import Settings
from memtui.services import curate
from memtui.services.ingest import FileResult, ScanSummary, roots_for, scan
from memtui.sources.registry import Root, plan
from memtui.store.database import Database
from memtui.store.migrate import upgrade
from memtui.store.models import frozen_time

TEMPLATES = PACKAGE_DIR / "demo"
"""The demo's data, shipped inside the package."""
RENDERED = ("transcripts", "projects")
"""The folders of TEMPLATES rendered into the demo folder (the rest documents them)."""
TOOLS = ("claude-code", "codex", "cline", "gemini", "aider")
"""The tools the demo has transcripts of."""
TRANSCRIPT_ROOTS: Mapping[str, str] = {
    "claude-code": "transcripts/claude-code/projects",
    "codex": "transcripts/codex/sessions",
    "cline": "transcripts/cline/saoudrizwan.claude-dev/tasks",
    "gemini": "transcripts/gemini/tmp",
    "aider": "projects",
}
"""Where each tool's transcripts are in the demo folder (as `~/.claude/projects`, ... are)."""
DATABASE = "memtui.db"
STEP = timedelta(minutes=1)
"""Time between two decisions of the replayed triage."""

_PLACEHOLDER = re.compile(r"\{\{([a-z]+) ([^{}]*)\}\}")
_OFFSET = re.compile(r"-(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_UNSAFE = re.compile(r'["\\\x00-\x1f]')


@dataclass(frozen=True, slots=True)
class DemoEnv:
    """A built demo: where its store and transcripts are, and settings that keep to them."""

    folder: Path
    db_url: str
    """SQLAlchemy URL of the demo's store (`folder/memtui.db`)."""
    settings: Settings
    """Settings for the app and the services: the demo's store, the demo's transcript roots
    and no others (`system_roots` off), no configuration file, the rule extractor."""
    roots: tuple[Root, ...]
    """Where the demo's transcripts are, one root per tool (what a watcher follows)."""
    projects: Mapping[str, Path]
    """The demo's projects by name: folders inside `folder`, each a git project."""
    files: tuple[FileResult, ...]
    """What reading each transcript did, in the order they were read."""


# --- templates -------------------------------------------------------------------------------


def offset(text: str) -> timedelta:
    """`-2d3h15m` (days, hours, minutes, seconds, each optional) as a time before now."""
    found = _OFFSET.fullmatch(text)
    if found is None or not any(found.groups()):
        raise ValueError(f"not a demo time offset: {text!r} (write it like -2d3h15m20s)")
    days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return -timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _clock(moment: datetime) -> str:
    """Cline's `# Current Time` line: `6/15/2025, 3:06:40 PM (UTC, UTC+0:00)`."""
    hour = moment.hour % 12 or 12
    noon = "PM" if moment.hour >= 12 else "AM"
    return (
        f"{moment.month}/{moment.day}/{moment.year}, {hour}:{moment:%M:%S} {noon} (UTC, UTC+0:00)"
    )


TIME_FORMATS: Mapping[str, Callable[[datetime], str]] = {
    "iso": lambda m: f"{m:%Y-%m-%dT%H:%M:%S}.{m.microsecond // 1000:03d}Z",
    "ms": lambda m: str(int(m.timestamp() * 1000)),
    "local": lambda m: f"{m.astimezone():%Y-%m-%d %H:%M:%S}",
    "file": lambda m: f"{m:%Y-%m-%dT%H-%M-%S}",
    "minute": lambda m: f"{m:%Y-%m-%dT%H-%M}",
    "day": lambda m: f"{m:%Y/%m/%d}",
    "clock": _clock,
}
"""How `{{at OFFSET FORMAT}}` writes a time (in UTC, but `local`)."""


class Renderer:
    """Fills in the placeholders of the demo's templates for one folder and one moment."""

    def __init__(self, folder: Path, now: datetime) -> None:
        self.folder = folder
        self.now = now.astimezone(UTC)

    def project(self, name: str) -> str:
        """The path of a demo project, as the tools record a working directory."""
        return (self.folder / "projects" / name).as_posix()

    def moment(self, text: str) -> datetime:
        """The time an offset stands for."""
        return self.now + offset(text)

    def value(self, match: re.Match[str]) -> str:
        """What one placeholder stands for."""
        kind, argument = match.group(1), match.group(2).strip()
        if kind == "at":
            when, _, style = argument.partition(" ")
            if style not in TIME_FORMATS:
                raise ValueError(f"unknown time format in {match.group(0)}")
            return TIME_FORMATS[style](self.moment(when))
        if kind == "project":
            return self.project(argument)
        if kind == "slug":  # Claude Code's folder for a project: each non-alphanumeric is `-`
            return re.sub(r"[^A-Za-z0-9]", "-", self.project(argument))
        if kind == "hash":  # Gemini CLI's projectHash
            return hashlib.sha256(self.project(argument).encode()).hexdigest()
        raise ValueError(f"unknown placeholder {match.group(0)}")

    def render(self, text: str) -> str:
        """A template's text with its placeholders filled in."""
        return _PLACEHOLDER.sub(self.value, text)

    def last_moment(self, text: str) -> datetime:
        """The latest time a template names: when its tool last wrote the file (else now)."""
        times = [
            self.moment(m.group(2).split(" ", 1)[0])
            for m in _PLACEHOLDER.finditer(text)
            if m.group(1) == "at"
        ]
        return max(times, default=self.now)


def templates() -> Iterator[Path]:
    """Every template file, in a stable order."""
    for name in RENDERED:
        yield from sorted(p for p in (TEMPLATES / name).rglob("*") if p.is_file())


def render_templates(folder: Path, now: datetime) -> dict[Path, datetime]:
    """Write the rendered templates into `folder`; return each file with the time it was last
    written (also set as its modification time)."""
    renderer = Renderer(folder, now)
    written: dict[Path, datetime] = {}
    for template in templates():
        relative = template.relative_to(TEMPLATES).as_posix()
        target = folder / renderer.render(relative)
        text = template.read_text(encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(renderer.render(text))
        moment = renderer.last_moment(text)
        stamp = int(moment.timestamp()) * 10**9 + moment.microsecond * 1000
        os.utime(target, ns=(stamp, stamp))
        written[target] = moment
    return written


# --- the earlier triage ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TriageStep:
    """One decision of the scripted triage, on the memory whose statement is `text`."""

    action: str
    text: str
    new_text: str | None = None
    """`edit`: the text it is changed to."""
    by: str | None = None
    """`supersede`: the statement of the candidate that replaces the belief."""
    kind: str | None = None


ACTIONS = frozenset({"confirm", "edit", "reject", "supersede"})


def load_triage(path: Path | None = None) -> tuple[timedelta, list[TriageStep]]:
    """The triage script: when it happened (an offset from now) and its steps, in order."""
    path = path or TEMPLATES / "triage.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    steps = []
    for entry in data.get("steps", []):
        step = TriageStep(
            action=entry["do"],
            text=entry["text"],
            new_text=entry.get("new_text"),
            by=entry.get("by"),
            kind=entry.get("kind"),
        )
        if step.action not in ACTIONS or (step.action == "edit") != (step.new_text is not None):
            raise ValueError(f"{path}: bad step {entry!r}")
        if (step.action == "supersede") != (step.by is not None):
            raise ValueError(f"{path}: bad step {entry!r}")
        steps.append(step)
    return offset(str(data["at"])), steps


def _memory_id(db: Database, text: str) -> int:
    """The live memory (candidate or belief) that holds the statement `text`."""
    key = statement_key(text)
    found = [
        m.id
        for m in curate.beliefs(db, statuses=(Status.PENDING, Status.CONFIRMED))
        if statement_key(m.text) == key
    ]
    if len(found) != 1:
        raise ValueError(f"demo triage: {len(found)} memories read {text!r}, expected one")
    return found[0]


def apply_step(db: Database, step: TriageStep) -> None:
    """Take one decision of the triage through the curation services."""
    memory_id = _memory_id(db, step.text)
    kind = parse_kind(step.kind) if step.kind else None
    if step.action == "confirm":
        curate.confirm(db, memory_id, kind=kind)
    elif step.action == "edit":
        curate.edit(db, memory_id, text=step.new_text, kind=kind)
    elif step.action == "reject":
        curate.reject(db, memory_id)
    else:
        assert step.by is not None
        curate.supersede(db, memory_id, new_id=_memory_id(db, step.by), kind=kind)


# --- the build -------------------------------------------------------------------------------


def demo_settings(folder: Path) -> Settings:
    """Settings that keep memtui to the demo's store and transcripts."""
    return Settings(
        database_url=f"sqlite:///{folder / DATABASE}",
        database_origin="demo",
        config_path=folder / "config.toml",
        config_exists=False,
        extra_roots=tuple((folder / path, tool) for tool, path in TRANSCRIPT_ROOTS.items()),
        system_roots=False,
    )


def _check_folder(folder: Path) -> Path:
    folder = folder.expanduser().resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInputError(f"{folder} is not an empty folder: the demo needs one of its own")
    if _UNSAFE.search(folder.as_posix()):
        raise InvalidInputError(
            f"{folder}: the demo's folder may not have quotes, backslashes or control characters "
            "in its path"
        )
    return folder


def build_demo(folder: Path, *, now: datetime | None = None) -> DemoEnv:
    """Build the demo in `folder` (missing or empty): transcripts, projects and a store filled
    by the normal scan and curation services. The same `now` gives the same store."""
    folder = _check_folder(folder)
    now = (now or datetime.now(UTC)).astimezone(UTC)
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # what the tools record
    folder.mkdir(parents=True, exist_ok=True)
    written = render_templates(folder, now)
    projects = {p.name: p for p in sorted((folder / "projects").iterdir()) if p.is_dir()}
    for project in projects.values():
        (project / ".git").mkdir()

    settings = demo_settings(folder)
    upgrade(settings.database_url)
    roots = tuple(roots_for(settings))
    at, steps = load_triage()
    triage_time = now + at
    db = Database(settings.database_url)
    files: list[FileResult] = []

    def keep(_done: int, _total: int, result: FileResult, _summary: ScanSummary) -> None:
        files.append(result)

    try:
        targets = sorted(plan(roots), key=lambda t: (written[t[0]], str(t[0])))
        late = [t for t in targets if written[t[0]] > triage_time]
        for path, source in [t for t in targets if t not in late]:
            _scan_at(db, written[path], [Root(path, source, "demo")], keep)
        for number, step in enumerate(steps):
            with frozen_time(triage_time + number * STEP):
                apply_step(db, step)
        for path, source in late:
            _scan_at(db, written[path], [Root(path, source, "demo")], keep)
        _scan_at(db, now, roots, None)  # what memtui does on start: here, nothing is left
    finally:
        db.close()
    return DemoEnv(folder, settings.database_url, settings, roots, projects, tuple(files))


def _scan_at(
    db: Database,
    moment: datetime,
    roots: Sequence[Root],
    progress: Callable[[int, int, FileResult, ScanSummary], Any] | None,
) -> None:
    with frozen_time(moment):
        scan(db, roots, progress=progress)
