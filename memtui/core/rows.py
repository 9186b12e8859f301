"""The records the app's first frame needs (a row of the inbox, a row of the beliefs), kept
apart from the others so that drawing a first screen does not pay for defining every record
class memtui has (records.py re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from memtui.core.models import Kind, Scope, Status


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One line of a review list: a memory with its evidence summed up, not listed.

    Cheap to build for 10,000s of memories (one aggregate query), so a screen can hold them all.
    """

    id: int
    kind: Kind
    text: str
    status: Status
    scope: Scope
    project: str | None
    confidence: float
    locked: bool
    flags: tuple[str, ...]
    created_at: datetime
    last_seen: datetime
    """When the statement was last made (the newest evidence's timestamp), else created."""
    seen: int
    tool: str
    """The tool of the first sighting."""
    tools: tuple[str, ...]
    """Every tool the statement was seen in, by name."""
    redactions: int


@dataclass(frozen=True, slots=True)
class IndexedMemory:
    """What the search index keeps of a memory: enough to filter it and draw its row."""

    id: int
    text: str
    kind: Kind
    status: Status
    scope: Scope
    project: str | None
    tools: tuple[str, ...]
    """The tools its evidence came from (`manual` for a belief typed in)."""
    locked: bool
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON form, for `memtui search --json`."""
        return {
            "id": self.id,
            "text": self.text,
            "kind": self.kind.value,
            "status": self.status.value,
            "scope": self.scope.value,
            "project": self.project,
            "tools": list(self.tools),
            "locked": self.locked,
            "updated_at": self.updated_at.isoformat(),
        }
