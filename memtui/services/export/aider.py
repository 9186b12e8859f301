"""Aider's `.aider.conf.yml`: memtui's entry in its `read:` list, as a line edit.

Aider loads no rules file by itself: AGENTS.md reaches it only when a config file lists it
under `read:` (rules-files.md §3.8). memtui adds its entry between `# memtui:begin` and
`# memtui:end` comment lines and touches nothing else, so the person's comments, order and
spacing survive (a YAML library would re-dump the file and drop its comments).

The forms of `read:` handled:
- absent (or no file): a `read:` block list is appended;
- a block list: memtui's item goes after the last item;
- a scalar, a flow list `[a, b]` or an empty value: that one line cannot be extended in place,
  so memtui's region replaces it with a block list that keeps every entry, and keeps the line
  itself in a `# memtui:was` comment, which puts it back byte for byte when the region goes.
Anything else (block scalars, anchors, multi-line values, a second `read:`) is refused with a
message naming the line. Pure text work: no files, no database.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

from memtui.core.errors import MemtuiError
from memtui.services.export import blocks

VERSION = 1
BEGIN = re.compile(r"^#\s*memtui:begin\b(.*)$")
END = re.compile(r"^#\s*memtui:end\b.*$")
WAS = "# memtui:was "
_KEY = re.compile(r"""^(?:read|"read"|'read')[ \t]*:(?=[ \t]|$)(.*)$""")
_TOP_KEY = re.compile(r"^[^\s#-]")
_ITEM = re.compile(r"^([ \t]*)-(?:[ \t]+(.*))?$")
_ATTR = re.compile(r"(\w+)=(\S+)")
_PLAIN = re.compile(r"[\w./\\][\w./\\~+-]*")


class AiderConfigError(MemtuiError):
    """A `.aider.conf.yml` whose `read:` memtui cannot extend safely."""


@dataclass(frozen=True, slots=True)
class Region:
    """memtui's lines in a config file."""

    start: int
    """Offset of the begin marker line."""
    end: int
    """Offset past the end marker line (and its line ending, when it has one)."""
    body: str
    attributes: dict[str, str]
    original: str | None
    """The line the region replaced (without its line ending), from `# memtui:was`."""

    @property
    def drifted(self) -> bool:
        """Whether the lines between the markers were edited since memtui wrote them."""
        recorded = self.attributes.get("sha256")
        if recorded is None:
            return True
        return blocks.body_hash(self.body)[: len(recorded)] != recorded


@dataclass(frozen=True, slots=True)
class _Read:
    """Where `read:` stands in a file and what it lists."""

    key_start: int
    key_end: int
    """Offsets of the `read:` line (end past its line ending)."""
    key_line: str
    items: tuple[str, ...]
    """The entries as written (quotes kept)."""
    block: bool
    """A block list: items on their own lines after the key."""
    insert_at: int
    """For a block list: offset just past the last item line."""
    indent: str
    """For a block list: the indentation of its items."""


def _lines(text: str) -> list[tuple[int, str, int]]:
    found = []
    position = 0
    for line in text.splitlines(keepends=True):
        found.append((position, line.rstrip("\r\n"), position + len(line)))
        position += len(line)
    return found


def find_region(text: str, *, name: str = "file") -> Region | None:
    """memtui's region in a config file, None when there is none; refuse broken markers."""
    begins: list[tuple[int, int, int, str]] = []
    ends: list[tuple[int, int, int]] = []
    for number, (start, line, after) in enumerate(_lines(text), start=1):
        trimmed = line.strip()
        begin = BEGIN.match(trimmed)
        if begin:
            begins.append((number, start, after, begin.group(1)))
        elif END.match(trimmed):
            ends.append((number, start, after))
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0][0] < begins[0][0]:
        where = ", ".join(str(n) for n in sorted([b[0] for b in begins] + [e[0] for e in ends]))
        raise blocks.MarkerError(
            f"{name}: memtui's `# memtui:begin` / `# memtui:end` lines are broken "
            f"(lines {where}); fix or remove them by hand"
        )
    (_, start, body_start, raw), (_, end_start, after) = begins[0], ends[0]
    body = text[body_start:end_start]
    original = None
    for _, line, _ in _lines(body):
        if line.startswith(WAS):
            original = line[len(WAS) :]
            break
    return Region(start, after, body, dict(_ATTR.findall(raw)), original)


