"""Themes: TOML files in `themes/` (and the user's own theme folder), loaded as Textual themes.

Colours reach the widgets only through theme variables: Textual derives `$primary`,
`$surface` and the rest from a theme, and memtui's own `$memtui-*` variables come from the
theme's `[variables]` table, with the defaults below for themes that leave them out.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.theme import Theme

from memtui.core import paths

DEFAULT_THEME = "memtui-dusk"
VARIABLE_DEFAULTS = {
    "memtui-diff-added": "ansi_green",
    "memtui-diff-removed": "ansi_red",
    "memtui-quote": "ansi_yellow",
}
"""memtui's own variables, for a theme that does not set them (Textual's built-in ones)."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """The themes found, and the files that could not be read as one."""

    themes: tuple[Theme, ...]
    problems: tuple[str, ...]


def theme_folders() -> list[Path]:
    """Where themes come from: memtui's own, then the user's (which may replace one)."""
    return [paths.bundled_dir("themes"), paths.config_dir() / "themes"]


def load_theme(path: Path) -> Theme:
    """One theme file; ValueError says what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    data.setdefault("name", path.stem)
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError(f"{path.name}: [variables] must be a table")
    data["variables"] = {**VARIABLE_DEFAULTS, **variables}
    try:
        return Theme(**data)
    except TypeError as exc:
        raise ValueError(f"{path.name}: {exc}") from None


def load_themes(folders: list[Path] | None = None) -> Loaded:
    """Every theme in the folders; a broken file is reported, not fatal."""
    found: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in theme_folders() if folders is None else folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme(path)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            found[theme.name] = theme
    return Loaded(tuple(found.values()), tuple(problems))
