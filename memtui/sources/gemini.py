"""Gemini CLI: chat recordings under `~/.gemini/tmp/<project>/chats/` (formats/transcripts.md §4).

`GEMINI_CLI_HOME` replaces the home folder. Two generations:

- `session-<start>-<id8>.json` (up to v0.38): one object `{sessionId, projectHash, startTime,
  messages:[...]}` rewritten whole; messages are located by their `index` in `messages` and the
  file is compared with the last read by position. Once such a session is resumed, v0.39+
  copies it into `session-....jsonl` beside it and appends there: the `.json` is then no
  longer taken for a transcript (is_transcript), the `.jsonl` holds all of it.
- `session-<start>-<id8>.jsonl` (v0.39 on) and sub-agent sessions `chats/<parent>/<id>.jsonl`:
  append-only. Line 1 is the metadata (`sessionId`, `projectHash`, `kind`), then message records
  (the full record is appended again each time it changes: same `id`, last one wins),
  `{"$set": {...}}` metadata patches and `{"$rewindTo": id}` (that message and all after it are
  gone). A message is located at the line of the version that was read. A record appended again
  with the same text is not reported twice: ReadState.context keeps a digest of each reported
  message by id (`seen`) and the order of all message ids (`order`, for rewinds). A rewind
  drops the rewound messages not yet reported; those reported by an earlier read stay reported.
  `$set.messages` (history rewritten in place: masking, summaries) is not a source of new
  messages.

Record types: `user` is HUMAN (its `displayContent` when present, the words as typed, else its
`content` without the `--- Content from referenced files ---` that @-references add), except in
a sub-agent session (`kind: "subagent"`: the main agent wrote those prompts) and a bare slash
command (`/stats`), which are INJECTED. `gemini` is AGENT (thought parts left out), each finished
tool call of it TOOL; `info`, `error` and `warning` are INJECTED.

The records hold only `projectHash` (sha256 of the project root). The project is read from the
`.project_root` file of the project's temp folder, else from `~/.gemini/projects.json` (the
entry whose slug is that folder's name or whose path hashes to `projectHash`), else None.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import msgspec

from memtui.core.transcripts import Author, Message, ReadResult, ReadState, Skipped
from memtui.sources.base import (
    LineReader,
    Source,
    parse_time,
    project_of,
    read_whole_file,
    resume_whole,
)

TOOL = "gemini"
REFERENCED_FILES = "--- Content from referenced files ---"
"""What the CLI appends to a prompt after the words when the prompt @-references files."""
_BARE_COMMAND = re.compile(r"\A/[\w:.-]+\Z")
_WINDOWS_PATH = re.compile(r"\A(?:[A-Za-z]:[\\/]|\\\\)")
_AUTHORS = {
    "user": Author.HUMAN,
    "gemini": Author.AGENT,
    "info": Author.INJECTED,
    "error": Author.INJECTED,
    "warning": Author.INJECTED,
}
_FINISHED = frozenset({"success", "error", "cancelled"})


class _Found(NamedTuple):
    """A message before its project is known."""

    key: str
    """The record id (`<id>/<tool call id>` for a tool call): what `seen` is keyed by."""
    record_id: str
    author: Author
    text: str
    timestamp: datetime | None
    line: int | None = None
    position: int | None = None


# --- records -----------------------------------------------------------------------------------


def _content_text(content: Any) -> str:
    """A PartListUnion's text: a string, a part, or a list of parts (thoughts left out)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        content = [content]
    if not isinstance(content, list):
        return ""
    return "".join(
        part["text"]
        for part in content
        if isinstance(part, dict) and isinstance(part.get("text"), str) and not part.get("thought")
    )


def user_text(record: Mapping[str, Any]) -> str:
    """The words of a user record, as typed."""
    shown = _content_text(record.get("displayContent")).strip()
    if shown:
        return shown
    return _content_text(record.get("content")).split(REFERENCED_FILES, 1)[0].strip()


