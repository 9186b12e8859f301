"""Cline: legacy task files (api_conversation_history.json, ui_messages.json) and SDK sessions."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from memtui.core.transcripts import Author, Message, ReadState
from memtui.sources.cline import (
    ClineSource,
    parse_api_history,
    parse_ui_messages,
    split_user_content,
)

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cline"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SOURCE = ClineSource()
TASK = "1750000000000"
UI_TASK = "1750000100000"
SDK_SESSION = "1784094124598_k3x9q"
SUBAGENT_SESSION = "1784094200000_s7b2m"

HUMAN = [
    (0, "Add a /health endpoint to the API. We deploy with `make release`, never by hand."),
    (4, "Use FastAPI, not Flask. We moved off Flask last year."),
    (6, "The API listens on 8080 behind nginx."),
    (8, "Also add a test; keep API tests in tests/api/."),
    (10, "Looks good, thanks!"),
]


@pytest.fixture
def storage(tmp_path: Path) -> Path:
    """A copy of the fixture globalStorage folder of the extension."""
    shutil.copytree(FIXTURE / "globalStorage", tmp_path / "globalStorage")
    return tmp_path / "globalStorage" / "saoudrizwan.claude-dev"


@pytest.fixture
def sessions(tmp_path: Path) -> Path:
    """A copy of the fixture SDK data folder's sessions."""
    shutil.copytree(FIXTURE / "cline-home", tmp_path / "cline-home")
    return tmp_path / "cline-home" / "data" / "sessions"


def api(storage: Path) -> Path:
    return storage / "tasks" / TASK / "api_conversation_history.json"


def by(messages: list[Message], author: Author) -> list[tuple[int | None, str]]:
    return [(m.index, m.text) for m in messages if m.author is author]


def rewrite(path: Path, records: list[Any]) -> None:
    """Save as Cline does: the whole array, compact, on one line."""
    path.write_text(json.dumps(records, separators=(",", ":")))


# --- api_conversation_history.json -------------------------------------------------------------


def test_the_persons_words_are_the_tagged_text(storage: Path) -> None:
    result = SOURCE.read(api(storage), ReadState())

    assert by(result.messages, Author.HUMAN) == HUMAN
    assert result.skipped == []
    assert result.state.position == 11


def test_tool_results_and_harness_text(storage: Path) -> None:
    messages = SOURCE.read(api(storage), ReadState()).messages
    tools = dict(by(messages, Author.TOOL))
    injected = dict(by(messages, Author.INJECTED))
    agents = dict(by(messages, Author.AGENT))

    assert "<feedback>" in tools[2]  # a file's content, not the person's feedback
    assert 2 not in dict(by(messages, Author.HUMAN))
    assert tools[4].startswith("[replace_in_file for 'src/shop/app.py'] Result:")
    assert "Use FastAPI" not in tools[4]
    assert injected[6].startswith("# TODO LIST UPDATE REQUIRED")
    assert injected[8].startswith("[TASK RESUMPTION]")
    assert agents == {
        1: "I'll read the app module first.",
        7: "The endpoint is in place.",
        9: "Added tests/api/test_health.py.",
    }
    assert not any("environment_details" in m.text for m in messages)


def test_task_id_times_and_project(storage: Path) -> None:
    path = api(storage)
    messages = SOURCE.read(path, ReadState()).messages
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)

    assert {m.session_id for m in messages} == {TASK}
    assert {m.project for m in messages} == {"/home/dev/shop"}
    assert {m.tool for m in messages} == {"cline"}
    assert all(m.line is None and m.message_id is None for m in messages)
    assert messages[0].timestamp == datetime(2025, 6, 15, 15, 6, 40, tzinfo=UTC)  # the task id
    assert {m.timestamp for m in messages[1:]} == {modified}


def test_the_task_history_gives_the_project(storage: Path) -> None:
    history = storage / "state" / "taskHistory.json"
    items = json.loads(history.read_text())
    items[1]["cwdOnTaskInitialization"] = "/srv/checkout/shop"
    history.write_text(json.dumps(items))

    result = SOURCE.read(api(storage), ReadState())

    assert {m.project for m in result.messages} == {"/srv/checkout/shop"}
    assert result.state.context == {"cwd": "/srv/checkout/shop"}


