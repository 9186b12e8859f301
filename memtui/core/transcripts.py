"""What the sources read out of agents' transcripts: messages, skipped records, read state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Author(StrEnum):
    """Who wrote a message: only the human's words are mined for memories."""

    HUMAN = "human"
    """Typed by the person."""
    PASTED = "pasted"
    """Put in by the person but not typed: a pasted log, file or long block."""
    INJECTED = "injected"
    """Written into a user turn by the harness: reminders, command wrappers, hook output,
    environment blocks, compaction summaries, prompts a main agent wrote for a sub-agent."""
    TOOL = "tool"
    """Output of a tool the agent ran."""
    AGENT = "agent"
    """The model's own text."""


MINED = frozenset({Author.HUMAN, Author.PASTED})
"""The authors whose words may become memories."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a transcript, with the place it was read from."""

    tool: str
    """The agent tool: `claude-code`, `codex`, `cline`, `gemini`, `aider`, `cursor`, `opencode`."""
    author: Author
    text: str
    path: str
    """The transcript file (for Cursor, the database file)."""
    line: int | None = None
    """1-based line on which the message starts, for line-oriented files."""
    index: int | None = None
    """0-based position in the file's JSON array, for files that hold one."""
    message_id: str | None = None
    session_id: str | None = None
    timestamp: datetime | None = None
    """Timezone-aware when the tool records a zone; local times are read as local."""
    project: str | None = None
    """Root of the project: the git top level of the session's directory, else that directory."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that could not be read: where it is and why. Never fatal."""

    path: str
    reason: str
    line: int | None = None
    index: int | None = None

    def where(self) -> str:
        """`file:line`, `file[index]` or the file alone."""
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.index is not None:
            return f"{self.path}[{self.index}]"
        return self.path


@dataclass(frozen=True, slots=True)
class ReadState:
    """How far a transcript was read: stored as the file's cursor, handed back on the next read."""

    offset: int = 0
    """Bytes consumed, up to the end of the last complete record (line-oriented files)."""
    size: int = 0
    mtime_ns: int = 0
    head_hash: str | None = None
    """Digest of the file's beginning (or of the records already read, for files rewritten
    whole): when it changes, the file is read again from the start."""
    position: int = 0
    """Lines consumed (line-oriented files) or records read (files rewritten whole)."""
    last_message_id: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    """What a parser carries from one read to the next (session id, working directory ...);
    JSON-serialisable."""


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The messages a read found after the previous state, and the state to store."""

    messages: list[Message]
    state: ReadState
    skipped: list[Skipped] = field(default_factory=list)
    restarted: bool = False
    """The file had shrunk or its beginning had changed: it was read from the start."""
