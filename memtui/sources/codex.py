"""Codex CLI: rollout files under `$CODEX_HOME/sessions` and `$CODEX_HOME/archived_sessions`.

Three generations (formats/transcripts.md §2.2), told apart line by line:

- envelope JSONL (autumn 2025 on): `{"timestamp", "type", "payload"}` lines. `session_meta`
  (line 1) gives the session id and working directory, `turn_context` the current directory.
  The person's words are `event_msg`/`user_message` (HUMAN, located at that line); the same
  text comes again as a `response_item` user message, which is INJECTED like the other user
  messages the harness writes (`<environment_context>`, `# AGENTS.md instructions`,
  `<user_instructions>` ...) and the `developer` messages. Assistant messages are AGENT
  (`event_msg`/`agent_message`, the same text again, is ignored), tool outputs are TOOL, the
  summary of a `compacted` line is INJECTED. `thread_rolled_back` and other events are ignored.
- early Rust bare JSONL (≈ May to Sep 2025): line 1 is the SessionMeta `{id, timestamp, ...}`, the
  other lines bare response items (or `{"record_type": "state"}`), without timestamps: messages
  carry the session's start time. User messages are HUMAN unless injected; the working directory
  is read from the `<environment_context>` message.
- TypeScript CLI (spring 2025) `rollout-*.json`: `{session, items}` rewritten whole; messages are
  located by their `index` in `items`.

`rollout-*.jsonl.zst` (rollouts compressed after a week) are decompressed as a stream and parsed
like the `.jsonl`, with the same line numbers; they never change, so the state of a read is the
compressed size, and a later read of the same size and mtime finds nothing new.

Session id, working directory, start time and generation are carried in ReadState.context
(`session_id`, `cwd`, `started`, `format`), since a read from an offset does not see line 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import msgspec
import zstandard

from memtui.core.transcripts import MINED, Author, Message, ReadResult, ReadState, Skipped
from memtui.sources.base import (
    HEAD_BYTES,
    MAX_LINE_BYTES,
    LineReader,
    Source,
    head_digest,
    parse_time,
    project_of,
    read_whole_file,
    resume_whole,
)

TOOL = "codex"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
CHUNK_BYTES = 1 << 20
"""How much of a compressed file is read at a time."""
INJECTED_PREFIXES = (
    "<environment_context",
    "<user_instructions",
    "# AGENTS.md instructions",
    "<INSTRUCTIONS>",
    "<user_shell_command",
    "<skill",
    "<turn_aborted",
)
"""User-role text that the harness writes, not the person."""
Skip = Callable[[int, str], None]
"""Reports a bad record: its line and why."""
IDE_REQUEST = "## My request for Codex:"
"""The IDE extensions put the editor's context first, then the person's words after this."""


# --- records: only the fields used are declared; unknown fields are skipped undecoded ---------


class _Part(msgspec.Struct):
    type: Any = None
    text: Any = None


class _Item(msgspec.Struct):
    """A response item, an event, or a session's metadata (their fields do not collide)."""

    type: Any = None
    role: Any = None
    content: list[_Part] | str | None = None
    output: Any = None
    id: Any = None
    message: Any = None
    cwd: Any = None
    timestamp: Any = None


class _Line(_Item):
    """A line of a rollout: an envelope around a payload, or (early Rust) a bare item."""

    payload: _Item | None = None
    record_type: Any = None


class _Session(msgspec.Struct):
    id: Any = None
    timestamp: Any = None


class _Rollout(msgspec.Struct):
    """The TypeScript CLI's whole-file rollout."""

    session: _Session | None = None
    items: list[msgspec.Raw] = msgspec.field(default_factory=list)


