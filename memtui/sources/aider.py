"""Aider: `.aider.chat.history.md`, the markdown log aider appends to in each repository
(formats/transcripts.md §5).

There is no central folder: roots() names only `AIDER_CHAT_HISTORY_FILE` when it is set, and
the files are otherwise found below the folders the user names, by their name (or, renamed, by
the `# aider chat started at` header). `.aider.input.history` repeats the typed input and is not
read. The project is the folder holding the file.

The log, read line by line as it grows:

- `# aider chat started at YYYY-MM-DD HH:MM:SS` starts a session: its local time is the
  timestamp of the session's messages, and its text the session id.
- A run of `#### ` lines is one user turn (aider writes every input line as `#### <line>  `,
  ending in two spaces, which is also what tells it from an agent's `#### ` heading), located at
  its first line; the prefix and the two spaces are removed. It is HUMAN unless it is one of:
  - a slash command (`/add`, `/model`, a bare `/ask` ...): INJECTED; but the prompt after
    `/ask`, `/code`, `/architect` or `/context` is HUMAN (its text is the prompt alone), and so
    is a shell command the person typed (`/run ...`, `!...`);
  - the copy aider logs again right after such a prompt, when the new chat mode runs it
    (the next turn, with the same text): INJECTED;
  - a confirmation: a question logged with its answer (`Add file to the chat? (Y)es/(N)o ...
    [Yes]: all`) or a bare answer (`y`, `no`, `all`, `skip`, `d` ...), or a blank input
    (`<blank>`): INJECTED;
  - an architect-mode plan: the architect model's reply is handed to the editor model as its
    input and logged as a `#### ` turn. A turn whose lines equal, line for line (surrounding
    white space aside), the agent text just before it (with only `> ` output between) is that
    plan: INJECTED.
- `> ` lines (and the unprefixed continuation lines of a multi-line output, up to the line
  ending in two spaces) are TOOL: version banners, `Added x to the chat`, commits, prompts
  with their answers, token counts.
- Any other text is AGENT.

What one read must tell the next (the session, the last agent reply's digest, a pending chat
mode prompt, an unfinished output) is kept in ReadState.context. A last line without its
newline is left for the next read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from memtui.core.paths import real
from memtui.core.transcripts import MINED, Author, Message, ReadResult, ReadState
from memtui.sources.base import LineReader, Source, parse_time, project_of

TOOL = "aider"
CHAT_FILE = ".aider.chat.history.md"
INPUT_FILE = ".aider.input.history"
CHAT_COMMANDS = frozenset({"/ask", "/code", "/architect", "/context"})
"""Slash commands whose argument is a prompt to the model."""
ANSWERS = frozenset(
    {"y", "n", "yes", "no", "a", "all", "s", "skip", "d", "don't", "dont", "don't ask again"}
)
"""What a person types to answer aider's confirmation prompts."""
_HEADER = re.compile(r"# aider chat started at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s*\Z")
_CONFIRMATION = re.compile(r"\(Y\)es/\(N\)o.*\]:\s*\S*\s*\Z", re.S)
_HEAD_MARK = re.compile(rb"^# aider chat started at \d{4}-\d{2}-\d{2} ", re.M)


def _digest(lines: list[str]) -> str:
    """Digest of text compared line by line, white space around lines and the text ignored."""
    text = "\n".join(line.strip() for line in lines).strip("\n")
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _is_turn_line(line: str) -> bool:
    return line.startswith("#### ") and line.endswith("  ")


def _is_tool_line(line: str) -> bool:
    return line.startswith("> ") or line.rstrip() == ">"


