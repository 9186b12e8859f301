"""The one record the app's first frame needs, kept apart from the others so that drawing the
inbox does not pay for defining every record class memtui has (records.py re-exports it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
    tools: int
    """How many different tools the statement was seen in."""
    redactions: int
