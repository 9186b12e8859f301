"""The demo store: built from the bundled sample transcripts through the normal scan and the
curation services, with something real for every pane, the same on every build."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from memtui.core.errors import InvalidInputError
from memtui.core.models import Status
from memtui.core.records import MemoryRecord
from memtui.core.transcripts import ReadState
from memtui.services import curate
from memtui.services.demo import (
    TEMPLATES,
    TOOLS,
    DemoEnv,
    Renderer,
    build_demo,
    load_triage,
    offset,
)
from memtui.services.ingest import roots_for
from memtui.sources.registry import plan
from memtui.store import Database

NOW = datetime(2026, 3, 10, 15, 0, 0, tzinfo=UTC)
PLANTED_KEY = "Xq3vT9mB2kL7nR4wP8zY1cD5fG6hJ0aSe2Wu"
"""The body of the fake API key pasted into a Claude Code session."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoEnv:
    return build_demo(tmp_path_factory.mktemp("demo") / "here", now=NOW)


@pytest.fixture(scope="module")
def memories(demo: DemoEnv) -> list[MemoryRecord]:
    db = Database(demo.db_url)
    try:
        return curate.beliefs(db, statuses=tuple(Status))
    finally:
        db.close()


def pending(memories: list[MemoryRecord]) -> list[MemoryRecord]:
    return [m for m in memories if m.status is Status.PENDING]


def test_every_tool_is_read_without_a_problem(demo: DemoEnv) -> None:
    by_tool: dict[str, int] = {}
    for result in demo.files:
        assert result.error is None, result
        assert result.skipped == [], result
        by_tool[result.tool] = by_tool.get(result.tool, 0) + 1
    # Claude Code: two sessions and a sub-agent's file; Codex: three rollouts.
    assert by_tool == {"claude-code": 3, "codex": 3, "cline": 1, "gemini": 1, "aider": 1}
    human = {t: sum(r.human for r in demo.files if r.tool == t) for t in TOOLS}
    assert all(count >= 4 for count in human.values()), human
    subagent = [r for r in demo.files if "subagents" in r.path]
    assert [r.human for r in subagent] == [0]  # the main agent's prompt is not the person's


def test_rendered_transcripts_parse_whole_with_the_normal_sources(demo: DemoEnv) -> None:
    targets = plan(demo.roots)
    assert len(targets) == len(demo.files)
    for path, source in targets:
        read = source.read(path, ReadState())
        assert read.skipped == [], (path, read.skipped)
        assert read.messages, path
        assert {m.project for m in read.messages} <= {str(p) for p in demo.projects.values()}
    rendered = [p for p in (demo.folder / "transcripts").rglob("*") if p.is_file()]
    assert all("{{" not in p.read_text(encoding="utf-8") for p in rendered)
    assert all("{{" not in str(p) for p in rendered)


def test_the_inbox_holds_a_days_worth_of_candidates(memories: list[MemoryRecord]) -> None:
    inbox = pending(memories)
    assert 25 <= len(inbox) <= 40
    assert {e.tool for m in inbox for e in m.evidence} == set(TOOLS)
    assert {m.kind.value for m in inbox} >= {"rule", "preference", "fact", "procedure"}
    assert any(m.scope.value == "global" for m in inbox)
    assert any(any("\u0400" <= c <= "\u04ff" for c in m.text) for m in inbox)  # Russian
    assert any(any("\u4e00" <= c <= "\u9fff" for c in m.text) for m in inbox)  # Chinese


def test_harness_text_and_chatter_propose_nothing(memories: list[MemoryRecord]) -> None:
    texts = "\n".join(m.text for m in memories).lower()
    for words in ("todowrite", "todo list", "opened the file", "report how listing", "looks good",
                  "commit it", "/stats", "open the pr", "environment", "current working directory",
                  "print how many"):  # fmt: skip
        assert words not in texts, words
    assert not [e for m in memories for e in m.evidence if "subagents" in (e.path or "")]
    # The queued prompt, delivered again by the harness, counts once.
    [queued] = [m for m in memories if m.text.startswith("Always log refunds")]
    assert queued.seen == 1