class ChatLog:
    """A parse of the chat log, fed line by line; what it found is in `messages`."""

    def __init__(
        self,
        path: str,
        context: Mapping[str, Any] | None = None,
        *,
        project: str | None = None,
        human_only: bool = False,
    ) -> None:
        context = context or {}
        self.path = path
        self.project = project
        self.human_only = human_only
        self.session = _text(context.get("session"))
        self.agent_digest = _text(context.get("agent_digest"))
        self.prompt_digest = _text(context.get("prompt_digest"))
        self.output_open = context.get("output_open") is True
        self.messages: list[Message] = []
        self._kind: Author | None = None
        self._start = 0
        self._lines: list[str] = []

    def feed(self, number: int, line: str) -> None:
        """Take in line `number` (1-based), without its line ending."""
        if match := _HEADER.match(line):
            self.flush()
            self.session = match.group(1)
            self.agent_digest = self.prompt_digest = None
            self.output_open = False
            return
        if _is_turn_line(line):
            self._extend(Author.HUMAN, number, line[5:-2])
            self.output_open = False
            return
        if self._kind is Author.HUMAN:
            self.flush()
        if _is_tool_line(line) or (self.output_open and line.strip()):
            self._extend(Author.TOOL, number, (line[2:] if _is_tool_line(line) else line).rstrip())
            self.output_open = not line.endswith("  ")
            return
        self.output_open = False
        if not line.strip():
            if self._kind is Author.TOOL:
                self.flush()
            elif self._kind is Author.AGENT:
                self._lines.append("")
            return
        self._extend(Author.AGENT, number, line)

    def flush(self) -> None:
        """End the block being read (at a change of block, or at the end of the data)."""
        kind, lines = self._kind, self._lines
        self._kind, self._lines = None, []
        if kind is Author.HUMAN:
            author, text = self._turn(lines)
        elif kind is Author.AGENT:
            self.agent_digest = _digest(lines)
            author, text = kind, "\n".join(lines).strip()
        elif kind is Author.TOOL:
            author, text = kind, "\n".join(lines).strip()
        else:
            return
        if text and (not self.human_only or author in MINED):
            self.messages.append(
                Message(
                    tool=TOOL,
                    author=author,
                    text=text,
                    path=self.path,
                    line=self._start,
                    session_id=self.session,
                    timestamp=parse_time(self.session),
                    project=self.project,
                )
            )

    def context(self) -> dict[str, Any]:
        """What the next read needs to go on from here."""
        return {
            "session": self.session,
            "agent_digest": self.agent_digest,
            "prompt_digest": self.prompt_digest,
            "output_open": self.output_open,
        }

    def _extend(self, kind: Author, number: int, line: str) -> None:
        if self._kind is not kind:
            self.flush()
            self._kind, self._start = kind, number
        self._lines.append(line)

    def _turn(self, lines: list[str]) -> tuple[Author, str]:
        """Who wrote a `#### ` turn, and its text."""
        text = "\n".join(lines).strip()
        digest = _digest(lines)
        prompt, self.prompt_digest = self.prompt_digest, None
        plan, self.agent_digest = self.agent_digest, None
        if not text or text == "<blank>":
            return Author.INJECTED, text
        if _CONFIRMATION.search(text) or text.lower() in ANSWERS:
            return Author.INJECTED, text
        if text.startswith(("/", "!")):
            command, rest = ([*text.split(None, 1), ""])[:2]
            command, rest = command.lower(), rest.strip()
            if command in CHAT_COMMANDS and rest:
                self.prompt_digest = _digest(rest.splitlines())
                return Author.HUMAN, rest
            if (command == "/run" and rest) or (text.startswith("!") and len(text) > 1):
                return Author.HUMAN, text
            return Author.INJECTED, text
        if digest in (prompt, plan):
            return Author.INJECTED, text  # the chat mode's copy of a prompt, or a plan
        return Author.HUMAN, text


def parse_chat_history(
    lines: list[str], path: str, *, project: str | None = None, human_only: bool = False
) -> list[Message]:
    """The messages of a whole chat log given as lines (without line endings)."""
    log = ChatLog(path, project=project, human_only=human_only)
    for number, line in enumerate(lines, 1):
        log.feed(number, line)
    log.flush()
    return log.messages


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class AiderSource(Source):
    """Aider's per-repository chat logs."""

    tool: ClassVar[str] = TOOL
    label: ClassVar[str] = "Aider"

    def roots(self, env: Mapping[str, str], home: Path, system: str) -> list[Path]:
        named = env.get("AIDER_CHAT_HISTORY_FILE", "").strip()
        return [Path(named).expanduser()] if named else []

    def is_transcript(self, path: Path) -> bool:
        return path.name.endswith(CHAT_FILE)

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.name.endswith(INPUT_FILE):
            return False
        return self.is_transcript(path) or _HEAD_MARK.search(head[:4096]) is not None

    def read(self, path: Path, state: ReadState, *, human_only: bool = False) -> ReadResult:
        reader = LineReader(path, state)
        log = ChatLog(
            str(path),
            reader.context,
            project=project_of(str(real(path.parent))),
            human_only=human_only,
        )
        for number, raw in reader:
            log.feed(number, raw.decode("utf-8", "replace").rstrip("\r\n"))
        log.flush()
        return ReadResult(
            messages=log.messages,
            state=reader.state(context=log.context()),
            skipped=reader.skipped,
            restarted=reader.restarted,
        )
