"""The watcher: which transcript a change belongs to, and following appends live."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from memtui.services import curate, watch
from memtui.services.ingest import FileResult, transcript_of
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.cursor import CursorSource
from memtui.sources.opencode import OpenCodeSource
from memtui.sources.registry import Root
from memtui.store import Database
from tests.ingest.helpers import RULES, Transcripts, user_line


def test_a_change_maps_to_the_transcript_it_belongs_to(tmp_path: Path) -> None:
    claude = tmp_path / ".claude" / "projects"
    session = claude / "-p" / "s.jsonl"
    user = tmp_path / "Cursor" / "User"
    database = user / "globalStorage" / "state.vscdb"
    storage = tmp_path / "opencode" / "storage"
    opencode_session = storage / "session" / "prj_1" / "ses_1.json"
    part = storage / "part" / "msg_1" / "prt_1.json"
    for path in (session, database, opencode_session, part):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    part.write_text(json.dumps({"id": "prt_1", "sessionID": "ses_1", "messageID": "msg_1"}))
    roots = [
        Root(claude, ClaudeCodeSource(), "default"),
        Root(database, CursorSource(), "default"),
        Root(storage / "session", OpenCodeSource(), "default"),
        Root(storage, OpenCodeSource(), "default"),
    ]

    def target(changed: Path) -> Path | None:
        found = transcript_of(changed, roots)
        return None if found is None else found[0]

    assert target(session) == session
    assert target(database.with_name("state.vscdb-wal")) == database
    assert target(storage / "message" / "ses_1" / "msg_1.json") == opencode_session
    assert target(part) == opencode_session
    assert target(claude / "-p" / "s" / "tool-results" / "x.txt") is None
    assert target(tmp_path / "elsewhere.jsonl") is None


def test_watched_folders_are_the_outermost_existing_ones(tmp_path: Path) -> None:
    outer = tmp_path / "a"
    (outer / "b").mkdir(parents=True)
    file_root = tmp_path / "c" / "state.vscdb"
    file_root.parent.mkdir()
    file_root.touch()
    roots = [
        Root(outer, None, "config"),
        Root(outer / "b", None, "config"),
        Root(file_root, CursorSource(), "default"),
        Root(tmp_path / "missing", None, "config"),
    ]
    assert watch.watched_folders(roots) == [outer, file_root.parent]


def test_following_ingests_what_is_appended(db: Database, transcripts: Transcripts) -> None:
    path = transcripts.write("live", user_line(RULES[0]))
    roots = [Root(transcripts.root / "projects", ClaudeCodeSource(), "test")]
    stop, ready, stored = threading.Event(), threading.Event(), threading.Event()
    results: list[FileResult] = []

    def on_file(result: FileResult) -> None:
        results.append(result)
        if result.created and ready.is_set():
            stored.set()

    follower = threading.Thread(
        target=watch.follow, args=(db, roots, stop, on_file), kwargs={"on_ready": ready.set}
    )
    follower.start()
    try:
        assert ready.wait(timeout=10)
        assert [r.created for r in results] == [1]  # the catch-up read, before any change
        transcripts.append(path, user_line(RULES[1]))
        assert stored.wait(timeout=10)
    finally:
        stop.set()
        follower.join(timeout=10)
    assert not follower.is_alive()
    assert len(curate.inbox(db)) == 2
