"""Cursor: modern composers and bubbles, legacy chat tabs, projects, increments, and reading a
live database without disturbing Cursor."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from memtui.core.transcripts import Author, Message, ReadResult, ReadState
from memtui.sources import cursor, sqlite_copy
from memtui.sources.base import project_of
from memtui.sources.cursor import CursorSource, bubble_text, file_uri_path, lexical_text

SOURCE = CursorSource()
TABLES = (
    "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)",
    "CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)",
)
T0 = 1766691308486


# --- fixtures: Cursor's tables with realistic values ---------------------------------------------


def rich(*paragraphs: str) -> str:
    """A Lexical editor state, as Cursor stores it in `richText` (a JSON string)."""
    return json.dumps(
        {
            "root": {
                "type": "root",
                "format": "",
                "indent": 0,
                "version": 1,
                "children": [
                    {
                        "type": "paragraph",
                        "version": 1,
                        "children": [{"type": "text", "text": text, "format": 0, "mode": "normal"}],
                    }
                    for text in paragraphs
                ],
            }
        }
    )


class CursorDB:
    """A `state.vscdb` shaped like Cursor's, written through its own connection."""

    def __init__(self, path: Path, *, wal: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        if wal:
            self.db.execute("PRAGMA journal_mode=WAL")
        for statement in TABLES:
            self.db.execute(statement)

    def put(self, key: str, value: Any, table: str = "cursorDiskKV") -> None:
        raw = value if isinstance(value, str | bytes) else json.dumps(value)
        self.db.execute(f"INSERT INTO {table} VALUES (?, ?)", (key, raw))

    def composer(
        self,
        composer_id: str,
        bubbles: list[tuple[str, int, dict[str, Any] | None]],
        **extra: Any,
    ) -> None:
        """A composer and its bubbles (a None bubble: its row is not written)."""
        data = {
            "_v": 10,
            "composerId": composer_id,
            "name": "A chat",
            "text": "",
            "richText": rich(""),
            "status": "completed",
            "createdAt": T0,
            "lastUpdatedAt": T0 + len(bubbles),
            "fullConversationHeadersOnly": [
                {"bubbleId": b, "type": kind, **({"serverBubbleId": "s-" + b} if kind == 2 else {})}
                for b, kind, _ in bubbles
            ],
            "conversationMap": {},
            "context": {"fileSelections": [], "mentions": {}},
            **extra,
        }
        self.put(f"composerData:{composer_id}", data)
        for bubble_id, kind, bubble in bubbles:
            if bubble is not None:
                self.bubble(composer_id, bubble_id, kind, bubble)

    def bubble(self, composer_id: str, bubble_id: str, kind: int, fields: dict[str, Any]) -> None:
        value = {
            "_v": 3,
            "type": kind,
            "bubbleId": bubble_id,
            "text": "",
            "richText": "",
            "requestId": "req-1",
            "codeBlocks": [],
            "createdAt": "2025-12-25T19:35:08.486Z",
            **fields,
        }
        self.put(f"bubbleId:{composer_id}:{bubble_id}", value)

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def user(tmp_path: Path) -> Path:
    return tmp_path / "Cursor" / "User"


@pytest.fixture
def store(user: Path) -> Iterator[CursorDB]:
    database = CursorDB(user / "globalStorage" / "state.vscdb")
    yield database
    database.close()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git project folder, so that its project is itself."""
    folder = tmp_path / "work" / "shop"
    (folder / ".git").mkdir(parents=True)
    (folder / "src").mkdir()
    return folder


def read(path: Path, state: ReadState | None = None, **options: bool) -> ReadResult:
    return SOURCE.read(path, state or ReadState(), **options)


def texts(messages: list[Message]) -> list[tuple[Author, str]]:
    return [(m.author, m.text) for m in messages]


# --- roots and names ---------------------------------------------------------------------------


def test_roots_per_os(tmp_path: Path) -> None:
    home = tmp_path / "home"
    linux = SOURCE.roots({}, home, "Linux")
    assert linux == [
        home / ".config/Cursor/User/globalStorage/state.vscdb",
        home / ".config/Cursor/User/workspaceStorage",
    ]
    xdg = SOURCE.roots({"XDG_CONFIG_HOME": str(tmp_path / "cfg")}, home, "Linux")
    assert xdg[0] == tmp_path / "cfg/Cursor/User/globalStorage/state.vscdb"
    mac = SOURCE.roots({"XDG_CONFIG_HOME": "/ignored"}, home, "Darwin")
    assert mac[1] == home / "Library/Application Support/Cursor/User/workspaceStorage"
    windows = SOURCE.roots({"APPDATA": str(tmp_path / "Roaming")}, home, "Windows")
    assert windows[0] == tmp_path / "Roaming/Cursor/User/globalStorage/state.vscdb"
    fallback = SOURCE.roots({}, home, "Windows")
    assert fallback[1] == home / "AppData/Roaming/Cursor/User/workspaceStorage"


def test_names_and_sniffing(user: Path) -> None:
    assert SOURCE.is_transcript(user / "globalStorage/state.vscdb")
    assert SOURCE.is_transcript(user / "workspaceStorage/0a1b2c/state.vscdb")
    assert not SOURCE.is_transcript(user / "workspaceStorage/0a1b2c/state.vscdb.backup")
    assert not SOURCE.is_transcript(user / "globalStorage/state.vscdb-wal")
    assert not SOURCE.is_transcript(user / "somewhere/state.vscdb")
    header = b"SQLite format 3\x00" + bytes(84)
    assert SOURCE.sniff(Path("state.vscdb"), header)
    assert not SOURCE.sniff(Path("other.db"), header)
    assert not SOURCE.sniff(Path("state.vscdb"), b'{"tabs": []}')


# --- text -----------------------------------------------------------------------------------


def test_rich_text_collects_text_nodes_line_by_line() -> None:
    assert lexical_text(rich("use pnpm,", "not npm")) == "use pnpm,\nnot npm"
    inline = {
        "root": {
            "type": "root",
            "children": [
                {
                    "type": "paragraph",
                    "children": [
                        {"type": "text", "text": "see "},
                        {"type": "mention", "text": "@db.py", "mentionName": "db.py"},
                        {"type": "linebreak"},
                        {"type": "text", "text": "then fix it"},
                    ],
                }
            ],
        }
    }
    assert lexical_text(json.dumps(inline)) == "see @db.py\nthen fix it"
    assert lexical_text("{not json") is None
    assert bubble_text({"text": "", "richText": rich("from rich")}) == ("from rich", None)
    assert bubble_text({"text": "plain", "richText": "{bad"}) == ("plain", None)
    assert bubble_text({"text": "", "richText": "{bad"}) == ("", "malformed richText")


def test_file_uris() -> None:
    assert file_uri_path("file:///home/me/my%20app") == "/home/me/my app"
    assert file_uri_path("file:///c%3A/Users/me/app") == "c:/Users/me/app"
    assert file_uri_path("file://server/share/app") == "//server/share/app"
    assert file_uri_path("vscode-remote://ssh-remote%2Bbox/home/app") is None


# --- modern composers ----------------------------------------------------------------------------


def test_human_and_agent_bubbles_with_their_locators(store: CursorDB, repo: Path) -> None:
    store.composer(
        "c1",
        [
            ("b1", 1, {"text": "Never run migrations against prod."}),
            ("b2", 2, {"text": "Understood.", "codeBlocks": [{"content": "x"}]}),
            ("b3", 1, {"text": "", "richText": rich("Use pnpm,", "not npm.")}),
            ("b4", 2, {"text": "", "toolFormerData": {"name": "run_terminal_cmd"}}),
        ],
    )
    layout = json.dumps({"rootPath": str(repo), "childrenPaths": []})
    store.put("messageRequestContext:c1:ctx1", {"bubbleId": "b1", "projectLayouts": [layout]})
    result = read(store.path)
    assert texts(result.messages) == [
        (Author.HUMAN, "Never run migrations against prod."),
        (Author.AGENT, "Understood."),
        (Author.HUMAN, "Use pnpm,\nnot npm."),
    ]
    first = result.messages[0]
    assert (first.index, first.message_id, first.session_id) == (0, "c1:b1", "c1")
    assert first.path == str(store.path)
    assert first.tool == "cursor"
    assert first.timestamp is not None
    assert first.timestamp.isoformat().startswith("2025-12-25")
    assert [m.index for m in result.messages] == [0, 1, 2]
    assert {m.project for m in result.messages} == {str(repo)}
    assert result.skipped == []
    assert result.state.position == 4


def test_human_only_leaves_answers_undecoded(store: CursorDB) -> None:
    store.composer("c1", [("b1", 1, {"text": "keep it short"}), ("b2", 2, None)])
    store.put("bubbleId:c1:b2", "{not json")
    everything = read(store.path)
    assert [s.index for s in everything.skipped] == [1]
    human = read(store.path, human_only=True)
    assert texts(human.messages) == [(Author.HUMAN, "keep it short")]
    assert human.skipped == []
    assert human.messages[0].project is None  # no attribution found


def test_inline_conversation_of_older_composers(store: CursorDB) -> None:
    store.put(
        "composerData:old",
        {
            "_v": 2,
            "composerId": "old",
            "createdAt": T0,
            "conversation": [
                {"bubbleId": "i1", "type": 1, "text": "tabs, not spaces"},
                {"bubbleId": "i2", "type": 2, "text": "Noted."},
            ],
        },
    )
    result = read(store.path)
    assert texts(result.messages) == [(Author.HUMAN, "tabs, not spaces"), (Author.AGENT, "Noted.")]
    assert result.messages[1].message_id == "old:i2"
    assert result.messages[0].timestamp is not None  # the composer's createdAt


def test_a_later_read_returns_only_new_bubbles(store: CursorDB) -> None:
    store.composer("c1", [("b1", 1, {"text": "one"}), ("b2", 2, {"text": "two"})])
    store.composer("c2", [("x1", 1, {"text": "other chat"})])
    first = read(store.path)
    assert len(first.messages) == 3
    again = read(store.path, first.state)
    assert again.messages == []
    assert again.state == first.state  # unchanged: not even copied

    store.composer(
        "c1",
        [("b1", 1, None), ("b2", 2, None), ("b3", 1, {"text": "three"}), ("b4", 2, {"text": "4"})],
    )
    second = read(store.path, first.state)
    assert [(m.index, m.text) for m in second.messages] == [(2, "three"), (3, "4")]
    assert read(store.path, second.state).messages == []


def test_an_edited_conversation_is_returned_again_with_the_same_ids(store: CursorDB) -> None:
    store.composer("c1", [("b1", 1, {"text": "one"}), ("b2", 2, {"text": "two"})])
    first = read(store.path)
    store.composer("c1", [("b1", 1, None), ("b5", 1, {"text": "one, edited"})])
    second = read(store.path, first.state)
    assert [m.message_id for m in second.messages] == ["c1:b1", "c1:b5"]


def test_bubbles_still_being_written_wait(store: CursorDB) -> None:
    store.composer(
        "c1",
        [("b1", 1, {"text": "question"}), ("b2", 2, {"text": "partial ans"})],
        status="generating",
        generatingBubbleIds=["b2"],
    )
    first = read(store.path)
    assert texts(first.messages) == [(Author.HUMAN, "question")]
    store.composer(
        "c1", [("b1", 1, None), ("b2", 2, {"text": "partial answer, complete"})], status="completed"
    )
    second = read(store.path, first.state)
    assert texts(second.messages) == [(Author.AGENT, "partial answer, complete")]


def test_a_missing_last_bubble_waits_and_a_missing_middle_one_is_reported(
    store: CursorDB,
) -> None:
    store.composer("c1", [("b1", 1, {"text": "first"}), ("b2", 1, None)])
    first = read(store.path)
    assert [m.text for m in first.messages] == ["first"]
    assert first.skipped == []
    store.bubble("c1", "b2", 1, {"text": "second"})
    store.put("composerData:c1", {**_composer_data(store, "c1"), "lastUpdatedAt": T0 + 99})
    assert [m.text for m in read(store.path, first.state).messages] == ["second"]

    store.composer("c2", [("x1", 1, None), ("x2", 1, {"text": "after a gap"})])
    gap = read(store.path)
    assert "after a gap" in [m.text for m in gap.messages]
    assert [(s.index, "x1 is missing" in s.reason) for s in gap.skipped] == [(0, True)]


def _composer_data(store: CursorDB, composer_id: str) -> dict[str, Any]:
    row = store.db.execute(
        "SELECT value FROM cursorDiskKV WHERE key = ?", (f"composerData:{composer_id}",)
    ).fetchone()
    value: dict[str, Any] = json.loads(row[0])
    return value


def test_malformed_values_are_reported_once_and_never_raised(store: CursorDB) -> None:
    store.put("composerData:broken", "{this is not json")
    store.composer(
        "c1",
        [
            ("b1", 1, None),
            ("b2", 1, {"text": "", "richText": "{torn"}),
            ("b3", 1, {"text": "still read"}),
        ],
    )
    store.put("bubbleId:c1:b1", b"\xff\xfe not utf-8")
    result = read(store.path)
    assert [m.text for m in result.messages] == ["still read"]
    reasons = {(s.index, s.reason.split(":")[0]) for s in result.skipped}
    assert reasons == {(None, "composer broken"), (0, "composer c1"), (1, "composer c1")}
    assert all(s.path == str(store.path) for s in result.skipped)
    assert any("malformed richText" in s.reason for s in result.skipped)

    store.composer("c2", [("y1", 1, {"text": "a change elsewhere"})])
    later = read(store.path, result.state)
    assert [m.text for m in later.messages] == ["a change elsewhere"]
    assert later.skipped == []


def test_fingerprints_without_sqlite_json_functions(
    store: CursorDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cursor, "_FINGERPRINTS", cursor._FINGERPRINTS.replace("json_", "nojson_"))
    store.composer("c1", [("b1", 1, {"text": "one"})])
    store.put("composerData:bad", "[1, 2")
    first = read(store.path)
    assert [m.text for m in first.messages] == ["one"]
    assert len(first.skipped) == 1
    store.composer("c1", [("b1", 1, None), ("b2", 1, {"text": "two"})])
    second = read(store.path, first.state)
    assert [m.text for m in second.messages] == ["two"]
    assert second.skipped == []


def test_a_sub_agents_prompts_are_injected(store: CursorDB) -> None:
    store.composer(
        "child",
        [("b1", 1, {"text": "Survey the billing module."}), ("b2", 2, {"text": "Done."})],
        subagentInfo={"parentComposerId": "parent", "toolCallId": "toolu_1"},
    )
    assert texts(read(store.path).messages) == [
        (Author.INJECTED, "Survey the billing module."),
        (Author.AGENT, "Done."),
    ]


# --- projects -----------------------------------------------------------------------------------


def test_workspace_database_takes_its_folder(user: Path, repo: Path) -> None:
    folder = user / "workspaceStorage" / "4f9c1e"
    database = CursorDB(folder / "state.vscdb")
    (folder / "workspace.json").write_text(json.dumps({"folder": repo.as_uri()}))
    database.composer("w1", [("b1", 1, {"text": "in the workspace"})])
    try:
        message = read(database.path).messages[0]
    finally:
        database.close()
    assert message.project == str(repo)


def test_global_composers_by_their_heads(store: CursorDB, user: Path, repo: Path) -> None:
    other = repo.parent / "other"
    other.mkdir()
    store.db.execute(
        "CREATE TABLE composerHeaders (composerId TEXT PRIMARY KEY, value TEXT, "
        "createdAt INTEGER, lastUpdatedAt INTEGER)"
    )
    head = {
        "type": "head",
        "composerId": "h1",
        "workspaceIdentifier": {
            "id": "abc",
            "uri": {"$mid": 1, "fsPath": str(repo), "path": str(repo), "scheme": "file"},
        },
    }
    store.db.execute(
        "INSERT INTO composerHeaders VALUES (?, ?, ?, ?)", ("h1", json.dumps(head), T0, T0)
    )
    store.composer("h1", [("b1", 1, {"text": "by header"})])
    hashed = user / "workspaceStorage" / "9e8d7c"
    hashed.mkdir(parents=True)
    (hashed / "workspace.json").write_text(json.dumps({"folder": other.as_uri()}))
    store.put(
        "composer.composerData",
        {"allComposers": [{"composerId": "h2", "workspaceIdentifier": {"id": "9e8d7c"}}]},
        table="ItemTable",
    )
    store.composer("h2", [("b1", 1, {"text": "by workspace id"})])
    store.composer(
        "h3", [("b1", 1, {"text": "by workspace uris", "workspaceUris": [repo.as_uri()]})]
    )
    store.composer("h4", [("b1", 1, {"text": "unknown"})])
    store.put(
        "messageRequestContext:h4:c",
        {"projectLayouts": [json.dumps({"rootPath": "shop"})]},  # a bare name is not a place
    )
    projects = {m.session_id: m.project for m in read(store.path).messages}
    assert projects == {"h1": str(repo), "h2": str(other), "h3": str(repo), "h4": None}
    assert project_of(str(repo / "src")) == str(repo)


# --- legacy chat tabs ---------------------------------------------------------------------------


def test_legacy_tabs_of_a_workspace(user: Path, repo: Path) -> None:
    folder = user / "workspaceStorage" / "legacy1"
    database = CursorDB(folder / "state.vscdb", wal=False)
    (folder / "workspace.json").write_text(json.dumps({"folder": repo.as_uri()}))
    bubbles: list[dict[str, Any]] = [
        {"type": "user", "id": "u1", "text": "always run ruff"},
        {"type": "ai", "id": "a1", "text": "Will do."},
        {"type": "user", "id": "u2", "text": "", "richText": rich("and mypy")},
    ]
    tabs = {
        "tabs": [
            {
                "tabId": "t1",
                "chatTitle": "Lint",
                "lastSendTime": T0,
                "bubbles": bubbles,
            },
            {"tabId": "t2", "bubbles": []},
        ]
    }
    database.put(cursor.LEGACY_CHAT_KEY, tabs, table="ItemTable")
    database.put("cursorAuth/accessToken", "never-read", table="ItemTable")
    try:
        first = read(database.path)
        assert texts(first.messages) == [
            (Author.HUMAN, "always run ruff"),
            (Author.AGENT, "Will do."),
            (Author.HUMAN, "and mypy"),
        ]
        assert [(m.message_id, m.session_id, m.index) for m in first.messages][2] == (
            "t1:u2",
            "t1",
            2,
        )
        assert {m.project for m in first.messages} == {str(repo)}
        assert all("never-read" not in m.text for m in first.messages)

        bubbles.append({"type": "user", "id": "u3", "text": "new one"})
        database.put(cursor.LEGACY_CHAT_KEY, tabs, table="ItemTable")
        second = read(database.path, first.state)
        assert texts(second.messages) == [(Author.HUMAN, "new one")]
        assert read(database.path, second.state, human_only=True).messages == []

        database.put(cursor.LEGACY_CHAT_KEY, '{"tabs": [', table="ItemTable")  # torn
        torn = read(database.path, second.state)
        assert torn.messages == []
        assert [s.reason.startswith("legacy chat data") for s in torn.skipped] == [True]
        bubbles.append({"type": "user", "id": "u4", "text": "after the tear"})
        database.put(cursor.LEGACY_CHAT_KEY, tabs, table="ItemTable")
        assert texts(read(database.path, torn.state).messages) == [(Author.HUMAN, "after the tear")]
    finally:
        database.close()


# --- reading a live database without disturbing Cursor -----------------------------------------


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_reads_while_cursor_holds_a_write_transaction(store: CursorDB) -> None:
    store.db.execute("PRAGMA wal_autocheckpoint=0")  # keep the commits in the -wal file
    store.composer("c1", [("b1", 1, {"text": "committed, only in the log"})])
    assert (store.path.parent / "state.vscdb-wal").stat().st_size > 0
    before = listing(store.path.parent)

    store.db.execute("BEGIN IMMEDIATE")  # Cursor is writing: it holds the write lock
    store.composer("c2", [("b1", 1, {"text": "not committed yet"})])
    result = read(store.path)
    assert [m.text for m in result.messages] == ["committed, only in the log"]

    store.db.execute("COMMIT")  # the writer was not blocked
    busy, *_ = store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0  # and no reader of ours holds back its checkpoint
    assert listing(store.path.parent) == before  # nothing added beside the database
    later = read(store.path, result.state)
    assert [m.text for m in later.messages] == ["not committed yet"]


def test_an_immutable_open_would_miss_the_log(store: CursorDB) -> None:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the tables are in the database file
    store.db.execute("PRAGMA wal_autocheckpoint=0")
    store.composer("c1", [("b1", 1, {"text": "in the log"})])
    immutable = sqlite3.connect(f"{store.path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        seen = immutable.execute("SELECT count(*) FROM cursorDiskKV").fetchone()[0]
    finally:
        immutable.close()
    assert seen == 0  # why memtui copies the -wal instead
    assert [m.text for m in read(store.path).messages] == ["in the log"]


def test_a_closed_database_is_left_byte_for_byte_as_it_was(user: Path) -> None:
    database = CursorDB(user / "globalStorage" / "state.vscdb")
    database.composer("c1", [("b1", 1, {"text": "hello"})])
    database.close()  # Cursor quit: no -wal, no -shm left
    folder = database.path.parent
    before = listing(folder)
    digest = hashlib.sha256(database.path.read_bytes()).hexdigest()
    mtime = database.path.stat().st_mtime_ns
    assert [m.text for m in read(database.path).messages] == ["hello"]
    assert listing(folder) == before == {"state.vscdb"}
    assert hashlib.sha256(database.path.read_bytes()).hexdigest() == digest
    assert database.path.stat().st_mtime_ns == mtime


def test_a_rollback_journal_writer_neither_blocks_nor_is_blocked(user: Path) -> None:
    database = CursorDB(user / "globalStorage" / "state.vscdb", wal=False)
    database.composer("c1", [("b1", 1, {"text": "committed"})])
    database.db.execute("BEGIN EXCLUSIVE")
    database.composer("c2", [("b1", 1, {"text": "pending"})])
    direct = sqlite3.connect(database.path, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            direct.execute("SELECT count(*) FROM cursorDiskKV").fetchone()
    finally:
        direct.close()
    try:
        assert [m.text for m in read(database.path).messages] == ["committed"]
        database.db.execute("COMMIT")
    finally:
        database.close()


def test_the_private_copy_is_removed(
    store: CursorDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    store.composer("c1", [("b1", 1, {"text": "hello"})])
    assert len(read(store.path).messages) == 1
    assert list(scratch.iterdir()) == []


def test_a_copy_torn_by_a_checkpoint_is_taken_again(
    store: CursorDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.composer("c1", [("b1", 1, {"text": "hello"})])
    real = sqlite_copy._moment
    calls: list[int] = []

    def moving(path: Path) -> tuple[object, ...]:
        calls.append(1)
        value = real(path)
        return (*value, len(calls)) if len(calls) <= 2 else value  # changed during attempt 1

    monkeypatch.setattr(sqlite_copy, "_moment", moving)
    assert [m.text for m in read(store.path).messages] == ["hello"]
    assert len(calls) == 4

    def always_moving(path: Path) -> tuple[object, ...]:
        calls.append(1)
        return (*real(path), len(calls))

    monkeypatch.setattr(sqlite_copy, "_moment", always_moving)
    with pytest.raises(OSError, match="kept changing"):
        read(store.path)


def test_a_commit_in_progress_is_not_copied(store: CursorDB) -> None:
    store.composer("c1", [("b1", 1, {"text": "hello"})])
    journal = store.path.with_name("state.vscdb-journal")
    journal.write_bytes(sqlite_copy.JOURNAL_MAGIC + bytes(24))  # a writer is rewriting pages
    with pytest.raises(OSError, match="kept changing"):
        read(store.path)
    journal.write_bytes(bytes(32))  # a journal whose transaction has not reached its commit
    assert len(read(store.path).messages) == 1


def test_a_corrupt_or_foreign_database_is_an_os_error(user: Path) -> None:
    path = user / "globalStorage" / "state.vscdb"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 2000)
    with pytest.raises(OSError, match="cannot read this Cursor database"):
        read(path)
    path.write_bytes(b"")
    assert read(path).messages == []  # an empty file is an empty database
    with pytest.raises(FileNotFoundError):
        read(user / "globalStorage" / "missing" / "state.vscdb")
