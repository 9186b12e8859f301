"""Fixtures for ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.helpers import Transcripts


@pytest.fixture
def transcripts(tmp_path: Path) -> Transcripts:
    """A fake ~/.claude folder in the test's temporary directory."""
    return Transcripts(tmp_path / "claude")
