"""Claude Code transcripts: who wrote what, where, and reading them as they grow."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from memtui.core.transcripts import MINED, Author, Message, ReadState
from memtui.sources.claude_code import ClaudeCodeSource, queued_text, typed_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "claude-code"
SESSION = FIXTURES / "session.jsonl"
SUBAGENT = FIXTURES / "subagents" / "agent-a41c9e2.jsonl"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SESSION_ID = "5b1f3c2a-8d4e-4f6a-9b7c-2e1d0a9f8c7b"
CWD = "/home/dana/src/ledger"
PARTIAL_REST = (
    ',"cwd":"/home/dana/src/ledger","sessionId":"5b1f3c2a-8d4e-4f6a-9b7c-2e1d0a9f8c7b",'
    '"version":"2.1.42","gitBranch":"main","type":"user","message":{"role":"user",'
    '"content":"one more thing: keep the importer registry sorted"},'
    '"uuid":"00000033-aaaa-4bbb-8ccc-000000000033","timestamp":"2026-03-02T09:05:00.035Z"}\n'
)
"""What the fixture's last line lacks: the writer has not finished it."""

HUMAN = [
    (4, "Add a CSV importer for bank statements. We always use Decimal for money, never float."),
    (14, "also handle semicolon-separated files, our German bank exports those"),
    (21, "focus on the date parsing, dates are DD.MM.YYYY in our exports"),
    (24, "Don't run the migrations yourself, I run them by hand."),
    (27, "pytest -q tests/test_importers.py"),
    (30, "and mention the new importer in the README"),
    (31, "thanks, that works"),
]

source = ClaudeCodeSource()


def uid(k: int) -> str:
    return f"0000{k:04d}-aaaa-4bbb-8ccc-{k:012d}"


def read_all(path: Path, *, human_only: bool = False) -> list[Message]:
    return source.read(path, ReadState(), human_only=human_only).messages


def authors(messages: list[Message]) -> dict[int, list[Author]]:
    found: dict[int, list[Author]] = {}
    for message in messages:
        assert message.line is not None
        found.setdefault(message.line, []).append(message.author)
    return found


@pytest.fixture
def session(tmp_path: Path) -> Path:
    """A copy of the fixture session that a test may grow or rewrite."""
    path = tmp_path / "projects" / "-home-dana-src-ledger" / f"{SESSION_ID}.jsonl"
    path.parent.mkdir(parents=True)
    shutil.copyfile(SESSION, path)
    return path


def user_line(k: int, content: object, **extra: object) -> str:
    record = {
        "parentUuid": None,
        "isSidechain": False,
        "userType": "external",
        "cwd": CWD,
        "sessionId": SESSION_ID,
        "version": "2.1.42",
        "type": "user",
        "message": {"role": "user", "content": content},
        "uuid": uid(k),
        "timestamp": "2026-03-02T10:00:00.000Z",
        **extra,
    }
    return json.dumps(record, separators=(",", ":")) + "\n"


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


# --- who wrote what -----------------------------------------------------------------------


def test_the_persons_words_are_human_with_harness_wrappers_cut() -> None:
    messages = read_all(SESSION)
    human = [(m.line, m.text) for m in messages if m.author is Author.HUMAN]
    assert human == HUMAN


def test_every_record_gets_the_author_of_its_kind() -> None:
    found = authors(read_all(SESSION))
    assert found == {
        4: [Author.HUMAN],
        6: [Author.AGENT],
        8: [Author.TOOL],
        9: [Author.AGENT],
        11: [Author.INJECTED],  # a prompt the main agent wrote for a sub-agent
        12: [Author.AGENT],
        13: [Author.TOOL],
        14: [Author.HUMAN],  # typed while the agent was busy
        16: [Author.INJECTED],  # the same queued words, delivered by the harness
        17: [Author.INJECTED],  # a bare slash command
        18: [Author.INJECTED],  # isMeta caveat
        19: [Author.INJECTED],  # slash command without arguments
        20: [Author.INJECTED],  # its output
        21: [Author.HUMAN],
        22: [Author.INJECTED],  # [Request interrupted by user for tool use]
        24: [Author.HUMAN],
        26: [Author.INJECTED],  # compaction summary
        27: [Author.HUMAN],
        28: [Author.INJECTED],
        29: [Author.INJECTED],  # a task notification through the queue
        30: [Author.HUMAN],
        31: [Author.HUMAN],
    }