_LINE = msgspec.json.Decoder(_Line)
_ITEM = msgspec.json.Decoder(_Item)
_ROLLOUT = msgspec.json.Decoder(_Rollout)
_ANY = msgspec.json.Decoder()
_ENVELOPE_TYPES = frozenset(
    {"session_meta", "turn_context", "response_item", "event_msg", "compacted"}
)
_HANDLED_ITEMS = frozenset({"message", "function_call_output", "custom_tool_call_output"})
_ENV_CWD = re.compile(r"<cwd>(.*?)</cwd>", re.DOTALL)
_LONG_FIRST_LINE = re.compile(
    rb'\{"timestamp":"[^"]*","type":"session_meta"|\{"id":"[0-9a-fA-F-]{36}","timestamp":"'
)
"""The beginning of a rollout's first line (envelope, or early Rust SessionMeta)."""
_FIRST_TYPE = re.compile(rb'"type":"([a-z_]+)"')
_CONTEXT_KINDS = frozenset({b"session_meta", b"turn_context"})
_NEVER_TYPED = frozenset(
    {
        b"response_item",  # in an envelope the person's words are the event_msg
        b"compacted",
        b"reasoning",
        b"function_call",
        b"function_call_output",
        b"custom_tool_call",
        b"custom_tool_call_output",
        b"local_shell_call",
        b"web_search_call",
    }
)
_TYPED_TOKENS = (b'"user"', b'"user_message"', b'"session_meta"', b'"turn_context"')
_TS_ROLLOUT = re.compile(rb'\A\s*\{\s*"session"\s*:\s*\{\s*"timestamp"')


def is_injected(text: str) -> bool:
    """Whether a user-role text was written by the harness."""
    return text.lstrip().startswith(INJECTED_PREFIXES)


def request_text(text: str) -> str:
    """The person's words of a user message: after the IDE context when there is one."""
    if IDE_REQUEST in text:
        return text.split(IDE_REQUEST, 1)[1].strip()
    return text.strip()


def _parts_text(content: list[_Part] | str | None) -> str:
    if isinstance(content, str):
        return content
    if not content:
        return ""
    return "\n\n".join(p.text for p in content if isinstance(p.text, str) and p.text)


def _output_text(output: Any) -> str:
    """A tool output: a string (perhaps JSON `{"output": ..., "metadata": ...}`),
    `{content: ...}`, or a list of content items."""
    if isinstance(output, str):
        if output.startswith('{"output":'):
            try:
                inner = _ANY.decode(output)
            except msgspec.DecodeError:
                return output
            if isinstance(inner, dict) and isinstance(inner.get("output"), str):
                return str(inner["output"])
        return output
    if isinstance(output, dict):
        return _output_text(output.get("content"))
    if isinstance(output, list):
        return "\n".join(
            item["text"]
            for item in output
            if isinstance(item, dict) and isinstance(item.get("text"), str)
        )
    return ""


