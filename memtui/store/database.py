"""The database handle: one engine, short sessions, SQLite tuned for a desktop app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from memtui.core.errors import DatabaseError

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another (the watcher, a second memtui) before giving up."""


def parse_url(url: str) -> URL:
    """Parse a SQLAlchemy URL, or explain why it is not one."""
    try:
        return make_url(url)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {url!r}") from None


def describe(url: str) -> str:
    """The URL as it is safe to print: the password hidden."""
    return parse_url(url).render_as_string(hide_password=True)


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _tune_sqlite(engine: Engine, *, foreign_keys: bool) -> None:
    """WAL, a busy timeout, foreign keys, and explicit BEGINs that writers take IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event (below) emit BEGIN instead of the driver's guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A writer takes the lock up front: a deferred transaction that later needs to write
        # fails at once with "database is locked" instead of waiting out the busy timeout.
        mode = connection.get_execution_options().get("memtui_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """An engine for `url`; for SQLite, the file's folder is created and the pragmas set."""
    parsed = parse_url(url)
    path = sqlite_file(parsed)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path.parent}: {exc.strerror}") from None
    try:
        engine = create_engine(parsed)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(f"no driver for {describe(url)}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        _tune_sqlite(engine, foreign_keys=foreign_keys)
    return engine


class Database:
    """Opens sessions on one engine. Each session is one unit of work, then closed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        writer_engine = self.engine.execution_options(memtui_begin="IMMEDIATE")
        self._writer = sessionmaker(writer_engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; it never commits."""
        with self._reader() as session, translate_errors(self.url):
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for one action: committed when the block ends, rolled back if it raises."""
        with self._writer() as session, translate_errors(self.url), session.begin():
            yield session

    def check(self) -> None:
        """Open a connection and read from the database, or raise a clear DatabaseError."""
        with translate_errors(self.url), self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


@contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Turn a driver's error into one line that names the database."""
    try:
        yield
    except DBAPIError as exc:
        reason = str(exc.orig).strip() if exc.orig is not None else str(exc)
        raise DatabaseError(f"database {describe(url)}: {reason}") from None
