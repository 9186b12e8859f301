"""Planted secrets in transcripts and in typed beliefs never reach the database file."""

from __future__ import annotations

from pathlib import Path

from memtui.core.models import Kind, Scope
from memtui.services import curate, ingest
from memtui.services.curate import ScopeChange
from memtui.sources.claude_code import ClaudeCodeSource
from memtui.sources.registry import Root
from memtui.store import Database
from tests.extract.test_redact import SECRETS
from tests.ingest.helpers import Transcripts, agent_line, user_line

PLANTED = [
    f"Always use OPENAI_API_KEY={SECRETS['openai-key']} for the summariser.",
    f"Never commit the token {SECRETS['github-token']} to the repo.",
    "Never connect to postgres://admin:Pl4nted-Pa55@db.internal/app from CI.",
    f"From now on deploy with AWS key {SECRETS['aws-access-key']} and region eu-west-1.",
    f"Remember that the Slack bot uses {SECRETS['slack-token']}.",
]
LEAKS = [
    SECRETS["openai-key"],
    SECRETS["github-token"],
    "Pl4nted-Pa55",
    SECRETS["aws-access-key"],
    SECRETS["slack-token"],
    SECRETS["anthropic-key"],
]


def database_bytes(tmp_path: Path) -> bytes:
    """Everything SQLite wrote: the database file and its write-ahead log."""
    return b"".join(p.read_bytes() for p in tmp_path.glob("memtui.db*"))


def test_no_planted_secret_reaches_the_database_file(
    db: Database, transcripts: Transcripts, tmp_path: Path
) -> None:
    transcripts.write(
        "s", *(line for text in PLANTED for line in (user_line(text), agent_line("ok")))
    )
    summary = ingest.scan(db, [Root(transcripts.root / "projects", ClaudeCodeSource(), "test")])
    assert summary.created >= 4  # the statements themselves are still proposed
    curate.add_belief(
        db,
        f"Use the Anthropic key {SECRETS['anthropic-key']} only in staging",
        Kind.RULE,
        ScopeChange(Scope.GLOBAL),
    )
    memories = curate.inbox(db) + curate.beliefs(db)
    assert all(m.redactions >= 1 for m in memories)
    assert any("\u2039redacted:openai-key\u203a" in m.text for m in memories)
    stored = database_bytes(tmp_path)
    for secret in LEAKS:
        assert secret.encode() not in stored, secret
