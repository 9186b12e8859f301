"""Cline (VS Code extension `saoudrizwan.claude-dev`, Cline CLI, Cline SDK): JSON files rewritten
whole (formats/transcripts.md §3).

Legacy layout, `<globalStorage>/saoudrizwan.claude-dev/tasks/<taskId>/` (taskId = creation
time in epoch ms):

- `api_conversation_history.json` is the file mined: an array of Anthropic messages, each
  located by its `index`. In a user message the person's words are the contents of the
  `<task>`, `<feedback>`, `<answer>` and `<user_message>` tags (one HUMAN message per array
  entry); `<environment_details>` is dropped (it gives the working directory), tool results
  (`[read_file for 'x'] Result: ...`, a text block or the block after such a header) are TOOL,
  and any other user text (`[TASK RESUMPTION]`, to-do reminders ...) is INJECTED. Inside a tool
  result a tag counts only when the harness put it there: opening a line that follows
  `Result:` or a sentence about feedback, answers, messages or instructions, so a file that
  merely contains `<feedback>` is not taken for the person. Assistant text blocks are AGENT.
  Entries carry no time: entry 0 gets the task's creation (its id), later ones the file's
  modification time.
- `ui_messages.json` is mined only when the folder has no `api_conversation_history.json`
  (otherwise it is a second view of the same words): the first `say:"text"` before any API
  request is the task, and every `say:"user_feedback"` is HUMAN (partial entries are streaming
  placeholders, never HUMAN, and a partial last entry is left for the next read). Other
  `say:"text"`, `completion_result` and follow-up questions are AGENT, tool and command entries
  TOOL, errors INJECTED; bookkeeping entries (`api_req_started`, checkpoints ...) give no
  message. Times are the entries' `ts` (ms).
- The project is `cwdOnTaskInitialization` of the task in `state/taskHistory.json` (two levels
  above the task folder), else the `# Current Working Directory (/path)` of the environment
  details (for `ui_messages.json`, inside the `api_req_started` requests).
- `*.tmp.*.json` files (the atomic-rewrite temporaries) are ignored.

SDK layout, `~/.cline/data/sessions/<id>/` (`CLINE_SESSION_DATA_DIR`, `CLINE_DATA_DIR/sessions`,
`CLINE_DIR/data/sessions`): `<id>.messages.json` `{agent, sessionId, messages:[{id, role,
content:[blocks], ts}]}` with the manifest `<id>.json` beside it (its `cwd` is the project).
User text blocks are HUMAN (harness notices such as `<SYSTEM_NOTICE>` stripped), `tool_result`
blocks TOOL; in a sub-agent's or teammate's file the user messages were written by the lead
agent and are INJECTED.

Every file is compared with the last read by position (`resume_whole`). The task's working
directory is kept in ReadState.context (`cwd`).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import msgspec

from memtui.core.transcripts import MINED, Author, Message, ReadResult, ReadState, Skipped
from memtui.sources.base import (
    Source,
    parse_time,
    project_of,
    read_whole_file,
    resume_whole,
)

TOOL = "cline"
EXTENSION_ID = "saoudrizwan.claude-dev"
PRODUCTS = ("Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf")
"""VS Code and the builds of it whose globalStorage may hold the extension's tasks."""
API_FILE = "api_conversation_history.json"
UI_FILE = "ui_messages.json"
SDK_SUFFIX = ".messages.json"

_HUMAN_TAG = re.compile(r"^[ \t]*<(task|feedback|answer|user_message)>(.*?)</\1>", re.M | re.S)
_ENVIRONMENT = re.compile(r"<environment_details>.*?(?:</environment_details>|\Z)", re.S)
_NOTICES = re.compile(r"<(SYSTEM_NOTICE|system-reminder|environment_details)>.*?(?:</\1>|\Z)", re.S)
_CWD = re.compile(r"# Current Working Directory \(`?([^\n]+?)`?\) Files")
_HARNESS_LEAD = re.compile(r"(Result:|feedback|answer|message|instructions)[^\n]*$", re.I)
"""The line before a tag the harness wrote into a tool result (`... Result:`, `The user
provided the following feedback:` ...)."""
_WINDOWS_PATH = re.compile(r"\A(?:[A-Za-z]:[\\/]|\\\\)")
_UI_AGENT_ASKS = frozenset({"followup", "plan_mode_respond", "completion_result"})
_UI_TOOL_SAYS = frozenset(
    {
        "tool",
        "command",
        "command_output",
        "browser_action",
        "browser_action_result",
        "mcp_server_response",
        "use_mcp_server",
        "user_feedback_diff",
    }
)
_UI_TOOL_ASKS = frozenset({"tool", "command", "command_output", "browser_action_launch"})
_UI_ERRORS = frozenset({"error", "diff_error", "clineignore_error"})