def remove(text: str, *, name: str = "file") -> str:
    """The file as it was before memtui's region: the replaced line put back, or nothing."""
    region = find_region(text, name=name)
    if region is None:
        return text
    before, after = text[: region.start], text[region.end :]
    if region.original is not None:
        ending = text[region.start : region.end][-2:]
        newline = "\r\n" if ending == "\r\n" else "\n" if ending.endswith("\n") else ""
        return before + region.original + newline + after
    added = {"lf": "\n", "crlf": "\r\n"}.get(region.attributes.get("eol", ""))
    if added is not None and before.endswith(added):
        before = before[: -len(added)]
    return before + after


def _strip_comment(value: str) -> str:
    """A value without its trailing `# comment` (a `#` after whitespace, outside quotes)."""
    quote: str | None = None
    for index, char in enumerate(value):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'" and (index == 0 or value[index - 1] in " \t[,"):
            quote = char
        elif char == "#" and (index == 0 or value[index - 1] in " \t"):
            return value[:index].rstrip()
    return value.rstrip()


def _split_flow(inner: str, where: str) -> list[str]:
    """The entries of a one-line flow list's inside, quotes kept."""
    items: list[str] = []
    current = ""
    quote: str | None = None
    for char in inner:
        if quote is not None:
            current += char
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
            current += char
        elif char in "[]{}":
            raise AiderConfigError(f"{where}: nested lists in `read:` are not supported")
        elif char == ",":
            items.append(current.strip())
            current = ""
        else:
            current += char
    if quote is not None:
        raise AiderConfigError(f"{where}: an unclosed quote in `read:`")
    if current.strip():
        items.append(current.strip())
    if any(not item for item in items):
        raise AiderConfigError(f"{where}: an empty entry in `read:`")
    return items


def _simple(value: str, where: str) -> str:
    """A single-line scalar entry, or a refusal for what a line edit cannot keep intact."""
    if value[:1] in ("|", ">", "&", "*", "!", "{", "[", "?", "%", "@", "`"):
        raise AiderConfigError(
            f"{where}: `read:` uses YAML memtui does not edit ({value[:1]!r}); "
            "make it a plain list, or add the entry by hand"
        )
    return value


def _find_read(text: str, name: str) -> _Read | None:
    lines = _lines(text)
    found: _Read | None = None
    for index, (start, line, after) in enumerate(lines):
        stripped = line.lstrip()
        if index == 0 and stripped.startswith("{"):
            raise AiderConfigError(f"{name}: a flow mapping ({{...}}) memtui does not edit")
        match = _KEY.match(line)
        if match is None:
            continue
        where = f"{name}, line {index + 1}"
        if found is not None:
            raise AiderConfigError(f"{where}: `read:` appears twice; keep one")
        value = _strip_comment(match.group(1).strip())
        following = index + 1
        items: list[str] = []
        block = False
        insert_at = after
        indent = "  "
        if value.startswith("["):
            if not value.endswith("]"):
                raise AiderConfigError(f"{where}: a `read:` list over several lines")
            items = _split_flow(value[1:-1], where)
        elif value:
            items = [_simple(value, where)]
        else:
            item_indent: str | None = None
            while following < len(lines):
                _, next_line, next_after = lines[following]
                if not next_line.strip() or next_line.lstrip().startswith("#"):
                    following += 1
                    continue
                item = _ITEM.match(next_line)
                if item is None or (item_indent is not None and item.group(1) != item_indent):
                    break
                item_indent = item.group(1)
                entry = _strip_comment((item.group(2) or "").strip())
                if not entry:
                    raise AiderConfigError(f"{name}, line {following + 1}: an empty list item")
                items.append(_simple(entry, f"{name}, line {following + 1}"))
                insert_at = next_after
                following += 1
            block = item_indent is not None
            indent = item_indent if item_indent is not None else "  "
        # Whatever follows must be a new key, a comment or nothing: not a continuation.
        while following < len(lines):
            _, next_line, _ = lines[following]
            if next_line.strip() and not next_line.lstrip().startswith("#"):
                if not _TOP_KEY.match(next_line) and not next_line.startswith("---"):
                    raise AiderConfigError(
                        f"{name}, line {following + 1}: `read:` continues in a form memtui "
                        "does not edit; make it a plain list, or add the entry by hand"
                    )
                break
            following += 1
        found = _Read(start, after, line, tuple(items), block, insert_at, indent)
    return found


