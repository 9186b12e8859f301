"""Ingest: read transcripts from their cursors, extract candidates, store both at once.

Exactly once: a file's cursor is saved in the same transaction as the candidates its new
messages produced, so a run killed at any moment either stored a read whole or not at all.
A sighting already recorded at the same place is recognised by the curation core as well, so
a file read again from the start (it shrank, or its beginning changed) adds nothing twice.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from memtui.core.bulk import gc_paused
from memtui.core.paths import real
from memtui.core.records import AddOutcome, NewCandidate, NewEvidence
from memtui.core.settings import Settings
from memtui.core.transcripts import MINED, Message, ReadResult, ReadState, Skipped
from memtui.extract import Extractor, Proposal, RuleExtractor
from memtui.extract.redact import count_markers, redact
from memtui.services.propose import proposing
from memtui.sources.base import Source
from memtui.sources.registry import (
    SOURCES,
    Root,
    default_roots,
    detect,
    plan,
    source_named,
)
from memtui.store import cursors
from memtui.store.database import Database

MAX_ATTEMPTS = 3
"""How often a file is read again when another process advanced its cursor meanwhile."""


@dataclass(slots=True)
class FileResult:
    """What reading one transcript did."""

    path: str
    tool: str
    bytes_read: int = 0
    messages: int = 0
    human: int = 0
    created: int = 0
    merged: int = 0
    suppressed: int = 0
    already: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    restarted: bool = False
    error: str | None = None


@dataclass(slots=True)
class ScanSummary:
    """The totals of a scan, and every problem worth telling."""

    files: int = 0
    bytes_read: int = 0
    messages: int = 0
    human: int = 0
    created: int = 0
    merged: int = 0
    suppressed: int = 0
    already: int = 0
    restarted: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, result: FileResult) -> None:
        """Count one file's result in."""
        self.files += 1
        if result.error is not None:
            self.errors.append((result.path, result.error))
            return
        self.bytes_read += result.bytes_read
        self.messages += result.messages
        self.human += result.human
        self.created += result.created
        self.merged += result.merged
        self.suppressed += result.suppressed
        self.already += result.already
        self.restarted += result.restarted
        self.skipped.extend(result.skipped)


Progress = Callable[[int, int, FileResult, ScanSummary], None]
"""Called after each file: (files done, files planned, the file's result, totals so far)."""


def roots_for(
    settings: Settings,
    paths: Sequence[Path] = (),
    tool: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    system: str | None = None,
) -> list[Root]:
    """Where to look: the paths given (with the tool forced if named), else every default
    root of every tool (unless the settings keep memtui off them) plus the roots of the config
    file."""
    forced = source_named(tool) if tool else None
    if paths:
        return [Root(real(path), forced, "command line") for path in paths]
    env = os.environ if env is None else env
    found = (
        default_roots(env, home or Path.home(), system or platform.system())
        if settings.system_roots
        else []
    )
    if forced is not None:
        found = [root for root in found if root.source is forced]
    found += [
        Root(path, source_named(name) if name else forced, "config")
        for path, name in settings.extra_roots
    ]
    return found


def candidate(proposal: Proposal) -> NewCandidate:
    """The store's candidate for an extractor's proposal, with its evidence."""
    message = proposal.message
    timestamp = message.timestamp
    if timestamp is not None and timestamp.tzinfo is None:
        timestamp = timestamp.astimezone()
    return NewCandidate(
        text=proposal.text,
        kind=proposal.kind,
        scope=proposal.scope,
        project=message.project,
        confidence=proposal.confidence,
        evidence=NewEvidence(
            tool=message.tool,
            path=message.path,
            line=message.line,
            index=message.index,
            message_id=message.message_id,
            session_id=message.session_id,
            timestamp=timestamp,
            quote=proposal.quote,
            rule=proposal.rule,
            confidence=proposal.confidence,
            redactions=max(count_markers(proposal.text), count_markers(proposal.quote)),
        ),
    )


GROUP_FILES = 128
GROUP_BYTES = 16 * 2**20
"""A scan stores files in groups of at most this many files or bytes read, one transaction
each: a file's cursor still commits with its candidates, and a group costs one commit and a
dozen statements (cursors, prefetch, projects), ~3 ms: 8 MiB groups spent ~6 % of a scan on
that. A 16 MiB group is read in well under a second, so progress still moves often."""


@dataclass(slots=True)
class _Read:
    """One file read and mined, waiting to be stored."""

    path: Path
    tool: str
    before: ReadState
    read: ReadResult
    proposals: list[Proposal]


def ingest_file(
    db: Database, path: Path, source: Source, extractor: Extractor | None = None
) -> FileResult:
    """Read what is new in one transcript and store its candidates with its new cursor."""
    return _ingest(db, [(path, source)], extractor or RuleExtractor())[0]


def _read_files(
    files: Sequence[tuple[Path, Source]], states: Mapping[str, ReadState], extractor: Extractor
) -> list[_Read | FileResult]:
    """Read files from their cursors and mine them (here, or in a worker process)."""
    done: list[_Read | FileResult] = []
    for path, source in files:
        state = states.get(str(path), ReadState())
        try:
            read = source.read(path, state, human_only=True)
        except OSError as exc:
            done.append(FileResult(str(path), source.tool, error=exc.strerror or str(exc)))
            continue
        except UnicodeDecodeError:
            error = "not text in the encoding this tool writes"
            done.append(FileResult(str(path), source.tool, error=error))
            continue
        mined = [_redacted(m) if m.author in MINED else m for m in read.messages]
        done.append(_Read(path, source.tool, state, read, extractor.propose(mined)))
    return done


