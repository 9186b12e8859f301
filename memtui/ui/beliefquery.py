"""What the beliefs screen's box says: words to search for, and filter terms.

`kind:rule status:superseded project:api tool:codex locked pnpm` searches "pnpm" among the
superseded rules of the project named like "api" seen in Codex that are locked. Values match
the start of a name (`kind:pref`), several may be given with commas (`kind:rule,fact`),
`status:all` shows every status; `project:` matches a part of the project's folder name.
A term that makes no sense is reported in one line and left out, nothing else is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from memtui.core.models import Kind, Scope, Status
from memtui.ui.format import project_name

FIELDS = ("kind", "status", "scope", "project", "tool")
T = TypeVar("T", bound=StrEnum)


def _pick(name: str, value: str, choices: Sequence[T], problems: list[str]) -> frozenset[T] | None:
    found: set[T] = set()
    for part in filter(None, value.split(",")):
        matched = [c for c in choices if c.value.startswith(part)]
        if not matched:
            names = ", ".join(c.value for c in choices)
            problems.append(f"{name}:{part} is not one of {names}")
            continue
        found.update(matched)
    return frozenset(found) if found else None


@dataclass(frozen=True, slots=True)
class BeliefQuery:
    """A parsed box: the search text and the filters (None: any)."""

    text: str = ""
    kinds: frozenset[Kind] | None = None
    statuses: frozenset[Status] | None = frozenset({Status.CONFIRMED})
    scope: Scope | None = None
    project: str | None = None
    """A part of a project's folder name, as typed."""
    tool: tuple[str, ...] = ()
    """Starts of tool names, as typed."""
    locked: bool | None = None
    problems: tuple[str, ...] = field(default=())

    @classmethod
    def parse(cls, box: str) -> BeliefQuery:
        """Read the box as typed (case ignored for the terms)."""
        words: list[str] = []
        problems: list[str] = []
        kinds: frozenset[Kind] | None = None
        statuses: frozenset[Status] | None = frozenset({Status.CONFIRMED})
        scope: Scope | None = None
        project: str | None = None
        tools: tuple[str, ...] = ()
        locked: bool | None = None
        for token in box.split():
            lowered = token.casefold()
            name, colon, value = lowered.partition(":")
            if lowered in ("locked", "unlocked"):
                locked = lowered == "locked"
            elif colon and name in FIELDS:
                if not value:
                    continue  # still being typed
                if name == "kind":
                    kinds = _pick("kind", value, list(Kind), problems)
                elif name == "status":
                    statuses = (
                        None if value in ("all", "any") else _pick(
                            "status", value, list(Status), problems
                        ) or statuses
                    )  # fmt: skip
                elif name == "scope":
                    picked = _pick("scope", value, list(Scope), problems)
                    scope = next(iter(picked)) if picked and len(picked) == 1 else None
                elif name == "project":
                    project = value
                else:
                    tools = tuple(filter(None, value.split(",")))
            else:
                words.append(token)
        text = " ".join(words)
        if box[-1:].isspace() and text:
            text += " "  # the last word is finished: the search stops taking it as a prefix
        return cls(text, kinds, statuses, scope, project, tools, locked, tuple(problems))

    def project_root(self, roots: Sequence[str]) -> tuple[str | None, str | None]:
        """The root the project term names among `roots`, or a problem saying why none."""
        if self.project is None:
            return None, None
        exact = [r for r in roots if project_name(r).casefold() == self.project]
        found = exact or [r for r in roots if self.project in project_name(r).casefold()]
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, f"no project is named like {self.project!r}"
        names = ", ".join(sorted({project_name(r) for r in found})[:4])
        return None, f"project:{self.project} names {len(found)} projects ({names}): type more"

    def tool_names(self, known: Sequence[str]) -> tuple[frozenset[str] | None, str | None]:
        """The tools the tool term names among `known`, or a problem saying why none."""
        if not self.tool:
            return None, None
        found = frozenset(t for t in known if t.casefold().startswith(self.tool))
        if not found:
            return None, f"no memory was seen in a tool named like {', '.join(self.tool)}"
        return found, None

    def describe(self) -> str:
        """The filters in words, for the status bar."""
        parts = []
        if self.statuses is None:
            parts.append("status:all")
        elif self.statuses != frozenset({Status.CONFIRMED}):
            parts.append("status:" + ",".join(sorted(s.value for s in self.statuses)))
        if self.kinds is not None:
            parts.append("kind:" + ",".join(sorted(k.value for k in self.kinds)))
        if self.scope is not None:
            parts.append(f"scope:{self.scope.value}")
        if self.project is not None:
            parts.append(f"project:{self.project}")
        if self.tool:
            parts.append("tool:" + ",".join(self.tool))
        if self.locked is not None:
            parts.append("locked" if self.locked else "unlocked")
        return " ".join(parts)
