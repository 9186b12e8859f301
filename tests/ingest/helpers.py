"""Claude Code transcripts written by the tests, line by line, as the CLI appends them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

RULES = [
    "Never run migrations against prod.",
    "Always use pnpm, not npm, in this repo.",
    "We decided to keep the API on FastAPI.",
    "I prefer small commits with short messages.",
    "Tests live next to the code, in .ts files.",
    "Don't touch the generated files in src/gen.",
]


def user_line(text: str, *, session: str = "s-1", cwd: str = "/home/dev/code/shop") -> str:
    """A typed prompt record."""
    return (
        json.dumps(
            {
                "parentUuid": None,
                "isSidechain": False,
                "userType": "external",
                "cwd": cwd,
                "sessionId": session,
                "version": "2.1.39",
                "type": "user",
                "uuid": str(uuid.uuid4()),
                "timestamp": "2026-11-20T10:00:00.000Z",
                "message": {"role": "user", "content": text},
            }
        )
        + "\n"
    )


def agent_line(text: str, *, session: str = "s-1") -> str:
    """An assistant text record."""
    return (
        json.dumps(
            {
                "parentUuid": None,
                "isSidechain": False,
                "cwd": "/home/dev/code/shop",
                "sessionId": session,
                "type": "assistant",
                "uuid": str(uuid.uuid4()),
                "timestamp": "2026-11-20T10:00:01.000Z",
                "message": {
                    "id": f"msg_{uuid.uuid4().hex[:12]}",
                    "role": "assistant",
                    "content": [{"type": "text", "text": text}],
                },
            }
        )
        + "\n"
    )


class Transcripts:
    """A fake ~/.claude/projects folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "projects" / "-home-dev-code-shop"
        self.folder.mkdir(parents=True)

    def write(self, name: str, *lines: str) -> Path:
        path = self.folder / f"{name}.jsonl"
        path.write_text("".join(lines))
        return path

    def append(self, path: Path, *lines: str) -> None:
        with path.open("a") as handle:
            handle.write("".join(lines))


def tool_output_line(size: int, *, session: str = "s-1") -> str:
    """A tool result of about `size` bytes, as the bulk of real transcripts is."""
    return (
        json.dumps(
            {
                "parentUuid": None,
                "isSidechain": False,
                "cwd": "/home/dev/code/shop",
                "sessionId": session,
                "type": "user",
                "uuid": str(uuid.uuid4()),
                "timestamp": "2026-11-20T10:00:02.000Z",
                "message": {
                    "role": "user",
                    "content": [
                        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "x" * size}
                    ],
                },
            }
        )
        + "\n"
    )
