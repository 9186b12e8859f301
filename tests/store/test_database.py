"""The database handle: SQLite pragmas, clear errors, settings that choose the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from memtui.core.errors import ConfigError, DatabaseError
from memtui.core.settings import load_settings
from memtui.store import Database, ensure_current


def pragma(database: Database, name: str) -> object:
    with database.read() as session:
        return session.execute(text(f"PRAGMA {name}")).scalar()


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    assert pragma(db, "journal_mode") == "wal"
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "busy_timeout") == 10_000


def test_a_file_that_is_not_a_database_gives_one_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("these are my notes, not a database\n" * 100)
    database = Database(f"sqlite:///{bogus}")
    with pytest.raises(DatabaseError, match="not a database"):
        ensure_current(database.url, database.engine)
    assert bogus.read_text().startswith("these are my notes")  # nothing lost


def test_a_bad_url_is_reported_as_such() -> None:
    with pytest.raises(DatabaseError, match="not a database URL"):
        Database("::nonsense::/x")


def test_db_flag_beats_environment_beats_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'database = "{tmp_path / "from-config.db"}"\n')
    env = {"MEMTUI_CONFIG": str(config)}
    assert load_settings(env=env).database_url.endswith("from-config.db")
    assert load_settings(env=env).database_origin == "config file"
    env["MEMTUI_DB"] = "postgresql://me:secret@db.example/memtui"
    assert load_settings(env=env).database_url.startswith("postgresql://")
    flagged = load_settings(str(tmp_path / "flag.db"), env=env)
    assert flagged.database_url == f"sqlite:///{tmp_path / 'flag.db'}"
    assert flagged.database_origin == "--db"


def test_default_database_lives_in_the_user_data_directory(isolated_env: Path) -> None:
    settings = load_settings(env={"MEMTUI_CONFIG": str(isolated_env / "none.toml")})
    assert settings.is_default_sqlite
    assert settings.database_url.endswith("/memtui/memtui.db")
    assert str(isolated_env) in settings.database_url


def test_a_broken_config_file_is_named_in_the_error(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("database = [unclosed\n")
    with pytest.raises(ConfigError, match=r"config\.toml: not valid TOML"):
        load_settings(env={"MEMTUI_CONFIG": str(config)})
    config.write_text("database = 3\n")
    with pytest.raises(ConfigError, match="must be a string"):
        load_settings(env={"MEMTUI_CONFIG": str(config)})


def test_unknown_config_keys_are_warnings_not_failures(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('databse = "typo.db"\n')
    settings = load_settings(env={"MEMTUI_CONFIG": str(config)})
    assert settings.warnings == (f"{config}: unknown setting 'databse' ignored",)
