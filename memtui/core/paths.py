"""Where memtui keeps things. Pure path arithmetic: nothing here creates a directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "memtui"
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def real(path: str | os.PathLike[str]) -> Path:
    """The absolute path with every link followed, as `Path.resolve()`, except that a loop of
    links is left where it begins (as os.path.realpath does) rather than raising: opening
    such a path then fails like any unreadable file."""
    return Path(os.path.realpath(Path(path).expanduser()))


def data_dir() -> Path:
    """The per-user data directory of this OS (where the default database lives)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The per-user configuration directory of this OS."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """The SQLite file used when no other database is named."""
    return data_dir() / "memtui.db"


def default_config_path() -> Path:
    """The configuration file read when MEMTUI_CONFIG does not name another."""
    return config_dir() / "config.toml"


def bundled_dir(name: str) -> Path:
    """Find `migrations` or `themes`, shipped with memtui.

    A wheel carries them inside the package as `_migrations` and `_themes`; a checkout (or an
    editable install) has them at the top of the repository, beside the package.
    """
    for candidate in (PACKAGE_DIR / f"_{name}", PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"memtui's {name} folder is missing from this installation")


def project_root(path: str | os.PathLike[str]) -> Path:
    """The root that identifies a project: the git top level holding `path`, else `path`."""
    start = real(path)
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def in_git_project(path: str | os.PathLike[str]) -> bool:
    """Whether `path` lies inside a git working tree."""
    start = real(path)
    return any((folder / ".git").exists() for folder in (start, *start.parents))
