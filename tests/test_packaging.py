"""An installed (non-editable) memtui carries its migrations and themes and uses them."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from textual.theme import Theme

from memtui.core.paths import bundled_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    [built] = out.glob("memtui-*.whl")
    return built


def test_wheel_carries_migrations_and_themes(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "memtui/_migrations/env.py" in names
    assert "memtui/_migrations/script.py.mako" in names
    versions = {p.name for p in (REPO / "migrations" / "versions").glob("*.py")}
    assert {f"memtui/_migrations/versions/{v}" for v in versions} <= names
    themes = {p.name for p in (REPO / "themes").glob("*.toml")}
    assert {f"memtui/_themes/{t}" for t in themes} <= names


def test_wheel_carries_the_demo_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    demo = REPO / "memtui" / "demo"
    shipped = {f"memtui/demo/{p.relative_to(demo).as_posix()}" for p in demo.rglob("*")}
    assert "memtui/demo/triage.toml" in names
    assert "memtui/demo/projects/datapipe/.aider.chat.history.md" in names
    assert {n for n in shipped if (REPO / n).is_file()} <= names


def test_installed_wheel_migrates_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "MEMTUI_DB": str(tmp_path / "installed.db")}
    probe = (
        "import memtui, sys\n"
        "from memtui.core.paths import bundled_dir\n"
        "from memtui.cli import main\n"
        "print(memtui.__file__)\n"
        "print(bundled_dir('migrations'))\n"
        "sys.exit(main(['db', 'upgrade']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    package_file, migrations, message = result.stdout.strip().splitlines()
    assert package_file.startswith(str(target))
    assert migrations == str(target / "memtui" / "_migrations")
    assert "upgraded from empty" in message


def test_checkout_finds_its_bundled_folders() -> None:
    assert bundled_dir("migrations") == REPO / "migrations"
    assert bundled_dir("themes") == REPO / "themes"


@pytest.mark.parametrize("path", sorted((REPO / "themes").glob("*.toml")), ids=lambda p: p.stem)
def test_every_bundled_theme_is_a_valid_textual_theme(path: Path) -> None:
    data = tomllib.loads(path.read_text())
    theme = Theme(**data)
    assert theme.name == path.stem
    assert set(theme.variables) >= {"memtui-diff-added", "memtui-diff-removed", "memtui-quote"}


def test_there_is_a_light_theme_among_at_least_three() -> None:
    themes = [tomllib.loads(p.read_text()) for p in (REPO / "themes").glob("*.toml")]
    assert len(themes) >= 3
    assert any(not t["dark"] for t in themes)
