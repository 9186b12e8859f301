"""The layering of DESIGN.md, as far as a test can keep it honest beside import-linter."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
UI_PACKAGES = {"memtui.ui", "memtui.cli"}


def contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_every_package_below_the_ui_is_bound_to_be_headless() -> None:
    packages = {
        f"memtui.{p.name}" for p in (REPO / "memtui").iterdir() if (p / "__init__.py").exists()
    }
    [headless] = [
        c for name, c in contracts().items() if name.startswith("Everything below the UI")
    ]
    assert set(headless["source_modules"]) == packages - UI_PACKAGES  # type: ignore[arg-type]


def test_every_package_has_a_place_in_the_layers() -> None:
    packages = {
        f"memtui.{p.name}" for p in (REPO / "memtui").iterdir() if (p / "__init__.py").exists()
    }
    [layers] = [c for c in contracts().values() if c["type"] == "layers"]
    named = {
        part.strip().strip("()")
        for layer in layers["layers"]  # type: ignore[attr-defined]
        for part in layer.split("|")
    }
    assert packages <= named


def test_the_ui_is_kept_off_sqlalchemy_once_it_exists() -> None:
    if not (REPO / "memtui" / "ui" / "__init__.py").exists():
        return
    guarded = [
        c
        for c in contracts().values()
        if c["type"] == "forbidden"
        and c["source_modules"] == ["memtui.ui"]
        and {"sqlalchemy", "alembic", "memtui.store"} <= set(c["forbidden_modules"])  # type: ignore[arg-type]
    ]
    assert guarded, "add the import-linter contract that keeps memtui.ui off SQLAlchemy"
