"""What every source shares: the Source interface and the readers for the two ways agents
write transcripts (appending lines, or rewriting a whole JSON file).

Sources only read. They never write, lock or rename an agent's file.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PureWindowsPath
from typing import Any, ClassVar

from memtui.core.paths import project_root
from memtui.core.transcripts import Message, ReadResult, ReadState, Skipped

HEAD_BYTES = 4096
"""How much of a line-oriented file's beginning identifies it."""
MAX_LINE_BYTES = 32 * 1024 * 1024
"""A longer line is skipped (and counted) instead of being held in memory."""
MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024
"""A file rewritten whole is parsed in memory; a larger one is reported, not read."""


class Source(ABC):
    """One agent tool's transcripts: where they live, how to recognise and read them."""

    tool: ClassVar[str]
    """The tool's name on the command line (`claude-code`, `codex`, ...)."""
    label: ClassVar[str]
    """The tool's name for people (`Claude Code`, `Codex CLI`, ...)."""
    min_interval: ClassVar[float] = 0.0
    """Seconds the watcher waits between two reads of one transcript: more than zero for
    sources whose every read is costly (a copy of a whole database)."""

    def transcript_for(self, changed: Path) -> Path | None:
        """The transcript a changed file belongs to: itself for most tools; a database for its
        `-wal` file. None if the change is not this tool's."""
        return changed if self.is_transcript(changed) else None

    @abstractmethod
    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        """Folders (or files) where this tool keeps transcripts on this OS, existing or not.

        `system` is `platform.system()`: `Linux`, `Darwin` or `Windows`. Honour the overrides
        the tool itself honours (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`, ...) through `env`.
        """

    @abstractmethod
    def is_transcript(self, path: Path) -> bool:
        """Whether a file under one of the roots is a transcript of this tool, by its name."""

    @abstractmethod
    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether a file is this tool's transcript, judged from its name and first bytes.

        Used when a file is scanned outside the known roots and `--tool` was not given.
        """

    @abstractmethod
    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        """The messages after `state`, and the state to store once they are safely recorded.

        With `human_only`, only messages whose author is in MINED need be returned, and records
        that cannot hold the person's words may be passed over without decoding them (ingest
        needs only those; the provenance pane wants everything). Malformed records are still
        reported.
        Malformed records are skipped and reported, never raised. OSError may propagate.
        """


# --- helpers ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def project_of(cwd: str | None) -> str | None:
    """The project a working directory belongs to: its git top level, else the directory.

    A path of another OS (a Windows `c:/Users/...` read on Linux, say) or a relative one
    cannot be looked up here: it is kept as written rather than resolved against ours.
    """
    if not cwd:
        return None
    foreign = PureWindowsPath(cwd).drive and os.name != "nt"
    if foreign or not os.path.isabs(cwd):
        return cwd
    return str(project_root(cwd))


def parse_time(value: object) -> datetime | None:
    """A timestamp from an ISO-8601 string (`Z` or offset) or epoch milliseconds, else None.

    A time without a zone is taken as local time, as the tools that write those mean it.
    """
    try:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and value:
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.astimezone()
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def head_digest(path: Path, length: int) -> str:
    """Digest of the first `length` bytes of a file."""
    with path.open("rb") as handle:
        return _digest(handle.read(length))


class LineReader:
    """The complete lines appended to a file since a ReadState, with their 1-based numbers.

    A last line without its newline is being written: it is left for the next read. A file
    smaller than what was read, or whose first bytes changed, is read again from the start
    (`restarted`). Lines longer than MAX_LINE_BYTES are skipped and reported.

        reader = LineReader(path, state)
        for number, line in reader:
            ...
        new_state = reader.state(context=..., last_message_id=...)
    """

    def __init__(self, path: Path, state: ReadState) -> None:
        self.path = path
        stat = path.stat()
        self.size = stat.st_size
        self.mtime_ns = stat.st_mtime_ns
        with path.open("rb") as handle:
            head = handle.read(min(HEAD_BYTES, state.offset))
        self.restarted = state.offset > self.size or (
            state.head_hash is not None and _digest(head) != state.head_hash
        )
        # The first bytes consumed, as read (not re-read later, when the file may have changed).
        self._head: bytes | None = b"" if self.restarted else head
        self.offset = 0 if self.restarted else state.offset
        self.position = 0 if self.restarted else state.position
        self.context: Mapping[str, Any] = {} if self.restarted else state.context
        self.skipped: list[Skipped] = []

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            while True:
                line = handle.readline(MAX_LINE_BYTES + 1)
                if not line:
                    return
                if not line.endswith(b"\n"):
                    if len(line) <= MAX_LINE_BYTES:
                        return  # a partial last line: wait for the rest
                    if not self._skip_long_line(handle):
                        return
                    continue
                self.position += 1
                self.offset += len(line)  # cheaper than handle.tell() on every line
                if self._head is not None and len(self._head) < HEAD_BYTES:
                    self._head += line[: HEAD_BYTES - len(self._head)]
                yield self.position, line

    def _skip_long_line(self, handle: Any) -> bool:
        """Skip the rest of an over-long line; False if it has no end yet."""
        while True:
            chunk = handle.readline(MAX_LINE_BYTES)
            if not chunk:
                return False
            if chunk.endswith(b"\n"):
                if self._head is not None and len(self._head) < HEAD_BYTES:
                    self._head = None  # not kept: the head is read from the file instead
                self.position += 1
                self.offset = handle.tell()
                reason = f"line longer than {MAX_LINE_BYTES // 2**20} MiB"
                self.skipped.append(Skipped(str(self.path), reason, line=self.position))
                return True

    def skip(self, line: int, reason: str) -> None:
        """Report a malformed record on `line`."""
        self.skipped.append(Skipped(str(self.path), reason, line=line))

    def state(
        self, *, context: Mapping[str, Any] | None = None, last_message_id: str | None = None
    ) -> ReadState:
        """The state after the lines consumed so far."""
        return ReadState(
            offset=self.offset,
            size=self.size,
            mtime_ns=self.mtime_ns,
            head_hash=_digest(self._head)
            if self._head is not None
            else head_digest(self.path, min(HEAD_BYTES, self.offset)),
            position=self.position,
            last_message_id=last_message_id,
            context=dict(self.context if context is None else context),
        )


def read_whole_file(path: Path) -> bytes:
    """The bytes of a file that its tool rewrites whole, or OSError if it is too large."""
    size = path.stat().st_size
    if size > MAX_WHOLE_FILE_BYTES:
        raise OSError(f"{size / 2**20:.0f} MiB is more than memtui reads whole (256 MiB)")
    return path.read_bytes()


def _messages_digest(messages: Sequence[Message]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for message in messages:
        hasher.update(f"{message.index}\x00{message.author}\x00{message.text}\x01".encode())
    return hasher.hexdigest()


def resume_whole(
    path: Path,
    state: ReadState,
    messages: list[Message],
    records: int,
    *,
    skipped: list[Skipped] | None = None,
    context: Mapping[str, Any] | None = None,
) -> ReadResult:
    """The new part of a file rewritten whole, compared with the last read by position.

    `messages` are all the messages of the file (each with its record `index`), `records` the
    number of records. Messages at positions read before are dropped, unless those earlier
    records changed (or the file has fewer records now): then everything is new again.
    The comparison is over the messages given, so a file must always be read with the same
    `human_only` (ingest always reads with it on).
    """
    stat = path.stat()
    messages = [m for m in messages if m.index is None or m.index < records]
    earlier = [m for m in messages if m.index is not None and m.index < state.position]
    restarted = records < state.position or (
        state.head_hash is not None and _messages_digest(earlier) != state.head_hash
    )
    fresh = messages if restarted else [m for m in messages if (m.index or 0) >= state.position]
    return ReadResult(
        messages=fresh,
        state=ReadState(
            offset=stat.st_size,
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            head_hash=_messages_digest(messages),
            position=records,
            last_message_id=messages[-1].message_id if messages else state.last_message_id,
            context=dict(context or {}),
        ),
        skipped=skipped or [],
        restarted=restarted and state.position > 0,
    )
