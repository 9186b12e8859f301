"""Bring a database to the schema this memtui expects, with Alembic, before anything uses it."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from memtui.core.errors import DatabaseError
from memtui.core.paths import bundled_dir
from memtui.store.database import make_engine, translate_errors
from memtui.store.schema import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(engine: Engine | None = None, stdout: io.StringIO | None = None) -> Config:
    """An Alembic configuration built in code: no alembic.ini, works from any directory."""
    from alembic.config import Config

    config = Config(stdout=stdout or io.StringIO())
    config.set_main_option("script_location", str(bundled_dir("migrations")))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at, or None when memtui has never migrated it."""
    with translate_errors(str(engine.url)), engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    """Every revision the bundled migrations define."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate the database at `url` up to `revision`; return the revision it was at before.

    Runs on its own engine with SQLite's foreign keys off: Alembic's batch mode copies tables,
    which fails while foreign keys are enforced.
    """
    from alembic import command

    engine = make_engine(url, foreign_keys=False)
    try:
        before = current_revision(engine)
        if before is not None and before != HEAD_REVISION and before not in known_revisions():
            raise DatabaseError(
                f"the database is at revision {before}, which this memtui does not know: "
                "it was written by a newer memtui; upgrade memtui to use it"
            )
        with translate_errors(url):
            command.upgrade(alembic_config(engine), revision)
        return before
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at `url` down to `revision` (used by tests and by hand)."""
    from alembic import command

    engine = make_engine(url, foreign_keys=False)
    try:
        with translate_errors(url):
            command.downgrade(alembic_config(engine), revision)
    finally:
        engine.dispose()


def ensure_current(url: str, engine: Engine) -> bool:
    """Upgrade the database if it is behind; return whether a migration ran."""
    if current_revision(engine) == HEAD_REVISION:
        return False
    upgrade(url)
    return True
