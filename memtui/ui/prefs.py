"""What the app remembers between runs (the theme): a small JSON file in the user state folder.

Losing it costs nothing but the choice, so a broken file is read as empty and rewritten.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from memtui.core.paths import APP_NAME

PREFS_ENV = "MEMTUI_PREFS"


@dataclass(frozen=True, slots=True)
class Prefs:
    """The person's choices in the app."""

    theme: str | None = None
    import_offer: str | None = None
    """What the person answered to the first-start import offer: `import`, `never` (not asked
    again) or None (ask on the next start)."""


def prefs_path() -> Path:
    """The file: MEMTUI_PREFS, else `prefs.json` in the user state folder of this OS."""
    named = os.environ.get(PREFS_ENV)
    if named:
        return Path(named).expanduser()
    return platformdirs.user_state_path(APP_NAME, appauthor=False) / "prefs.json"


def load_prefs(path: Path) -> Prefs:
    """The remembered choices; defaults when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()
    if not isinstance(data, dict):
        return Prefs()
    theme, offer = data.get("theme"), data.get("import_offer")
    return Prefs(
        theme=theme if isinstance(theme, str) else None,
        import_offer=offer if isinstance(offer, str) else None,
    )


def save_prefs(path: Path, prefs: Prefs) -> None:
    """Write the choices atomically (a crash leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(prefs), indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
