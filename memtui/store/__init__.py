"""The store: typed models, the database handle, migrations and the queries over them.

Knows nothing of Textual, of agents' files or of rules formats. The names below are loaded on
first use, so `memtui.store.fastread` (the app's first frame) does not pay for SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from memtui.store.database import Database, describe
    from memtui.store.migrate import current_revision, ensure_current, upgrade
    from memtui.store.schema import HEAD_REVISION

__all__ = ["HEAD_REVISION", "Database", "current_revision", "describe", "ensure_current", "upgrade"]

_HOMES = {
    "Database": "memtui.store.database",
    "describe": "memtui.store.database",
    "current_revision": "memtui.store.migrate",
    "ensure_current": "memtui.store.migrate",
    "upgrade": "memtui.store.migrate",
    "HEAD_REVISION": "memtui.store.schema",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module when the name is first used."""
    try:
        home = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module 'memtui.store' has no attribute {name!r}") from None
    return getattr(import_module(home), name)
