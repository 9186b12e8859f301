"""The review list's filter: words to find in the text, and `kind:`, `tool:`, `project:` terms.

`/` opens it; `kind:rule tool:codex pnpm` keeps the rules seen in Codex that mention pnpm.
Terms match the start of a value (`kind:pref`), words anywhere in the text; case is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from memtui.core.rows import InboxRow
from memtui.ui.format import project_name

FIELDS = ("kind", "tool", "project")


@dataclass(frozen=True, slots=True)
class Filter:
    """A parsed filter; the empty filter keeps everything."""

    words: tuple[str, ...] = ()
    kind: str | None = None
    tool: str | None = None
    project: str | None = None

    @classmethod
    def parse(cls, text: str) -> Filter:
        """Read a filter as typed. An unknown `name:` term is looked for as a word."""
        words: list[str] = []
        terms: dict[str, str] = {}
        for token in text.casefold().split():
            name, colon, value = token.partition(":")
            if colon and name in FIELDS and value:
                terms[name] = value
            else:
                words.append(token)
        return cls(tuple(words), terms.get("kind"), terms.get("tool"), terms.get("project"))

    @property
    def active(self) -> bool:
        """Whether it leaves anything out."""
        return bool(self.words or self.kind or self.tool or self.project)

    def keeps(self, row: InboxRow) -> bool:
        """Whether a row passes."""
        if self.kind and not row.kind.value.startswith(self.kind):
            return False
        if self.tool and not any(t.casefold().startswith(self.tool) for t in row.tools):
            return False
        if self.project and self.project not in project_name(row.project).casefold():
            return False
        text = row.text.casefold()
        return all(word in text for word in self.words)

    def apply(self, rows: Iterable[InboxRow]) -> list[InboxRow]:
        """The rows that pass, in their order."""
        if not self.active:
            return list(rows)
        return [row for row in rows if self.keeps(row)]

    def describe(self) -> str:
        """The filter in words, for the status bar."""
        parts = [f"{name}:{value}" for name in FIELDS if (value := getattr(self, name))]
        parts.extend(f'"{word}"' for word in self.words)
        return " ".join(parts)
