"""`memtui` with no command: the app in a terminal, the status without one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from memtui.store import upgrade


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "memtui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_without_a_terminal_memtui_prints_the_status(tmp_path: Path) -> None:
    done = run("--db", str(tmp_path / "m.db"))
    assert done.returncode == 0
    assert "0 candidate(s) waiting" in done.stdout
    assert "the app needs a terminal" in done.stdout


def test_the_demo_needs_a_terminal_and_says_so(tmp_path: Path) -> None:
    done = run("--demo")
    assert done.returncode == 1
    assert "needs a terminal" in done.stderr
    assert "memtui demo PATH" in done.stderr


def test_the_app_is_built_without_loading_sqlalchemy(tmp_path: Path) -> None:
    """What `memtui` does before the app's first frame: no SQLAlchemy, Alembic or rapidfuzz
    (the store is read with sqlite3 while Textual loads)."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    code = (
        "import sys\n"
        "from memtui.cli.parser import build_parser\n"
        f"args = build_parser().parse_args(['--db', {url!r}])\n"
        "from memtui.cli.app import build_app\n"
        "from memtui.core.settings import load_settings\n"
        "app = build_app(load_settings(args.db), watch=False)\n"
        "assert app.first is not None and app.first.result(timeout=10) is not None\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'rapidfuzz', 'watchfiles')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_app_opened_on_the_beliefs_is_built_without_loading_sqlalchemy(
    tmp_path: Path,
) -> None:
    """`memtui --screen beliefs`: the first beliefs are read with sqlite3 while Textual loads;
    SQLAlchemy and rapidfuzz wait for the index, built behind the first frame."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url)
    code = (
        "import sys\n"
        "from memtui.cli.parser import build_parser\n"
        f"args = build_parser().parse_args(['--db', {url!r}, '--screen', 'beliefs'])\n"
        "from memtui.cli.app import build_app\n"
        "from memtui.core.settings import load_settings\n"
        "app = build_app(load_settings(args.db), watch=False, start=args.screen)\n"
        "assert app.start == 'beliefs' and app.first is None\n"
        "page = app.first_beliefs.result(timeout=10)\n"
        "assert page is not None and page.rows == [] and page.total == 0\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'rapidfuzz', 'watchfiles',"
        " 'memtui.core.records') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_an_unknown_screen_is_refused_in_one_line() -> None:
    done = run("--screen", "settings")
    assert done.returncode == 2
    assert "invalid choice: 'settings'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
