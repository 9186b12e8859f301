"""`memtui sources`: where memtui looks for transcripts, what is there, and what it has read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from memtui.core.records import JSONDict
from memtui.sources.registry import Root, transcripts
from memtui.store import cursors
from memtui.store.database import Database


@dataclass(frozen=True, slots=True)
class RootReport:
    """One place memtui looks, for one tool (or any)."""

    tool: str
    path: str
    origin: str
    exists: bool
    files: int
    """Transcripts there now."""
    read: int
    """Of those, files memtui has read."""
    bytes_read: int
    messages: int
    skipped: int

    def to_json(self) -> JSONDict:
        """JSON form, for `memtui sources --json`."""
        return {
            "tool": self.tool,
            "path": self.path,
            "origin": self.origin,
            "exists": self.exists,
            "files": self.files,
            "read": self.read,
            "bytes_read": self.bytes_read,
            "messages": self.messages,
            "skipped": self.skipped,
        }


def report(db: Database, roots: Sequence[Root]) -> list[RootReport]:
    """Each root with the transcripts found there and what the cursors say was read."""
    with db.read() as session:
        known = {c.path: c for c in cursors.all_cursors(session)}
    entries = []
    for root in roots:
        found = [str(path) for path, _ in transcripts(root)]
        seen = [known[p] for p in found if p in known]
        entries.append(
            RootReport(
                tool=root.source.tool if root.source is not None else "any",
                path=str(root.path),
                origin=root.origin,
                exists=root.path.exists(),
                files=len(found),
                read=len(seen),
                bytes_read=sum(c.state.offset for c in seen),
                messages=sum(c.messages for c in seen),
                skipped=sum(c.skipped for c in seen),
            )
        )
    return entries
