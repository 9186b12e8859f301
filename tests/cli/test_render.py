"""Plain-text rendering: tables stay aligned, evidence says where it came from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from memtui.cli import render
from memtui.core.models import Kind, Scope, Status
from memtui.core.records import EvidenceRecord, MemoryRecord

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def memory(
    memory_id: int, text: str, *, locked: bool = False, project: str | None = "/code/shop"
) -> MemoryRecord:
    return MemoryRecord(
        id=memory_id,
        kind=Kind.RULE,
        text=text,
        status=Status.CONFIRMED,
        scope=Scope.PROJECT if project else Scope.GLOBAL,
        project=project,
        confidence=0.84,
        locked=locked,
        created_at=NOW - timedelta(hours=3),
        updated_at=NOW,
    )


def evidence(**fields: object) -> EvidenceRecord:
    base: dict[str, object] = {
        "id": 1, "tool": "claude-code", "path": "/t/s.jsonl", "line": None, "index": None,
        "message_id": None, "session_id": None, "timestamp": NOW, "quote": "q", "rule": None,
        "confidence": 0.5, "created_at": NOW,
    }  # fmt: skip
    return EvidenceRecord(**{**base, **fields})  # type: ignore[arg-type]


def test_table_columns_line_up_whatever_the_flags() -> None:
    rows = [memory(3, "Use pnpm", locked=True), memory(12, "Answer in English", project=None)]
    lines = render.table(rows, width=200, now=NOW).splitlines()
    starts = {
        line.index("Use pnpm") if "Use pnpm" in line else line.index("Answer") for line in lines[1:]
    }
    assert len(starts) == 1
    assert lines[0].index("TEXT") == starts.pop()
    assert "confirmed (locked)" in lines[1]
    assert "3h" in lines[1]
    assert " shop " in lines[1]
    assert " global " in lines[2]


def test_long_text_is_clipped_to_the_width() -> None:
    line = render.table([memory(1, "word " * 100)], width=80, now=NOW).splitlines()[1]
    assert len(line) == 80
    assert line.endswith("…")


def test_locator_of_each_kind_of_evidence() -> None:
    assert render.locator(evidence(line=12)) == "/t/s.jsonl:12"
    assert render.locator(evidence(index=4)) == "/t/s.jsonl[4]"
    assert render.locator(evidence(tool="manual", path=None)) == "added by hand"


def test_age_uses_the_largest_whole_unit() -> None:
    assert render.age(NOW - timedelta(seconds=42), NOW) == "42s"
    assert render.age(NOW - timedelta(minutes=5, seconds=59), NOW) == "5m"
    assert render.age(NOW - timedelta(days=15), NOW) == "2w"
    assert render.age(NOW + timedelta(minutes=1), NOW) == "0s"  # clock skew is not negative
