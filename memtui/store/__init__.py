"""The store: typed models, the database handle, migrations and the queries over them.

Knows nothing of Textual, of agents' files or of rules formats.
"""

from memtui.store.database import Database, describe
from memtui.store.migrate import HEAD_REVISION, current_revision, ensure_current, upgrade

__all__ = ["HEAD_REVISION", "Database", "current_revision", "describe", "ensure_current", "upgrade"]
