"""Gemini CLI chat recordings: the append-only `.jsonl` and the rewritten `.json` sessions."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from memtui.core.transcripts import Author, Message, ReadState
from memtui.sources.gemini import GeminiSource, parse_session, user_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "gemini" / "home"
SOURCE = GeminiSource()
WEATHER = "/home/dev/weather-app"
LEGACY = "/home/dev/legacy-site"
SESSION_ID = "3f2a9c1d-5b7e-4c21-9a0d-2e6f8b4c7a11"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A copy of the fixture home folder (`.gemini/` inside)."""
    shutil.copytree(FIXTURE, tmp_path / "home")
    return tmp_path / "home"


def chats(home: Path) -> Path:
    return home / ".gemini" / "tmp" / "weather-app" / "chats"


def session(home: Path) -> Path:
    return chats(home) / "session-2026-04-20T09-15-3f2a9c1d.jsonl"


def legacy(home: Path) -> Path:
    return (
        home / ".gemini" / "tmp" / sha(LEGACY) / "chats" / "session-2025-11-02T14-03-8b1e77aa.json"
    )


def found(messages: list[Message]) -> list[tuple[int | None, Author, str, str | None]]:
    return [
        (m.line if m.line is not None else m.index, m.author, m.text, m.message_id)
        for m in messages
    ]


def append(path: Path, *records: object) -> None:
    with path.open("a") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records)


def user(record_id: str, text: str) -> dict[str, object]:
    return {
        "id": record_id,
        "timestamp": "2026-04-20T10:00:00.000Z",
        "type": "user",
        "content": [{"text": text}],
    }


# --- .jsonl ------------------------------------------------------------------------------------


def test_jsonl_session(home: Path) -> None:
    result = SOURCE.read(session(home), ReadState())

    assert found(result.messages) == [
        (
            2,
            Author.HUMAN,
            "Show temperatures in Celsius by default; we only ship to EU users.",
            "a41f0e6b-0001",
        ),
        (4, Author.AGENT, "I'll make Celsius the default unit.", "b7e1c2d4-0001"),
        (5, Author.TOOL, "Edit: Updated src/units.ts", "replace-1745140515-1"),
        (7, Author.HUMAN, "Fix the chart legend @src/chart.ts", "a41f0e6b-0002"),
        (8, Author.INJECTED, "Request cancelled.", "c0ffee00-0001"),
        (9, Author.INJECTED, "/stats", "a41f0e6b-0003"),
        (14, Author.HUMAN, "Use pnpm for installs in this repo; CI already does.", "a41f0e6b-0005"),
        (15, Author.INJECTED, "Approaching the context window limit.", "c0ffee00-0002"),
    ]
    assert result.skipped == []
    assert result.state.position == 15
    assert result.state.last_message_id == "c0ffee00-0002"


def test_jsonl_session_id_times_and_project(home: Path) -> None:
    messages = SOURCE.read(session(home), ReadState()).messages

    assert {m.session_id for m in messages} == {SESSION_ID}
    assert {m.project for m in messages} == {WEATHER}  # from .project_root
    assert {m.tool for m in messages} == {"gemini"}
    assert all(m.index is None for m in messages)
    assert messages[0].timestamp == datetime(2026, 4, 20, 9, 15, 10, 2000, tzinfo=UTC)


def test_human_only(home: Path) -> None:
    result = SOURCE.read(session(home), ReadState(), human_only=True)

    assert [(m.line, m.author) for m in result.messages] == [
        (2, Author.HUMAN),
        (7, Author.HUMAN),
        (14, Author.HUMAN),
    ]


def test_a_subagents_prompts_are_injected(home: Path) -> None:
    path = chats(home) / SESSION_ID / "codebase-investigator-7c1d.jsonl"

    result = SOURCE.read(path, ReadState())

    assert found(result.messages) == [
        (2, Author.INJECTED, "Find where temperature units are converted.", "e9d8-0001"),
        (3, Author.AGENT, "Units are converted in src/units.ts.", "e9d8-0002"),
    ]
    assert {m.session_id for m in result.messages} == {"codebase-investigator-7c1d"}
    assert SOURCE.read(path, ReadState(), human_only=True).messages == []