def test_without_task_history_the_environment_details_give_the_project(
    storage: Path, tmp_path: Path
) -> None:
    alone = tmp_path / "export" / TASK
    shutil.copytree(storage / "tasks" / TASK, alone)

    messages = SOURCE.read(alone / "api_conversation_history.json", ReadState()).messages

    assert {m.project for m in messages} == {"/home/dev/shop"}
    assert {m.session_id for m in messages} == {TASK}


def test_human_only(storage: Path) -> None:
    result = SOURCE.read(api(storage), ReadState(), human_only=True)

    assert by(result.messages, Author.HUMAN) == HUMAN
    assert len(result.messages) == len(HUMAN)


def test_a_rewrite_with_one_more_message_gives_only_it(storage: Path) -> None:
    path = api(storage)
    first = SOURCE.read(path, ReadState(), human_only=True)
    records = json.loads(path.read_text())
    records += [
        {"role": "assistant", "content": [{"type": "text", "text": "Anything else?"}]},
        {
            "role": "user",
            "content": [
                {
                    "type": "text",
                    "text": "[plan_mode_respond] Result:\n<user_message>\n"
                    "Prefer small PRs, one endpoint each.\n</user_message>",
                }
            ],
        },
    ]
    rewrite(path, records)

    second = SOURCE.read(path, first.state, human_only=True)

    assert by(second.messages, Author.HUMAN) == [(12, "Prefer small PRs, one endpoint each.")]
    assert not second.restarted
    assert second.state.position == 13
    assert SOURCE.read(path, second.state, human_only=True).messages == []


def test_a_rewrite_that_changes_earlier_messages_restarts(storage: Path) -> None:
    path = api(storage)
    first = SOURCE.read(path, ReadState(), human_only=True)
    records = json.loads(path.read_text())
    records[4]["content"][0]["text"] = records[4]["content"][0]["text"].replace(
        "FastAPI", "Starlette"
    )
    rewrite(path, records)

    again = SOURCE.read(path, first.state, human_only=True)

    assert again.restarted
    assert [index for index, _ in by(again.messages, Author.HUMAN)] == [0, 4, 6, 8, 10]


def test_a_shorter_rewrite_restarts(storage: Path) -> None:
    path = api(storage)
    first = SOURCE.read(path, ReadState(), human_only=True)
    rewrite(path, json.loads(path.read_text())[:5])

    again = SOURCE.read(path, first.state, human_only=True)

    assert again.restarted
    assert [index for index, _ in by(again.messages, Author.HUMAN)] == [0, 4]


def test_malformed_entries_are_skipped_and_reported(storage: Path) -> None:
    path = api(storage)
    records = json.loads(path.read_text())
    records[1] = "not a message"
    records[3] = {"role": "assistant"}
    rewrite(path, records)

    result = SOURCE.read(path, ReadState())

    assert [(s.index, s.where()) for s in result.skipped] == [(1, f"{path}[1]"), (3, f"{path}[3]")]
    assert by(result.messages, Author.HUMAN) == HUMAN


@pytest.mark.parametrize("content", ['[{"role":"user","content":[{"type":"te', "", "42"])
def test_a_garbled_file_is_reported_not_raised(storage: Path, content: str) -> None:
    path = api(storage)
    first = SOURCE.read(path, ReadState())
    path.write_text(content)

    broken = SOURCE.read(path, first.state)

    assert broken.messages == []
    assert len(broken.skipped) == 1
    assert broken.skipped[0].where() == str(path)
    assert broken.state.position == first.state.position
    assert broken.state.head_hash == first.state.head_hash
    assert broken.state.size == path.stat().st_size


