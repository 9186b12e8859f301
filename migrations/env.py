"""Alembic environment for memtui.

memtui passes its own engine in `config.attributes["engine"]`; when the `alembic` command is run
by hand from a checkout, the database is the one memtui would use (`--db`-less: MEMTUI_DB, the
config file, or the default). There is no alembic.ini and no logging configuration here, so
nothing is printed over the terminal app.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from memtui.core.settings import load_settings
from memtui.store.database import make_engine
from memtui.store.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: object, _context: object) -> str | bool:
    """Write memtui's column types as plain SQLAlchemy ones, so a migration never changes
    when the model code does."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _engine() -> tuple[Engine, bool]:
    """The engine to migrate, and whether this module created it (and so disposes of it)."""
    given = config.attributes.get("engine")
    if given is not None:
        return given, False
    return make_engine(load_settings().database_url, foreign_keys=False), True


def run_migrations_offline() -> None:
    """Emit SQL for the configured database without connecting (`alembic upgrade --sql`)."""
    context.configure(
        url=load_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over a live connection, in one transaction."""
    engine, owned = _engine()
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                compare_type=True,
                render_item=render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
