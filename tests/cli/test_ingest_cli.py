"""`memtui scan` and `memtui sources` as a person or a script uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from memtui.cli import main
from tests.ingest.helpers import RULES, Transcripts, user_line


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Transcripts:
    """A home folder whose Claude Code transcripts memtui finds by itself."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    monkeypatch.setenv("MEMTUI_DB", str(tmp_path / "m.db"))
    transcripts = Transcripts(home / ".claude")
    transcripts.write("one", user_line(RULES[0]), "{broken\n", user_line(RULES[1]))
    return transcripts


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_scan_finds_the_tools_own_folders_and_reports(
    home: Transcripts, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "scan")
    assert code == 0
    assert "Scanned 1 file(s)" in out
    assert "2 new candidate(s)" in out
    assert "Skipped 1 malformed record(s):" in out
    assert "one.jsonl:2" in out

    code, out, _ = run(capsys, "scan", "--json")
    assert code == 0
    summary = json.loads(out)
    assert (summary["files"], summary["created"], summary["bytes"]) == (1, 0, 0)

    _, out, _ = run(capsys, "inbox", "--json")
    assert {m["evidence"][0]["line"] for m in json.loads(out)} == {1, 3}


def test_sources_lists_what_was_read(home: Transcripts, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "scan")
    _, out, _ = run(capsys, "sources", "--json")
    claude = [e for e in json.loads(out) if e["tool"] == "claude-code" and e["exists"]]
    assert [(e["files"], e["read"], e["skipped"]) for e in claude] == [(1, 1, 1)]
    _, out, _ = run(capsys, "sources")
    assert "~/.claude/projects" in out
    assert "Not found here:" in out


def test_scan_of_a_file_no_tool_claims_says_so(
    home: Transcripts, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just my notes\n")
    code, out, _ = run(capsys, "scan", str(notes))
    assert code == 1
    assert "not a transcript of a tool memtui knows" in out
    code, _, err = run(capsys, "scan", str(tmp_path / "missing.jsonl"))
    assert code == 1
    assert "no such file or folder" in err
    loop = tmp_path / "loop.jsonl"
    loop.symlink_to(loop)
    code, _, err = run(capsys, "scan", str(loop))
    assert code == 1
    assert f"cannot read {loop}: Too many levels of symbolic links" in err
    code, _, err = run(capsys, "scan", str(notes), "--tool", "emacs")
    assert code == 1
    assert "unknown tool 'emacs'" in err


def test_scan_with_a_forced_tool_reads_renamed_exports(
    home: Transcripts, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "my-session-backup.jsonl").write_text(user_line(RULES[2]))
    code, out, _ = run(capsys, "scan", str(exports), "--tool", "claude-code")
    assert code == 0
    assert "1 new candidate(s)" in out
    _, out, _ = run(capsys, "scan", str(exports))  # detected by content: already read
    assert "0 new candidate(s)" in out
