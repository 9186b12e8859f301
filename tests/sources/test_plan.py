"""registry.plan names each transcript by its resolved path, as Path.resolve() does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from memtui.services import ingest
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root, plan, resolved
from memtui.store import Database

LINE = '{"type":"user","message":{"role":"user","content":"hi"}}\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Sessions with a linked file, a linked folder and a dangling link."""
    real = tmp_path / "real" / "projects" / "-p"
    real.mkdir(parents=True)
    for name in ("a.jsonl", "b.jsonl"):
        (real / name).write_text(LINE)
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "c.jsonl").write_text(LINE)
    (real / "c-link.jsonl").symlink_to(other / "c.jsonl")
    (real / "dangling.jsonl").symlink_to(tmp_path / "gone.jsonl")
    (tmp_path / "real" / "projects" / "-q").symlink_to(other, target_is_directory=True)
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    return tmp_path


def test_every_path_resolves_as_path_resolve_does(tree: Path) -> None:
    folders: dict[Path, Path] = {}
    paths = [
        Path(current, name)
        for top in (tree / "alias", tree / "real")
        for current, _, files in os.walk(top, followlinks=True)
        for name in files
    ]
    assert len(paths) >= 10
    assert [resolved(p, folders) for p in paths] == [p.resolve() for p in paths]


def test_a_relative_path_resolves_as_path_resolve_does(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree / "alias")
    path = Path("projects", "-p", "a.jsonl")
    assert resolved(path, {}) == path.resolve() == tree / "real" / "projects" / "-p" / "a.jsonl"


def test_a_file_reached_twice_is_planned_once(tree: Path) -> None:
    source = ClaudeCodeSource()
    roots = [Root(tree / "alias" / "projects", source, "test"), Root(tree / "real", source, "test")]
    found = [path for path, _ in plan(roots)]
    assert found == sorted({p.resolve() for p in found}, key=str)
    assert (tree / "real" / "projects" / "-p" / "a.jsonl") in found
    assert (tree / "elsewhere" / "c.jsonl") in found


def test_a_loop_of_links_is_planned_and_reported_unreadable(tree: Path, db: Database) -> None:
    """A link to itself named like a transcript: the scan reads the other files and names it."""
    folder = tree / "real" / "projects" / "-p"
    (folder / "loop.jsonl").symlink_to(folder / "loop.jsonl")
    root = Root(tree / "real" / "projects", ClaudeCodeSource(), "test")
    planned = [path for path, _ in plan([root])]
    assert folder / "loop.jsonl" in planned
    summary = ingest.scan(db, [root])
    assert sorted(path for path, _ in summary.errors) == [
        str(tree / "gone.jsonl"),  # the dangling link of the tree
        str(folder / "loop.jsonl"),
    ]
    assert summary.files == len(planned)
