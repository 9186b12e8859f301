"""The command line as a script would use it: exit codes, JSON, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from memtui import __version__
from memtui.cli import main
from memtui.store import HEAD_REVISION

MEMORY_KEYS = {
    "id", "kind", "text", "status", "scope", "project", "confidence", "locked",
    "created_at", "updated_at", "seen", "redactions", "flags", "evidence", "supersedes",
    "superseded_by",
}  # fmt: skip
EVIDENCE_KEYS = {
    "tool", "path", "line", "index", "message_id", "session_id", "timestamp", "quote",
    "rule", "confidence", "redactions",
}  # fmt: skip


class Cli:
    """Runs `memtui ARGS` in-process against one database, capturing what it prints."""

    def __init__(self, capsys: pytest.CaptureFixture[str], url: str) -> None:
        self.capsys = capsys
        self.url = url

    def __call__(self, *args: str, code: int = 0) -> str:
        self.capsys.readouterr()
        status = main([*args, "--db", self.url])
        out, err = self.capsys.readouterr()
        assert status == code, f"exit {status}, stderr: {err}"
        self.err = err
        return out

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json"))


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(capsys, f"sqlite:///{tmp_path / 'cli.db'}")


def test_add_then_list_as_json(cli: Cli, tmp_path: Path) -> None:
    project = tmp_path / "repo"
    (project / ".git").mkdir(parents=True)
    (project / "src").mkdir()
    [added] = cli.json(
        "add", "Use pnpm, not npm", "--kind", "rule", "--scope", str(project / "src")
    )
    assert set(added) == MEMORY_KEYS
    assert added["status"] == "confirmed"
    assert added["scope"] == "project"
    assert added["project"] == str(project)  # the git top level, not the sub-folder
    assert added["seen"] == 1
    [evidence] = added["evidence"]
    assert set(evidence) == EVIDENCE_KEYS
    assert evidence["tool"] == "manual"

    beliefs = cli.json("beliefs")
    assert [b["id"] for b in beliefs] == [added["id"]]
    assert cli.json("beliefs", "--project", str(project))[0]["id"] == added["id"]
    assert cli.json("beliefs", "--project", str(tmp_path)) == []
    assert cli.json("inbox") == []


def test_add_outside_a_git_project_is_global(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    [added] = cli.json("add", "Answer in English", "--kind", "preference")
    assert (added["scope"], added["project"]) == ("global", None)


def test_the_decision_commands_change_the_store(cli: Cli) -> None:
    first = cli.json("add", "Tests live next to the code", "--kind", "fact", "--scope", "global")[0]
    second = cli.json("add", "Keep bash for scripts", "--kind", "decision", "--scope", "global")[0]

    [edited] = cli.json("edit", str(first["id"]), "--text", "Tests live next to the code, in .ts")
    assert edited["text"] == "Tests live next to the code, in .ts"

    [locked] = cli.json("lock", str(first["id"]))
    assert locked["locked"] is True
    cli("edit", str(first["id"]), "--text", "changed", code=1)
    assert "locked" in cli.err
    assert "memtui unlock" in cli.err
    cli("unlock", f"#{first['id']}")

    [replacement] = cli.json(
        "supersede", "--replaces", str(second["id"]), "--text", "Use Python for scripts"
    )
    assert replacement["supersedes"] == [second["id"]]
    old = cli.json("show", str(second["id"]))
    assert old["status"] == "superseded"
    assert old["superseded_by"] == replacement["id"]
    assert [link["id"] for link in old["lineage"]] == [second["id"], replacement["id"]]

    cli("deprecate", str(first["id"]))
    assert cli.json("beliefs", "--status", "deprecated")[0]["id"] == first["id"]
    statuses = {b["status"] for b in cli.json("beliefs", "--status", "all")}
    assert statuses == {"deprecated", "superseded", "confirmed"}

    assert "Undid deprecate" in cli("undo")
    assert "Undid supersede" in cli("undo")
    assert cli.json("show", str(second["id"]))["status"] == "confirmed"
    assert {b["id"] for b in cli.json("beliefs")} == {first["id"], second["id"]}


def test_show_lists_evidence_revisions_and_events(cli: Cli) -> None:
    added = cli.json(
        "add", "Never run migrations against prod", "--kind", "rule", "--scope", "global"
    )[0]
    cli("edit", str(added["id"]), "--kind", "procedure")
    shown = cli.json("show", str(added["id"]))
    assert set(shown) >= MEMORY_KEYS
    assert [r["number"] for r in shown["revisions"]] == [1, 2]
    assert [e["action"] for e in shown["events"]] == ["created", "edited"]
    text = cli("show", str(added["id"]))
    assert "Never run migrations against prod" in text
    assert "Evidence (1)" in text
    assert "edited" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "999"), "no memory with id 999"),
        (("confirm", "999"), "no memory with id 999"),
        (("add", "x", "--kind", "rool"), "unknown kind 'rool'"),
        (("beliefs", "--status", "maybe"), "unknown status 'maybe'"),
        (("undo",), "nothing to undo"),
        (("add", "   ", "--kind", "rule"), "cannot be empty"),
        (("add", "x", "--kind", "rule", "--scope", "/no/such/folder"), "neither 'global' nor"),
    ],
)
def test_user_errors_are_one_line_and_non_zero(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    cli(*args, code=1)
    assert message in cli.err
    assert cli.err.count("\n") == 1
    assert "Traceback" not in cli.err


def test_a_bad_id_is_a_usage_error_in_one_line(cli: Cli) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["show", "twelve", "--db", cli.url])
    assert stop.value.code == 2
    err = cli.capsys.readouterr().err
    assert "not a memory id: 'twelve'" in err
    assert err.count("\n") == 1


def test_an_unreadable_database_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "not.db"
    bogus.write_bytes(b"\x00garbage" * 1000)
    assert main(["inbox", "--db", str(bogus)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("memtui: database sqlite:///")
    assert "not a database" in err
    assert err.count("\n") == 1


def test_db_commands_and_doctor(cli: Cli) -> None:
    assert cli("db", "current").strip() == "none (not migrated yet)"
    assert "upgraded from empty to" in cli("db", "upgrade")
    assert cli("db", "current").strip() == HEAD_REVISION
    assert "already at revision" in cli("db", "upgrade")
    report = cli.json("doctor")
    assert report["database"]["revision"] == HEAD_REVISION
    assert report["healthy"] is True
    assert "up to date" in cli("doctor")


def test_database_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MEMTUI_DB", str(tmp_path / "env.db"))
    assert main(["add", "Prefer ripgrep", "--kind", "preference", "--scope", "global"]) == 0
    assert (tmp_path / "env.db").exists()
    assert main(["beliefs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])[0]["text"] == "Prefer ripgrep"


def run_memtui(*args: str, cwd: Path, env_db: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "MEMTUI_DB": env_db}
    return subprocess.run(
        [sys.executable, "-m", "memtui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_python_dash_m_and_version(tmp_path: Path) -> None:
    result = run_memtui("--version", cwd=tmp_path, env_db=str(tmp_path / "v.db"))
    assert result.returncode == 0
    assert result.stdout.strip() == f"memtui {__version__}"
    assert not (tmp_path / "v.db").exists()  # --version touches no database


def test_headless_commands_never_import_textual(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from memtui.cli import main\n"
        "for argv in (['add', 'x', '--kind', 'rule', '--scope', 'global'], ['inbox', '--json'],\n"
        "             ['beliefs'], ['show', '1'], ['doctor'], ['db', 'current'], [],\n"
        "             ['scan', '--json'], ['sources']):\n"
        "    main([*argv, '--db', sys.argv[1]])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "h.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_unexpected_errors_carry_no_traceback_unless_asked(tmp_path: Path) -> None:
    # A directory where the SQLite file should be: the driver fails in its own words.
    (tmp_path / "dir.db").mkdir()
    result = run_memtui("inbox", cwd=tmp_path, env_db=str(tmp_path / "dir.db"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_listing_commands_load_only_what_they_use(tmp_path: Path) -> None:
    """inbox and beliefs on an up-to-date store need neither Alembic, watchfiles nor rapidfuzz."""
    url = str(tmp_path / "lean.db")
    assert main(["db", "upgrade", "--db", url]) == 0
    probe = (
        "import sys\n"
        "from memtui.cli import main\n"
        "main(['inbox', '--json', '--db', sys.argv[1]])\n"
        "main(['beliefs', '--db', sys.argv[1]])\n"
        "heavy = ('textual', 'rich', 'alembic', 'watchfiles', 'rapidfuzz')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, url], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def export_project(tmp_path: Path) -> Path:
    project = tmp_path / "shop"
    (project / ".git").mkdir(parents=True)
    return project


def test_export_dry_run_then_write_then_nothing_new(cli: Cli, tmp_path: Path) -> None:
    project = export_project(tmp_path)
    cli("add", "Use pnpm, not npm", "--kind", "rule", "--scope", str(project))
    out = cli("export", "--to", "agents,claude", "--project", str(project), "--dry-run")
    assert "+- Use pnpm, not npm" in out
    assert "--- /dev/null" in out
    assert not (project / "AGENTS.md").exists()
    plan = cli.json("export", "--to", "agents,claude", "--project", str(project))
    written = [f["path"] for f in plan["files"] if f["written"]]
    assert str(project / "AGENTS.md") in written
    again = cli.json("export", "--to", "agents,claude", "--project", str(project))
    assert {f["action"] for f in again["files"]} == {"unchanged"}
    out = cli("export", "--to", "agents", "--project", str(project), "--revert", "--no-user")
    assert out.startswith("deleted")
    assert not (project / "AGENTS.md").exists()


def test_export_exits_1_for_a_blocked_file_after_writing_the_others(
    cli: Cli, tmp_path: Path
) -> None:
    project = export_project(tmp_path)
    cli("add", "Use pnpm, not npm", "--kind", "rule", "--scope", str(project))
    (project / "AGENTS.md").write_text("<!-- memtui:end -->\n")
    cli("export", "--to", "agents,claude", "--project", str(project), "--no-user", code=1)
    assert "has no begin marker" in cli.err
    assert (project / ".claude/rules/memtui.md").exists()


def test_export_rejects_unknown_targets_in_one_line(cli: Cli, tmp_path: Path) -> None:
    project = export_project(tmp_path)
    cli("export", "--to", "vim", "--project", str(project), code=1)
    assert cli.err.count("\n") == 1
    assert "unknown target vim" in cli.err


def test_import_dry_run_lists_then_imports(cli: Cli, tmp_path: Path) -> None:
    project = export_project(tmp_path)
    (project / "AGENTS.md").write_text("# Rules\n- Use pnpm, not npm\n- Keep PRs small\n")
    out = cli("import", str(project / "AGENTS.md"), "--dry-run")
    assert out.count("create ") == 2
    assert "2 create" in out
    assert cli.json("beliefs") == []
    report = cli.json("import", str(project))
    assert [line["outcome"] for line in report["lines"]] == ["create", "create"]
    assert len(cli.json("beliefs")) == 2
    cli("import", str(tmp_path / "missing.md"), code=1)
    assert "no such file or folder" in cli.err


def test_doctor_lists_each_projects_targets(cli: Cli, tmp_path: Path) -> None:
    project = export_project(tmp_path)
    cli("add", "Use pnpm, not npm", "--kind", "rule", "--scope", str(project))
    report = cli.json("doctor")
    [entry] = report["exports"]
    assert entry["project"] == str(project)
    assert entry["targets"] == ["agents"]
    assert entry["origin"] == "default"
    assert entry["files"][0]["state"] == "would be created"
