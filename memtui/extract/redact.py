"""Secrets never reach the store: known credential shapes are replaced before anything is kept.

Each pattern is named; a secret becomes `redacted:NAME` between single angle quotation marks
(U+2039, U+203A), so a reviewer sees what kind of thing was removed and the count of removals
can be shown on the candidate. The patterns follow the
credential formats their providers publish (and the list of the best peer tool, research
notes §b): provider tokens with fixed prefixes, private key blocks, JWTs, passwords inside URLs,
and assignments whose name says secret (`API_KEY=...`, `password: ...`, `.env` lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from memtui.extract.cues import any_of

MARKER = "\u2039redacted:{}\u203a"
"""What a secret is replaced by. The angle quotation marks are not something people type."""
MARKER_PATTERN = re.compile("\u2039redacted:[a-z0-9-]+\u203a")

_SECRET_NAME = (
    r"[A-Za-z0-9_.-]*(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|client[_-]?secret|auth|credential|bearer)[A-Za-z0-9_.-]*"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "private-key",
        re.compile(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?"
            r"(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
            re.DOTALL,
        ),
    ),
    ("anthropic-key", re.compile(r"\bsk-ant-[A-Za-z0-9_-]{20,}")),
    ("openai-key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}")),
    ("stripe-key", re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}")),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("gitlab-token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}")),
    ("aws-access-key", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")),
    ("google-api-key", re.compile(r"\bAIza[A-Za-z0-9_-]{35}")),
    ("google-oauth", re.compile(r"\bya29\.[A-Za-z0-9_-]{20,}|\b1//0[A-Za-z0-9_-]{20,}")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("slack-webhook", re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+")),
    ("npm-token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("huggingface-token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b")),
    ("telegram-token", re.compile(r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b")),
    ("facebook-token", re.compile(r"\bEAA[A-Za-z0-9]{30,}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    (
        "bearer-token",
        re.compile(r"(?i)(?<=\bbearer )[A-Za-z0-9._~+/=-]{16,}"),
    ),
    (
        "url-password",
        # scheme://user:PASSWORD@host: only the password goes.
        re.compile(r"(?<=://)(?:[^\s:/@]+):([^\s@/]{1,200})(?=@)"),
    ),
    (
        "secret-assignment",
        # NAME=value, NAME: value, "NAME": "value", export NAME=value, where NAME says secret.
        re.compile(
            rf"""(?ix)
            (?<![A-Za-z0-9_])(?:export\s+)?["']?(?P<name>{_SECRET_NAME})["']?
            \s*(?:=|:)\s*
            (?P<value>"[^"\n]{{4,}}"|'[^'\n]{{4,}}'|[^\s"',;]{{4,}})
            """
        ),
    ),
)


_ANCHORS = re.compile(
    r"(?i)sk-|[srp]k_|gh[pousr]_|github_pat_|glpat-|a[ks]ia|abia|acca|aiza|ya29\.|1//0|xox"
    r"|hooks\.slack|npm_|hf_|:aa|eaa|eyj|bearer|://|-----begin"
    r"|pass|secret|token|key|auth|credential"
)
"""Something every pattern needs: a text without any of these holds no secret they know, and is
returned at once (most messages), instead of being run through every pattern."""
_ASCII_ANCHORS = any_of(
    [
        "sk-",
        "sk_",
        "rk_",
        "pk_",
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "akia",
        "asia",
        "abia",
        "acca",
        "aiza",
        "ya29.",
        "1//0",
        "xox",
        "hooks.slack",
        "npm_",
        "hf_",
        ":aa",
        "eaa",
        "eyj",
        "bearer",
        "://",
        "-----begin",
        "pass",
        "secret",
        "token",
        "key",
        "auth",
        "credential",
    ]
)
"""The same test for an ASCII text once lowercased, where it means exactly what `_ANCHORS`
does (its pieces, character classes spelt out, as a tree of their shared beginnings: see
cues.any_of), several times faster than matching without regard to case."""


def may_hold_secret(text: str) -> bool:
    """Whether a text holds something every secret pattern needs (False: nothing to redact)."""
    if text.isascii():
        return _ASCII_ANCHORS is not None and _ASCII_ANCHORS.search(text.lower()) is not None
    return _ANCHORS.search(text) is not None


@dataclass(frozen=True, slots=True)
class Redacted:
    """A text with its secrets replaced, and what was replaced."""

    text: str
    kinds: tuple[str, ...]
    """The name of each pattern that removed something, once per removal."""

    @property
    def count(self) -> int:
        """How many secrets were removed."""
        return len(self.kinds)


def redact(text: str) -> Redacted:
    """Replace every secret the patterns know by a marker naming its kind."""
    if not may_hold_secret(text):
        return Redacted(text, ())
    kinds: list[str] = []
    for name, pattern in PATTERNS:
        text = pattern.sub(partial(_replace, name=name, kinds=kinds), text)
    return Redacted(text, tuple(kinds))


_ALWAYS_SECRET = re.compile(r"(?i)pass|secret|private|credential")
_PLAIN_WORDS = re.compile(r"[a-z][a-z._-]*")


def _looks_secret(name: str, value: str) -> bool:
    """Whether an assigned value is a credential: always for a password or secret; for a
    token, key or auth setting only when it looks like one (digits or mixed case, or long
    and not plain words), so `tokenizer = bert-base-uncased` or `author: Ann` stay."""
    if _ALWAYS_SECRET.search(name):
        return True
    value = value.strip("\"'")
    if _PLAIN_WORDS.fullmatch(value):
        return False
    has_digit = any(c.isdigit() for c in value)
    mixed = any(c.islower() for c in value) and any(c.isupper() for c in value)
    return (has_digit or mixed) and len(value) >= 8


def _replace(match: re.Match[str], name: str, kinds: list[str]) -> str:
    """The marker for one match (for assignments and URLs, only the secret value goes)."""
    group = "value" if "value" in match.re.groupindex else (1 if match.re.groups else 0)
    start, end = match.span(group)
    secret = match.group(group)
    if MARKER_PATTERN.fullmatch(secret.strip("\"'")):
        return match.group(0)  # already redacted by an earlier, more specific pattern
    if "name" in match.re.groupindex and not _looks_secret(match.group("name"), secret):
        return match.group(0)
    kinds.append(name)
    whole_start = match.start(0)
    head = match.group(0)[: start - whole_start]
    tail = match.group(0)[end - whole_start :]
    return f"{head}{MARKER.format(name)}{tail}"


def count_markers(text: str) -> int:
    """How many redaction markers a stored text holds."""
    return len(MARKER_PATTERN.findall(text))
