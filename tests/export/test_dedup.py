"""Who reads what: a tool that loads memtui's AGENTS.md block gets no second copy, Aider is
told to read AGENTS.md, sync tools get their source written, and exports are logged."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from memtui.core.errors import InvalidStateError
from memtui.core.models import Action, Kind, Scope
from memtui.core.records import ExportFile, ExportPlan, FileAction
from memtui.core.settings import Settings, load_settings
from memtui.services import curate, history
from memtui.services import export as service
from memtui.services.export import aider
from memtui.store import Database


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / ".git").mkdir(parents=True)
    return root


@pytest.fixture
def settings(db: Database) -> Settings:
    return load_settings(db.url)


def believe(db: Database, text: str, project: Path | None) -> int:
    scope = curate.ScopeChange(Scope.PROJECT, str(project)) if project else None
    memory, _ = curate.add_belief(db, text, Kind.RULE, scope or curate.ScopeChange(Scope.GLOBAL))
    return memory.id


def fake_claude(folder: Path, version: str) -> dict[str, str]:
    """An environment whose PATH has a `claude` command answering `--version`."""
    folder.mkdir(parents=True, exist_ok=True)
    command = folder / "claude"
    command.write_text(f"#!/bin/sh\necho '{version} (Claude Code)'\n")
    command.chmod(command.stat().st_mode | stat.S_IXUSR)
    return {"PATH": str(folder), "HOME": os.environ["HOME"]}


def file_at(plan: ExportPlan, path: Path) -> ExportFile:
    [found] = [f for f in plan.files if f.path == str(path)]
    return found


def test_claude_is_skipped_while_claude_md_imports_agents_md(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    claude_md = project / "CLAUDE.md"
    claude_md.write_text("# Project\n\n@AGENTS.md\n")
    own = project / ".claude/rules/memtui.md"
    plan = service.export(db, settings, project, ["agents", "claude"], user_level=False, env={})
    assert file_at(plan, own).skipped is not None
    assert file_at(plan, own).action == FileAction.UNCHANGED
    assert not own.exists()
    assert any(n.startswith("claude: skipped") and "imports @AGENTS.md" in n for n in plan.notes)

    # Re-checked on every export: without the import, Claude needs its own file again.
    claude_md.write_text("# Project\n\n`@AGENTS.md` in a code span is no import\n")
    plan = service.export(db, settings, project, ["agents", "claude"], user_level=False, env={})
    assert file_at(plan, own).written
    assert "Use pnpm, not npm" in own.read_text()
    assert not any("times" in n for n in plan.notes)  # CLAUDE.md stops AGENTS.md reading

    # And back: the file memtui wrote before is emptied, not left as a second copy.
    claude_md.write_text("@./AGENTS.md\n")
    plan = service.export(db, settings, project, ["agents", "claude"], user_level=False, env={})
    assert file_at(plan, own).written
    assert "Use pnpm" not in own.read_text()
    assert (project / "CLAUDE.md").read_text() == "@./AGENTS.md\n"


@pytest.mark.parametrize(("version", "skipped"), [("2.1.277", True), ("2.1.100", False)])
def test_without_claude_md_the_installed_version_decides(
    db: Database, settings: Settings, project: Path, tmp_path: Path, version: str, skipped: bool
) -> None:
    believe(db, "Use pnpm, not npm", project)
    env = fake_claude(tmp_path / f"bin-{version}", version)
    plan = service.plan_export(db, settings, project, ["agents", "claude"], user_level=False,
                               env=env)  # fmt: skip
    own = file_at(plan, project / ".claude/rules/memtui.md")
    assert (own.skipped is not None) == skipped
    assert (own.action == FileAction.CREATE) != skipped
    if skipped:
        assert any("/init" in n for n in plan.notes)
    # A CLAUDE.md switches AGENTS.md off whatever the version.
    (project / "CLAUDE.md").write_text("Be terse.\n")
    plan = service.plan_export(db, settings, project, ["agents", "claude"], user_level=False,
                               env=env)  # fmt: skip
    assert file_at(plan, project / ".claude/rules/memtui.md").skipped is None


def test_an_unknown_claude_version_is_said_and_written(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    plan = service.plan_export(db, settings, project, ["agents", "claude"], user_level=False,
                               env={"PATH": ""})  # fmt: skip
    assert file_at(plan, project / ".claude/rules/memtui.md").action == FileAction.CREATE
    assert any("version is unknown" in n for n in plan.notes)


def test_cline_is_skipped_unless_its_agents_md_toggle_is_off(
    db: Database, project: Path, isolated_env: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    settings = load_settings(db.url)
    plan = service.export(db, settings, project, ["agents", "cline", "cursor"],
                          user_level=False, env={})  # fmt: skip
    assert file_at(plan, project / ".clinerules/memtui.md").skipped is not None
    assert not (project / ".clinerules").exists()
    # Cursor reads AGENTS.md and its own rule: the duplicate that remains is said.
    assert "cursor will see these memories 2 times (.cursor/rules/memtui.mdc, AGENTS.md)" in (
        plan.notes
    )
    # Cline also reads .cursor/rules/*.mdc: with AGENTS.md off it sees memtui's two files.
    config = Path(os.environ["MEMTUI_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[export]\ncline_agents_md = false\n")
    plan = service.export(db, load_settings(db.url), project, ["agents", "cline", "cursor"],
                          user_level=False, env={})  # fmt: skip
    assert file_at(plan, project / ".clinerules/memtui.md").written
    assert any(n.startswith("cline will see these memories 2 times") for n in plan.notes)


def test_gemini_reading_agents_md_as_a_second_file_is_skipped(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    (project / ".gemini").mkdir()
    (project / ".gemini/settings.json").write_text(
        '{"context": {"fileName": ["GEMINI.md", "AGENTS.md"]}}'
    )
    plan = service.export(db, settings, project, ["agents", "gemini"], user_level=False, env={})
    assert file_at(plan, project / "GEMINI.md").skipped is not None
    assert not (project / "GEMINI.md").exists()
    # Without memtui's AGENTS.md block, Gemini's own file carries them, and says so only once.
    plan = service.export(db, settings, project, ["gemini"], user_level=False, env={})
    assert file_at(plan, project / "GEMINI.md").written
    assert any(n.startswith("gemini will see these memories 2 times") for n in plan.notes)


def test_dry_run_shows_the_skip(
    db: Database, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from memtui.cli import main

    believe(db, "Use pnpm, not npm", project)
    args = ["export", "--to", "agents,cline", "--project", str(project), "--dry-run"]
    assert main([*args, "--no-user", "--db", db.url]) == 0
    out = capsys.readouterr().out
    assert f"skipped   {project / '.clinerules/memtui.md'}  (cline: Cline reads" in out
    assert "note: cline: skipped, Cline reads memtui's block in AGENTS.md" in out


def test_aider_gets_agents_md_in_its_read_list_and_revert_puts_the_config_back(
    db: Database, settings: Settings, project: Path, isolated_env: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    believe(db, "Answer in English", None)
    config = project / ".aider.conf.yml"
    original = b"# team settings\r\nmodel: sonnet  # keep\r\nread: CONVENTIONS.md\r\n"
    config.write_bytes(original)
    plan = service.export(db, settings, project, ["aider"], env={})
    assert file_at(plan, config).written
    text = config.read_bytes()
    assert text.startswith(b"# team settings\r\nmodel: sonnet  # keep\r\n# memtui:begin")
    assert aider.read_entries(text.decode()) == ("CONVENTIONS.md", "AGENTS.md")
    assert "Use pnpm, not npm" in (project / "AGENTS.md").read_text()
    home_config = isolated_env / ".aider.conf.yml"
    global_file = isolated_env / ".aider.memtui-global.md"
    assert aider.read_entries(home_config.read_text()) == (str(global_file),)
    assert "Answer in English" in global_file.read_text()

    again = service.export(db, settings, project, ["aider"], env={})
    assert {f.action for f in again.files} == {FileAction.UNCHANGED}

    config.write_bytes(config.read_bytes() + b"auto-commits: false\r\n")
    results, problems = service.revert(db, service.plan_export(db, settings, project, ["aider"]))
    assert problems == []
    assert {r.path: r.action for r in results}[str(config)] == "block-restored"
    assert config.read_bytes() == original + b"auto-commits: false\r\n"
    assert not (project / "AGENTS.md").exists()
    assert not home_config.exists()


def test_an_aider_config_memtui_cannot_extend_blocks_only_that_file(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    config = project / ".aider.conf.yml"
    config.write_text("read: |\n  AGENTS.md\n")
    plan = service.export(db, settings, project, ["aider"], user_level=False, env={})
    blocked = file_at(plan, config)
    assert blocked.action == FileAction.BLOCKED
    assert "does not edit" in (blocked.reason or "")
    assert config.read_text() == "read: |\n  AGENTS.md\n"
    assert file_at(plan, project / "AGENTS.md").written


@pytest.mark.parametrize(
    ("layout", "source"),
    [
        ({".ruler/instructions.md": "Be terse.\n"}, ".ruler/memtui.md"),
        ({"AGENTS.md": "<!-- Generated by Ruler -->\n- x\n"}, ".ruler/memtui.md"),
        ({"rulesync.jsonc": "{}\n"}, ".rulesync/rules/memtui.md"),
        ({".rulesync/rules/overview.md": "x\n"}, ".rulesync/rules/memtui.md"),
    ],
)
def test_sync_tools_get_their_source_written_not_their_outputs(
    db: Database, settings: Settings, project: Path, layout: dict[str, str], source: str
) -> None:
    believe(db, "Use pnpm, not npm", project)
    for relative, text in layout.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    plan = service.export(db, settings, project, ["agents", "claude", "cursor"],
                          user_level=False, env={})  # fmt: skip
    [file] = plan.files
    assert file.path == str(project / source)
    assert file.targets == ("claude", "cursor", "agents")
    written = (project / source).read_text()
    assert "- Use pnpm, not npm" in written
    if "rulesync" in source:
        assert written.startswith('---\nroot: false\ntargets: ["*"]\n')
    assert {p: p.read_bytes() for p in before} == before  # no output touched
    assert any(source in n for n in plan.notes)


def test_each_memory_written_is_logged_once_and_an_export_is_not_revertible(
    db: Database, settings: Settings, project: Path
) -> None:
    first = believe(db, "Use pnpm, not npm", project)
    service.export(db, settings, project, ["agents", "cursor"], user_level=False, env={})
    events = [e for e in history.timeline(db) if e.action == Action.EXPORTED]
    assert sorted((e.memory_id, Path(e.after["file"]).name) for e in events) == [  # type: ignore[index]
        (first, "AGENTS.md"),
        (first, "memtui.mdc"),
    ]
    second = believe(db, "Keep PRs small", project)
    service.export(db, settings, project, ["agents", "cursor"], user_level=False, env={})
    newer = [e for e in history.timeline(db) if e.action == Action.EXPORTED][:2]
    assert {e.memory_id for e in newer} == {second}  # the first was there already, unchanged
    service.export(db, settings, project, ["agents", "cursor"], user_level=False, env={})
    assert len([e for e in history.timeline(db) if e.action == Action.EXPORTED]) == 4

    with pytest.raises(InvalidStateError, match="memtui export --revert"):
        history.revert(db, event_id=newer[0].id)
    # What was believed, and reverting earlier changes, ignore the export events.
    assert {b.id for b in history.as_of(db, newer[0].created_at)} == {first, second}
    [created] = [e for e in history.timeline(db, memory_id=second) if e.action != Action.EXPORTED]
    history.revert(db, event_id=created.id)
    assert [b.id for b in curate.beliefs(db)] == [first]