def test_injected_and_tool_texts_are_kept_whole() -> None:
    by_line = {m.line: m for m in read_all(SESSION)}
    assert by_line[22].text == "[Request interrupted by user for tool use]"
    assert by_line[26].text.startswith("This session is being continued")
    assert by_line[19].text.startswith("<command-name>/model</command-name>")
    assert by_line[8].text.startswith("     1\tclass Importer:")
    assert by_line[13].text == "Callers: ledger/cli.py:41 and ledger/sync.py:88."


def test_a_reply_split_over_lines_sharing_a_message_id_gives_one_message_per_text_line() -> None:
    agent = [m for m in read_all(SESSION) if m.author is Author.AGENT]
    assert [(m.line, m.message_id) for m in agent] == [(6, uid(6)), (9, uid(9)), (12, uid(12))]
    assert agent[0].text == "I'll read the existing importer base class first."


def test_messages_carry_ids_session_time_and_project() -> None:
    by_line = {m.line: m for m in read_all(SESSION)}
    first = by_line[4]
    assert first.tool == "claude-code"
    assert first.path == str(SESSION)
    assert first.message_id == uid(4)
    assert first.session_id == SESSION_ID
    assert first.timestamp == datetime(2026, 3, 2, 9, 0, 5, 5000, tzinfo=UTC)
    assert first.project == CWD
    assert first.index is None
    queued = by_line[14]  # a queue-operation: no uuid, no cwd of its own
    assert queued.message_id is None
    assert queued.session_id == SESSION_ID
    assert queued.project == CWD
    assert queued.timestamp == datetime(2026, 3, 2, 9, 0, 30, 30000, tzinfo=UTC)


def test_human_only_finds_the_same_mined_messages() -> None:
    full = [m for m in read_all(SESSION) if m.author in MINED]
    fast = read_all(SESSION, human_only=True)
    assert fast == full


def test_human_only_does_not_depend_on_how_the_json_is_spaced(tmp_path: Path) -> None:
    path = tmp_path / "spaced.jsonl"
    records = [json.loads(line) for line in SESSION.read_text("utf-8").splitlines()[:22]]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    fast = [(m.line, m.text) for m in read_all(path, human_only=True)]
    assert fast == HUMAN[:3]
    assert fast == [(m.line, m.text) for m in read_all(path) if m.author in MINED]


@pytest.mark.parametrize("human_only", [False, True], ids=["full", "human_only"])
def test_a_malformed_line_is_skipped_and_reported_with_its_line(human_only: bool) -> None:
    result = source.read(SESSION, ReadState(), human_only=human_only)
    assert [(s.line, s.path) for s in result.skipped] == [(23, str(SESSION))]
    assert result.skipped[0].reason.startswith("malformed JSON")
    assert result.skipped[0].where() == f"{SESSION}:23"


def test_a_line_of_an_unexpected_shape_is_reported_and_unknown_records_ignored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"type":"user","message":"not an object","uuid":"x"}\n'
        '{"type":"brand-new-kind","message":"whatever","data":[1,2]}\n'
        "[1, 2, 3]\n"
        "\n" + user_line(5, "still read after all that"),
        encoding="utf-8",
    )
    result = source.read(path, ReadState())
    assert [s.line for s in result.skipped] == [1, 3]
    assert [(m.line, m.text) for m in result.messages] == [(5, "still read after all that")]


def test_a_subagent_file_holds_no_human_words() -> None:
    messages = read_all(SUBAGENT)
    assert [(m.line, m.author) for m in messages] == [
        (1, Author.INJECTED),
        (3, Author.TOOL),
        (4, Author.AGENT),
    ]
    assert read_all(SUBAGENT, human_only=True) == []


def test_in_a_subagent_file_even_an_unflagged_prompt_is_the_main_agents(tmp_path: Path) -> None:
    path = tmp_path / SESSION_ID / "subagents" / "agent-b00.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(user_line(1, "Summarise the importer module."), encoding="utf-8")
    assert [m.author for m in read_all(path)] == [Author.INJECTED]
    assert read_all(path, human_only=True) == []


# --- reading as the file grows ------------------------------------------------------------