def record_messages(record: Mapping[str, Any], *, subagent: bool, human_only: bool) -> list[_Found]:
    """The messages one message record holds (without locators)."""
    record_id = record.get("id")
    kind = record.get("type")
    author = _AUTHORS.get(kind) if isinstance(kind, str) else None
    if not isinstance(record_id, str) or author is None:
        return []
    if human_only and kind != "user":
        return []
    moment = parse_time(record.get("timestamp"))
    if kind == "user":
        text = user_text(record)
        if subagent or _BARE_COMMAND.match(text):
            author = Author.INJECTED
            if human_only:
                return []
    else:
        text = _content_text(record.get("content")).strip()
    found = [_Found(record_id, record_id, author, text, moment)] if text else []
    calls = record.get("toolCalls")
    if kind == "gemini" and isinstance(calls, list):
        for call in calls:
            if not isinstance(call, dict) or call.get("status") not in _FINISHED:
                continue
            call_id = call.get("id")
            name = call.get("displayName") or call.get("name") or "tool"
            shown = call.get("resultDisplay")
            shown = shown.strip() if isinstance(shown, str) else ""
            text = f"{name}: {shown}" if shown else str(name)
            if isinstance(call_id, str):
                key = f"{record_id}/{call_id}"
                when = parse_time(call.get("timestamp")) or moment
                found.append(_Found(key, record_id, Author.TOOL, text, when))
    return found


def _digest(found: _Found) -> str:
    data = f"{found.author}\x00{found.text}".encode()
    return hashlib.blake2b(data, digest_size=8).hexdigest()


