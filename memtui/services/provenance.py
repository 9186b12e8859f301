"""Where a statement was made: the source message and its neighbours, read back from the
transcript by the evidence's locator.

The transcript is read again, in full, with every author (the provenance pane shows the agent's
replies and the tool output around the person's words). Secrets in that context are redacted
for display exactly as they were before anything was stored: a screen or a screenshot shows no
more than the database holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from memtui.core.errors import MemtuiError
from memtui.core.models import MANUAL_TOOL
from memtui.core.records import EvidenceRecord
from memtui.core.transcripts import Author, Message, ReadState
from memtui.extract.redact import redact
from memtui.sources.registry import source_named

AROUND = 1
"""Messages shown before and after the source message."""
MAX_CONTEXT_CHARS = 300
"""A neighbour longer than this (a pasted log, a tool's output) is cut, with a note, so the
source message stays in view."""


@dataclass(frozen=True, slots=True)
class ContextMessage:
    """One message of the provenance pane."""

    author: Author
    text: str
    line: int | None
    index: int | None
    timestamp: datetime | None
    is_source: bool
    """The message the statement was taken from."""
    cut: int = 0
    """Characters left out of a long neighbour."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """The source message of one sighting with its neighbours, or why they cannot be shown."""

    evidence: EvidenceRecord
    messages: tuple[ContextMessage, ...] = ()
    note: str | None = None
    """Set when the context cannot be shown: the file is gone, unreadable, or changed."""

    @property
    def source(self) -> ContextMessage | None:
        """The message the statement came from, when it was found."""
        return next((m for m in self.messages if m.is_source), None)


class _Cache:
    """The last few transcripts read, by path and the file's size and mtime: moving through a
    session's candidates reads its file once."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str, int, int], list[Message]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, int, int]) -> list[Message] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, int, int], messages: list[Message]) -> None:
        with self._lock:
            self._items[key] = messages
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_CACHE = _Cache()


def provenance(evidence: EvidenceRecord, *, around: int = AROUND) -> Provenance:
    """The source message of `evidence` with `around` messages either side."""
    if evidence.tool == MANUAL_TOOL or not evidence.path:
        return Provenance(evidence, note="Stated directly to memtui: there is no transcript.")
    path = Path(evidence.path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Provenance(
            evidence, note=f"The transcript is gone: {path} no longer exists. The quote is kept."
        )
    except OSError as exc:
        return Provenance(evidence, note=f"Cannot read {path}: {exc.strerror}.")
    key = (str(path), evidence.tool, stat.st_size, stat.st_mtime_ns)
    messages = _CACHE.get(key)
    if messages is None:
        try:
            messages = source_named(evidence.tool).read(path, ReadState()).messages
        except (OSError, MemtuiError) as exc:
            return Provenance(evidence, note=f"Cannot read {path}: {exc}.")
        _CACHE.put(key, messages)
    position = _locate(messages, evidence)
    if position is None:
        return Provenance(
            evidence,
            note="The message is no longer at this place in the transcript (the file was "
            "rewritten since). The quote is kept.",
        )
    start, end = max(0, position - around), min(len(messages), position + around + 1)
    return Provenance(
        evidence,
        tuple(_shown(m, i == position) for i, m in enumerate(messages[start:end], start)),
    )


def _locate(messages: list[Message], evidence: EvidenceRecord) -> int | None:
    """The position of the evidence's message: by its locator, else by its message id."""
    for position, message in enumerate(messages):
        if evidence.line is not None:
            if message.line == evidence.line:
                return position
        elif (
            evidence.index is not None
            and message.index == evidence.index
            and evidence.session_id in (None, message.session_id)
        ):
            return position
    if evidence.message_id is not None:
        for position, message in enumerate(messages):
            if message.message_id == evidence.message_id:
                return position
    return None


def _shown(message: Message, is_source: bool) -> ContextMessage:
    """A message as the pane shows it: redacted, a long neighbour cut short."""
    text = redact(message.text).text
    cut = 0
    if not is_source and len(text) > MAX_CONTEXT_CHARS:
        cut = len(text) - MAX_CONTEXT_CHARS
        text = text[:MAX_CONTEXT_CHARS]
    return ContextMessage(
        message.author, text, message.line, message.index, message.timestamp, is_source, cut
    )