def test_the_partial_last_line_waits_until_it_is_complete(session: Path) -> None:
    first = source.read(session, ReadState())
    assert first.state.position == 32
    assert first.state.offset == len(SESSION.read_bytes().rsplit(b"\n", 1)[0]) + 1
    again = source.read(session, first.state)
    assert again.messages == []
    assert again.state.offset == first.state.offset
    append(session, PARTIAL_REST)
    done = source.read(session, first.state)
    assert not done.restarted
    assert [(m.line, m.author, m.text) for m in done.messages] == [
        (33, Author.HUMAN, "one more thing: keep the importer registry sorted")
    ]
    assert done.state.offset == session.stat().st_size
    assert done.state.last_message_id == uid(33)


def test_a_read_from_the_stored_state_finds_only_the_new_lines(session: Path) -> None:
    first = source.read(session, ReadState(), human_only=True)
    append(session, PARTIAL_REST)
    append(
        session,
        '{"type":"queue-operation","operation":"enqueue","timestamp":"2026-03-02T10:01:00.000Z",'
        f'"sessionId":"{SESSION_ID}","content":"and log skipped rows"}}\n'
        '{"type":"queue-operation","operation":"dequeue","timestamp":"2026-03-02T10:01:09.000Z",'
        f'"sessionId":"{SESSION_ID}"}}\n' + user_line(36, "and log skipped rows"),
    )
    second = source.read(session, first.state, human_only=True)
    assert not second.restarted
    assert [(m.line, m.text) for m in second.messages] == [
        (33, "one more thing: keep the importer registry sorted"),
        (34, "and log skipped rows"),  # the flushed copy on line 36 does not count again
    ]
    assert all(m.session_id == SESSION_ID and m.project == CWD for m in second.messages)
    third = source.read(session, second.state, human_only=True)
    assert third.messages == []
    assert third.state == second.state


def test_a_queued_text_counts_once_across_reads(session: Path) -> None:
    session.write_text(
        '{"type":"queue-operation","operation":"enqueue","timestamp":"2026-03-02T10:01:00.000Z",'
        f'"sessionId":"{SESSION_ID}","content":"use the  staging DB"}}\n',
        encoding="utf-8",
    )
    first = source.read(session, ReadState())
    assert [m.author for m in first.messages] == [Author.HUMAN]
    assert json.loads(json.dumps(dict(first.state.context)))  # stored as JSON
    append(session, user_line(2, "use the staging DB"))
    second = source.read(session, first.state)
    assert [m.author for m in second.messages] == [Author.INJECTED]
    append(session, user_line(3, "use the staging DB"))  # typed again later: the person's
    third = source.read(session, second.state)
    assert [m.author for m in third.messages] == [Author.HUMAN]


def test_a_rewritten_file_is_read_again_from_the_start(session: Path) -> None:
    first = source.read(session, ReadState())
    session.write_text(user_line(1, "a different session now"), encoding="utf-8")
    again = source.read(session, first.state)
    assert again.restarted
    assert [(m.line, m.text) for m in again.messages] == [(1, "a different session now")]


def test_a_truncated_file_is_read_again_from_the_start(session: Path) -> None:
    first = source.read(session, ReadState())
    lines = SESSION.read_bytes().split(b"\n")
    session.write_bytes(b"\n".join(lines[:5]) + b"\n")
    again = source.read(session, first.state)
    assert again.restarted
    assert [m.line for m in again.messages if m.author is Author.HUMAN] == [4]


# --- the person's words, rule by rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "author", "words"),
    [
        ("fix the flaky test", Author.HUMAN, "fix the flaky test"),
        ("[Request interrupted by user]", Author.INJECTED, None),
        ("<local-command-stdout>Bye!</local-command-stdout>", Author.INJECTED, None),
        ("<task-notification><status>done</status></task-notification>", Author.INJECTED, None),
        ("<system-reminder>Be brief.</system-reminder>", Author.INJECTED, None),
        ("<system-reminder>x</system-reminder>\nship it", Author.HUMAN, "ship it"),
        (
            "<ide_selection>The user selected lines 3-9</ide_selection>explain this",
            Author.HUMAN,
            "explain this",
        ),
        (
            "<command-name>/compact</command-name><command-args>keep the API notes</command-args>",
            Author.HUMAN,
            "keep the API notes",
        ),
        ("<command-name>/clear</command-name><command-args></command-args>", Author.INJECTED, None),
        ("<bash-input>make lint</bash-input>", Author.HUMAN, "make lint"),
        ("<bash-stdout>ok</bash-stdout>", Author.INJECTED, None),
        (
            "<user-memory-input>tabs, not spaces</user-memory-input>",
            Author.HUMAN,
            "tabs, not spaces",
        ),
        ("This session is being continued from a previous conversation ...", Author.INJECTED, None),
    ],
)
def test_typed_text(text: str, author: Author, words: str | None) -> None:
    assert typed_text(text) == (author, text if words is None else words)


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("/mcp", Author.INJECTED),
        ("/plugin:run", Author.INJECTED),
        ("/compact keep the API notes", Author.HUMAN),
        ("/home/dana/app.log is huge, ignore it", Author.HUMAN),
        ("stop, use the other bucket", Author.HUMAN),
    ],
)
def test_queued_text(text: str, author: Author) -> None:
    assert queued_text(text)[0] is author