def test_appended_records_come_back_alone(home: Path) -> None:
    path = session(home)
    first = SOURCE.read(path, ReadState())
    append(path, user("a41f0e6b-0006", "The API key lives in .env.local, never commit it."))

    second = SOURCE.read(path, first.state)

    assert found(second.messages) == [
        (16, Author.HUMAN, "The API key lives in .env.local, never commit it.", "a41f0e6b-0006")
    ]
    assert second.messages[0].session_id == SESSION_ID  # from the context, not line 1
    assert second.messages[0].project == WEATHER
    assert not second.restarted
    assert SOURCE.read(path, second.state).messages == []


def test_a_record_appended_again_is_not_reported_twice(home: Path) -> None:
    path = session(home)
    first = SOURCE.read(path, ReadState())
    again = user("a41f0e6b-0005", "Use pnpm for installs in this repo; CI already does.")
    again["timestamp"] = "2026-04-20T09:19:05.250Z"
    append(path, again)

    assert SOURCE.read(path, first.state).messages == []


def test_a_record_appended_with_new_text_is_reported_again(home: Path) -> None:
    path = session(home)
    first = SOURCE.read(path, ReadState())
    append(path, user("a41f0e6b-0005", "Use pnpm for installs and scripts in this repo."))

    second = SOURCE.read(path, first.state)

    assert found(second.messages) == [
        (16, Author.HUMAN, "Use pnpm for installs and scripts in this repo.", "a41f0e6b-0005")
    ]


def test_a_rewind_drops_the_rewound_messages(home: Path) -> None:
    """Lines 11-12 are rewound by line 13: read whole, they never show."""
    result = SOURCE.read(session(home), ReadState())

    assert "a41f0e6b-0004" not in {m.message_id for m in result.messages}
    assert "b7e1c2d4-0002" not in {m.message_id for m in result.messages}
    assert "a41f0e6b-0004" not in result.state.context["seen"]
    assert "a41f0e6b-0004" not in result.state.context["order"]


def test_a_rewind_after_a_read_keeps_what_was_reported(home: Path) -> None:
    path = session(home)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:12]))
    first = SOURCE.read(path, ReadState(), human_only=True)
    with path.open("a") as handle:
        handle.write("".join(lines[12:]))

    second = SOURCE.read(path, first.state, human_only=True)

    assert [m.line for m in first.messages] == [2, 7, 11]  # 11: reported before its rewind
    assert [m.line for m in second.messages] == [14]
    assert "a41f0e6b-0004" not in second.state.context["seen"]


def test_a_rewind_to_an_unknown_id_empties_the_conversation(home: Path) -> None:
    path = session(home)
    path.write_text(path.read_text().splitlines(keepends=True)[0])
    append(path, user("x-1", "first"), {"$rewindTo": "not-there"}, user("x-2", "second"))

    result = SOURCE.read(path, ReadState())

    assert found(result.messages) == [(4, Author.HUMAN, "second", "x-2")]
    assert result.state.context["order"] == ["x-2"]


def test_a_line_without_its_newline_waits(home: Path) -> None:
    path = session(home)
    first = SOURCE.read(path, ReadState())
    text = json.dumps(user("a41f0e6b-0007", "Dark mode follows the OS setting."))
    with path.open("a") as handle:
        handle.write(text[:30])

    waiting = SOURCE.read(path, first.state)
    with path.open("a") as handle:
        handle.write(text[30:] + "\n")
    done = SOURCE.read(path, waiting.state)

    assert waiting.messages == []
    assert waiting.skipped == []
    assert found(done.messages) == [
        (16, Author.HUMAN, "Dark mode follows the OS setting.", "a41f0e6b-0007")
    ]


