"""A store with a few candidates and beliefs, and the app on it, for Pilot tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import NewCandidate, NewEvidence
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.store import Database
from memtui.ui.app import MemtuiApp, make_app

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
PROJECT = "/work/shop-api"


@dataclass
class Seeded:
    """Ids of what `seeded` put in the store."""

    belief: int
    candidates: list[int]
    """Pending, newest sighting first (the order of the list)."""
    transcript: Path


def user_line(text: str, uid: str, moment: datetime, cwd: str = PROJECT) -> str:
    """One Claude Code user record, as the tool writes it."""
    return (
        json.dumps(
            {
                "type": "user",
                "uuid": uid,
                "parentUuid": None,
                "isSidechain": False,
                "sessionId": "sess-1",
                "cwd": cwd,
                "timestamp": moment.isoformat().replace("+00:00", "Z"),
                "message": {"role": "user", "content": text},
            }
        )
        + "\n"
    )


def agent_line(text: str, uid: str, moment: datetime) -> str:
    """One Claude Code assistant record."""
    return (
        json.dumps(
            {
                "type": "assistant",
                "uuid": uid,
                "parentUuid": None,
                "isSidechain": False,
                "sessionId": "sess-1",
                "cwd": PROJECT,
                "timestamp": moment.isoformat().replace("+00:00", "Z"),
                "message": {
                    "id": f"msg-{uid}",
                    "role": "assistant",
                    "content": [{"type": "text", "text": text}],
                },
            }
        )
        + "\n"
    )


def candidate(
    text: str,
    line: int,
    moment: datetime,
    *,
    kind: Kind = Kind.RULE,
    path: Path,
    tool: str = "claude-code",
) -> NewCandidate:
    return NewCandidate(
        text=text,
        kind=kind,
        project=PROJECT,
        confidence=0.8,
        evidence=NewEvidence(
            tool=tool,
            path=str(path),
            line=line,
            session_id="sess-1",
            timestamp=moment,
            quote=text,
            rule="test",
            confidence=0.8,
        ),
    )


@pytest.fixture
def seeded(db: Database, tmp_path: Path) -> Seeded:
    """One belief and three candidates, the first of them read from a real transcript."""
    transcript = tmp_path / "session.jsonl"
    transcript.write_text(
        agent_line("I will add the dependency with npm.", "a1", NOW - timedelta(hours=3))
        + user_line("Use pnpm, not npm, in this repo.", "u1", NOW - timedelta(hours=2))
        + agent_line("Understood: pnpm from now on.", "a2", NOW - timedelta(hours=2)),
        encoding="utf-8",
    )
    belief, _ = curate.add_belief(
        db,
        "Use npm for installs.",
        Kind.RULE,
        ScopeChange(Scope.PROJECT, PROJECT),
    )
    texts = [
        ("Use pnpm, not npm, in this repo.", 2, NOW - timedelta(hours=2), Kind.RULE),
        ("Tests live next to the code, in .ts files.", 7, NOW - timedelta(hours=5), Kind.FACT),
        ("Never run migrations against prod.", 9, NOW - timedelta(days=1), Kind.RULE),
    ]
    ids = [
        curate.add_candidate(
            db, candidate(text, line, moment, kind=kind, path=transcript)
        ).memory_id
        for text, line, moment, kind in texts
    ]
    return Seeded(belief.id, ids, transcript)


def app_on(db: Database, tmp_path: Path) -> MemtuiApp:
    """The app on a test store, without the watcher, with a fixed clock."""
    return make_app(
        db, watch=False, prefs_file=tmp_path / "prefs.json", clock=lambda: NOW, offer_import=False
    )


async def settle(app: MemtuiApp, pilot: Pilot[None]) -> None:
    """Let every worker finish and the screen catch up with what they posted."""
    for _ in range(5):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await app.workers.wait_for_complete()


def status_of(db: Database, memory_id: int) -> Status:
    return curate.show(db, memory_id).memory.status