class _Reading:
    """The state of one read: context carried over, messages found."""

    def __init__(self, path: Path, context: Mapping[str, Any], human_only: bool) -> None:
        self.path = str(path)
        self.human_only = human_only
        self.session_id: str | None = _text(context.get("session_id"))
        self.cwd: str | None = _text(context.get("cwd"))
        self.started: str | None = _text(context.get("started"))
        self.format: str | None = _text(context.get("format"))
        self.messages: list[Message] = []

    def context(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "cwd": self.cwd,
            "started": self.started,
            "format": self.format,
        }

    # -- line-oriented generations --

    def line(self, number: int, line: _Line) -> None:
        if line.payload is not None or line.type in _ENVELOPE_TYPES:
            self.format = "envelope"
            if line.payload is not None:
                self._envelope(number, line.type, line.payload, line.timestamp)
        elif line.record_type is not None:
            return  # early Rust state snapshot
        elif line.type is None:
            if isinstance(line.id, str):  # early Rust SessionMeta
                self.format = "bare"
                self.session_id = line.id
                self.started = _text(line.timestamp)
        else:
            self.format = self.format or "bare"
            self.item(line, line=number, timestamp=self.started, envelope=False)

    def _envelope(self, number: int, kind: Any, payload: _Item, timestamp: Any) -> None:
        if kind == "session_meta":
            self.session_id = _text(payload.id) or self.session_id
            self.cwd = _text(payload.cwd) or self.cwd
            self.started = _text(payload.timestamp) or _text(timestamp) or self.started
        elif kind == "turn_context":
            self.cwd = _text(payload.cwd) or self.cwd
        elif kind == "response_item":
            self.item(payload, line=number, timestamp=timestamp, envelope=True)
        elif kind == "event_msg":
            if payload.type == "user_message" and isinstance(payload.message, str):
                text = request_text(payload.message)
                self.add(Author.HUMAN, text, line=number, timestamp=timestamp)
        elif kind == "compacted" and isinstance(payload.message, str):
            self.add(Author.INJECTED, payload.message, line=number, timestamp=timestamp)

    def item(
        self,
        item: _Item,
        *,
        line: int | None = None,
        index: int | None = None,
        timestamp: Any,
        envelope: bool,
    ) -> None:
        """A response item: a message or a tool's output."""
        kind = item.type
        where: dict[str, Any] = {"line": line, "index": index, "timestamp": timestamp}
        if kind == "message":
            text = _parts_text(item.content)
            if item.role == "user":
                if is_injected(text):
                    found = _ENV_CWD.search(text)
                    if found and not self.cwd:
                        self.cwd = found.group(1).strip() or None
                    self.add(Author.INJECTED, text, item.id, **where)
                elif envelope:  # the copy of an event_msg/user_message
                    self.add(Author.INJECTED, text, item.id, **where)
                else:
                    self.add(Author.HUMAN, request_text(text), item.id, **where)
            elif item.role == "assistant":
                self.add(Author.AGENT, text, item.id, **where)
            else:
                self.add(Author.INJECTED, text, item.id, **where)
        elif kind in ("function_call_output", "custom_tool_call_output"):
            self.add(Author.TOOL, _output_text(item.output), item.id, **where)

    def add(
        self,
        author: Author,
        text: str,
        message_id: Any = None,
        *,
        line: int | None = None,
        index: int | None = None,
        timestamp: Any = None,
    ) -> None:
        if (self.human_only and author not in MINED) or not text.strip():
            return
        self.messages.append(
            Message(
                tool=TOOL,
                author=author,
                text=text,
                path=self.path,
                line=line,
                index=index,
                message_id=message_id if isinstance(message_id, str) else self._place(line, index),
                session_id=self.session_id,
                timestamp=parse_time(timestamp if timestamp is not None else self.started),
                project=project_of(self.cwd),
            )
        )

    def _place(self, line: int | None, index: int | None) -> str | None:
        """A stable id for a message without one: the same in a rollout and in its `.zst`."""
        if self.session_id is None:
            return None
        return f"{self.session_id}#L{line}" if line is not None else f"{self.session_id}#{index}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def looks_whole(line: bytes) -> bool:
    """Whether a line has the shape of one JSON object: what a fast read may leave undecoded.

    A line cut short (a crash mid-write) fails this, so it is decoded and reported even when
    it is not one the person's words could be on. (The last line of a compressed file may
    lack its newline.)
    """
    return line.startswith(b"{") and line.endswith((b"}\n", b"}\r\n", b"}"))


def _may_hold_typed_text(number: int, line: bytes) -> bool:
    """Whether a line can hold the person's words or the session's context, without decoding.

    A line names its kind in its first `"type"` (the envelope's, or a bare item's), so the big
    lines (tool outputs, reasoning) are put aside from their first bytes. Quotes inside JSON
    strings are escaped, so a quoted token only ever matches JSON syntax.
    """
    found = _FIRST_TYPE.search(line, 0, 256)
    kind = found.group(1) if found else None
    if kind == b"event_msg":
        return b'"user_message"' in line
    if kind == b"message":  # early Rust: a bare message, the person's if its role is user
        return b'"user"' in line
    if kind in _CONTEXT_KINDS:
        return True
    if kind in _NEVER_TYPED:
        return False
    # Anything else (a SessionMeta, an unknown or oddly spaced line): search it whole.
    return number == 1 or any(token in line for token in _TYPED_TOKENS)


