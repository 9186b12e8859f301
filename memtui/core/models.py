"""The vocabulary of the memory model: statuses, kinds, scopes, and how statements compare."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from memtui.core.errors import InvalidInputError


class Status(StrEnum):
    """Where a memory is in its life: a candidate, a belief, or a former one."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    DEPRECATED = "deprecated"


class Kind(StrEnum):
    """What sort of statement a memory is (the labels of corpus/LABELING.md)."""

    RULE = "rule"
    PREFERENCE = "preference"
    CORRECTION = "correction"
    FACT = "fact"
    DECISION = "decision"
    PROCEDURE = "procedure"


class Scope(StrEnum):
    """Whether a memory applies to every project or to the one it belongs to."""

    GLOBAL = "global"
    PROJECT = "project"


class Action(StrEnum):
    """What an event in the log did to a memory."""

    CREATED = "created"
    MERGED = "merged"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    EDITED = "edited"
    DEPRECATED = "deprecated"
    LOCKED = "locked"
    UNLOCKED = "unlocked"
    UNDONE = "undone"
    EXPORTED = "exported"
    """Written into a rules file by an export (the event's `after` names the file)."""


MANUAL_TOOL = "manual"
"""The evidence tool of a belief a person typed in themselves."""


def parse_kind(value: str) -> Kind:
    """Return the Kind named by `value`, or raise a message listing the valid ones."""
    try:
        return Kind(value.strip().lower())
    except ValueError:
        valid = ", ".join(k.value for k in Kind)
        raise InvalidInputError(f"unknown kind {value!r}; use one of: {valid}") from None


def parse_status(value: str) -> Status:
    """Return the Status named by `value`, or raise a message listing the valid ones."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        valid = ", ".join(s.value for s in Status)
        raise InvalidInputError(f"unknown status {value!r}; use one of: {valid}") from None


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = " .!;:,\"'"


def statement_key(text: str) -> str:
    """Reduce a statement to the key under which two phrasings count as the same statement.

    Case, Unicode compatibility forms, curly quotes, runs of whitespace and punctuation at the
    ends do not make a statement different; everything else (words, order, paths) does.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", folded).strip(_EDGE_PUNCT)


def clean_text(text: str) -> str:
    """Trim a statement and refuse an empty one."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInputError("the text of a memory cannot be empty")
    return cleaned