def _unquote(item: str) -> str:
    if len(item) >= 2 and item[0] == item[-1] == "'":
        return item[1:-1].replace("''", "'")
    if len(item) >= 2 and item[0] == item[-1] == '"':
        try:
            value = json.loads(item)
        except ValueError:
            return item[1:-1]
        return value if isinstance(value, str) else item[1:-1]
    return item


def _same(item: str, entry: str) -> bool:
    def norm(path: str) -> str:
        return os.path.normpath(os.path.expanduser(path))

    return norm(_unquote(item)) == norm(entry)


def quote(entry: str) -> str:
    """An entry as a YAML scalar: plain when that is safe, double-quoted otherwise."""
    return entry if _PLAIN.fullmatch(entry) else json.dumps(entry, ensure_ascii=False)


def read_entries(text: str, *, name: str = "file") -> tuple[str, ...]:
    """The entries `read:` lists (unquoted), memtui's included."""
    found = _find_read(text, name)
    return () if found is None else tuple(_unquote(i) for i in found.items)


def _region(body: list[str], newline: str, *, eol_added: bool = False) -> str:
    """The region's lines; `eol_added`: memtui ended the line before it (removal takes that
    line ending back)."""
    digest = blocks.body_hash("\n".join(body))[:12]
    ending = "crlf" if newline == "\r\n" else "lf"
    extra = f" eol={ending}" if eol_added else ""
    lines = [f"# memtui:begin v={VERSION} sha256={digest}{extra}", *body, "# memtui:end"]
    return newline.join(lines) + newline


def add_entry(text: str, entry: str, *, name: str = "file", overwrite: bool = False) -> str:
    """The config text with `entry` in its `read:` list, through memtui's region only.

    The region is recomputed from the file without it, so a second call gives the same text.
    When the person lists the entry already, memtui needs (and keeps) no region.
    """
    region = find_region(text, name=name)
    if region is not None and region.drifted and not overwrite:
        raise AiderConfigError(
            f"{name}: edited between memtui's `# memtui:begin` and `# memtui:end` lines since "
            "the last export; export again with --overwrite, or remove those lines by hand"
        )
    base = remove(text, name=name)
    newline = blocks.newline_of(base)
    found = _find_read(base, name)
    if found is not None and any(_same(item, entry) for item in found.items):
        return base
    item = quote(entry)
    if found is None:
        eol_added = bool(base) and not base.endswith("\n")
        prefix = base + (newline if eol_added else "")
        return prefix + _region(["read:", f"  - {item}"], newline, eol_added=eol_added)
    if found.block:
        head, tail = base[: found.insert_at], base[found.insert_at :]
        if not head.endswith("\n"):
            return (
                head
                + newline
                + _region([f"{found.indent}- {item}"], newline, eol_added=True).rstrip("\r\n")
                + tail
            )
        return head + _region([f"{found.indent}- {item}"], newline) + tail
    body = [WAS + found.key_line, "read:", *(f"  - {i}" for i in found.items), f"  - {item}"]
    region_text = _region(body, newline)
    had_ending = base[found.key_start : found.key_end].endswith("\n")
    if not had_ending:
        region_text = region_text[: -len(newline)]
    return base[: found.key_start] + region_text + base[found.key_end :]