def test_malformed_lines_are_skipped_and_reported(home: Path) -> None:
    path = session(home)
    path.write_text(path.read_text().splitlines(keepends=True)[0])
    with path.open("a") as handle:
        handle.write('{"id": "broken", "type": "us\n')
        handle.write("[1, 2]\n")
        handle.write('{"id": 42, "type": "user", "content": "numbered"}\n')
        handle.write('{"$rewindTo": 7}\n')
        handle.write('{"$set": "oops"}\n')
        handle.write("\n")
    append(path, user("ok-1", "Still read after the bad lines."))

    result = SOURCE.read(path, ReadState())

    assert [(s.line, s.reason.split(" (")[0]) for s in result.skipped] == [
        (2, "not valid JSON"),
        (3, "not a JSON object"),
        (4, "message id is not a string"),
        (5, "$rewindTo without a message id"),
        (6, "$set without an object"),
    ]
    assert result.skipped[0].where() == f"{path}:2"
    assert found(result.messages) == [(8, Author.HUMAN, "Still read after the bad lines.", "ok-1")]


def test_a_rewritten_jsonl_restarts(home: Path) -> None:
    path = session(home)
    first = SOURCE.read(path, ReadState())
    header = {"sessionId": "new-session", "projectHash": sha(WEATHER), "kind": "main"}
    path.write_text(
        json.dumps(header) + "\n" + json.dumps(user("n-1", "Hello again.")) + "\n" + "\n" * 3000
    )

    again = SOURCE.read(path, first.state)

    assert again.restarted
    assert found(again.messages) == [(2, Author.HUMAN, "Hello again.", "n-1")]
    assert again.messages[0].session_id == "new-session"


def test_the_project_comes_from_the_registry_without_a_marker(home: Path) -> None:
    (home / ".gemini" / "tmp" / "weather-app" / ".project_root").unlink()

    messages = SOURCE.read(session(home), ReadState()).messages

    assert {m.project for m in messages} == {WEATHER}


def test_the_project_is_unknown_without_marker_or_registry(home: Path) -> None:
    (home / ".gemini" / "tmp" / "weather-app" / ".project_root").unlink()
    (home / ".gemini" / "projects.json").unlink()

    messages = SOURCE.read(session(home), ReadState()).messages

    assert {m.project for m in messages} == {None}


def test_user_text_prefers_what_was_typed() -> None:
    assert user_text({"content": "typed"}) == "typed"
    assert user_text({"content": [{"text": "a"}, {"text": "b"}]}) == "ab"
    referenced = [
        {"text": "Explain @x.py"},
        {"text": "\n--- Content from referenced files ---"},
        {"text": "print(1)"},
    ]
    assert user_text({"content": referenced}) == "Explain @x.py"
    assert user_text({"content": referenced, "displayContent": "Explain @x.py!"}) == (
        "Explain @x.py!"
    )
    assert user_text({"content": [{"text": "hidden", "thought": True}, {"text": "shown"}]}) == (
        "shown"
    )


# --- .json -------------------------------------------------------------------------------------


def test_json_session(home: Path) -> None:
    result = SOURCE.read(legacy(home), ReadState())

    assert found(result.messages) == [
        (0, Author.HUMAN, "Keep the site static: no server-side rendering.", "m-1"),
        (1, Author.AGENT, "Understood, I'll keep the build static.", "m-2"),
        (1, Author.TOOL, "ReadFile", "read_file-1"),
        (2, Author.HUMAN, "Deploy previews go to Netlify.", "m-3"),
        (3, Author.INJECTED, "API error: quota exceeded.", "m-4"),
    ]
    assert all(m.line is None for m in result.messages)
    assert {m.session_id for m in result.messages} == {"8b1e77aa-93c4-4f0e-b5a2-61d0c3e9f412"}
    assert {m.project for m in result.messages} == {LEGACY}  # hash folder, via projects.json
    assert result.messages[0].timestamp == datetime(2025, 11, 2, 14, 3, 15, tzinfo=UTC)
    assert result.state.position == 4


def rewrite(path: Path, change: object) -> None:
    document = json.loads(path.read_text())
    if callable(change):
        change(document)
    path.write_text(json.dumps(document, indent=2) + "\n")


