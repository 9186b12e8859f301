"""What memtui writes inside its region: the beliefs, grouped by kind, one bullet each.

Pure and deterministic: the same beliefs give the same bytes, whatever their order in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from memtui.core.models import Kind
from memtui.core.records import MemoryRecord

KIND_ORDER = (
    Kind.RULE,
    Kind.CORRECTION,
    Kind.PREFERENCE,
    Kind.PROCEDURE,
    Kind.DECISION,
    Kind.FACT,
)
LABELS = {
    Kind.RULE: "Rules:",
    Kind.CORRECTION: "Corrections:",
    Kind.PREFERENCE: "Preferences:",
    Kind.PROCEDURE: "Procedures:",
    Kind.DECISION: "Decisions:",
    Kind.FACT: "Facts:",
}
"""Group labels. Plain lines, not Markdown headings: a `## ` heading inside the block lets old
Gemini CLI versions append their own memories into it (rules-files.md §3.5)."""

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_MENTION = re.compile(r"(?<![\w`])@[\w./~-]+")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")


def one_line(text: str) -> str:
    """A statement on one line: runs of whitespace, newlines included, become one space."""
    return " ".join(text.split())


def _escape_plain(text: str) -> str:
    """Wrap `@mentions` and raw `<tags>` in backticks, so agents neither import nor parse them."""
    text = _TAG.sub(lambda m: f"`{m.group(0)}`", text)
    return _MENTION.sub(lambda m: f"`{m.group(0)}`", text)


def escape(text: str) -> str:
    """A statement as it may stand in a rules file: one line, no live imports or HTML.

    Claude Code and Gemini CLI read a whitespace-preceded `@path` as a file import except
    inside code spans (rules-files.md §1.3); existing code spans are kept as they are.
    """
    text = one_line(text)
    out: list[str] = []
    position = 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_escape_plain(text[position : span.start()]))
        out.append(span.group(0))
        position = span.end()
    out.append(_escape_plain(text[position:]))
    return "".join(out)


def _ordered(beliefs: Iterable[MemoryRecord]) -> list[MemoryRecord]:
    return sorted(beliefs, key=lambda m: (KIND_ORDER.index(m.kind), m.id))


def bullet(memory: MemoryRecord, *, provenance: bool) -> str:
    """One belief as a bullet, with a trailing provenance comment when asked for."""
    line = f"- {escape(memory.text)}"
    if provenance:
        tools = sorted({e.tool for e in memory.evidence}) or ["manual"]
        line += f" <!-- memtui #{memory.id} {memory.kind.value}, seen {memory.seen}x"
        line += f" via {', '.join(tools)} -->"
    return line


def render_body(beliefs: Sequence[MemoryRecord], *, provenance: bool = False) -> list[str]:
    """The body lines for these beliefs: one group per kind, a blank line between groups."""
    lines: list[str] = []
    current: Kind | None = None
    for memory in _ordered(beliefs):
        if memory.kind != current:
            if lines:
                lines.append("")
            lines.append(LABELS[memory.kind])
            current = memory.kind
        lines.append(bullet(memory, provenance=provenance))
    return lines


def label_kind(line: str) -> Kind | None:
    """The kind a group label line stands for (`Rules:`), or None."""
    stripped = line.strip().rstrip(":").lower()
    for kind, label in LABELS.items():
        if stripped == label.rstrip(":").lower():
            return kind
    return None
