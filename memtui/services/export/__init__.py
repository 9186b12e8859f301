"""Export and import of agents' rules files (rules-files.md): the services the CLI and the app
call. Pure parts (blocks, render, lines, targets) need no database.
"""

from memtui.services.export.imports import import_edits, import_files, importable_files
from memtui.services.export.plan import (
    apply_export,
    block_text,
    enabled_targets,
    export,
    known_projects,
    plan_export,
    revert,
    revert_file,
)

__all__ = [
    "apply_export",
    "block_text",
    "enabled_targets",
    "export",
    "import_edits",
    "import_files",
    "importable_files",
    "known_projects",
    "plan_export",
    "revert",
    "revert_file",
]