class _Found(NamedTuple):
    """A message before its project is known."""

    position: int
    author: Author
    text: str
    timestamp: datetime | None
    message_id: str | None = None


@dataclasses.dataclass(slots=True)
class _UserParts:
    """A user message cut into the person's words and what the harness added."""

    human: list[str] = dataclasses.field(default_factory=list)
    tool: list[str] = dataclasses.field(default_factory=list)
    injected: list[str] = dataclasses.field(default_factory=list)
    cwd: str | None = None


# --- the person's words in a user message ------------------------------------------------------


def _last_line(text: str) -> str:
    for line in reversed(text.splitlines()):
        if line.strip():
            return line
    return ""


def _is_tool_header(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    return first.startswith("[") and "] Result:" in first


def _text_blocks(content: Any) -> list[str | None]:
    """The text of each block (None for blocks that are not text)."""
    if isinstance(content, str):
        return [content]
    if not isinstance(content, list):
        return []
    texts: list[str | None] = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "text":
            text = block.get("text")
            texts.append(text if isinstance(text, str) else None)
        else:
            texts.append(None)
    return texts


def split_user_content(content: Any) -> _UserParts:
    """A legacy user message: the tagged words, the tool results, the rest of the text."""
    parts = _UserParts()
    tail = ""
    header_only = False
    for text in _text_blocks(content):
        if text is None:
            continue
        for found in _ENVIRONMENT.finditer(text):
            if parts.cwd is None and (match := _CWD.search(found.group(0))):
                parts.cwd = match.group(1).strip()
        text = _ENVIRONMENT.sub("", text)
        in_tool = header_only or _is_tool_header(text)
        header_only = _is_tool_header(text) and text.strip().endswith("Result:")
        rest = text
        for match in _HUMAN_TAG.finditer(text):
            if in_tool:
                before = _last_line(text[: match.start()]) or tail
                if match.group(1) == "task" or not _HARNESS_LEAD.search(before):
                    continue
            words = match.group(2).strip()
            if words:
                parts.human.append(words)
            rest = text[: match.start()] + text[match.end() :]
            break  # one tagged message per block; later tags belong to attached files
        rest = rest.strip()
        if rest:
            (parts.tool if in_tool else parts.injected).append(rest)
        tail = _last_line(text) or tail
    return parts


def _sdk_user_parts(content: Any, *, lead: bool) -> _UserParts:
    """An SDK user message: text blocks are the person's unless tagged or injected."""
    parts = _UserParts()
    blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "tool_result":
            text = _tool_result_text(block.get("content"))
            if text:
                parts.tool.append(text)
        elif kind == "text" and isinstance(block.get("text"), str):
            text = block["text"]
            if _HUMAN_TAG.search(text) or _ENVIRONMENT.search(text):
                legacy = split_user_content(text)
                parts.human += legacy.human
                parts.tool += legacy.tool
                parts.injected += legacy.injected
                parts.cwd = parts.cwd or legacy.cwd
                continue
            text = _NOTICES.sub("", text).strip()
            if not text:
                continue
            if _is_tool_header(text):
                parts.tool.append(text)
            else:
                parts.human.append(text)
    if not lead:
        parts.injected = parts.human + parts.injected
        parts.human = []
    return parts


def _tool_result_text(content: Any) -> str:
    if isinstance(content, str):
        return content.strip()
    return "\n".join(t for t in _text_blocks(content) if t).strip()


def _assistant_text(content: Any) -> str:
    return "\n\n".join(t.strip() for t in _text_blocks(content) if t and t.strip())


def _user_found(index: int, parts: _UserParts, moment: datetime | None) -> list[_Found]:
    found = []
    for author, texts in (
        (Author.HUMAN, parts.human),
        (Author.TOOL, parts.tool),
        (Author.INJECTED, parts.injected),
    ):
        if texts:
            found.append(_Found(index, author, "\n\n".join(texts), moment))
    return found


# --- the three file kinds ----------------------------------------------------------------------


def parse_api_history(
    records: Sequence[Any],
    path: str,
    *,
    created: datetime | None = None,
    modified: datetime | None = None,
    human_only: bool = False,
) -> tuple[list[_Found], list[Skipped], str | None]:
    """An `api_conversation_history.json` array: its messages, the bad entries, the cwd."""
    found: list[_Found] = []
    skipped: list[Skipped] = []
    cwd: str | None = None
    for index, entry in enumerate(records):
        role = entry.get("role") if isinstance(entry, dict) else None
        content = entry.get("content") if isinstance(entry, dict) else None
        if not isinstance(role, str) or not isinstance(content, str | list):
            skipped.append(Skipped(path, "not a message with a role and content", index=index))
            continue
        moment = parse_time(entry.get("ts")) or (created if index == 0 else modified)
        if role == "user":
            parts = split_user_content(content)
            cwd = cwd or parts.cwd
            found += [
                f
                for f in _user_found(index, parts, moment or created)
                if not human_only or f.author in MINED
            ]
        elif role == "assistant" and not human_only:
            text = _assistant_text(content)
            if text:
                found.append(_Found(index, Author.AGENT, text, moment))
    return found, skipped, cwd


def _request_cwd(text: Any) -> str | None:
    """The working directory in an `api_req_started` entry's request."""
    if not isinstance(text, str) or "Current Working Directory" not in text:
        return None
    try:
        request = msgspec.json.decode(text)
    except msgspec.DecodeError:
        request = text
    if isinstance(request, dict):
        request = request.get("request")
    if isinstance(request, str) and (match := _CWD.search(request)):
        return match.group(1).strip()
    return None


def _ask_text(text: str) -> str:
    """A follow-up question or plan response: its JSON's question, else the text."""
    try:
        payload = msgspec.json.decode(text)
    except msgspec.DecodeError:
        return text
    if isinstance(payload, dict):
        for key in ("question", "response", "text"):
            if isinstance(payload.get(key), str):
                return str(payload[key])
    return text


def parse_ui_messages(
    records: Sequence[Any], path: str, *, human_only: bool = False
) -> tuple[list[_Found], list[Skipped], str | None, int]:
    """A `ui_messages.json` array: messages, bad entries, the cwd, and the entries settled
    (all but a partial last entry, which is still being streamed)."""
    found: list[_Found] = []
    skipped: list[Skipped] = []
    cwd: str | None = None
    task_open = True  # the task is the first say:"text", before any API request
    settled = len(records)
    for index, entry in enumerate(records):
        if not isinstance(entry, dict):
            skipped.append(Skipped(path, "not an object", index=index))
            continue
        say, ask, text = entry.get("say"), entry.get("ask"), entry.get("text")
        partial = entry.get("partial") is True
        if partial and index == len(records) - 1:
            settled = index
            break
        if say == "api_req_started":
            task_open = False
            cwd = cwd or _request_cwd(text)
            continue
        author: Author | None = None
        if say == "text":
            author = Author.HUMAN if task_open and not partial else Author.AGENT
            task_open = False
        elif say == "user_feedback":
            author = None if partial else Author.HUMAN
        elif say == "completion_result" or ask in _UI_AGENT_ASKS:
            author = Author.AGENT
            if ask is not None and isinstance(text, str):
                text = _ask_text(text)
        elif say in _UI_TOOL_SAYS or ask in _UI_TOOL_ASKS:
            author = Author.TOOL
        elif say in _UI_ERRORS:
            author = Author.INJECTED
        if author is None or (human_only and author not in MINED):
            continue
        if not isinstance(text, str) or not text.strip():
            continue
        found.append(_Found(index, author, text.strip(), parse_time(entry.get("ts"))))
    return found, skipped, cwd, settled


def parse_sdk_messages(
    document: Mapping[str, Any],
    path: str,
    *,
    started: datetime | None = None,
    human_only: bool = False,
) -> tuple[list[_Found], list[Skipped], str | None]:
    """An SDK `<id>.messages.json` document: messages, bad entries, a cwd if one shows."""
    records = document.get("messages")
    if not isinstance(records, list):
        return [], [Skipped(path, "no messages array")], None
    lead = document.get("agent") in (None, "lead")
    times = [parse_time(r.get("ts")) if isinstance(r, dict) else None for r in records]
    found: list[_Found] = []
    skipped: list[Skipped] = []
    cwd: str | None = None
    for index, entry in enumerate(records):
        role = entry.get("role") if isinstance(entry, dict) else None
        if not isinstance(role, str) or not isinstance(entry.get("content"), str | list):
            skipped.append(Skipped(path, "not a message with a role and content", index=index))
            continue
        moment = next((t for t in times[index:] if t is not None), started)
        message_id = entry.get("id") if isinstance(entry.get("id"), str) else None
        if role == "user":
            parts = _sdk_user_parts(entry["content"], lead=lead)
            cwd = cwd or parts.cwd
            for f in _user_found(index, parts, moment):
                if not human_only or f.author in MINED:
                    found.append(f._replace(message_id=message_id))
        elif role == "assistant" and not human_only:
            text = _assistant_text(entry["content"])
            if text:
                found.append(_Found(index, Author.AGENT, text, moment, message_id))
    return found, skipped, cwd


# --- where the task's working directory is -----------------------------------------------------


@lru_cache(maxsize=8)
def _task_history(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    """Task id -> working directory, from a `state/taskHistory.json` (cached per version)."""
    del mtime_ns, size  # only part of the cache key
    try:
        items = msgspec.json.decode(Path(path).read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}
    found: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        for key in ("cwdOnTaskInitialization", "shadowGitConfigWorkTree"):
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                found[item["id"]] = value.strip()
                break
    return found


def history_cwd(task_dir: Path) -> str | None:
    """The working directory `state/taskHistory.json` records for a legacy task folder."""
    history = task_dir.parent.parent / "state" / "taskHistory.json"
    try:
        stat = history.stat()
    except OSError:
        return None
    return _task_history(str(history), stat.st_mtime_ns, stat.st_size).get(task_dir.name)


def _manifest(messages_path: Path) -> Mapping[str, Any]:
    """The SDK session manifest `<id>.json` beside `<id>.messages.json`, or {}."""
    stem = messages_path.name[: -len(SDK_SUFFIX)]
    try:
        manifest = msgspec.json.decode(messages_path.with_name(f"{stem}.json").read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def project_for(cwd: str | None) -> str | None:
    """The project of a recorded working directory.

    A Windows path read on another OS (a synced or copied task) is kept as written: resolving
    it here would graft it onto the current directory.
    """
    if not cwd:
        return None
    if os.name != "nt" and _WINDOWS_PATH.match(cwd):
        return cwd.replace("\\", "/")
    return project_of(cwd)


def _task_id(path: Path) -> str | None:
    name = path.parent.name
    if name.isdigit() or path.parent.parent.name == "tasks":
        return name
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- the source --------------------------------------------------------------------------------


class ClineSource(Source):
    """Cline's legacy task files and its SDK session files."""

    tool: ClassVar[str] = TOOL
    label: ClassVar[str] = "Cline"

    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        if system == "Windows":
            appdata = env.get("APPDATA", "").strip()
            base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        elif system == "Darwin":
            base = home / "Library" / "Application Support"
        else:
            config = env.get("XDG_CONFIG_HOME", "").strip()
            base = Path(config) if config and Path(config).is_absolute() else home / ".config"
        tail = Path("User") / "globalStorage" / EXTENSION_ID / "tasks"
        found = [base / product / tail for product in PRODUCTS]
        found += [home / ".vscode-server" / "data" / tail, home / ".vscode-remote" / "data" / tail]
        found.append(sdk_sessions_dir(env, home))
        return found

    def is_transcript(self, path: Path) -> bool:
        name = path.name
        if ".tmp." in name:
            return False
        if name == API_FILE:
            return True
        if name == UI_FILE:
            return not (path.parent / API_FILE).exists()
        return name.endswith(SDK_SUFFIX) and path.parent.name == name[: -len(SDK_SUFFIX)]

    def sniff(self, path: Path, head: bytes) -> bool:
        name = path.name
        if ".tmp." in name:
            return False
        if self.is_transcript(path):
            return True
        if name == UI_FILE:
            return False  # a second view of the api_conversation_history.json beside it
        start = head.lstrip()[:1]
        if start == b"[":
            if name.endswith(API_FILE):
                return True
            if b'"role"' in head and (b"<task>" in head or b"<environment_details>" in head):
                return True
            return b'"ts"' in head and (b'"say"' in head or b'"ask"' in head)
        return (
            start == b"{"
            and name.endswith(SDK_SUFFIX)
            and b'"messages"' in head
            and b'"projectHash"' not in head
        )

    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        data = read_whole_file(path)
        try:
            document = msgspec.json.decode(data)
        except msgspec.DecodeError as exc:
            return unreadable(path, state, f"not valid JSON ({exc})")
        where = str(path)
        cwd = _text(state.context.get("cwd"))
        if isinstance(document, dict):
            manifest = _manifest(path) if path.name.endswith(SDK_SUFFIX) else {}
            cwd = cwd or _text(manifest.get("cwd")) or _text(manifest.get("workspace_root"))
            started = parse_time(manifest.get("started_at")) or parse_time(
                document.get("updated_at")
            )
            found, skipped, seen_cwd = parse_sdk_messages(
                document, where, started=started, human_only=human_only
            )
            session_id = _text(document.get("sessionId")) or _text(manifest.get("session_id"))
            listed = document.get("messages")
            records = len(listed) if isinstance(listed, list) else 0
        elif isinstance(document, list):
            task = _task_id(path)
            session_id = task
            cwd = cwd or (history_cwd(path.parent) if task else None)
            if _is_ui(path, document):
                found, skipped, seen_cwd, records = parse_ui_messages(
                    document, where, human_only=human_only
                )
            else:
                modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                created = parse_time(int(task)) if task and task.isdigit() else None
                found, skipped, seen_cwd = parse_api_history(
                    document,
                    where,
                    created=created or modified,
                    modified=modified,
                    human_only=human_only,
                )
                records = len(document)
        else:
            return unreadable(path, state, "not a Cline transcript (neither array nor object)")
        cwd = cwd or seen_cwd
        project = project_for(cwd)
        messages = [
            Message(
                tool=TOOL,
                author=f.author,
                text=f.text,
                path=where,
                index=f.position,
                message_id=f.message_id,
                session_id=session_id,
                timestamp=f.timestamp,
                project=project,
            )
            for f in found
            if f.position < records
        ]
        return resume_whole(
            path,
            state,
            messages,
            records,
            skipped=skipped,
            context={"cwd": cwd} if cwd else {},
        )


def _is_ui(path: Path, records: Sequence[Any]) -> bool:
    if path.name.endswith(UI_FILE):
        return True
    if path.name.endswith(API_FILE):
        return False
    first = next((r for r in records if isinstance(r, dict)), None)
    return first is not None and "role" not in first and ("say" in first or "ask" in first)


def sdk_sessions_dir(env: Mapping[str, str], home: Path) -> Path:
    """The SDK's sessions folder, with the overrides the SDK honours."""
    if sessions := env.get("CLINE_SESSION_DATA_DIR", "").strip():
        return Path(sessions)
    if data := env.get("CLINE_DATA_DIR", "").strip():
        return Path(data) / "sessions"
    if cline := env.get("CLINE_DIR", "").strip():
        return Path(cline) / "data" / "sessions"
    return home / ".cline" / "data" / "sessions"


def unreadable(path: Path, state: ReadState, reason: str) -> ReadResult:
    """A file that cannot be parsed: reported, nothing read, retried once it changes."""
    stat = path.stat()
    return ReadResult(
        messages=[],
        state=dataclasses.replace(state, size=stat.st_size, mtime_ns=stat.st_mtime_ns),
        skipped=[Skipped(str(path), reason)],
    )
