"""Transcript cursors: saved in bulk, read back exactly, counts added up across reads."""

from __future__ import annotations

from memtui.core.transcripts import ReadState
from memtui.store import Database, cursors


def state(offset: int, **context: object) -> ReadState:
    return ReadState(
        offset=offset,
        size=offset + 10,
        mtime_ns=123_456_789_000 + offset,
        head_hash=f"h{offset}",
        position=offset // 10,
        last_message_id=f"m{offset}",
        context=context,
    )


def test_cursors_are_saved_in_bulk_and_read_back_exactly(db: Database) -> None:
    with db.write() as session:
        cursors.save_many(
            session,
            [
                cursors.Advance("/t/a.jsonl", "claude-code", state(100, cwd="/p"), 1, 4),
                cursors.Advance("/t/b.jsonl", "codex", state(200), 0, 2),
            ],
        )
    with db.read() as session:
        loaded = cursors.load_many(session, ["/t/a.jsonl", "/t/b.jsonl", "/t/never.jsonl"])
    assert loaded == {"/t/a.jsonl": state(100, cwd="/p"), "/t/b.jsonl": state(200)}


def test_a_later_read_moves_the_cursor_and_adds_to_its_counts(db: Database) -> None:
    with db.write() as session:
        cursors.save_many(session, [cursors.Advance("/t/a.jsonl", "claude-code", state(100), 1, 4)])
    with db.write() as session:
        cursors.save_many(
            session,
            [
                cursors.Advance("/t/a.jsonl", "claude-code", state(300, cwd="/q"), 2, 5),
                cursors.Advance("/t/c.jsonl", "cline", state(50), 0, 1),
                cursors.Advance("/t/c.jsonl", "cline", state(70), 3, 1),  # twice in one call
            ],
        )
    with db.read() as session:
        records = {r.path: r for r in cursors.all_cursors(session)}
    assert set(records) == {"/t/a.jsonl", "/t/c.jsonl"}
    assert (records["/t/a.jsonl"].state, records["/t/a.jsonl"].skipped) == (state(300, cwd="/q"), 3)
    assert records["/t/a.jsonl"].messages == 9
    assert (records["/t/c.jsonl"].state, records["/t/c.jsonl"].tool) == (state(70), "cline")
    assert (records["/t/c.jsonl"].skipped, records["/t/c.jsonl"].messages) == (3, 2)


def test_saving_nothing_writes_nothing(db: Database) -> None:
    with db.write() as session:
        cursors.save_many(session, [])
    with db.read() as session:
        assert cursors.all_cursors(session) == []
