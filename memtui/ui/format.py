"""Small pure helpers that turn values into the short strings the screens show."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path, PurePath

from memtui.core.models import Kind, Scope
from memtui.core.rows import InboxRow

KIND_LABEL = {
    Kind.RULE: "rule",
    Kind.PREFERENCE: "preference",
    Kind.CORRECTION: "correction",
    Kind.FACT: "fact",
    Kind.DECISION: "decision",
    Kind.PROCEDURE: "procedure",
}
FLAG_SIGNS = (
    ("$", "a secret was removed from it"),
    ("!", "it tries to steer the agent (read it before confirming)"),
    ("≈", "it nearly repeats a confirmed belief"),
    ("↻", "it may turn a confirmed belief around"),
)
"""The signs of the list's flag column, and what each one means (the help screen shows them)."""


def ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in at most four characters: `now`, `12m`, `3h`, `2d`, `5w`, `4mo`, `2y`."""
    now = now or datetime.now(UTC)
    seconds = max(0.0, (now - moment).total_seconds())
    for size, unit in ((31_536_000, "y"), (2_592_000, "mo"), (604_800, "w"), (86_400, "d")):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    if seconds >= 3600:
        return f"{int(seconds // 3600)}h"
    if seconds >= 60:
        return f"{int(seconds // 60)}m"
    return "now"


def project_name(root: str | None) -> str:
    """The last part of a project's root path; `global` for none."""
    if not root:
        return "global"
    return PurePath(root).name or root


def where(row: InboxRow) -> str:
    """Where a memory applies: `global`, or its project's name."""
    return "global" if row.scope == Scope.GLOBAL else project_name(row.project)


def flag_signs(row: InboxRow, relation: str | None) -> str:
    """The signs of a list row's flag column."""
    signs = ""
    if row.redactions:
        signs += "$"
    if row.flags:
        signs += "!"
    if relation == "similar":
        signs += "≈"
    elif relation == "may-replace":
        signs += "↻"
    return signs


def tool_label(row: InboxRow) -> str:
    """The tool of the first sighting, with the count of other tools: `codex +1`."""
    return row.tool if len(row.tools) <= 1 else f"{row.tool} +{len(row.tools) - 1}"


def short_path(path: str) -> str:
    """A path with the home folder written `~`, as people read their own files."""
    home = str(Path.home())
    if home not in ("", "/") and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home) :]
    return path


def when(moment: datetime | None) -> str:
    """A timestamp as people read it, in local time."""
    if moment is None:
        return "unknown time"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
