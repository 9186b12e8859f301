"""OpenCode: the SQLite database and the JSON store before it, with OpenCode's own table shapes
and values (packages/opencode/src/session/session.sql.ts, message-v2.ts)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from memtui.core.transcripts import Author, Message, ReadResult, ReadState
from memtui.sources.opencode import OpenCodeSource

SOURCE = OpenCodeSource()
T0 = 1_767_000_000_000
SCHEMA = """
CREATE TABLE project (
  id text PRIMARY KEY, worktree text NOT NULL, vcs text, name text, icon_url text,
  icon_color text, time_created integer NOT NULL, time_updated integer NOT NULL,
  time_initialized integer, sandboxes text NOT NULL, commands text
);
CREATE TABLE session (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  workspace_id text, parent_id text, slug text NOT NULL, directory text NOT NULL, path text,
  title text NOT NULL, version text NOT NULL, share_url text, summary_additions integer,
  summary_deletions integer, summary_files integer, summary_diffs text,
  cost real DEFAULT 0 NOT NULL, tokens_input integer DEFAULT 0 NOT NULL,
  tokens_output integer DEFAULT 0 NOT NULL, tokens_reasoning integer DEFAULT 0 NOT NULL,
  tokens_cache_read integer DEFAULT 0 NOT NULL, tokens_cache_write integer DEFAULT 0 NOT NULL,
  revert text, permission text, agent text, model text,
  time_created integer NOT NULL, time_updated integer NOT NULL,
  time_compacting integer, time_archived integer
);
CREATE INDEX session_project_idx ON session (project_id);
CREATE INDEX session_parent_idx ON session (parent_id);
CREATE TABLE message (
  id text PRIMARY KEY,
  session_id text NOT NULL REFERENCES session(id) ON DELETE CASCADE,
  time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL
);
CREATE INDEX message_session_time_created_id_idx ON message (session_id, time_created, id);
CREATE TABLE part (
  id text PRIMARY KEY,
  message_id text NOT NULL REFERENCES message(id) ON DELETE CASCADE,
  session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL,
  data text NOT NULL
);
CREATE INDEX part_message_id_id_idx ON part (message_id, id);
CREATE INDEX part_session_idx ON part (session_id);
"""

_counter = iter(range(1, 1_000_000))


def ident(prefix: str) -> str:
    """An id shaped like OpenCode's ascending ones (`msg_` + 12 hex digits + 14 base62)."""
    stamp = (T0 * 0x1000 + next(_counter)) & (2**48 - 1)
    return f"{prefix}_{stamp:012x}aB3dE5gH7jK9mN"


# --- OpenCode's values ---------------------------------------------------------------------------


def user_info(created: int) -> dict[str, Any]:
    return {
        "role": "user",
        "time": {"created": created},
        "agent": "build",
        "model": {"providerID": "anthropic", "modelID": "claude-sonnet-4-5"},
        "summary": {"diffs": []},
    }


def assistant_info(created: int, directory: str, *, done: bool = True) -> dict[str, Any]:
    time: dict[str, int] = {"created": created}
    if done:
        time["completed"] = created + 900
    return {
        "role": "assistant",
        "time": time,
        "parentID": "msg_parent",
        "modelID": "claude-sonnet-4-5",
        "providerID": "anthropic",
        "mode": "build",
        "agent": "build",
        "path": {"cwd": directory, "root": directory},
        "cost": 0.0123,
        "tokens": {"input": 1200, "output": 80, "reasoning": 0, "cache": {"read": 0, "write": 0}},
        **({"finish": "stop"} if done else {}),
    }


