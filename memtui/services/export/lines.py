"""The instructions in a rules file: bullets and sentences, not headings, frontmatter, code,
comments or memtui's own region. Pure text work, shared by import and by export (which does not
repeat in its block what the person already wrote in a file the tool loads)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from memtui.core.models import Kind
from memtui.services.export import blocks
from memtui.services.export.render import label_kind

_BULLET = re.compile(r"^\s{0,8}(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"'(])")
_IMPORT = re.compile(r"^@\S+$")
_LABEL = re.compile(r"^[^.!?]{1,60}:$")
HEADING_KINDS = (
    (re.compile(r"correction", re.I), Kind.CORRECTION),
    (re.compile(r"preference|style|tone", re.I), Kind.PREFERENCE),
    (re.compile(r"procedure|workflow|steps|how to|process|checklist", re.I), Kind.PROCEDURE),
    (re.compile(r"decision|decided|adr\b", re.I), Kind.DECISION),
    (
        re.compile(r"fact|context|overview|architecture|about|structure|layout|glossary", re.I),
        Kind.FACT,
    ),
)
"""Headings (and labels) whose words say what kind of statements follow; rules otherwise."""


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction of a rules file."""

    line: int
    """1-based line on which it starts."""
    text: str
    kind: Kind


def heading_kind(heading: str) -> Kind:
    """The kind of statements under a heading or label."""
    labelled = label_kind(heading)
    if labelled is not None:
        return labelled
    for pattern, kind in HEADING_KINDS:
        if pattern.search(heading):
            return kind
    return Kind.RULE


def _clean(text: str) -> str:
    text = _COMMENT.sub("", text)
    return " ".join(text.split()).strip()


def instructions(text: str, *, name: str = "file", first_line: int = 1) -> list[Instruction]:
    """Every instruction in `text`, skipping memtui's region (MarkerError when it is broken)."""
    region = blocks.find_region(text, name=name)
    if region is not None:
        before = text[: region.start]
        skipped = before.count("\n") + blocks.find_region_lines(text[region.start : region.end])
        return [
            *instructions(before, name=name, first_line=first_line),
            *instructions(text[region.end :], name=name, first_line=first_line + skipped),
        ]
    start = blocks.frontmatter_end(text) if first_line == 1 else 0
    number = first_line + text[:start].count("\n")
    found: list[Instruction] = []
    kind = Kind.RULE
    fence: str | None = None
    in_comment = False
    current: list[str] = []
    current_line = 0
    bulleted = False

    def flush() -> None:
        nonlocal current, bulleted
        joined = _clean(" ".join(current))
        pieces = [joined] if bulleted else _SENTENCE_END.split(joined)
        for piece in pieces:
            piece = piece.strip()
            if len(piece) >= 3 and not _IMPORT.match(piece) and not _LABEL.match(piece):
                found.append(Instruction(current_line, piece, kind))
        current, bulleted = [], False

    for raw in text[start:].splitlines():
        line = raw.rstrip()
        if fence is not None:
            opener = _FENCE.match(line)
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            number += 1
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
                line = line.split("-->", 1)[1]
            else:
                number += 1
                continue
        stripped = _COMMENT.sub("", line).strip()
        if "<!--" in stripped:
            in_comment = True
            stripped = stripped.split("<!--", 1)[0].strip()
        opener = _FENCE.match(line)
        if opener:
            flush()
            fence = opener.group(1)
        elif _SETEXT.match(stripped) and current and not bulleted:
            kind = heading_kind(" ".join(current))
            current = []
        elif (
            not stripped
            or _RULE.match(stripped)
            or _IMPORT.match(stripped)
            or stripped.startswith(("|", ">"))
        ):
            flush()
        elif _HEADING.match(stripped):
            flush()
            kind = heading_kind(stripped.lstrip("#"))
        elif _BULLET.match(line):
            flush()
            current, current_line, bulleted = [_BULLET.sub("", line)], number, True
        elif _LABEL.match(stripped) and not current:
            kind = heading_kind(stripped)
        elif current and (not bulleted or line[:1].isspace()):
            current.append(stripped)
        elif current:  # a line after a bullet, not indented under it: a new paragraph
            flush()
            current, current_line = [stripped], number
        else:
            current, current_line = [stripped], number
        number += 1
    flush()
    return found