def test_a_candidate_shows_a_redacted_secret_and_the_key_is_nowhere_in_the_store(
    demo: DemoEnv, memories: list[MemoryRecord]
) -> None:
    redacted = [m for m in pending(memories) if m.redactions]
    assert redacted
    assert "\u2039redacted:openai-key\u203a" in redacted[0].text
    for path in demo.folder.glob("memtui.db*"):
        assert PLANTED_KEY.encode() not in path.read_bytes(), path
    # The transcript itself keeps it: memtui never writes to a transcript.
    sessions = (demo.folder / "transcripts" / "claude-code").rglob("*.jsonl")
    assert any(PLANTED_KEY in p.read_text(encoding="utf-8") for p in sessions)


def test_a_candidate_is_flagged_for_steering(memories: list[MemoryRecord]) -> None:
    flagged = [m for m in pending(memories) if m.flags]
    assert [m.flags for m in flagged] == [("instruction-override",)]
    assert flagged[0].evidence[0].tool == "gemini"


def test_a_rule_said_in_two_tools_is_one_candidate_seen_three_times(
    memories: list[MemoryRecord],
) -> None:
    [repeated] = [m for m in pending(memories) if len({e.tool for e in m.evidence}) >= 2]
    assert repeated.text == "Run pnpm lint before committing."
    assert repeated.seen == 3
    assert {e.tool for e in repeated.evidence} == {"claude-code", "cline"}
    assert len({e.session_id for e in repeated.evidence}) == 3


def test_candidates_meet_yesterdays_beliefs(demo: DemoEnv, memories: list[MemoryRecord]) -> None:
    db = Database(demo.db_url)
    try:
        details = {m.text: curate.show(db, m.id) for m in pending(memories)}
    finally:
        db.close()
    bash = details["Keep bash scripts, don't port them to Python."]
    assert [r.text for r in bash.may_replace] == [
        "Let's port the bash scripts in scripts/ to Python, they break on macOS all the time."
    ]
    pnpm = details["Always use pnpm, never npm or yarn."]
    assert [r.text for r in pnpm.similar] == ["Use pnpm, not npm."]


def test_the_earlier_triage_left_beliefs_a_revision_a_chain_and_a_rejection(
    demo: DemoEnv, memories: list[MemoryRecord]
) -> None:
    by_status = {s: [m for m in memories if m.status is s] for s in Status}
    assert len(by_status[Status.CONFIRMED]) >= 6
    assert [m.text for m in by_status[Status.REJECTED]] == [
        "Don't touch the 2023 backfill for now."
    ]
    [old] = by_status[Status.SUPERSEDED]
    db = Database(demo.db_url)
    try:
        chain = curate.show(db, old.id).lineage
        edited = [curate.show(db, m.id) for m in by_status[Status.CONFIRMED]]
    finally:
        db.close()
    assert [m.text for m in chain] == ["We're on Node 18, don't use anything newer.",
                                       "Use Node 20, not 18."]  # fmt: skip
    assert [m.status for m in chain] == [Status.SUPERSEDED, Status.CONFIRMED]
    [revised] = [d for d in edited if len({r.text for r in d.revisions}) > 1]
    assert revised.revisions[0].text.startswith("Tests live next to the code as *.test.ts")
    assert revised.memory.text == revised.revisions[-1].text
    # Yesterday's belief gained today's sighting of the same statement.
    [polars] = [m for m in by_status[Status.CONFIRMED] if m.text == "We use polars, not pandas."]
    assert polars.seen == 2


def test_times_are_relative_to_now(demo: DemoEnv, memories: list[MemoryRecord]) -> None:
    said = [e.timestamp for m in memories for e in m.evidence if e.timestamp is not None]
    assert NOW - timedelta(days=4) < min(said) < NOW - timedelta(days=3)
    assert NOW - timedelta(hours=3) < max(said) < NOW
    assert all(m.created_at <= NOW for m in memories)
    triage, _ = load_triage()
    decided = [m for m in memories if m.status is not Status.PENDING]
    assert all(m.updated_at >= NOW + triage for m in decided)
    assert max(m.created_at for m in memories) > NOW + triage  # today's candidates came later