def test_a_rewritten_json_gives_only_the_new_messages(home: Path) -> None:
    path = legacy(home)
    first = SOURCE.read(path, ReadState(), human_only=True)
    rewrite(path, lambda d: d["messages"].append(user("m-5", "Images go through the CDN.")))

    second = SOURCE.read(path, first.state, human_only=True)

    assert found(second.messages) == [(4, Author.HUMAN, "Images go through the CDN.", "m-5")]
    assert not second.restarted
    assert second.state.position == 5
    assert SOURCE.read(path, second.state, human_only=True).messages == []


def test_a_json_whose_earlier_messages_changed_restarts(home: Path) -> None:
    path = legacy(home)
    first = SOURCE.read(path, ReadState(), human_only=True)

    def edit(document: dict[str, list[dict[str, object]]]) -> None:
        document["messages"][0]["content"] = "Keep the site static."
        document["messages"].append(user("m-5", "Images go through the CDN."))

    rewrite(path, edit)
    again = SOURCE.read(path, first.state, human_only=True)

    assert again.restarted
    assert [m.index for m in again.messages] == [0, 2, 4]


def test_a_truncated_json_is_reported_not_raised(home: Path) -> None:
    path = legacy(home)
    first = SOURCE.read(path, ReadState())
    path.write_text(path.read_text()[:200])

    broken = SOURCE.read(path, first.state)

    assert broken.messages == []
    assert len(broken.skipped) == 1
    assert broken.skipped[0].reason.startswith("not valid JSON")
    assert broken.skipped[0].where() == str(path)
    assert broken.state.position == first.state.position
    assert broken.state.size == path.stat().st_size


def test_bad_json_records_are_reported_by_index() -> None:
    document = {
        "messages": [{"id": "a", "type": "user", "content": "hi"}, "junk", {"type": "user"}]
    }

    messages, skipped, records = parse_session(document, "s.json")

    assert [(m.position, m.text) for m in messages] == [(0, "hi")]
    assert [(s.index, s.where()) for s in skipped] == [(1, "s.json[1]"), (2, "s.json[2]")]
    assert records == 3


# --- where and what ----------------------------------------------------------------------------


@pytest.mark.parametrize("system", ["Linux", "Darwin", "Windows"])
def test_roots(tmp_path: Path, system: str) -> None:
    assert SOURCE.roots({}, tmp_path, system) == [tmp_path / ".gemini" / "tmp"]
    env = {"GEMINI_CLI_HOME": str(tmp_path / "alt")}
    assert SOURCE.roots(env, tmp_path, system) == [tmp_path / "alt" / ".gemini" / "tmp"]
    assert SOURCE.tool == "gemini"
    assert SOURCE.label == "Gemini CLI"


def test_which_files_are_transcripts(home: Path) -> None:
    tmp = home / ".gemini" / "tmp"

    assert SOURCE.is_transcript(session(home))
    assert SOURCE.is_transcript(chats(home) / SESSION_ID / "codebase-investigator-7c1d.jsonl")
    assert SOURCE.is_transcript(legacy(home))
    assert not SOURCE.is_transcript(tmp / "weather-app" / "logs.json")
    assert not SOURCE.is_transcript(home / ".gemini" / "projects.json")
    assert not SOURCE.is_transcript(chats(home) / "checkpoint-before-refactor.json")
    assert not SOURCE.is_transcript(chats(home) / "session-x.jsonl.unreadable-1713600000000")


def test_a_json_resumed_into_jsonl_is_no_longer_a_transcript(home: Path) -> None:
    path = legacy(home)
    path.with_name(path.name + "l").write_text("")

    assert not SOURCE.is_transcript(path)


def test_sniff(tmp_path: Path, home: Path) -> None:
    head = session(home).read_bytes()[:4096]
    renamed = tmp_path / "someone__session.jsonl"

    assert SOURCE.sniff(renamed, head)
    assert SOURCE.sniff(tmp_path / "x.json", legacy(home).read_bytes()[:4096])
    assert not SOURCE.sniff(tmp_path / "x.jsonl", b'{"type":"session_meta","payload":{}}\n')
    assert not SOURCE.sniff(tmp_path / "x.md", head)
