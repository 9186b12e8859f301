"""The app's export keys (E, P, copy) and the first-start import offer, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import NewCandidate, NewEvidence
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.store import Database
from memtui.ui.app import make_app
from memtui.ui.prefs import load_prefs
from memtui.ui.screens.export import ImportOfferScreen, PreviewScreen
from memtui.ui.screens.inbox import InboxScreen
from tests.ui.conftest import NOW, settle

PERSONS_TEXT = "# Our agents\n\nWrite small commits.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git project whose AGENTS.md the person wrote themselves."""
    root = tmp_path / "shop-api"
    (root / ".git").mkdir(parents=True)
    (root / "AGENTS.md").write_text(PERSONS_TEXT, encoding="utf-8")
    return root


@pytest.fixture
def with_belief(db: Database, project: Path) -> int:
    """A confirmed belief of the project, and a pending candidate for the cursor to sit on."""
    belief, _ = curate.add_belief(
        db, "Use pnpm, not npm.", Kind.RULE, ScopeChange(Scope.PROJECT, str(project))
    )
    curate.add_candidate(
        db,
        NewCandidate(
            text="Never run migrations against prod.",
            kind=Kind.RULE,
            project=str(project),
            evidence=NewEvidence(tool="codex", path="/gone.jsonl", line=1, quote="never"),
        ),
    )
    return belief.id


def app_for(db: Database, tmp_path: Path, **options: object):  # type: ignore[no-untyped-def]
    options.setdefault("offer_import", False)
    return make_app(
        db,
        watch=False,
        prefs_file=tmp_path / "prefs.json",
        clock=lambda: NOW,
        user_level=False,
        **options,  # type: ignore[arg-type]
    )


async def test_E_writes_the_beliefs_into_the_projects_rules_file(
    db: Database, tmp_path: Path, project: Path, with_belief: int
) -> None:
    app = app_for(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("E")
        await settle(app, pilot)
        assert any("Exported" in n.message for n in app._notifications)
    written = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert written.startswith(PERSONS_TEXT)  # the person's bytes are untouched
    assert "Use pnpm, not npm." in written


async def test_a_decision_made_just_before_E_is_exported(
    db: Database, tmp_path: Path, project: Path, with_belief: int
) -> None:
    app = app_for(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("c", "E")  # confirm, then export at once: the writer keeps the order
        await settle(app, pilot)
    written = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert "Never run migrations against prod." in written


async def test_P_previews_the_diff_and_w_writes_it(
    db: Database, tmp_path: Path, project: Path, with_belief: int
) -> None:
    app = app_for(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        assert isinstance(app.screen, PreviewScreen)
        assert any("+- Use pnpm, not npm." in f.diff for f in app.screen.plan.files)
        assert (project / "AGENTS.md").read_text(encoding="utf-8") == PERSONS_TEXT
        await pilot.press("w")
        await settle(app, pilot)
        assert isinstance(app.screen, InboxScreen)
    assert "Use pnpm, not npm." in (project / "AGENTS.md").read_text(encoding="utf-8")


async def test_the_rendered_beliefs_can_be_copied(
    db: Database, tmp_path: Path, project: Path, with_belief: int
) -> None:
    app = app_for(db, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Use pnpm, not npm." in app.clipboard
        messages = [n.message for n in app._notifications]
        # This machine has no system clipboard: the terminal's escape sequence is used, and said.
        assert any("copied through the terminal" in m for m in messages)
    assert (project / "AGENTS.md").read_text(encoding="utf-8") == PERSONS_TEXT


async def test_the_first_start_offers_to_import_the_rules_already_written(
    db: Database, tmp_path: Path, project: Path
) -> None:
    curate.add_candidate(  # memtui has met the project (in a transcript)
        db,
        NewCandidate(
            text="Tests live next to the code.",
            kind=Kind.FACT,
            project=str(project),
            evidence=NewEvidence(tool="codex", path="/gone.jsonl", line=1, quote="tests"),
        ),
    )
    app = app_for(db, tmp_path, offer_import=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ImportOfferScreen)
        await pilot.press("enter")
        await settle(app, pilot)
    beliefs = {m.text for m in curate.beliefs(db, statuses=[Status.CONFIRMED])}
    assert "Write small commits." in beliefs
    assert load_prefs(tmp_path / "prefs.json").import_offer == "import"
    again = app_for(db, tmp_path, offer_import=True)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert isinstance(again.screen, InboxScreen)  # answered once: not asked again
