"""The beliefs drawn before the index: the index's own first rows, read with sqlite3 alone;
and the index copied from a SQLite file in SQL, the same as the one read through SQLAlchemy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bench.seed import seed_store
from memtui.services.firstpage import first_beliefs, prefetch_beliefs
from memtui.services.search import ANY, BELIEFS, SearchIndex, _read_store
from memtui.store import Database
from memtui.store.fastread import sqlite_file


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """600 memories in every status, from several tools, some changed at the same moment."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'memtui.db'}"
    seed_store(url, 600, pending_share=0.1)
    path = sqlite_file(url)
    assert path is not None
    with sqlite3.connect(path) as connection:  # ties: the highest id comes first
        connection.execute(
            "UPDATE memories SET updated_at = (SELECT max(updated_at) FROM memories) "
            "WHERE id IN (SELECT id FROM memories WHERE status = 'confirmed' LIMIT 5)"
        )
        connection.execute(
            "UPDATE memories SET updated_at = '2026-01-02 03:04:05.999999' "
            "WHERE id IN (SELECT id FROM memories WHERE status = 'confirmed' LIMIT 3 OFFSET 9)"
        )
    return url


def test_the_first_page_is_the_index_listing_first_rows(store: str) -> None:
    database = Database(store)
    try:
        index = SearchIndex.build(database)
    finally:
        database.close()
    page = first_beliefs(store, limit=40)
    assert page is not None
    listing = index.listing(BELIEFS)
    assert page.total == len(listing)
    assert page.rows == index.entries(list(listing[:40]))
    assert any(len(row.tools) > 1 for row in page.rows)  # tools sorted, as the index gives them


def test_the_index_copied_from_the_file_is_the_index_read_through_sqlalchemy(
    store: str,
) -> None:
    database = Database(store)
    try:
        copied = SearchIndex.build(database)
        read = SearchIndex.from_entries(_read_store(database, None))
    finally:
        database.close()
    assert list(copied.listing(ANY)) == list(read.listing(ANY))
    every = list(read.listing(ANY))
    assert copied.entries(every) == read.entries(every)
    assert copied.tools() == read.tools()
    assert len(copied) == len(read) == 600
    words = "use the pnpm"
    assert [h.memory.id for h in copied.query(words, ANY)] == [
        h.memory.id for h in read.query(words, ANY)
    ]


def test_a_store_sqlite3_cannot_read_has_no_first_page(tmp_path: Path) -> None:
    assert first_beliefs("postgresql://somewhere/memtui") is None
    assert first_beliefs(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert not (tmp_path / "missing.db").exists()  # read-only: never created
    url = f"sqlite:///{tmp_path / 'old.db'}"
    sqlite3.connect(tmp_path / "old.db").close()  # no schema at all
    assert prefetch_beliefs(url).result(timeout=10) is None


def test_marking_as_drawn_marks_what_the_query_marks(store: str) -> None:
    database = Database(store)
    try:
        index = SearchIndex.build(database)
    finally:
        database.close()
    for text in ("pnpm", "migratoins prod", "use the te"):
        marked = index.query(text, ANY, 30)
        bare = index.query(text, ANY, 30, mark=False)
        marker = index.marker(text)
        assert [h.memory.id for h in bare] == [h.memory.id for h in marked]
        assert all(h.positions == () for h in bare)
        assert [marker(h.memory.text) for h in bare] == [h.positions for h in marked]
        assert any(h.positions for h in marked)
