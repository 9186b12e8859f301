"""Ingest against a real migrated store: exactly once, incremental, never stopped by bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from memtui.core.models import Status
from memtui.services import curate, ingest
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root
from memtui.store import Database
from memtui.store.models import Evidence, TranscriptCursor
from tests.ingest.helpers import RULES, Transcripts, agent_line, user_line

SOURCE = ClaudeCodeSource()


def scan(db: Database, transcripts: Transcripts) -> ingest.ScanSummary:
    return ingest.scan(db, [Root(transcripts.root / "projects", SOURCE, "test")])


def evidence_places(db: Database) -> list[tuple[str | None, int | None]]:
    with db.read() as session:
        return sorted(session.execute(select(Evidence.path, Evidence.line)).all())


def test_a_scan_proposes_from_the_humans_words_only(db: Database, transcripts: Transcripts) -> None:
    transcripts.write(
        "a",
        user_line(RULES[0]),
        agent_line("Always remember: I will never run migrations without asking."),
        user_line("thanks, looks good"),
    )
    summary = scan(db, transcripts)
    assert (summary.files, summary.human) == (1, 2)
    assert summary.created == 1
    [memory] = curate.inbox(db)
    assert "migrations" in memory.text.lower()
    assert memory.project == "/home/dev/code/shop"
    [evidence] = memory.evidence
    assert (evidence.tool, evidence.line, evidence.session_id) == ("claude-code", 1, "s-1")
    assert evidence.path is not None
    assert evidence.path.endswith("a.jsonl")


def test_scanning_again_adds_nothing(db: Database, transcripts: Transcripts) -> None:
    transcripts.write("a", *(user_line(r) for r in RULES))
    first = scan(db, transcripts)
    before = evidence_places(db)
    again = scan(db, transcripts)
    assert first.created >= 4
    assert (again.created, again.merged, again.already, again.bytes_read) == (0, 0, 0, 0)
    assert evidence_places(db) == before


def test_appending_adds_only_the_new_messages(db: Database, transcripts: Transcripts) -> None:
    path = transcripts.write("a", user_line(RULES[0]))
    scan(db, transcripts)
    transcripts.append(path, agent_line("ok"), user_line(RULES[1]))
    summary = scan(db, transcripts)
    assert summary.messages >= 1
    assert summary.created == 1
    assert [line for _, line in evidence_places(db)] == [1, 3]


def test_a_partial_last_line_waits_for_its_end(db: Database, transcripts: Transcripts) -> None:
    line = user_line(RULES[1])
    path = transcripts.write("a", user_line(RULES[0]), line[:40])
    assert scan(db, transcripts).created == 1
    transcripts.append(path, line[40:])
    assert scan(db, transcripts).created == 1
    assert [line for _, line in evidence_places(db)] == [1, 2]


def test_a_rewritten_file_is_read_again_without_duplicates(
    db: Database, transcripts: Transcripts
) -> None:
    first = user_line(RULES[0])
    path = transcripts.write("a", first, user_line(RULES[1]))
    scan(db, transcripts)
    path.write_text(first + user_line(RULES[2]))  # rewritten: same first record, a new second
    summary = scan(db, transcripts)
    assert summary.restarted == 1
    assert (summary.created, summary.already) == (1, 1)
    assert len(curate.inbox(db)) == 3
    assert len(evidence_places(db)) == 3


def test_the_same_statement_in_another_session_is_one_more_sighting(
    db: Database, transcripts: Transcripts
) -> None:
    transcripts.write("a", user_line(RULES[0]))
    transcripts.write("b", user_line(RULES[0].upper(), session="s-2"))
    summary = scan(db, transcripts)
    assert (summary.created, summary.merged) == (1, 1)
    [memory] = curate.inbox(db)
    assert memory.seen == 2


def test_a_rejected_statement_is_not_proposed_again(db: Database, transcripts: Transcripts) -> None:
    path = transcripts.write("a", user_line(RULES[0]))
    scan(db, transcripts)
    [memory] = curate.inbox(db)
    curate.reject(db, memory.id)
    transcripts.append(path, user_line(RULES[0]))
    summary = scan(db, transcripts)
    assert (summary.created, summary.suppressed) == (0, 1)
    assert curate.inbox(db) == []
    assert curate.show(db, memory.id).memory.status == Status.REJECTED


def test_malformed_lines_are_skipped_counted_and_located(
    db: Database, transcripts: Transcripts
) -> None:
    path = transcripts.write("a", user_line(RULES[0]), "{not json\n", user_line(RULES[1]))
    summary = scan(db, transcripts)
    assert summary.created == 2
    assert [(s.path, s.line) for s in summary.skipped] == [(str(path), 2)]
    with db.read() as session:
        assert session.scalar(select(TranscriptCursor.skipped)) == 1


def test_a_file_that_cannot_be_read_is_reported_and_the_scan_goes_on(
    db: Database, transcripts: Transcripts, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = transcripts.write("a", user_line(RULES[0]))
    transcripts.write("b", user_line(RULES[1]))
    real_read = ClaudeCodeSource.read

    def read(self: ClaudeCodeSource, path: Path, *args: object, **kwargs: object) -> object:
        if path == bad:
            raise PermissionError(13, "Permission denied")
        return real_read(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ClaudeCodeSource, "read", read)
    summary = scan(db, transcripts)
    assert summary.errors == [(str(bad), "Permission denied")]
    assert summary.created == 1


def test_a_reader_that_lost_a_race_reads_again_instead_of_doubling(
    db: Database, transcripts: Transcripts, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = transcripts.write("a", user_line(RULES[0]), user_line(RULES[1]))
    real_read = ClaudeCodeSource.read
    raced = []

    def read(self: ClaudeCodeSource, target: Path, *args: object, **kwargs: object) -> object:
        result = real_read(self, target, *args, **kwargs)  # type: ignore[arg-type]
        if not raced:  # another memtui ingests the same file between our read and our write
            raced.append(True)
            ingest.ingest_file(db, target, SOURCE)
        return result

    monkeypatch.setattr(ClaudeCodeSource, "read", read)
    result = ingest.ingest_file(db, path, SOURCE)
    assert result.error is None
    assert len(curate.inbox(db)) == 2
    assert len(evidence_places(db)) == 2
