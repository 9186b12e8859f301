"""Every source memtui knows, how to find their transcripts, and how to tell a file's tool."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from memtui.core.errors import InvalidInputError
from memtui.core.paths import real
from memtui.sources.aider import AiderSource
from memtui.sources.base import Source
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.cline import ClineSource
from memtui.sources.codex import CodexSource
from memtui.sources.cursor import CursorSource
from memtui.sources.gemini import GeminiSource
from memtui.sources.opencode import OpenCodeSource

SOURCES: tuple[Source, ...] = (
    ClaudeCodeSource(),
    CodexSource(),
    ClineSource(),
    GeminiSource(),
    AiderSource(),
    CursorSource(),
    OpenCodeSource(),
)
BY_TOOL: dict[str, Source] = {source.tool: source for source in SOURCES}
SNIFF_BYTES = 64 * 1024
PRUNED = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", "target"})
"""Folders never walked into when looking for transcripts below a folder the user named."""


@dataclass(frozen=True, slots=True)
class Root:
    """A place to look for transcripts: a folder or a file, for one tool or for any."""

    path: Path
    source: Source | None
    """None: detect each file's tool."""
    origin: str
    """`default` (where the tool keeps them), `config` or `command line`."""


def source_named(name: str) -> Source:
    """The source of a tool, by its command-line name."""
    try:
        return BY_TOOL[name.strip().lower()]
    except KeyError:
        valid = ", ".join(BY_TOOL)
        raise InvalidInputError(f"unknown tool {name!r}; use one of: {valid}") from None


def default_roots(env: Mapping[str, str], home: Path, system: str) -> list[Root]:
    """Where each tool keeps its transcripts on this machine (existing or not)."""
    return [
        Root(path, source, "default")
        for source in SOURCES
        for path in source.roots(env, home, system)
    ]


def detect(path: Path) -> Source | None:
    """The tool a file belongs to, from its name and first bytes; None if no source claims it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    named = [s for s in SOURCES if s.is_transcript(path)]
    if not named and b"\x00" in head:
        return None  # binary, and not named like any tool's transcript
    for source in named + [s for s in SOURCES if s not in named]:
        if source.sniff(path, head):
            return source
    return None


def named_source(path: Path) -> Source | None:
    """The source whose transcripts are named like this file, if any."""
    return next((s for s in SOURCES if s.is_transcript(path)), None)


def walk(folder: Path) -> Iterator[Path]:
    """Every file below a folder, in a stable order, without entering PRUNED folders."""
    for current, folders, files in os.walk(folder, onerror=None):
        folders[:] = sorted(f for f in folders if f not in PRUNED)
        for name in sorted(files):
            yield Path(current, name)


def transcripts(root: Root) -> Iterator[tuple[Path, Source]]:
    """The transcripts at a root, each with the source that reads it.

    Below a tool's own folders a transcript is known by its name and place. In a folder a
    person named (on the command line or in the config), files are also recognised by their
    content, so exported or renamed transcripts are found too.
    """
    if root.path.is_file():
        source = root.source or detect(root.path)
        if source is not None:
            yield root.path, source
        return
    if not root.path.is_dir():
        return
    by_content = root.origin != "default"
    for path in walk(root.path):
        if root.source is not None:
            if root.source.is_transcript(path) or (by_content and _sniffs(root.source, path)):
                yield path, root.source
            continue
        found = named_source(path) or (detect(path) if by_content else None)
        if found is not None:
            yield path, found


def _sniffs(source: Source, path: Path) -> bool:
    """Whether a file's first bytes look like this source's transcripts."""
    try:
        with path.open("rb") as handle:
            return source.sniff(path, handle.read(SNIFF_BYTES))
    except OSError:
        return False


def plan(roots: Sequence[Root]) -> list[tuple[Path, Source]]:
    """Every transcript below the roots, once each, in a stable order."""
    seen: dict[Path, Source] = {}
    folders: dict[Path, Path] = {}
    for root in roots:
        for path, source in transcripts(root):
            seen.setdefault(resolved(path, folders), source)
    return sorted(seen.items(), key=lambda item: str(item[0]))


def resolved(path: Path, folders: dict[Path, Path]) -> Path:
    """`path.resolve()`, each folder resolved once (kept in `folders`). A loop of links is
    left where the loop begins, as os.path.realpath does (Path.resolve raises on it before
    Python 3.13): reading the file then fails, and is reported, like any unreadable file.

    On POSIX a file that is not a symbolic link resolves to its resolved folder with its
    name, the rule os.path.realpath follows for the last part of a path; it costs one lstat,
    not one per part of the path (most of planning a scan of hundreds of files). A link, or
    any path elsewhere, is resolved as a whole.
    """
    if os.name != "posix" or path.name in ("", ".", ".."):
        return real(path)
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        link = False  # realpath, not strict, takes a missing part as it is
    if link:
        return real(path)
    folder = folders.get(path.parent)
    if folder is None:
        folder = folders[path.parent] = real(path.parent)
    return folder / path.name
