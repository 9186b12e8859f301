"""The app's first read (sqlite3 alone) gives exactly what the SQLAlchemy query gives."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from memtui.core.models import Status
from memtui.services.demo import build_demo
from memtui.services.review import first_look, is_current_sqlite
from memtui.store import Database, queries, upgrade
from memtui.store.fastread import read_counts, read_inbox, revision, sqlite_file


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo") / "demo"
    return build_demo(folder, now=datetime(2026, 11, 20, 17, 30, tzinfo=UTC)).db_url


@pytest.mark.parametrize("statuses", [[Status.PENDING], list(Status)], ids=["pending", "all"])
def test_both_paths_read_the_same_rows(demo_url: str, statuses: list[Status]) -> None:
    database = Database(demo_url)
    try:
        with database.read() as session:
            expected = queries.inbox_rows(session, statuses=statuses)
            counts = queries.count_by_status(session)
    finally:
        database.close()
    path = sqlite_file(demo_url)
    assert path is not None
    assert read_inbox(path, statuses) == expected
    assert read_counts(path) == counts
    for limit in (1, 5, len(expected) + 1):
        assert read_inbox(path, statuses, limit=limit) == expected[:limit]
    assert any(r.redactions for r in expected)
    assert any(r.flags for r in expected)
    assert any(len(r.tools) > 1 for r in expected)


def test_first_look_is_for_current_sqlite_files_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert sqlite_file(url) == tmp_path / "new.db"
    assert first_look(url) is None  # no file yet: the command line creates it the slow way
    assert not (tmp_path / "new.db").exists()  # and the read did not create it
    upgrade(url, "0001")
    assert revision(tmp_path / "new.db") == "0001"
    assert first_look(url) is None  # behind: it must be migrated first
    upgrade(url)
    assert is_current_sqlite(url)
    look = first_look(url)
    assert look is not None
    assert (look.rows, look.counts, look.complete) == ([], dict.fromkeys(Status, 0), True)
    assert sqlite_file("postgresql://u@h/db") is None
    assert sqlite_file("sqlite:///:memory:") is None


def test_the_first_read_needs_no_sqlalchemy(demo_url: str) -> None:
    import subprocess

    code = (
        "import sys\n"
        "from memtui.services.review import first_look\n"
        f"look = first_look({demo_url!r}, limit=5)\n"
        "assert len(look.rows) == 5 and not look.complete\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'rapidfuzz') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