def _redacted(message: Message) -> Message:
    """The message with its secrets replaced (itself when it holds none, as most do)."""
    text = redact(message.text).text
    return message if text == message.text else replace(message, text=text)


def _store(db: Database, reads: Sequence[_Read]) -> tuple[dict[Path, FileResult], list[Path]]:
    """Store the candidates and cursors of files read, in one transaction. Files another
    memtui advanced since they were read are left out and returned, to be read again."""
    with proposing(db) as proposer:
        now = cursors.load_many(proposer.session, [str(r.path) for r in reads])
        fresh = [r for r in reads if now.get(str(r.path), ReadState()) == r.before]
        outcomes = proposer.add_many([candidate(p) for r in fresh for p in r.proposals])
        advances = [
            cursors.Advance(
                str(r.path), r.tool, r.read.state, len(r.read.skipped), len(r.read.messages)
            )
            for r in fresh
        ]
        cursors.save_many(proposer.session, advances)
    results: dict[Path, FileResult] = {}
    position = 0
    for r in fresh:
        mine = [o.outcome for o in outcomes[position : position + len(r.proposals)]]
        position += len(r.proposals)
        results[r.path] = _count(r, mine)
    return results, [r.path for r in reads if r.path not in results]


def _settle(
    db: Database,
    files: Sequence[tuple[Path, Source]],
    done: Sequence[_Read | FileResult],
    extractor: Extractor,
    attempts: int,
) -> list[FileResult]:
    """Store what was read; read again (in this process) the files another memtui advanced."""
    results = {Path(r.path): r for r in done if isinstance(r, FileResult)}
    stored, stale = _store(db, [r for r in done if isinstance(r, _Read)])
    results.update(stored)
    if stale:
        again = [(path, source) for path, source in files if path in stale]
        if attempts > 1:
            results.update(zip(stale, _ingest(db, again, extractor, attempts - 1), strict=True))
        else:
            error = "another memtui kept reading this file at the same time; try again"
            results.update((p, FileResult(str(p), s.tool, error=error)) for p, s in again)
    return [results[path] for path, _ in files]


def _ingest(
    db: Database,
    files: Sequence[tuple[Path, Source]],
    extractor: Extractor,
    attempts: int = MAX_ATTEMPTS,
) -> list[FileResult]:
    """Read and store a group of files in this process.

    The cyclic garbage collector is paused meanwhile: a group allocates enough (messages,
    proposals, rows, SQLAlchemy's statements) to set off several collections, some of them
    full ones through every object of the process, 1-8 % of a scan's time, for the few cycles
    a group leaves, collected once it is done. Reading the same files alone sets off none.
    """
    with gc_paused():
        with db.read() as session:
            states = cursors.load_many(session, [str(path) for path, _ in files])
        return _settle(db, files, _read_files(files, states, extractor), extractor, attempts)


def _count(read: _Read, outcomes: list[AddOutcome]) -> FileResult:
    """A file's result from its read and the outcomes of its candidates."""
    r = read.read
    return FileResult(
        path=str(read.path),
        tool=read.tool,
        bytes_read=r.state.offset - (0 if r.restarted else read.before.offset),
        messages=len(r.messages),
        human=sum(m.author in MINED for m in r.messages),
        created=outcomes.count(AddOutcome.CREATED),
        merged=outcomes.count(AddOutcome.MERGED),
        suppressed=outcomes.count(AddOutcome.SUPPRESSED),
        already=outcomes.count(AddOutcome.ALREADY_SEEN),
        skipped=r.skipped,
        restarted=r.restarted,
    )


def groups(targets: Sequence[tuple[Path, Source]]) -> Iterator[list[tuple[Path, Source]]]:
    """Consecutive files in groups of at most GROUP_FILES files and about GROUP_BYTES."""
    group: list[tuple[Path, Source]] = []
    size = 0
    for path, source in targets:
        with suppress(OSError):
            size += path.stat().st_size
        group.append((path, source))
        if len(group) >= GROUP_FILES or size >= GROUP_BYTES:
            yield group
            group, size = [], 0
    if group:
        yield group


def scan(
    db: Database,
    roots: Sequence[Root],
    *,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
) -> ScanSummary:
    """Ingest every transcript below the roots; a file that fails is reported, not fatal."""
    extractor = extractor or RuleExtractor()
    targets = plan(roots)
    summary = ScanSummary()
    planned = {path for path, _ in targets}
    for root in roots:
        if root.origin == "command line" and root.path.is_file() and root.path not in planned:
            summary.errors.append(
                (str(root.path), "not a transcript of a tool memtui knows (name one with --tool)")
            )
    done = 0
    for group in groups(targets):
        for result in _ingest(db, group, extractor):
            done += 1
            summary.add(result)
            if progress is not None:
                progress(done, len(targets), result, summary)
    return summary


def transcript_of(changed: Path, roots: Sequence[Root]) -> tuple[Path, Source] | None:
    """The transcript (and its source) that a changed file below one of the roots belongs to."""
    for root in roots:
        for source in [root.source] if root.source is not None else SOURCES:
            target = source.transcript_for(changed)
            if target is not None and (target == root.path or root.path in target.parents):
                return target, source
        inside = changed == root.path or root.path in changed.parents
        if inside and root.source is None and root.origin != "default":
            found = detect(changed)
            if found is not None:
                return changed, found
    return None
