"""memtui's own region of a rules file: decoding, finding the markers, hashing, splicing.

Pure text work, no files and no database. The region is the begin marker line, the body and the
end marker line (rules-files.md §1.2). Everything outside it is kept byte for byte: the file is
decoded losslessly (its encoding and BOM are remembered), line endings are never normalised
outside the region, and a new region is appended after whatever the file held.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass

from memtui.core.errors import MemtuiError

VERSION = 1
BEGIN = re.compile(r"^<!--\s*memtui:begin\b([^>]*)-->$")
END = re.compile(r"^<!--\s*memtui:end\b[^>]*-->$")
NOTICE = (
    "<!-- Managed by memtui. Text between these markers is replaced on the next export; "
    "edit it in memtui. -->"
)
_NOTICE_KEY = "<!-- managed by memtui."
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATTR = re.compile(r"(\w+)=(\S+)")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class MarkerError(MemtuiError):
    """memtui's markers in a file are duplicated, unterminated or out of order."""


class EncodingError(MemtuiError):
    """A rules file is not text memtui can rewrite without changing its other bytes."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and how to turn it back into the same bytes."""

    text: str
    encoding: str
    """`utf-8`, `utf-8-sig` (a UTF-8 BOM), `utf-16-le` or `utf-16-be` (each with its BOM)."""
    newline: str
    """The file's line ending (its first one), used for lines memtui adds."""

    def encode(self, text: str) -> bytes:
        """The bytes of `text` in this file's encoding, BOM included."""
        if self.encoding == "utf-16-le":
            return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        if self.encoding == "utf-16-be":
            return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
        return text.encode(self.encoding)


NEW_FILE = Decoded("", "utf-8", "\n")
"""How memtui writes a file it creates: UTF-8, LF, no BOM."""


def decode(data: bytes, *, name: str = "file") -> Decoded:
    """Decode a rules file so that `encode` gives back exactly `data`."""
    encoding, skip = "utf-8", 0
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding, skip = codec, len(bom)
            break
    try:
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        text = data[skip:].decode(codec)
    except UnicodeDecodeError:
        raise EncodingError(f"{name}: not UTF-8 or UTF-16 text; memtui leaves it alone") from None
    return Decoded(text, encoding, newline_of(text))


def newline_of(text: str) -> str:
    """The line ending a text uses (its first), LF when it has none."""
    at = text.find("\n")
    return "\r\n" if at > 0 and text[at - 1] == "\r" else "\n"


@dataclass(frozen=True, slots=True)
class Region:
    """Where memtui's region lies in a text, and what it holds."""

    start: int
    """Offset of the begin marker line's first character."""
    end: int
    """Offset just past the end marker line (its line ending included, when it has one)."""
    body: str
    """The lines between the markers, as in the file."""
    attributes: dict[str, str]
    """The begin marker's `key=value` attributes (v, scope, sha256)."""
    begin_line: int
    """1-based line number of the begin marker."""

    @property
    def recorded_hash(self) -> str | None:
        """The body hash the begin marker carries, if any."""
        return self.attributes.get("sha256")

    @property
    def drifted(self) -> bool:
        """Whether the body was edited since memtui wrote it (its hash no longer matches)."""
        recorded = self.recorded_hash
        if recorded is None:
            return bool(body_lines(self.body))
        return body_hash(self.body)[: len(recorded)] != recorded


def _lines(text: str) -> list[tuple[int, str, int]]:
    """(start offset, line without its ending, offset past its ending) for every line."""
    found = []
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        found.append((position, stripped, position + len(line)))
        position += len(line)
    return found


def _closes(marks: str, fence: str, line: str) -> bool:
    """Whether a fence line closes the open fence: same character, as long, nothing after."""
    same = marks[0] == fence[0] and len(marks) >= len(fence)
    return same and not line.strip()[len(marks) :].strip()