def _parse_line(reading: _Reading, skip: Skip, number: int, raw: bytes) -> None:
    """Decode one line into `reading`; a bad line goes to `skip(number, reason)`."""
    try:
        line = _LINE.decode(raw)
    except msgspec.ValidationError as error:
        _unexpected(skip, number, raw, error)
        return
    except msgspec.DecodeError as error:
        if raw.strip():
            skip(number, f"malformed JSON: {error}")
        return
    reading.line(number, line)


def _unexpected(skip: Skip, number: int, raw: bytes, error: Exception) -> None:
    """JSON, but not shaped as expected: reported if it is a record this parser reads."""
    try:
        record = _ANY.decode(raw)
    except msgspec.DecodeError:
        skip(number, f"malformed JSON: {error}")
        return
    if not isinstance(record, dict):
        skip(number, "not a JSON object")
        return
    payload = record.get("payload")
    item = payload if isinstance(payload, dict) else record
    if item.get("type") in _HANDLED_ITEMS or item.get("type") == "user_message":
        skip(number, f"unexpected {item.get('type')} record: {error}")


class CodexSource(Source):
    """Codex CLI's rollouts, in all three generations, plain or zstd-compressed."""

    tool: ClassVar[str] = TOOL
    label: ClassVar[str] = "Codex CLI"

    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        configured = env.get("CODEX_HOME", "").strip()
        base = Path(configured).expanduser() if configured else home / ".codex"
        return [base / "sessions", base / "archived_sessions"]

    def is_transcript(self, path: Path) -> bool:
        name = path.name
        return name.startswith("rollout-") and name.endswith((".jsonl", ".jsonl.zst", ".json"))

    def sniff(self, path: Path, head: bytes) -> bool:
        name = path.name
        if name.endswith(".json"):
            return _TS_ROLLOUT.match(head) is not None
        if name.endswith(".zst"):
            if not head.startswith(ZSTD_MAGIC):
                return False
            try:
                head = zstandard.ZstdDecompressor().decompressobj().decompress(head)
            except zstandard.ZstdError:
                return False
        elif not name.endswith(".jsonl"):
            return False
        first = head.split(b"\n", 1)[0]
        try:
            record = _ANY.decode(first)
        except msgspec.DecodeError:
            # A first line longer than the head: judge by its beginning.
            return _LONG_FIRST_LINE.match(first) is not None
        if not isinstance(record, dict):
            return False
        if record.get("type") == "session_meta" and isinstance(record.get("payload"), dict):
            return True
        # An early Rust SessionMeta: an id and a start time, nothing of other tools.
        return (
            set(record) <= {"id", "timestamp", "instructions", "git"}
            and {"id", "timestamp"} <= set(record)
            and ("instructions" in record or "git" in record)
        )

    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        name = path.name
        if name.endswith(".zst"):
            return self._read_compressed(path, state, human_only)
        if name.endswith(".json"):
            return self._read_whole(path, state, human_only)
        reader = LineReader(path, state)
        reading = _Reading(path, reader.context, human_only)
        for number, raw in reader:
            if human_only and looks_whole(raw) and not _may_hold_typed_text(number, raw):
                continue
            _parse_line(reading, reader.skip, number, raw)
        return ReadResult(
            messages=reading.messages,
            state=reader.state(
                context=reading.context(),
                last_message_id=_last_id(reading.messages, state, reader.restarted),
            ),
            skipped=reader.skipped,
            restarted=reader.restarted,
        )

    def _read_compressed(self, path: Path, state: ReadState, human_only: bool) -> ReadResult:
        """A `.jsonl.zst`: immutable, so read whole once (as a stream) and then never again."""
        stat = path.stat()
        head = head_digest(path, min(HEAD_BYTES, stat.st_size))
        if (
            state.offset == state.size == stat.st_size
            and state.mtime_ns == stat.st_mtime_ns
            and state.head_hash in (None, head)
        ):
            return ReadResult(messages=[], state=state)
        restarted = state.offset > 0 or state.position > 0
        reading = _Reading(path, {}, human_only)
        skipped: list[Skipped] = []

        def skip(number: int, reason: str) -> None:
            skipped.append(Skipped(str(path), reason, line=number))

        lines = _DecompressedLines(path, skip)
        try:
            for number, raw in lines:
                if human_only and looks_whole(raw) and not _may_hold_typed_text(number, raw):
                    continue
                _parse_line(reading, skip, number, raw)
        except zstandard.ZstdError as error:
            skipped.append(Skipped(str(path), f"cannot decompress: {error}"))
        return ReadResult(
            messages=reading.messages,
            state=ReadState(
                offset=stat.st_size,
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                head_hash=head,
                position=lines.position,
                last_message_id=_last_id(reading.messages, state, True),
                context=reading.context(),
            ),
            skipped=skipped,
            restarted=restarted,
        )

    def _read_whole(self, path: Path, state: ReadState, human_only: bool) -> ReadResult:
        """The TypeScript CLI's `{session, items}` file, rewritten whole."""
        try:
            rollout = _ROLLOUT.decode(read_whole_file(path))
        except (msgspec.DecodeError, msgspec.ValidationError) as error:
            # Perhaps caught mid-rewrite: keep the state, and read it again next time.
            return ReadResult(
                messages=[], state=state, skipped=[Skipped(str(path), f"malformed JSON: {error}")]
            )
        session = rollout.session or _Session()
        reading = _Reading(path, {}, human_only=False)
        reading.session_id = _text(session.id)
        reading.started = _text(session.timestamp)
        reading.format = "typescript"
        skipped: list[Skipped] = []
        for index, raw in enumerate(rollout.items):
            try:
                item = _ITEM.decode(raw)
            except (msgspec.DecodeError, msgspec.ValidationError) as error:
                skipped.append(Skipped(str(path), f"unexpected item: {error}", index=index))
                continue
            reading.item(item, index=index, timestamp=reading.started, envelope=False)
        result = resume_whole(
            path,
            state,
            reading.messages,
            len(rollout.items),
            skipped=skipped,
            context=reading.context(),
        )
        if human_only:
            mined = [m for m in result.messages if m.author in MINED]
            return ReadResult(mined, result.state, result.skipped, result.restarted)
        return result