# --- the project -------------------------------------------------------------------------------


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def project_root_of(path: Path, project_hash: str | None) -> str | None:
    """The project root of a chat file, from the markers the CLI leaves, else None."""
    chats = next((p for p in path.parents if p.name == "chats"), None)
    if chats is None:
        return None
    folder = chats.parent
    try:
        marked = (folder / ".project_root").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        marked = ""
    if marked:
        return marked
    try:
        registry = msgspec.json.decode((folder.parent.parent / "projects.json").read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    projects = registry.get("projects") if isinstance(registry, dict) else None
    if not isinstance(projects, dict):
        return None
    for root, slug in projects.items():
        if not isinstance(root, str):
            continue
        hashes = {_sha256(root), _sha256(root.lower())}
        if slug == folder.name or folder.name in hashes or project_hash in hashes:
            return root
    return None


# --- the two generations -----------------------------------------------------------------------


class _Session:
    """One read of an append-only `.jsonl` session, with what it carries to the next."""

    def __init__(self, path: Path, context: Mapping[str, Any], human_only: bool) -> None:
        self.path = path
        self.human_only = human_only
        self.session_id = _text(context.get("session_id"))
        self.project_hash = _text(context.get("project_hash"))
        self.kind = _text(context.get("kind"))
        self.project = _text(context.get("project"))
        seen = context.get("seen")
        self.seen: dict[str, str] = dict(seen) if isinstance(seen, dict) else {}
        order = context.get("order")
        self.order: list[str] = [i for i in order if isinstance(i, str)] if order else []
        self.known = set(self.order)
        self.found: list[_Found] = []

    def line(self, number: int, record: Any) -> str | None:
        """Take in one record; the reason it is malformed, if it is."""
        if not isinstance(record, dict):
            return "not a JSON object"
        if "$rewindTo" in record:
            target = record["$rewindTo"]
            if not isinstance(target, str):
                return "$rewindTo without a message id"
            self._rewind(target)
        elif "id" in record:
            if not isinstance(record["id"], str):
                return "message id is not a string"
            self._message(number, record)
        elif "$set" in record:
            if not isinstance(record["$set"], dict):
                return "$set without an object"
            self._metadata(record["$set"])
        elif "sessionId" in record:
            self._metadata(record)
        return None

    def _metadata(self, fields: Mapping[str, Any]) -> None:
        self.session_id = _text(fields.get("sessionId")) or self.session_id
        self.project_hash = _text(fields.get("projectHash")) or self.project_hash
        self.kind = _text(fields.get("kind")) or self.kind

    def _message(self, number: int, record: Mapping[str, Any]) -> None:
        record_id = record["id"]
        if record_id not in self.known:
            self.known.add(record_id)
            self.order.append(record_id)
        for found in record_messages(
            record, subagent=self.kind == "subagent", human_only=self.human_only
        ):
            digest = _digest(found)
            if self.seen.get(found.key) == digest:
                continue  # the same record appended again
            self.seen[found.key] = digest
            self.found = [f for f in self.found if f.key != found.key]
            self.found.append(found._replace(line=number))

    def _rewind(self, target: str) -> None:
        if target in self.known:
            at = self.order.index(target)
            gone = set(self.order[at:])
            del self.order[at:]
        else:  # as the CLI does: an unknown target empties the conversation
            gone = set(self.order)
            self.order.clear()
        self.known -= gone
        self.seen = {k: v for k, v in self.seen.items() if k.split("/", 1)[0] not in gone}
        self.found = [f for f in self.found if f.record_id not in gone]

    def context(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "project_hash": self.project_hash,
            "kind": self.kind,
            "project": self.project,
            "seen": self.seen,
            "order": self.order,
        }


def parse_session(
    document: Mapping[str, Any], path: str, *, human_only: bool = False
) -> tuple[list[_Found], list[Skipped], int]:
    """A v0.38 `.json` session: its messages (located by index), bad records, record count."""
    records = document.get("messages")
    if not isinstance(records, list):
        return [], [Skipped(path, "no messages array")], 0
    subagent = document.get("kind") == "subagent"
    found: list[_Found] = []
    skipped: list[Skipped] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            skipped.append(Skipped(path, "not a message record with an id", index=index))
            continue
        found += [
            f._replace(position=index)
            for f in record_messages(record, subagent=subagent, human_only=human_only)
        ]
    return found, skipped, len(records)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- the source --------------------------------------------------------------------------------


class GeminiSource(Source):
    """Gemini CLI's chat recordings."""

    tool: ClassVar[str] = TOOL
    label: ClassVar[str] = "Gemini CLI"

    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        override = env.get("GEMINI_CLI_HOME", "").strip()
        return [(Path(override) if override else home) / ".gemini" / "tmp"]

    def is_transcript(self, path: Path) -> bool:
        name = path.name
        if path.suffix == ".jsonl":
            if name.startswith("session-") and path.parent.name == "chats":
                return True
            return path.parent.parent.name == "chats"  # a sub-agent: chats/<parent>/<id>.jsonl
        if path.suffix == ".json" and name.startswith("session-"):
            return path.parent.name == "chats" and not path.with_name(f"{name}l").exists()
        return False

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.suffix not in (".json", ".jsonl"):
            return False
        if self.is_transcript(path):
            return True
        return b'"projectHash"' in head and b'"sessionId"' in head

    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        if path.suffix == ".json":
            return self._read_whole(path, state, human_only)
        reader = LineReader(path, state)
        session = _Session(path, reader.context, human_only)
        for number, raw in reader:
            if not raw.strip():
                continue
            try:
                record = msgspec.json.decode(raw)
            except msgspec.DecodeError as exc:
                reader.skip(number, f"not valid JSON ({exc})")
                continue
            if (problem := session.line(number, record)) is not None:
                reader.skip(number, problem)
        if session.project is None and session.found:
            session.project = _project(path, session.project_hash)
        messages = [
            Message(
                tool=TOOL,
                author=f.author,
                text=f.text,
                path=str(path),
                line=f.line,
                message_id=f.key.split("/", 1)[-1],
                session_id=session.session_id or path.stem,
                timestamp=f.timestamp,
                project=session.project,
            )
            for f in sorted(session.found, key=lambda f: f.line or 0)
        ]
        last_id = messages[-1].message_id if messages else state.last_message_id
        return ReadResult(
            messages=messages,
            state=reader.state(context=session.context(), last_message_id=last_id),
            skipped=reader.skipped,
            restarted=reader.restarted,
        )

    def _read_whole(self, path: Path, state: ReadState, human_only: bool) -> ReadResult:
        data = read_whole_file(path)
        try:
            document = msgspec.json.decode(data)
        except msgspec.DecodeError as exc:
            return _unreadable(path, state, f"not valid JSON ({exc})")
        if not isinstance(document, dict):
            return _unreadable(path, state, "not a Gemini CLI session (not a JSON object)")
        found, skipped, records = parse_session(document, str(path), human_only=human_only)
        project = _text(state.context.get("project"))
        if project is None and found:
            project = _project(path, _text(document.get("projectHash")))
        session_id = _text(document.get("sessionId")) or path.stem
        messages = [
            Message(
                tool=TOOL,
                author=f.author,
                text=f.text,
                path=str(path),
                index=f.position,
                message_id=f.key.split("/", 1)[-1],
                session_id=session_id,
                timestamp=f.timestamp,
                project=project,
            )
            for f in found
        ]
        return resume_whole(
            path,
            state,
            messages,
            records,
            skipped=skipped,
            context={"project": project} if project else {},
        )


def _project(path: Path, project_hash: str | None) -> str | None:
    root = project_root_of(path, project_hash)
    if not root:
        return None
    if os.name != "nt" and _WINDOWS_PATH.match(root):
        return root.replace("\\", "/")  # recorded on Windows: resolving it here would mangle it
    return project_of(root)


def _unreadable(path: Path, state: ReadState, reason: str) -> ReadResult:
    stat = path.stat()
    return ReadResult(
        messages=[],
        state=dataclasses.replace(state, size=stat.st_size, mtime_ns=stat.st_mtime_ns),
        skipped=[Skipped(str(path), reason)],
    )