def find_region(text: str, *, name: str = "file") -> Region | None:
    """memtui's region in `text`, None when there is none; MarkerError when it is malformed.

    Marker-like lines inside fenced code blocks do not count.
    """
    begins: list[tuple[int, int, int, str]] = []
    ends: list[tuple[int, int, int]] = []
    fence: str | None = None
    for number, (start, line, after) in enumerate(_lines(text), start=1):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and _closes(opener.group(1), fence, line):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        trimmed = line.strip()
        begin = BEGIN.match(trimmed)
        if begin:
            begins.append((number, start, after, begin.group(1)))
        elif END.match(trimmed):
            ends.append((number, start, after))
    if not begins and not ends:
        return None
    if len(begins) > 1:
        lines = ", ".join(str(b[0]) for b in begins)
        raise MarkerError(f"{name}: memtui's begin marker appears more than once (lines {lines})")
    if len(ends) > 1:
        lines = ", ".join(str(e[0]) for e in ends)
        raise MarkerError(f"{name}: memtui's end marker appears more than once (lines {lines})")
    if not begins:
        raise MarkerError(f"{name}: memtui's end marker on line {ends[0][0]} has no begin marker")
    if not ends:
        raise MarkerError(f"{name}: memtui's begin marker on line {begins[0][0]} is never closed")
    (number, start, body_start, raw), (end_number, end_start, after) = begins[0], ends[0]
    if end_number < number:
        raise MarkerError(
            f"{name}: memtui's end marker (line {end_number}) comes before its begin marker "
            f"(line {number})"
        )
    attributes = dict(_ATTR.findall(raw))
    return Region(start, after, text[body_start:end_start], attributes, number)


def body_lines(body: str) -> list[str]:
    """The body's lines as hashed and compared: LF, trailing spaces and the notice dropped."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if not line.strip().lower().startswith(_NOTICE_KEY)]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def body_hash(body: str) -> str:
    """SHA-256 (hex) of a body, normalised so that line endings and a BOM do not count."""
    return hashlib.sha256("\n".join(body_lines(body)).encode("utf-8")).hexdigest()


def make_region(body: list[str], *, scope: str, newline: str) -> str:
    """The whole region for body lines: markers (with the body's hash), notice, body.

    It ends with a line ending.
    """
    digest = body_hash("\n".join(body))[:12]
    lines = [f"<!-- memtui:begin v={VERSION} scope={scope} sha256={digest} -->", NOTICE, *body]
    lines.append("<!-- memtui:end -->")
    return newline.join(lines) + newline


def splice(text: str, region: str, *, name: str = "file") -> str:
    """`text` with memtui's region replaced by `region`, or `region` appended after a blank line.

    Every character outside the old region is kept as it was; an appended region adds only a
    line ending (when the last line has none), one blank line, and the region.
    """
    found = find_region(text, name=name)
    if found is not None:
        return text[: found.start] + region + text[found.end :]
    if not text:
        return region
    newline = newline_of(text)
    ending = "" if text.endswith("\n") else newline
    separator = "" if text.endswith(("\n\n", "\r\n\r\n")) else newline
    return text + ending + separator + region


def remove(text: str, *, name: str = "file") -> str:
    """`text` without memtui's region (and the one blank line set before an appended one)."""
    found = find_region(text, name=name)
    if found is None:
        return text
    before = text[: found.start]
    for newline in ("\r\n", "\n"):
        if before.endswith(newline * 2) and not text[found.end :]:
            before = before[: -len(newline)]
            break
    return before + text[found.end :]


def frontmatter_end(text: str) -> int:
    """Offset just past a YAML frontmatter block at the top of `text`, 0 when there is none."""
    lines = _lines(text)
    if not lines or lines[0][1].strip() != "---":
        return 0
    for _, line, after in lines[1:]:
        if line.strip() == "---":
            return after
    return 0


def find_region_lines(region_text: str) -> int:
    """How many line endings a region's text holds (to number the lines after it)."""
    return region_text.count("\n")
