"""A private, consistent copy of a live SQLite database, read without disturbing its owner.

Cursor and OpenCode keep their databases open in WAL mode. Opening them directly, even
read-only, would take part in SQLite's locking (create `-wal`/`-shm` files, hold a read mark
that stops checkpoints, wait on the writer); `immutable=1` avoids that but misses the `-wal`,
where the newest rows are. So a read copies the database and its `-wal` into a private folder
and opens the copy read-only; the copy is retried when a checkpoint or a log reset happened
while it was made.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import Any

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
"""The first bytes of a rollback journal once SQLite is about to rewrite the database file in place
(at a commit, or when a large transaction spills): before that the journal starts with zeros.
Left behind by a crash, it stays until the database's next opening rolls it back."""
BUSY_TIMEOUT = 1.0
"""Seconds SQLite may wait on a lock: only our private copy is opened, so this never waits."""
COPY_ATTEMPTS = 3


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _head(path: Path, length: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(length)
    except FileNotFoundError:
        return b""


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def signature(path: Path) -> tuple[int, int]:
    """Size and mtime of a database together with its `-wal`: they change with every commit."""
    stat = path.stat()
    size, mtime = stat.st_size, stat.st_mtime_ns
    wal = _stat(_companion(path, "-wal"))
    if wal is not None:
        size += wal[1]
        mtime = max(mtime, wal[2])
    return size, mtime


def _moment(path: Path) -> tuple[object, ...]:
    """What must not change while a database is copied (see the module's docstring)."""
    journal = _head(_companion(path, "-journal"), len(JOURNAL_MAGIC))
    return _stat(path), _head(_companion(path, "-wal"), 32), journal == JOURNAL_MAGIC


def snapshot(path: Path, folder: Path) -> Path:
    """A consistent copy of a live database (and its `-wal`) in `folder`, without locking it."""
    copy = folder / path.name
    copy_wal = _companion(copy, "-wal")
    for _ in range(COPY_ATTEMPTS):
        before = _moment(path)
        if before[2]:
            continue  # a writer is rewriting the database in place: not a state to copy
        copy_wal.unlink(missing_ok=True)
        with suppress(FileNotFoundError):  # no log: nothing was written since the last checkpoint
            shutil.copyfile(_companion(path, "-wal"), copy_wal)
        shutil.copyfile(path, copy)
        if _moment(path) == before:
            return copy
    raise OSError(
        f"{path.name} kept changing while memtui copied it to read it; it is read again at its "
        "next change"
    )


def open_copy(copy: Path) -> sqlite3.Connection:
    """Read-only connection to a private copy (its `-shm`, if any, is made beside the copy)."""
    return sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)


def json_value(raw: object) -> Any:
    """The JSON in a column or file (TEXT or BLOB); ValueError if there is none."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    if not isinstance(raw, str):
        raise ValueError("not text")
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None
