"""`memtui search`, `memtui history` and `memtui revert` as a script would use them."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from memtui.cli import main
from memtui.cli.browsing import parse_moment
from memtui.core.errors import InvalidInputError
from tests.cli.test_cli import Cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    cli = Cli(capsys, f"sqlite:///{tmp_path / 'cli.db'}")
    cli("add", "Use pnpm, not npm", "--kind", "rule", "--scope", "global")
    cli("add", "Prefer pytest fixtures over setUp", "--kind", "preference", "--scope", "global")
    cli("add", "Write commit messages in English", "--kind", "rule", "--scope", "global")
    cli("deprecate", "3")
    return cli


def test_search_finds_with_typos_and_reports_positions(cli: Cli) -> None:
    [hit] = cli.json("search", "fixtrues pytset")
    assert hit["id"] == 2
    assert hit["text"][min(hit["positions"]) : max(hit["positions"]) + 1].startswith("pyt")
    assert set(hit) >= {"id", "text", "kind", "status", "score", "positions", "tools"}
    assert cli.json("search", "commit english") == []  # deprecated: not a belief
    [old] = cli.json("search", "commit english", "--status", "deprecated")
    assert old["id"] == 3
    assert [h["id"] for h in cli.json("search", "e", "--status", "all", "--limit", "1")] != []
    assert cli.json("search", "pnpm", "--kind", "preference") == []
    out = cli("search", "pnpm")
    assert "#1" in out
    assert out.splitlines()[0].split() == ["ID", "SCORE", "KIND", "STATUS", "SCOPE", "TEXT"]
    assert "Nothing matches" in cli("search", "zzzz")


def test_search_mistakes_are_one_line(cli: Cli) -> None:
    cli("search", "pnpm", "--kind", "rules", code=1)
    assert cli.err.startswith("memtui: unknown kind")
    assert cli.err.count("\n") == 1
    cli("search", "  ", code=1)
    assert "empty" in cli.err
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "pnpm", "--limit", "0"])
    assert exit_info.value.code == 2


def test_history_timeline_and_as_of(cli: Cli) -> None:
    events = cli.json("history")
    assert [e["action"] for e in events] == ["deprecated", "created", "created", "created"]
    assert [e["memory_id"] for e in cli.json("history", "--memory", "3")] == [3, 3]
    assert cli.json("history", "--limit", "1")[0]["action"] == "deprecated"
    assert cli.json("history", "--until", "2000-01-01") == []
    assert len(cli.json("history", "--since", "2000-01-01")) == 4
    now = {b["id"] for b in cli.json("history", "--as-of", "2999-01-01")}
    assert now == {1, 2}
    assert cli.json("history", "--as-of", "2000-01-01") == []
    assert "deprecated" in cli("history")
    cli("history", "--since", "yesterday", code=1)
    assert cli.err == "memtui: not a date: 'yesterday'; write YYYY-MM-DD or YYYY-MM-DDTHH:MM\n"
    cli("history", "--as-of", "2999-01-01", "--memory", "1", code=1)


def test_revert_by_event_id(cli: Cli) -> None:
    deprecation = cli.json("history", "--memory", "3")[0]
    result = cli.json("revert", str(deprecation["id"]))
    assert result["command"] == "deprecate"
    assert result["memory_ids"] == [3]
    assert cli.json("show", "3")["status"] == "confirmed"
    newest = cli.json("history", "--limit", "1")[0]
    assert (newest["action"], newest["command"], newest["memory_id"]) == ("undone", "revert", 3)
    cli("revert", f"#{deprecation['id']}", code=1)
    assert "reverted it already" in cli.err
    cli("revert", "999", code=1)
    assert cli.err == "memtui: no event with id 999\n"


def test_parse_moment() -> None:
    start = parse_moment("2026-03-01")
    end = parse_moment("2026-03-01", end_of_day=True)
    assert (start.hour, end.hour, end.minute) == (0, 23, 59)
    assert start.tzinfo is not None
    assert parse_moment("2026-03-01T10:30+02:00").utcoffset() is not None
    assert parse_moment("2026-03-01T10:30") == datetime(2026, 3, 1, 10, 30).astimezone()
    with pytest.raises(InvalidInputError):
        parse_moment("03/01/2026")


def test_history_loads_no_rapidfuzz_and_search_no_textual(tmp_path: Path) -> None:
    url = str(tmp_path / "lean.db")
    assert main(["db", "upgrade", "--db", url]) == 0
    probe = (
        "import sys\n"
        "from memtui.cli import main\n"
        "main(['history', '--json', '--db', sys.argv[1]])\n"
        "main(['history', '--as-of', '2026-01-01', '--db', sys.argv[1]])\n"
        "heavy = ('textual', 'rich', 'alembic', 'watchfiles', 'rapidfuzz')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
        "main(['search', 'pnpm', '--db', sys.argv[1]])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, url], capture_output=True, text=True, check=True
    )
    lines = result.stdout.strip().splitlines()
    assert lines[2] == "[]"
    assert lines[-1] == "['rapidfuzz']"
