"""`memtui demo PATH`: builds the demo and tells how to point the other commands at it."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from memtui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_demo_builds_and_the_printed_commands_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_env: Path
) -> None:
    folder = tmp_path / "my demo"
    status, out, err = run(capsys, "demo", str(folder))
    assert (status, err) == (0, "")
    url = f"sqlite:///{folder / 'memtui.db'}"
    assert f"--db {shlex.quote(url)}" in out
    assert "Claude Code, Codex CLI, Cline, Gemini CLI, Aider" in out
    inbox_line = next(line for line in out.splitlines() if "memtui inbox" in line)
    status, listed, err = run(capsys, *shlex.split(inbox_line)[1:], "--json")
    assert (status, err) == (0, "")
    pending = json.loads(listed)
    assert f"{len(pending)} candidates waiting" in out
    assert all(m["status"] == "pending" for m in pending)
    # The person's own store and configuration are left alone.
    assert not (isolated_env / "data" / "memtui").exists()


def test_demo_refuses_a_folder_in_use(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    status, out, err = run(capsys, "demo", str(tmp_path))
    assert status == 1
    assert out == ""
    assert err.startswith("memtui: ")
    assert "not an empty folder" in err
    assert len(err.splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_demo_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["demo"])
    assert exit_info.value.code == 2