def test_projects_are_git_folders_inside_the_demo(
    demo: DemoEnv, memories: list[MemoryRecord]
) -> None:
    assert sorted(demo.projects) == ["datapipe", "shop-api", "snapctl"]
    for folder in demo.projects.values():
        assert (folder / ".git").is_dir()
        assert demo.folder in folder.parents
    assert {m.project for m in memories} == {str(p) for p in demo.projects.values()}


def test_the_settings_keep_to_the_demo(demo: DemoEnv, isolated_env: Path) -> None:
    real = isolated_env / ".claude" / "projects" / "-home-me-code" / "s.jsonl"
    real.parent.mkdir(parents=True)
    real.write_text("{}\n")
    roots = roots_for(demo.settings)
    assert [r.path for r in roots] == [r.path for r in demo.roots]
    assert all(demo.folder in r.path.parents for r in roots)
    assert demo.settings.database_url == demo.db_url == f"sqlite:///{demo.folder / 'memtui.db'}"
    assert not demo.settings.config_exists


def _store(env: DemoEnv) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the demo's store. (Not the file's bytes: SQLite may lay the
    same rows out in other pages from one run to the next.)"""
    assert not (env.folder / "memtui.db-wal").exists()
    connection = sqlite3.connect(env.folder / "memtui.db")
    try:
        tables = [
            t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    finally:
        connection.close()


def test_the_same_now_gives_the_same_store(tmp_path: Path) -> None:
    first = _store(build_demo(tmp_path / "demo", now=NOW))
    shutil.rmtree(tmp_path / "demo")
    assert _store(build_demo(tmp_path / "demo", now=NOW)) == first
    shutil.rmtree(tmp_path / "demo")
    assert _store(build_demo(tmp_path / "demo", now=NOW + timedelta(hours=1))) != first


def test_the_same_now_gives_the_same_inbox_in_any_folder(tmp_path: Path) -> None:
    inboxes = []
    for name in ("one", "two"):
        db = Database(build_demo(tmp_path / name, now=NOW).db_url)
        try:
            inboxes.append([(m.text, m.kind, m.seen, m.created_at) for m in curate.inbox(db)])
        finally:
            db.close()
    assert inboxes[0] == inboxes[1]


def test_a_folder_with_something_in_it_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InvalidInputError, match="not an empty folder"):
        build_demo(tmp_path, now=NOW)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_folder_whose_path_would_need_escaping_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="quotes"):
        build_demo(tmp_path / 'say "hi"', now=NOW)


def test_placeholders(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, NOW)
    project = (tmp_path / "projects" / "shop").as_posix()
    assert renderer.render("{{at -1d2h3m4s iso}}") == "2026-03-09T12:56:56.000Z"
    assert renderer.render("{{at -1h ms}}") == str(int((NOW.timestamp() - 3600) * 1000))
    assert renderer.render("{{at -30m file}}/{{at -30m minute}}/{{at -30m day}}") == (
        "2026-03-10T14-30-00/2026-03-10T14-30/2026/03/10"
    )
    assert renderer.render("{{at -3h clock}}") == "3/10/2026, 12:00:00 PM (UTC, UTC+0:00)"
    assert renderer.render("{{project shop}}") == project
    assert renderer.render("{{slug shop}}") == "".join(c if c.isalnum() else "-" for c in project)
    assert len(renderer.render("{{hash shop}}")) == 64
    for bad in ("{{at 2h iso}}", "{{at -2h year}}", "{{colour red}}"):
        with pytest.raises(ValueError, match=r"demo time offset|unknown"):
            renderer.render(bad)
    assert offset("-45m") == -timedelta(minutes=45)


def test_the_triage_script_names_statements_the_transcripts_propose() -> None:
    at, steps = load_triage()
    assert at < timedelta(0)
    assert {s.action for s in steps} == {"confirm", "edit", "supersede", "reject"}
    assert (TEMPLATES / "README.md").is_file()
