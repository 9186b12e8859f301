"""Export and import against real files laid out the way each tool expects them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import FileAction, ImportOutcome
from memtui.core.settings import Settings, load_settings
from memtui.services import curate
from memtui.services import export as service
from memtui.store import Database


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / ".git").mkdir(parents=True)
    return root


@pytest.fixture
def settings(db: Database) -> Settings:
    return load_settings(db.url)


def believe(db: Database, text: str, project: Path | None, kind: Kind = Kind.RULE) -> int:
    scope = (
        curate.ScopeChange(Scope.PROJECT, str(project))
        if project
        else curate.ScopeChange(Scope.GLOBAL)
    )
    memory, _ = curate.add_belief(db, text, kind, scope)
    return memory.id


def by_path(plan: object) -> dict[str, object]:
    return {f.path: f for f in plan.files}  # type: ignore[attr-defined]


def test_every_target_writes_where_its_tool_reads(
    db: Database, settings: Settings, project: Path, isolated_env: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    believe(db, "Answer in English", None, Kind.PREFERENCE)
    (project / ".devin").mkdir()
    plan = service.export(db, settings, project, ["claude", "cursor", "cline", "agents",
                          "gemini", "copilot", "windsurf", "continue", "roo"])  # fmt: skip
    written = {Path(f.path) for f in plan.files if f.written}
    home = isolated_env
    assert {
        project / ".claude/rules/memtui.md",
        project / ".cursor/rules/memtui.mdc",
        project / "AGENTS.md",
        project / "GEMINI.md",
        project / ".github/instructions/memtui.instructions.md",
        project / ".windsurf/rules/memtui.md",
        project / ".devin/rules/memtui.md",
        project / ".continue/rules/memtui.md",
        project / ".roo/rules/memtui.md",
        home / ".claude/rules/memtui-global.md",
        home / ".codex/AGENTS.md",
        home / ".gemini/GEMINI.md",
        home / ".copilot/instructions/memtui-global.instructions.md",
        home / ".codeium/windsurf/memories/global_rules.md",
        home / ".continue/rules/memtui-global.md",
        home / ".roo/rules/memtui-global.md",
        home / "Documents/Cline/Rules/memtui-global.md",
    } == written
    cursor = (project / ".cursor/rules/memtui.mdc").read_text()
    assert cursor.startswith("---\ndescription: Curated project memories exported by memtui\n"
                             "alwaysApply: true\n---\n<!-- memtui:begin")  # fmt: skip
    assert "globs" not in cursor
    assert 'applyTo: "**"' in (project / ".github/instructions/memtui.instructions.md").read_text()
    assert "trigger: always_on" in (project / ".windsurf/rules/memtui.md").read_text()
    assert "alwaysApply: true" in (project / ".continue/rules/memtui.md").read_text()
    assert "Use pnpm, not npm" in (project / "AGENTS.md").read_text()
    assert "Answer in English" not in (project / "AGENTS.md").read_text()
    assert "Answer in English" in (home / ".codex/AGENTS.md").read_text()
    assert not (project / "CLAUDE.md").exists()  # never created: it would hide AGENTS.md
    assert any("no user-level rules file" in n for n in plan.notes)  # Cursor
    # Cline reads memtui's AGENTS.md block: its own file would be a second copy.
    [cline] = [f for f in plan.files if f.path == str(project / ".clinerules/memtui.md")]
    assert cline.skipped is not None
    assert "AGENTS.md" in cline.skipped

    again = service.export(db, settings, project, ["claude", "agents"])
    assert {f.action for f in again.files} == {FileAction.UNCHANGED}
    assert not any(f.written for f in again.files)


def test_existing_files_are_respected(db: Database, settings: Settings, project: Path) -> None:
    believe(db, "Use pnpm, not npm", project)
    clinerules = project / ".clinerules"
    clinerules.write_bytes(b"\xef\xbb\xbfBe terse.\r\nNo emojis.")  # a file, CRLF, BOM, no EOL
    (project / ".roorules").write_text("Roo rule\n")
    plan = service.export(db, settings, project, ["cline", "roo"], env={})
    assert clinerules.is_file()  # not turned into a folder
    data = clinerules.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfBe terse.\r\nNo emojis.\r\n\r\n<!-- memtui:begin")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert not (project / ".roo").exists()  # .roo/rules/ would switch off .roorules
    assert "memtui:begin" in (project / ".roorules").read_text()
    assert all(f.written for f in plan.files if f.level == "project")


def test_symlinked_files_are_written_once_through_the_link(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    (project / "AGENTS.md").write_text("# Agents\n")
    (project / ".gemini").mkdir()
    (project / "GEMINI.md").symlink_to("AGENTS.md")
    plan = service.export(db, settings, project, ["agents", "gemini"], env={})
    [shared] = [f for f in plan.files if f.level == "project"]
    assert set(shared.targets) == {"agents", "gemini"}
    assert (project / "GEMINI.md").is_symlink()
    assert (project / "AGENTS.md").read_text().count("memtui:begin") == 1


def test_gemini_configured_to_read_agents_md_shares_its_block(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    (project / ".gemini").mkdir()
    (project / ".gemini/settings.json").write_text('{"context": {"fileName": ["AGENTS.md"]}}')
    plan = service.plan_export(db, settings, project, ["agents", "gemini"], user_level=False)
    [file] = plan.files
    assert file.targets == ("agents", "gemini")


def test_broken_markers_block_that_file_only(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    agents = project / "AGENTS.md"
    agents.write_text("intro\n<!-- memtui:begin v=1 -->\n- orphan\n")
    before = agents.read_bytes()
    plan = service.export(db, settings, project, ["agents", "claude"], env={})
    files = by_path(plan)
    assert files[str(agents)].action == FileAction.BLOCKED  # type: ignore[attr-defined]
    assert "never closed" in files[str(agents)].reason  # type: ignore[attr-defined]
    assert agents.read_bytes() == before
    assert (project / ".claude/rules/memtui.md").exists()


def test_a_rules_file_that_is_a_loop_of_links_blocks_that_file_only(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    agents = project / "AGENTS.md"
    agents.symlink_to(agents)
    plan = service.export(db, settings, project, ["agents", "claude"], env={})
    files = by_path(plan)
    assert files[str(agents)].action == FileAction.BLOCKED  # type: ignore[attr-defined]
    assert "symbolic links" in files[str(agents)].reason  # type: ignore[attr-defined]
    assert agents.is_symlink()
    assert (project / ".claude/rules/memtui.md").exists()


def test_edits_inside_the_block_stop_the_export_and_can_be_imported(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    service.export(db, settings, project, ["agents"], env={})
    agents = project / "AGENTS.md"
    agents.write_text(agents.read_text().replace("- Use pnpm, not npm", "- Use pnpm, not npm\n"
                                                 "- Always run the linter"))  # fmt: skip
    edited = agents.read_bytes()
    plan = service.export(db, settings, project, ["agents"], env={})
    [file] = [f for f in plan.files if f.level == "project"]
    assert file.action == FileAction.BLOCKED
    assert file.drift
    assert file.edited_lines == ("Always run the linter",)
    assert agents.read_bytes() == edited
    [candidate] = service.import_edits(db, file.path, file.edited_lines)
    assert curate.show(db, candidate).memory.status == Status.PENDING

    forced = service.export(db, settings, project, ["agents"], overwrite=True, env={})
    assert [f.written for f in forced.files if f.level == "project"] == [True]
    assert "Always run the linter" not in agents.read_text()


def test_revert_restores_the_file_or_only_the_block(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)
    agents = project / "AGENTS.md"
    original = b"# Mine\r\n- keep me\r\n"
    agents.write_bytes(original)
    service.export(db, settings, project, ["agents", "claude"], user_level=False, env={})
    own = project / ".claude/rules/memtui.md"
    assert own.exists()
    plan = service.plan_export(db, settings, project, ["agents", "claude"], user_level=False)
    results, problems = service.revert(db, plan)
    assert problems == []
    assert {r.action for r in results} == {"restored", "deleted"}
    assert agents.read_bytes() == original
    assert not own.exists()

    service.export(db, settings, project, ["agents"], user_level=False, env={})
    agents.write_bytes(agents.read_bytes() + b"- added later\r\n")
    result = service.revert_file(db, agents)
    assert result.action == "block-restored"
    assert agents.read_bytes() == original + b"- added later\r\n"
    with pytest.raises(Exception, match="no export to revert"):
        service.revert_file(db, agents)


def test_import_then_export_is_idempotent(
    db: Database, settings: Settings, project: Path, isolated_env: Path
) -> None:
    (project / "CLAUDE.md").write_text(
        "# Rules\n- Use pnpm, not npm\n\n## Preferences\n- Be terse\n"
    )
    (project / ".cursor/rules").mkdir(parents=True)
    (project / ".cursor/rules/style.mdc").write_text(
        "---\ndescription: style\nalwaysApply: true\n---\n- Prefer small functions\n"
    )
    (isolated_env / ".claude").mkdir()
    (isolated_env / ".claude/CLAUDE.md").write_text("Answer in English.\n")

    dry = service.import_files(db, [project, isolated_env / ".claude/CLAUDE.md"], dry_run=True)
    assert [line.outcome for line in dry.lines] == [ImportOutcome.CREATE] * 4
    assert curate.beliefs(db) == []
    report = service.import_files(db, [project, isolated_env / ".claude/CLAUDE.md"])
    beliefs = {b.text: b for b in curate.beliefs(db)}
    assert set(beliefs) == {"Use pnpm, not npm", "Be terse", "Prefer small functions",
                            "Answer in English."}  # fmt: skip
    assert beliefs["Be terse"].kind == Kind.PREFERENCE
    assert beliefs["Answer in English."].scope == Scope.GLOBAL
    assert beliefs["Use pnpm, not npm"].project == str(project)
    assert report.problems == ()

    again = service.import_files(db, [project, isolated_env / ".claude/CLAUDE.md"])
    assert {line.outcome for line in again.lines} == {ImportOutcome.KNOWN}
    # Each tool's block holds only what that tool does not read already.
    claude_md = (project / "CLAUDE.md").read_bytes()
    service.export(db, settings, project, ["claude", "cursor"])
    assert (project / "CLAUDE.md").read_bytes() == claude_md
    claude = (project / ".claude/rules/memtui.md").read_text()
    assert "Prefer small functions" in claude
    assert "Use pnpm" not in claude
    cursor = (project / ".cursor/rules/memtui.mdc").read_text()
    assert "Use pnpm, not npm" in cursor
    assert "Prefer small functions" not in cursor
    second = service.export(db, settings, project, ["claude", "cursor"])
    assert [f.path for f in second.files if f.action != FileAction.UNCHANGED] == []
    third = service.import_files(db, [project])
    assert {line.outcome for line in third.lines} == {ImportOutcome.KNOWN}
    assert len(third.lines) == 3  # memtui's own files are not read back


def test_import_reports_conflicts_and_unreadable_files(
    db: Database, project: Path, tmp_path: Path
) -> None:
    rejected = curate.add_candidate(
        db,
        curate.NewCandidate(  # type: ignore[attr-defined]
            "Use yarn", Kind.RULE, curate.NewEvidence(tool="manual"), Scope.PROJECT, str(project)
        ),
    )
    curate.reject(db, rejected.memory_id)
    (project / "AGENTS.md").write_text("- Use yarn\n")
    binary = tmp_path / "rules.bin"
    binary.write_bytes(b"\xff\x00\xfe\x80")
    report = service.import_files(db, [project / "AGENTS.md", binary, tmp_path / "missing.md"])
    [line] = report.lines
    assert line.outcome == ImportOutcome.CONFLICT
    assert len(report.problems) == 2
    assert curate.show(db, rejected.memory_id).memory.status == Status.REJECTED


def test_default_targets_are_the_tools_the_project_uses(
    db: Database, settings: Settings, project: Path
) -> None:
    assert service.enabled_targets(db, settings, project) == (("agents",), "default")
    (project / "CLAUDE.md").write_text("x\n")
    (project / ".cursor").mkdir()
    assert service.enabled_targets(db, settings, project)[0] == ("claude", "cursor")


def test_configured_targets_win(db: Database, project: Path, isolated_env: Path) -> None:
    config = Path(os.environ["MEMTUI_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[[export.projects]]\npath = "{project}"\ntargets = ["cline"]\n')
    settings = load_settings(db.url)
    assert service.enabled_targets(db, settings, project) == (("cline",), "config")
    config.write_text(f'[[export.projects]]\npath = "{project}"\ntargets = ["vim"]\n')
    with pytest.raises(Exception, match="unknown target vim"):
        service.enabled_targets(db, load_settings(db.url), project)


def test_size_budget_warns(db: Database, settings: Settings, project: Path) -> None:
    for number in range(60):
        believe(db, f"Rule number {number} says something long enough to count " * 2, project)
    plan = service.plan_export(db, settings, project, ["copilot"], user_level=False)
    [file] = plan.files
    assert any("past the 4000 budget" in w for w in file.warnings)


def test_importable_files_of_known_projects(
    db: Database, settings: Settings, project: Path
) -> None:
    believe(db, "Use pnpm, not npm", project)  # makes the project known
    (project / "AGENTS.md").write_text("- Keep it simple\n")
    (project / ".clinerules").mkdir()
    (project / ".clinerules/memtui.md").write_text("- ours, not imported\n")
    found = service.importable_files(db, settings)
    assert [(Path(f.path).name, f.target, f.instructions) for f in found] == [
        ("AGENTS.md", "agents", 1)
    ]