# --- where transcripts are ----------------------------------------------------------------


def test_roots_honour_claude_config_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert source.roots({"CLAUDE_CONFIG_DIR": "/srv/claude"}, home, "Linux") == [
        Path("/srv/claude/projects")
    ]
    assert source.roots({}, home, "Linux") == [
        home / ".claude" / "projects",
        home / ".config" / "claude" / "projects",
    ]
    assert source.roots({"CLAUDE_CONFIG_DIR": ""}, home, "Darwin")[0] == (
        home / ".claude" / "projects"
    )
    assert source.roots({}, home, "Windows") == [home / ".claude" / "projects"]


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        (f"projects/-home-dana-src-ledger/{SESSION_ID}.jsonl", True),
        ("projects/-home-dana-src-ledger/agent-a1b2c3.jsonl", True),
        (f"projects/-home-dana-src-ledger/{SESSION_ID}/subagents/agent-a1b2c3.jsonl", True),
        (f"projects/-home-dana-src-ledger/{SESSION_ID}/subagents/agent-a1b2c3.meta.json", False),
        (f"projects/-home-dana-src-ledger/{SESSION_ID}/tool-results/toolu_01.txt", False),
        ("projects/-home-dana-src-ledger/memory/MEMORY.md", False),
        ("sessions/2026/03/02/rollout-2026-03-02T10-00-00-abc.jsonl", False),
        ("tmp/ab12/chats/session-2026-03-02T10-00-5b1f3c2a.jsonl", False),
    ],
)
def test_is_transcript(tmp_path: Path, relative: str, expected: bool) -> None:
    assert source.is_transcript(tmp_path / ".claude" / relative) is expected


def test_sniff_knows_claude_code_lines_from_other_tools() -> None:
    head = SESSION.read_bytes()[:4096]
    assert source.sniff(Path("x.jsonl"), head)
    assert source.sniff(Path("x.jsonl"), SUBAGENT.read_bytes())
    assert not source.sniff(Path("x.json"), head)
    codex = b'{"timestamp":"2026-03-02T10:00:01.013Z","type":"session_meta","payload":{"id":"1"}}\n'
    assert not source.sniff(Path("rollout.jsonl"), codex)
    gemini = b'{"sessionId":"5b1f","projectHash":"ab","startTime":"2026-03-02","kind":"main"}\n'
    assert not source.sniff(Path("session.jsonl"), gemini)
    assert not source.sniff(Path("notes.jsonl"), b"not json at all\n")


# --- the real corpus ----------------------------------------------------------------------


def corpus_files() -> list[Path]:
    folder = CORPUS / "real" / "claude-code"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


@pytest.mark.parametrize("path", corpus_files() or [None], ids=lambda p: p.name if p else "none")
@pytest.mark.parametrize("human_only", [False, True], ids=["full", "human_only"])
def test_corpus_human_messages_match_the_labels(path: Path | None, human_only: bool) -> None:
    if path is None:
        pytest.skip(f"no corpus at {CORPUS}")
    labels = json.loads(
        (CORPUS / "labels" / "claude-code" / f"{path.name}.labels.json").read_text("utf-8")
    )
    result = source.read(path, ReadState(), human_only=human_only)
    human = [m for m in result.messages if m.author is Author.HUMAN]
    assert len(human) == labels["human_messages"]
    lines = {m.line for m in human}
    assert {label["at"]["line"] for label in labels["labels"]} <= lines
    assert result.skipped == []