def test_tags_in_a_tool_result_count_only_where_the_harness_puts_them() -> None:
    parts = split_user_content(
        [
            {
                "type": "text",
                "text": "[ask_followup_question for 'Ship?'] Result:\n<answer>\nno\n</answer>",
            },
            {
                "type": "text",
                "text": "[read_file for 'x.md'] Result:\ntext\n<feedback>\nno\n</feedback>",
            },
            {"type": "text", "text": "[execute_command for 'ls'] Result:"},
            {"type": "text", "text": "<task>\nnot a task either\n</task>"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": ""}},
        ]
    )

    assert parts.human == ["no"]  # only the answer right after `Result:`
    assert len(parts.tool) == 4
    assert parts.injected == []


def test_a_string_content_and_an_unclosed_environment() -> None:
    parts = split_user_content(
        "<task>\nShip it.\n</task>\n<environment_details>\n"
        "# Current Working Directory (`/home/dev/site`) Files\nindex.html"
    )

    assert parts.human == ["Ship it."]
    assert parts.cwd == "/home/dev/site"
    assert parts.injected == []


def test_parse_api_history_directly() -> None:
    records = [
        {"role": "user", "content": [{"type": "text", "text": "<task>\nhi\n</task>"}]},
        {"role": "system", "content": "ignored"},
        {"role": "user", "content": None},
    ]
    created = datetime(2026, 1, 1, tzinfo=UTC)

    found, skipped, cwd = parse_api_history(records, "a.json", created=created)

    assert [(f.position, f.author, f.text, f.timestamp) for f in found] == [
        (0, Author.HUMAN, "hi", created)
    ]
    assert [s.index for s in skipped] == [2]
    assert cwd is None


# --- ui_messages.json --------------------------------------------------------------------------


def test_ui_messages_alone_are_read(storage: Path) -> None:
    path = storage / "tasks" / UI_TASK / "ui_messages.json"

    result = SOURCE.read(path, ReadState())

    assert by(result.messages, Author.HUMAN) == [
        (0, "the staging db is on port 5433, not 5432"),
        (8, "always run migrations with `make migrate`, never alembic directly"),
        (10, "yes, CI too"),
    ]
    assert by(result.messages, Author.AGENT) == [
        (4, "Noted, I'll point staging at 5433."),
        (6, "Staging now uses port 5433."),
        (9, "Should I also update the CI config?"),
    ]
    assert [index for index, _ in by(result.messages, Author.TOOL)] == [5]
    assert result.messages[0].timestamp == datetime(2025, 6, 15, 15, 8, 20, tzinfo=UTC)
    assert {m.project for m in result.messages} == {"/home/dev/infra"}  # from the request
    assert {m.session_id for m in result.messages} == {UI_TASK}
    assert result.state.position == 11  # the partial last entry is read next time


def test_ui_messages_grow(storage: Path) -> None:
    path = storage / "tasks" / UI_TASK / "ui_messages.json"
    first = SOURCE.read(path, ReadState())
    records = json.loads(path.read_text())
    records[-1]["partial"] = False
    records[-1]["text"] = "Updating the CI config."
    records.append(
        {
            "ts": 1750000200000,
            "type": "say",
            "say": "user_feedback",
            "text": "we deploy staging from the release branch",
            "images": [],
            "files": [],
        }
    )
    rewrite(path, records)

    second = SOURCE.read(path, first.state)

    assert [(m.index, m.author, m.text) for m in second.messages] == [
        (11, Author.AGENT, "Updating the CI config."),
        (12, Author.HUMAN, "we deploy staging from the release branch"),
    ]
    assert not second.restarted


def test_parse_ui_messages_directly() -> None:
    records = [
        {"ts": 1, "type": "say", "say": "api_req_started", "text": "{}"},
        {"ts": 2, "type": "say", "say": "text", "text": "agent text, not a task"},
        {"ts": 3, "type": "say", "say": "user_feedback", "text": "partial", "partial": True},
        7,
        {"ts": 4, "type": "say", "say": "user_feedback", "text": "  "},
    ]

    found, skipped, cwd, settled = parse_ui_messages(records, "ui.json")

    assert [(f.position, f.author) for f in found] == [(1, Author.AGENT)]
    assert [s.index for s in skipped] == [3]
    assert (cwd, settled) == (None, 5)


# --- SDK sessions ------------------------------------------------------------------------------


def test_sdk_session(sessions: Path) -> None:
    path = sessions / SDK_SESSION / f"{SDK_SESSION}.messages.json"

    result = SOURCE.read(path, ReadState())

    assert [(m.index, m.author, m.text, m.message_id) for m in result.messages] == [
        (
            0,
            Author.HUMAN,
            "Rename the --verbose flag to --debug. We use snake_case for all config keys.",
            "msg_a1",
        ),
        (1, Author.AGENT, "Searching for the flag.", "msg_a2"),
        (2, Author.TOOL, "src/cli.py:12: parser.add_argument('--verbose')", "msg_a3"),
        (3, Author.AGENT, "Renamed the flag in src/cli.py.", "msg_a4"),
        (4, Author.HUMAN, "also update the README", "msg_a5"),  # the notice stripped
        (5, Author.AGENT, "README updated.", "msg_a6"),
    ]
    assert {m.session_id for m in result.messages} == {SDK_SESSION}
    assert {m.project for m in result.messages} == {"/home/dev/cli-tool"}  # the manifest's cwd
    assert result.messages[0].timestamp == datetime(2026, 7, 15, 5, 42, 4, 700000, tzinfo=UTC)
    assert result.messages[4].timestamp == datetime(2026, 7, 15, 5, 42, 50, tzinfo=UTC)
    assert result.state.last_message_id == "msg_a6"


def test_sdk_subagent_prompts_are_injected(sessions: Path) -> None:
    path = sessions / SUBAGENT_SESSION / f"{SUBAGENT_SESSION}.messages.json"

    result = SOURCE.read(path, ReadState())

    assert [(m.index, m.author) for m in result.messages] == [
        (0, Author.INJECTED),
        (1, Author.AGENT),
    ]
    assert SOURCE.read(path, ReadState(), human_only=True).messages == []


def test_sdk_session_grows(sessions: Path) -> None:
    path = sessions / SDK_SESSION / f"{SDK_SESSION}.messages.json"
    first = SOURCE.read(path, ReadState(), human_only=True)
    document = json.loads(path.read_text())
    document["messages"].append(
        {"id": "msg_a7", "role": "user", "content": [{"type": "text", "text": "thanks"}]}
    )
    path.write_text(json.dumps(document, indent=4))

    second = SOURCE.read(path, first.state, human_only=True)

    assert [(m.index, m.text, m.message_id) for m in second.messages] == [(6, "thanks", "msg_a7")]
    assert second.messages[0].timestamp == datetime(2026, 7, 15, 5, 42, 4, 609000, tzinfo=UTC)


# --- where and what ----------------------------------------------------------------------------


def test_which_files_are_transcripts(storage: Path, sessions: Path) -> None:
    task = storage / "tasks" / TASK
    ui_task = storage / "tasks" / UI_TASK

    assert SOURCE.is_transcript(task / "api_conversation_history.json")
    assert not SOURCE.is_transcript(task / "ui_messages.json")  # its api history is beside it
    assert SOURCE.is_transcript(ui_task / "ui_messages.json")
    assert not SOURCE.is_transcript(task / "task_metadata.json")
    assert not SOURCE.is_transcript(task / "api_conversation_history.json.tmp.1750000099.x1y2.json")
    assert not SOURCE.is_transcript(storage / "state" / "taskHistory.json")
    assert SOURCE.is_transcript(sessions / SDK_SESSION / f"{SDK_SESSION}.messages.json")
    assert not SOURCE.is_transcript(sessions / SDK_SESSION / f"{SDK_SESSION}.json")
    assert not SOURCE.is_transcript(sessions / SDK_SESSION / "hooks.jsonl")
    assert not SOURCE.is_transcript(sessions / "other.messages.json")


def test_sniff(storage: Path, tmp_path: Path) -> None:
    task = storage / "tasks" / TASK
    api_head = (task / "api_conversation_history.json").read_bytes()[:4096]
    ui_head = (storage / "tasks" / UI_TASK / "ui_messages.json").read_bytes()[:4096]

    assert SOURCE.sniff(tmp_path / "x__1750000000000__api_conversation_history.json", b"[]")
    assert SOURCE.sniff(tmp_path / "export.json", api_head)
    assert SOURCE.sniff(tmp_path / "someone__ui_messages.json", ui_head)
    assert not SOURCE.sniff(task / "ui_messages.json", ui_head)
    assert not SOURCE.sniff(tmp_path / "a.tmp.1.b.json", api_head)
    assert not SOURCE.sniff(tmp_path / "data.json", b'[{"name": "x"}]')
    assert not SOURCE.sniff(tmp_path / "s.messages.json", b'{"sessionId":"a","projectHash":"b"}')


SDK_DEFAULT = Path(".cline") / "data" / "sessions"
TAIL = Path("User") / "globalStorage" / "saoudrizwan.claude-dev" / "tasks"
PRODUCTS = ["Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf"]


@pytest.mark.parametrize(
    ("system", "env", "base"),
    [
        ("Linux", {}, Path(".config")),
        ("Darwin", {}, Path("Library") / "Application Support"),
        ("Windows", {}, Path("AppData") / "Roaming"),
    ],
)
def test_roots_per_os(tmp_path: Path, system: str, env: dict[str, str], base: Path) -> None:
    roots = SOURCE.roots(env, tmp_path, system)

    assert roots == [
        *(tmp_path / base / product / TAIL for product in PRODUCTS),
        tmp_path / ".vscode-server" / "data" / TAIL,
        tmp_path / ".vscode-remote" / "data" / TAIL,
        tmp_path / SDK_DEFAULT,
    ]


def test_roots_follow_the_environment(tmp_path: Path) -> None:
    appdata = str(tmp_path / "Roaming")
    config = str(tmp_path / "xdg")

    assert SOURCE.roots({"APPDATA": appdata}, tmp_path, "Windows")[0] == (
        Path(appdata) / "Code" / TAIL
    )
    assert SOURCE.roots({"XDG_CONFIG_HOME": config}, tmp_path, "Linux")[1] == (
        Path(config) / "Code - Insiders" / TAIL
    )
    assert SOURCE.roots({"XDG_CONFIG_HOME": "relative"}, tmp_path, "Linux")[0] == (
        tmp_path / ".config" / "Code" / TAIL
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CLINE_DIR": "/opt/cline"}, Path("/opt/cline/data/sessions")),
        (
            {"CLINE_DIR": "/opt/cline", "CLINE_DATA_DIR": "/data/cline"},
            Path("/data/cline/sessions"),
        ),
        (
            {"CLINE_DATA_DIR": "/data/cline", "CLINE_SESSION_DATA_DIR": " /fast/sessions "},
            Path("/fast/sessions"),
        ),
        ({"CLINE_DIR": "  "}, None),
    ],
)
def test_sdk_root_overrides(tmp_path: Path, env: dict[str, str], expected: Path | None) -> None:
    for system in ("Linux", "Darwin", "Windows"):
        assert SOURCE.roots(env, tmp_path, system)[-1] == (expected or tmp_path / SDK_DEFAULT)
    assert SOURCE.tool == "cline"
    assert SOURCE.label == "Cline"


# --- the real corpus ---------------------------------------------------------------------------


def corpus_files() -> list[Path]:
    folder = CORPUS / "labels" / "cline"
    if not folder.is_dir():
        return []
    return sorted(
        CORPUS / "real" / "cline" / label.name.removesuffix(".labels.json")
        for label in folder.glob("*.labels.json")
    )


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_human_messages_match_the_labels(path: Path) -> None:
    labels = json.loads((CORPUS / "labels" / "cline" / f"{path.name}.labels.json").read_text())
    records = json.loads(path.read_text(encoding="utf-8"))

    if path.name.endswith("ui_messages.json"):
        found = parse_ui_messages(records, str(path))[0]
    else:
        found = parse_api_history(records, str(path))[0]
    human = [f.position for f in found if f.author is Author.HUMAN]

    assert len(human) == labels["human_messages"]
    assert {label["at"]["index"] for label in labels["labels"]} <= set(human)


def test_corpus_is_present_or_skipped() -> None:
    if not (CORPUS / "labels" / "cline").is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    assert corpus_files()
