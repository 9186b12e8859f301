"""Shared fixtures: a real SQLite file migrated by Alembic, and an isolated environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from memtui.store import Database, upgrade


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's real configuration and data directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("MEMTUI_CONFIG", str(home / "config" / "memtui" / "config.toml"))
    monkeypatch.delenv("MEMTUI_DB", raising=False)
    monkeypatch.delenv("MEMTUI_DEBUG", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """URL of a SQLite file migrated to the newest revision."""
    url = f"sqlite:///{tmp_path / 'memtui.db'}"
    upgrade(url)
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A Database on a freshly migrated SQLite file."""
    database = Database(db_url)
    yield database
    database.close()