def text(value: str, **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": value, "time": {"start": T0, "end": T0 + 5}, **extra}


NOISE: list[dict[str, Any]] = [
    {"type": "step-start", "snapshot": "4b825dc642cb6eb9a060e54bf8d69288fbee4904"},
    {"type": "reasoning", "text": "The user wants pnpm.", "time": {"start": T0, "end": T0 + 1}},
    {
        "type": "tool",
        "callID": "toolu_01",
        "tool": "bash",
        "state": {
            "status": "completed",
            "input": {"command": "ls"},
            "output": "package.json\nsrc\n",
            "title": "ls",
            "metadata": {},
            "time": {"start": T0, "end": T0 + 2},
        },
    },
    {
        "type": "step-finish",
        "reason": "stop",
        "cost": 0.01,
        "tokens": {"input": 1, "output": 1, "reasoning": 0, "cache": {"read": 0, "write": 0}},
    },
]


class OpenCodeDB:
    """An `opencode.db` written through its own connection, as OpenCode does (WAL)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.clock = T0

    def project(self, project_id: str, worktree: str) -> None:
        self.db.execute(
            "INSERT INTO project (id, worktree, vcs, time_created, time_updated, sandboxes) "
            "VALUES (?, ?, 'git', ?, ?, '[]')",
            (project_id, worktree, T0, T0),
        )

    def session(
        self, directory: str, *, parent: str | None = None, project_id: str = "global"
    ) -> str:
        session_id = ident("ses")
        self.db.execute(
            "INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, "
            "time_created, time_updated) VALUES (?, ?, ?, 'calm-otter', ?, 'New session', "
            "'1.2.3', ?, ?)",
            (session_id, project_id, parent, directory, T0, T0),
        )
        return session_id

    def message(
        self, session_id: str, info: dict[str, Any] | str, parts: list[dict[str, Any] | str]
    ) -> tuple[str, list[str]]:
        self.clock += 1000
        message_id = ident("msg")
        data = info if isinstance(info, str) else json.dumps(info)
        self.db.execute(
            "INSERT INTO message VALUES (?, ?, ?, ?, ?)",
            (message_id, session_id, self.clock, self.clock, data),
        )
        part_ids = []
        for part in parts:
            part_id = ident("prt")
            value = part if isinstance(part, str) else json.dumps(part)
            self.db.execute(
                "INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)",
                (part_id, message_id, session_id, self.clock, self.clock, value),
            )
            part_ids.append(part_id)
        return message_id, part_ids

    def user(self, session_id: str, *parts: dict[str, Any] | str) -> tuple[str, list[str]]:
        return self.message(session_id, user_info(self.clock + 1000), list(parts))

    def answer(
        self, session_id: str, directory: str, *parts: dict[str, Any] | str, done: bool = True
    ) -> tuple[str, list[str]]:
        info = assistant_info(self.clock + 1000, directory, done=done)
        return self.message(session_id, info, [*NOISE[:1], *parts, *NOISE[1:]])

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data" / "opencode"


@pytest.fixture
def store(data: Path) -> Iterator[OpenCodeDB]:
    database = OpenCodeDB(data / "opencode.db")
    yield database
    database.close()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "work" / "shop"
    (folder / ".git").mkdir(parents=True)
    return folder


def read(path: Path, state: ReadState | None = None, **options: bool) -> ReadResult:
    return SOURCE.read(path, state or ReadState(), **options)


def texts(messages: list[Message]) -> list[tuple[Author, str]]:
    return [(m.author, m.text) for m in messages]


# --- roots and names ---------------------------------------------------------------------------


def test_roots_on_every_os(tmp_path: Path) -> None:
    home = tmp_path / "home"
    base = home / ".local/share/opencode"
    for system in ("Linux", "Darwin", "Windows"):
        assert SOURCE.roots({}, home, system) == [base / "opencode.db", base / "storage/session"]
    xdg = tmp_path / "xdg"
    assert SOURCE.roots({"XDG_DATA_HOME": str(xdg)}, home, "Linux")[0] == (
        xdg / "opencode/opencode.db"
    )
    custom = SOURCE.roots({"OPENCODE_DB": str(tmp_path / "mine.db")}, home, "Linux")
    assert custom[-1] == tmp_path / "mine.db"
    relative = SOURCE.roots({"OPENCODE_DB": "work.db"}, home, "Linux")
    assert relative[-1] == base / "work.db"
    assert len(SOURCE.roots({"OPENCODE_DB": ":memory:"}, home, "Linux")) == 2
    base.mkdir(parents=True)
    (base / "opencode-dev.db").write_bytes(b"")
    (base / "opencode-dev.db-wal").write_bytes(b"")
    assert SOURCE.roots({}, home, "Linux")[-1] == base / "opencode-dev.db"


def test_names_and_sniffing(data: Path) -> None:
    storage = data / "storage"
    assert SOURCE.is_transcript(data / "opencode.db")
    assert SOURCE.is_transcript(data / "opencode-beta.db")
    assert not SOURCE.is_transcript(data / "opencode.db-wal")
    assert SOURCE.is_transcript(
        storage / "session/4b0ea68d7af9a6031a7ffda7ad66e0cb83315750/ses_1.json"
    )
    assert SOURCE.is_transcript(storage / "session/global/ses_2.json")
    assert not SOURCE.is_transcript(storage / "message/ses_1/msg_1.json")
    assert not SOURCE.is_transcript(storage / "part/msg_1/prt_1.json")
    assert not SOURCE.is_transcript(data / "project/x/storage/session/info/ses_1.json")
    assert SOURCE.sniff(Path("opencode.db"), b"SQLite format 3\x00" + bytes(80))
    assert not SOURCE.sniff(Path("state.vscdb"), b"SQLite format 3\x00" + bytes(80))
    session = b'{\n  "id": "ses_6a1b", "projectID": "global", "directory": "/w", "title": "t"}'
    assert SOURCE.sniff(Path("ses_6a1b.json"), session)
    assert not SOURCE.sniff(Path("chat.json"), b'{"messages": []}')


# --- the SQLite database -------------------------------------------------------------------------


def test_human_injected_and_agent_text(store: OpenCodeDB, repo: Path) -> None:
    session = store.session(str(repo / "src"))
    _, (typed, _synthetic, _file, _ignored) = store.user(
        session,
        text("Always use pnpm, never npm."),
        text('Called the Read tool with the following input: {"filePath":"a.ts"}', synthetic=True),
        {"type": "file", "mime": "text/plain", "filename": "a.ts", "url": "file:///w/a.ts"},
        text("draft I took back", ignored=True),
    )
    store.answer(session, str(repo), text("Switching to pnpm."))
    result = read(store.path)
    assert texts(result.messages) == [
        (Author.HUMAN, "Always use pnpm, never npm."),
        (Author.INJECTED, 'Called the Read tool with the following input: {"filePath":"a.ts"}'),
        (Author.AGENT, "Switching to pnpm."),
    ]
    first = result.messages[0]
    assert (first.message_id, first.session_id, first.index) == (typed, session, 0)
    assert first.tool == "opencode"
    assert first.path == str(store.path)
    assert first.timestamp is not None
    assert int(first.timestamp.timestamp() * 1000) == T0 + 1000
    assert [m.index for m in result.messages] == [0, 0, 1]
    assert {m.project for m in result.messages} == {str(repo)}
    assert result.skipped == []


def test_a_sub_agents_session_is_injected(store: OpenCodeDB) -> None:
    parent = store.session("/w")
    child = store.session("/w", parent=parent)
    store.user(child, text("Find every caller of charge()."))
    store.answer(child, "/w", text("Three callers."))
    assert texts(read(store.path, human_only=True).messages) == [
        (Author.INJECTED, "Find every caller of charge().")
    ]


def test_project_falls_back_to_the_worktree(store: OpenCodeDB, repo: Path) -> None:
    store.project("4b0ea68d", str(repo))
    session = store.session("", project_id="4b0ea68d")
    store.user(session, text("hello"))
    store.answer(session, str(repo), text("hi"))
    assert {m.project for m in read(store.path).messages} == {str(repo)}


def test_human_only_leaves_answers_undecoded(store: OpenCodeDB) -> None:
    session = store.session("/w")
    store.user(session, text("keep commits small"))
    store.message(session, assistant_info(T0 + 5000, "/w"), ["{torn part"])
    assert len(read(store.path).skipped) == 1
    human = read(store.path, human_only=True)
    assert texts(human.messages) == [(Author.HUMAN, "keep commits small")]
    assert human.skipped == []


def test_a_later_read_returns_only_what_is_new(store: OpenCodeDB) -> None:
    one = store.session("/w")
    two = store.session("/w")
    store.user(one, text("first"))
    store.answer(one, "/w", text("ok"))
    store.user(two, text("elsewhere"))
    store.answer(two, "/w", text("fine"))
    first = read(store.path)
    assert len(first.messages) == 4
    again = read(store.path, first.state)
    assert again.messages == []
    assert again.state == first.state  # unchanged: not even copied

    store.user(one, text("second"))
    store.answer(one, "/w", text("done"))
    second = read(store.path, first.state)
    assert [(m.index, m.text, m.session_id) for m in second.messages] == [
        (2, "second", one),
        (3, "done", one),
    ]
    assert read(store.path, second.state).messages == []


def test_messages_still_being_written_wait(store: OpenCodeDB) -> None:
    session = store.session("/w")
    store.user(session, text("add a test"))
    assert read(store.path).messages == []  # its parts may still be coming
    _, (_, answer_text, *_) = store.answer(session, "/w", text("Adding"), done=False)
    partial = read(store.path)
    assert texts(partial.messages) == [(Author.HUMAN, "add a test")]
    info = assistant_info(T0, "/w")
    store.db.execute(
        "UPDATE message SET data = ? WHERE id = (SELECT message_id FROM part WHERE id = ?)",
        (json.dumps(info), answer_text),
    )
    store.db.execute(
        "UPDATE part SET data = ? WHERE id = ?", (json.dumps(text("Adding a test.")), answer_text)
    )
    done = read(store.path, partial.state)
    assert texts(done.messages) == [(Author.AGENT, "Adding a test.")]


def test_messages_after_a_revert_are_read(store: OpenCodeDB) -> None:
    session = store.session("/w")
    store.user(session, text("one"))
    reverted, _ = store.answer(session, "/w", text("two"))
    first = read(store.path)
    store.db.execute("DELETE FROM part WHERE message_id = ?", (reverted,))
    store.db.execute("DELETE FROM message WHERE id = ?", (reverted,))
    store.answer(session, "/w", text("two, again"))
    second = read(store.path, first.state)
    assert [(m.index, m.text) for m in second.messages] == [(1, "two, again")]


def test_malformed_values_are_reported_once(store: OpenCodeDB) -> None:
    session = store.session("/w")
    store.message(session, "{not json", [text("lost")])
    store.user(session, "[1, 2", text("still read"))
    store.answer(session, "/w", text("ok"))
    result = read(store.path)
    assert texts(result.messages) == [(Author.HUMAN, "still read"), (Author.AGENT, "ok")]
    assert [s.index for s in result.skipped] == [0, None]  # a message, then a part
    assert all("malformed" in s.reason for s in result.skipped)
    assert result.skipped[0].reason.startswith(f"session {session} message msg_")
    assert all(s.path == str(store.path) for s in result.skipped)
    store.user(session, text("more"))
    store.answer(session, "/w", text("yes"))
    assert read(store.path, result.state).skipped == []


def test_a_database_without_tables_or_corrupt(data: Path) -> None:
    empty = data / "opencode-dev.db"
    empty.parent.mkdir(parents=True)
    sqlite3.connect(empty).close()
    assert read(empty).messages == []
    broken = data / "opencode.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 3000)
    with pytest.raises(OSError, match="cannot read this OpenCode database"):
        read(broken)


def test_reads_while_opencode_holds_a_write_transaction(store: OpenCodeDB) -> None:
    store.db.execute("PRAGMA wal_autocheckpoint=0")
    session = store.session("/w")
    store.user(session, text("committed"))
    store.answer(session, "/w", text("ok"))
    before = {p.name for p in store.path.parent.iterdir()}
    store.db.execute("BEGIN IMMEDIATE")
    store.user(session, text("not yet committed"))
    result = read(store.path)
    assert [m.text for m in result.messages] == ["committed", "ok"]
    store.db.execute("COMMIT")
    assert store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    assert {p.name for p in store.path.parent.iterdir()} == before


# --- the JSON store ------------------------------------------------------------------------------


class Store:
    """`storage/` of the JSON era: one file per session, message and part."""

    def __init__(self, storage: Path) -> None:
        self.storage = storage
        self.clock = T0

    def write(self, relative: str, value: dict[str, Any] | str) -> Path:
        path = self.storage / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value if isinstance(value, str) else json.dumps(value, indent=2))
        return path

    def session(self, directory: str, project_id: str = "global", **extra: Any) -> Path:
        session_id = ident("ses")
        value = {
            "id": session_id,
            "projectID": project_id,
            "directory": directory,
            "title": "New session",
            "version": "0.15.2",
            "time": {"created": T0, "updated": T0},
            **extra,
        }
        return self.write(f"session/{project_id}/{session_id}.json", value)

    def message(
        self, session: Path, info: dict[str, Any], parts: list[dict[str, Any] | str]
    ) -> list[str]:
        message_id = ident("msg")
        self.write(
            f"message/{session.stem}/{message_id}.json",
            {"id": message_id, "sessionID": session.stem, **info},
        )
        ids = []
        for part in parts:
            part_id = ident("prt")
            value = (
                part
                if isinstance(part, str)
                else {
                    "id": part_id,
                    "sessionID": session.stem,
                    "messageID": message_id,
                    **part,
                }
            )
            self.write(f"part/{message_id}/{part_id}.json", value)
            ids.append(part_id)
        return ids

    def user(self, session: Path, *parts: dict[str, Any] | str) -> list[str]:
        self.clock += 1000
        return self.message(session, user_info(self.clock), list(parts))

    def answer(self, session: Path, *parts: dict[str, Any], done: bool = True) -> list[str]:
        self.clock += 1000
        info = assistant_info(self.clock, "/w", done=done)
        return self.message(session, info, [*NOISE[:1], *parts, *NOISE[1:]])


@pytest.fixture
def files(data: Path) -> Store:
    return Store(data / "storage")


def test_a_session_of_the_json_store(files: Store, repo: Path) -> None:
    session = files.session(str(repo))
    (typed,) = files.user(session, text("Prefer composition over inheritance."))
    files.user(session, text("file body read for an @mention", synthetic=True))
    files.answer(session, text("Agreed."))
    result = read(session)
    assert texts(result.messages) == [
        (Author.HUMAN, "Prefer composition over inheritance."),
        (Author.INJECTED, "file body read for an @mention"),
        (Author.AGENT, "Agreed."),
    ]
    first = result.messages[0]
    assert (first.message_id, first.session_id, first.index) == (typed, session.stem, 0)
    assert first.path == str(session)
    assert {m.project for m in result.messages} == {str(repo)}
    assert texts(read(session, human_only=True).messages)[:1] == [
        (Author.HUMAN, "Prefer composition over inheritance.")
    ]


def test_json_store_increments_and_waits(files: Store) -> None:
    session = files.session("/w")
    files.user(session, text("one"))
    first = read(session)
    assert first.messages == []  # the user message waits for its answer
    (_, answer, *_) = files.answer(session, text("partial"), done=False)
    second = read(session, first.state)
    assert texts(second.messages) == [(Author.HUMAN, "one")]
    assert read(session, second.state).messages == []
    message_id = next((files.storage / "part").glob(f"*/{answer}.json")).parent.name
    info = {"id": message_id, "sessionID": session.stem, **assistant_info(files.clock, "/w")}
    files.write(f"message/{session.stem}/{message_id}.json", info)
    files.write(
        f"part/{message_id}/{answer}.json",
        {"id": answer, "messageID": message_id, **text("complete answer")},
    )
    third = read(session, second.state)
    assert texts(third.messages) == [(Author.AGENT, "complete answer")]
    assert not third.restarted


def test_json_store_child_session_and_worktree(files: Store, repo: Path) -> None:
    files.write("project/4b0ea68d.json", {"id": "4b0ea68d", "worktree": str(repo), "vcs": "git"})
    child = files.session("", project_id="4b0ea68d", parentID="ses_parent")
    files.user(child, text("Survey the tests."))
    files.answer(child, text("Done."))
    message = read(child, human_only=True).messages[0]
    assert (message.author, message.project) == (Author.INJECTED, str(repo))


def test_json_store_malformed_files_are_reported_once(files: Store) -> None:
    session = files.session("/w")
    files.user(session, text("kept"), "{torn")
    files.write(f"message/{session.stem}/msg_zzzz.json", "{torn too")
    files.answer(session, text("ok"))
    first = read(session)
    assert texts(first.messages) == [(Author.HUMAN, "kept"), (Author.AGENT, "ok")]
    assert sorted(Path(s.path).parent.parent.name for s in first.skipped) == ["message", "part"]
    files.user(session, text("next"))
    files.answer(session, text("yes"))
    second = read(session, first.state)
    assert [m.text for m in second.messages] == ["next", "yes"]
    assert second.skipped == []

    session.write_text('{"id": "ses_x", "projectID"')  # being rewritten
    torn = read(session, second.state)
    assert torn.messages == []
    assert torn.state == second.state
    assert len(torn.skipped) == 1
