"""The shared readers: appended lines from a byte offset, and files rewritten whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from memtui.core.transcripts import Author, Message, ReadState
from memtui.sources import base
from memtui.sources.base import LineReader, parse_time, resume_whole


def read_all(path: Path, state: ReadState) -> tuple[list[tuple[int, bytes]], LineReader]:
    reader = LineReader(path, state)
    return list(reader), reader


def test_lines_are_numbered_and_a_partial_last_line_waits(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"one\ntwo\nthr")
    lines, reader = read_all(path, ReadState())
    assert lines == [(1, b"one\n"), (2, b"two\n")]
    state = reader.state()
    assert (state.offset, state.position) == (8, 2)

    with path.open("ab") as handle:
        handle.write(b"ee\nfour\n")
    lines, reader = read_all(path, state)
    assert lines == [(3, b"three\n"), (4, b"four\n")]
    assert not reader.restarted
    assert read_all(path, reader.state())[0] == []


def test_a_shrunk_file_is_read_again_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"a\nb\nc\n")
    _, reader = read_all(path, ReadState())
    state = reader.state()
    path.write_bytes(b"a\n")
    lines, again = read_all(path, state)
    assert again.restarted
    assert lines == [(1, b"a\n")]


def test_a_file_whose_beginning_changed_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"first\nsecond\n")
    _, reader = read_all(path, ReadState())
    state = reader.state()
    path.write_bytes(b"FIRST\nsecond\nthird\n")  # same length prefix, new content
    lines, again = read_all(path, state)
    assert again.restarted
    assert [n for n, _ in lines] == [1, 2, 3]


def test_a_growing_short_file_is_not_mistaken_for_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"x\n")
    _, reader = read_all(path, ReadState())
    state = reader.state()
    with path.open("ab") as handle:
        handle.write(b"y" * 10_000 + b"\n")
    lines, again = read_all(path, state)
    assert not again.restarted
    assert [n for n, _ in lines] == [2]


def test_an_over_long_line_is_skipped_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "MAX_LINE_BYTES", 16)
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"ok\n" + b"z" * 100 + b"\nfine\n")
    lines, reader = read_all(path, ReadState())
    assert lines == [(1, b"ok\n"), (3, b"fine\n")]
    assert [s.line for s in reader.skipped] == [2]
    assert reader.skipped[0].reason.startswith("line longer than")


def test_an_over_long_line_still_being_written_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "MAX_LINE_BYTES", 16)
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"ok\n" + b"z" * 100)
    lines, reader = read_all(path, ReadState())
    assert lines == [(1, b"ok\n")]
    assert reader.state().offset == 3


def test_context_travels_with_the_state_and_resets_on_restart(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"a\n")
    reader = LineReader(path, ReadState())
    list(reader)
    state = reader.state(context={"session": "s1"})
    with path.open("ab") as handle:
        handle.write(b"b\n")
    assert LineReader(path, state).context == {"session": "s1"}
    path.write_bytes(b"new\n")
    assert LineReader(path, state).context == {}


def message(index: int, text: str) -> Message:
    return Message(tool="t", author=Author.HUMAN, text=text, path="p", index=index)


def test_whole_files_give_only_the_records_after_the_last_read(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("[]")
    first = resume_whole(path, ReadState(), [message(0, "a"), message(2, "b")], 3)
    assert [m.text for m in first.messages] == ["a", "b"]
    second = resume_whole(path, first.state, [message(0, "a"), message(2, "b"), message(3, "c")], 4)
    assert [m.text for m in second.messages] == ["c"]
    assert not second.restarted


def test_whole_files_whose_earlier_records_changed_are_read_again(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text("[]")
    first = resume_whole(path, ReadState(), [message(0, "a"), message(1, "b")], 2)
    edited = resume_whole(path, first.state, [message(0, "A"), message(1, "b"), message(2, "c")], 3)
    assert edited.restarted
    assert [m.text for m in edited.messages] == ["A", "b", "c"]
    shorter = resume_whole(path, edited.state, [message(0, "A")], 1)
    assert shorter.restarted


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-23T12:54:34.123Z", datetime(2026, 2, 23, 12, 54, 34, 123000, tzinfo=UTC)),
        (1769053680585, datetime(2026, 1, 22, 3, 48, 0, 585000, tzinfo=UTC)),
        ("not a time", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_time(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected


def test_a_local_time_without_a_zone_gets_the_local_zone() -> None:
    parsed = parse_time("2026-02-23 12:54:34")
    assert parsed is not None
    assert parsed.utcoffset() is not None
    assert parsed.replace(tzinfo=None) == datetime(2026, 2, 23, 12, 54, 34)
    assert abs(parsed.utcoffset() or timedelta()) < timedelta(hours=15)


def test_a_rewrite_between_reading_and_saving_is_still_noticed(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"old\n")
    reader = LineReader(path, ReadState())
    assert list(reader) == [(1, b"old\n")]
    path.write_bytes(b"new\n")  # rewritten after the lines were read, before the state is kept
    again = LineReader(path, reader.state())
    assert again.restarted
    assert list(again) == [(1, b"new\n")]


def test_a_windows_working_directory_read_elsewhere_is_kept_as_written() -> None:
    if base.os.name == "nt":
        pytest.skip("on Windows the path is a local one")
    assert base.project_of("c:/Users/haram/fineye") == "c:/Users/haram/fineye"
    assert base.project_of("relative/dir") == "relative/dir"
