"""Memory as an attack path: text that tries to steer an agent is flagged, never silently kept.

A belief is written into agents' rules files, so a candidate that says "ignore previous
instructions", carries role markers or hides text (HTML comments, zero-width or bidirectional
control characters) would reach every future session. Such candidates are flagged; the
curation core refuses to confirm one until the person has seen its flags (research notes,
step 20: role markers, "ignore previous", "you are now", HTML comments, a markup-heavy text).
"""

from __future__ import annotations

import re
import unicodedata

from memtui.extract.cues import any_of

INVISIBLE = re.compile("[\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad]")
"""Zero-width, joiner, direction-override and other characters a reader does not see."""

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "instruction-override",
        re.compile(
            r"(?<!don't )(?<!do not )(?<!never )"
            r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?"
            r"(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|preceding|earlier|system|original)"
            r"\s+(?:instructions?|prompts?|directives|messages)\b"
            r"|(?<!don't )(?<!do not )\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+"
            r"(?:above|before|you (?:were|have been) told)"
            r"|\bnew (?:system )?instructions\s*:"
            r"|\b(?:reveal|print|show|repeat)\b[^.\n]{0,20}\b(?:system prompt|your prompt|"
            r"your instructions)\b"
        ),
    ),
    (
        "persona",
        re.compile(r"\byou are now\b|\bpretend (?:to be|you are)\b|\bfrom now on you are\b"),
    ),
    (
        "role-marker",
        re.compile(
            r"(?m)^\s*(?:system|assistant|developer)\s*:"
            r"|\[/?inst\]|<\|im_(?:start|end)\|>|<\|(?:system|assistant|user)\|>"
            r"|^\s*#{2,}\s*(?:system|instruction)s?\b"
            r"|</?(?:system|system-reminder|instructions?)>"
        ),
    ),
    ("hidden-comment", re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)),
)
_CUES = any_of(
    (
        *("ignore", "disregard", "forget", "override", "instruction", "reveal", "print"),
        *("show", "repeat", "you are now", "pretend", "from now on you are", "system"),
        *("assistant", "developer", "inst]", "<|", "<!--"),
    )
)
"""Something each of PATTERNS needs (keep the two in step): a casefolded text without any of
these is not run through them (most texts)."""
MARKUP = frozenset("<>{}|\\")
MARKUP_SHARE = 0.15
"""More than this share of markup characters reads as a payload, not a statement."""


def steering_flags(text: str) -> tuple[str, ...]:
    """The names of the steering signs a text shows, in a stable order (empty: none)."""
    flags: list[str] = []
    if INVISIBLE.search(text):
        flags.append("invisible-characters")
    folded = INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    if _CUES is None or _CUES.search(folded):
        flags += [name for name, pattern in PATTERNS if pattern.search(folded)]
    visible = "".join(folded.split())  # counted in C, not character by character
    if len(visible) >= 20 and sum(map(visible.count, MARKUP)) > MARKUP_SHARE * len(visible):
        flags.append("markup-heavy")
    return tuple(flags)


def merge_flags(*groups: tuple[str, ...] | list[str] | None) -> list[str]:
    """The union of flag lists, in first-seen order."""
    return list(dict.fromkeys(flag for group in groups if group for flag in group))


def visible(text: str) -> str:
    """A text with its invisible characters shown as `<U+200B>`, for a reviewer's eyes."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)
