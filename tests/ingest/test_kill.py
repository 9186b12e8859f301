"""Killing `memtui scan` or `memtui watch` at any moment loses nothing and duplicates nothing.

The child processes are killed with SIGKILL, right after they report that a file (or a
change) is stored, that is while they work on the next one. Synchronisation is by what the
child prints, never by sleeping.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import select

from memtui.services import ingest
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root
from memtui.store import Database, upgrade
from memtui.store.models import Evidence, Memory, TranscriptCursor
from tests.ingest.helpers import RULES, Transcripts, agent_line, tool_output_line, user_line

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

FILES = 24
FILE_BYTES = 1_500_000
"""Big enough that a scan stores the files in several groups (ingest.GROUP_BYTES), so a
kill after the first files are reported lands while later ones are being read or stored."""


def statements(file_number: int) -> list[str]:
    """Three prompts per file: two shared rules and one of its own."""
    return [
        RULES[file_number % len(RULES)],
        f"Never edit the vendored module number {file_number} by hand.",
        RULES[(file_number + 1) % len(RULES)],
    ]


def build(transcripts: Transcripts) -> None:
    for number in range(FILES):
        lines = []
        for text in statements(number):
            lines += [user_line(text, session=f"s-{number}"), agent_line("Done.")]
            lines.append(tool_output_line(FILE_BYTES // 3, session=f"s-{number}"))
        transcripts.write(f"session-{number:02d}", *lines)


def snapshot(url: str) -> tuple[list[tuple[str, str]], list[tuple[str | None, int | None]]]:
    """What the store holds, comparable across runs: memories and where each was seen."""
    database = Database(url)
    try:
        with database.read() as session:
            memories = sorted(session.execute(select(Memory.text, Memory.status)).all())
            places = sorted(session.execute(select(Evidence.path, Evidence.line)).all())
        return [(t, s.value) for t, s in memories], places
    finally:
        database.close()


def cursors_stored(url: str) -> int:
    """How many files the store holds a cursor for."""
    database = Database(url)
    try:
        with database.read() as session:
            return len(session.execute(select(TranscriptCursor.path)).all())
    finally:
        database.close()


def finish(url: str, transcripts: Transcripts) -> None:
    database = Database(url)
    try:
        ingest.scan(database, [Root(transcripts.root / "projects", ClaudeCodeSource(), "test")])
    finally:
        database.close()


def memtui(*args: str, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "MEMTUI_DB": url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "memtui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def read_until(stream: IO[str] | None, marker: str) -> None:
    assert stream is not None
    for line in stream:
        if marker in line:
            return
    raise AssertionError(f"the child ended before printing {marker!r}")


@pytest.fixture
def reference(tmp_path: Path, transcripts: Transcripts) -> tuple[object, ...]:
    build(transcripts)
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    upgrade(url)
    finish(url, transcripts)
    memories, places = snapshot(url)
    assert len(places) == 3 * FILES
    assert FILES * FILE_BYTES > 2 * ingest.GROUP_BYTES  # a scan stores them in several groups
    return memories, places


@pytest.mark.parametrize("killed_after", [1, 8, 15])
def test_a_scan_killed_midway_then_run_again_equals_one_clean_scan(
    tmp_path: Path, transcripts: Transcripts, reference: tuple[object, ...], killed_after: int
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    child = memtui("scan", str(transcripts.root), "--tool", "claude-code", "--progress", url=url)
    read_until(child.stderr, f"files {killed_after}/{FILES}")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    stored_at_kill = cursors_stored(url)
    if killed_after == 1:
        assert 0 < stored_at_kill < FILES  # killed with some groups stored and some not
    finish(url, transcripts)
    assert snapshot(url) == reference


def test_a_scan_killed_at_once_then_run_again_equals_one_clean_scan(
    tmp_path: Path, transcripts: Transcripts, reference: tuple[object, ...]
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    upgrade(url)
    child = memtui("scan", str(transcripts.root), "--tool", "claude-code", "--progress", url=url)
    child.send_signal(signal.SIGKILL)
    child.wait()
    finish(url, transcripts)
    assert snapshot(url) == reference


def test_a_watcher_killed_after_a_change_loses_nothing(
    tmp_path: Path, transcripts: Transcripts
) -> None:
    url = f"sqlite:///{tmp_path / 'watched.db'}"
    path = transcripts.write("live", user_line(RULES[0]))
    child = memtui("watch", str(transcripts.root), "--tool", "claude-code", url=url)
    try:
        read_until(child.stdout, "Watching")
        transcripts.append(path, user_line(RULES[1]))
        read_until(child.stdout, "live.jsonl")
        transcripts.append(path, user_line(RULES[2]))  # maybe read, maybe not: then killed
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
    transcripts.append(path, user_line(RULES[3]))
    finish(url, transcripts)
    memories, places = snapshot(url)
    assert len(memories) == 4
    assert [line for _, line in places] == [1, 2, 3, 4]
