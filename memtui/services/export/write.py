"""Writing a rules file safely: atomically, through symlinks, keeping the file's mode.

The temporary file is staged outside the rules folder when it can be (Cline and Claude load
every file of their folders, and their watchers may see a half-written one), on the same file
system so that the final rename is atomic.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from memtui.core import paths
from memtui.core.errors import MemtuiError


class WriteError(MemtuiError):
    """A rules file could not be written (or removed)."""


def sha256(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes | None:
    """A file's bytes, None when it does not exist; WriteError when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise WriteError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot read it ({exc.strerror})") from None


def _same_device(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_dev == b.stat().st_dev
    except OSError:
        return False


def _staging_dir(folder: Path) -> Path:
    """Where to stage a temporary file for `folder`: memtui's data folder, else the parent."""
    staging = paths.data_dir() / "staging"
    with contextlib.suppress(OSError):
        staging.mkdir(parents=True, exist_ok=True)
        if _same_device(staging, folder):
            return staging
    if folder.parent != folder and _same_device(folder.parent, folder):
        return folder.parent
    return folder


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` (the file a symlink points to, for a link) with `data`, atomically."""
    target = paths.real(path)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"{folder}: cannot create it ({exc.strerror})") from None
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    except OSError as exc:
        raise WriteError(f"{target}: cannot read it ({exc.strerror})") from None
    staging = _staging_dir(folder)
    handle, temporary = tempfile.mkstemp(prefix=".memtui-", suffix=".tmp", dir=staging)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"{target}: cannot write it ({exc.strerror})") from None


def delete(path: Path) -> None:
    """Remove a file memtui created."""
    try:
        paths.real(path).unlink(missing_ok=True)
    except OSError as exc:
        raise WriteError(f"{path}: cannot remove it ({exc.strerror})") from None