def _last_id(messages: list[Message], state: ReadState, restarted: bool) -> str | None:
    last = messages[-1].message_id if messages else None
    return last if last is not None or restarted else state.last_message_id


class _DecompressedLines:
    """The lines of a zstd-compressed file, numbered from 1, decompressed as a stream.

    The file is complete, so its last line needs no newline. Over-long lines are skipped. A
    file that ends inside a frame raises ZstdError once the lines before that are given.
    """

    def __init__(self, path: Path, skip: Skip) -> None:
        self.path = path
        self.skip = skip
        self.position = 0

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        rest = b""
        too_long = False  # inside a line longer than MAX_LINE_BYTES
        for chunk in _decompressed(self.path):
            data = rest + chunk if rest else chunk
            start = 0
            while True:
                end = data.find(b"\n", start) + 1
                if not end:
                    break
                self.position += 1
                if too_long or end - start > MAX_LINE_BYTES:
                    too_long = False
                    self.skip(self.position, "line longer than 32 MiB")
                else:
                    yield self.position, data[start:end]
                start = end
            rest = data[start:]
            if len(rest) > MAX_LINE_BYTES:
                too_long, rest = True, b""
        if rest or too_long:
            self.position += 1
            if too_long:
                self.skip(self.position, "line longer than 32 MiB")
            else:
                yield self.position, rest


def _decompressed(path: Path) -> Iterator[bytes]:
    """The decompressed bytes of a file of zstd frames, chunk by chunk."""
    unpacker = zstandard.ZstdDecompressor()
    frame = unpacker.decompressobj()
    fed = False
    with path.open("rb") as handle:
        while data := handle.read(CHUNK_BYTES):
            while data:
                fed = True
                out = frame.decompress(data)
                if out:
                    yield out
                data = b""
                if frame.eof:  # the next frame, if any, starts in what is left
                    data = frame.unused_data
                    frame = unpacker.decompressobj()
                    fed = False
    if fed and not frame.eof:
        raise zstandard.ZstdError("the file ends inside a zstd frame")
