"""Codex CLI rollouts, all three generations, plain and zstd-compressed."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zstandard

from memtui.core.transcripts import MINED, Author, Message, ReadState
from memtui.sources.codex import CodexSource, request_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "codex"
ENVELOPE = FIXTURES / "rollout-2026-03-02T10-00-00-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl"
BARE = FIXTURES / "rollout-2025-08-14T10-02-33-5e2b7c1d-9a8f-4e3d-b2c1-0f9e8d7c6b5a.jsonl"
TYPESCRIPT = FIXTURES / "rollout-2025-05-20-3f1e2d3c-4b5a-4697-8877-665544332211.json"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ENVELOPE_ID = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
TILER = "/home/dana/src/tiler"
FIRST_PROMPT = (
    "Tiles must stay 256x256 px, the renderer assumes it. Make the zoom levels configurable."
)

source = CodexSource()


def read_all(path: Path, *, human_only: bool = False) -> list[Message]:
    return source.read(path, ReadState(), human_only=human_only).messages


def summary(messages: list[Message]) -> list[tuple[int | None, Author, str]]:
    return [(m.line if m.index is None else m.index, m.author, m.text) for m in messages]


def copy(path: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or path.name)
    shutil.copyfile(path, target)
    return target


def compress(data: bytes, target: Path) -> Path:
    target.write_bytes(zstandard.ZstdCompressor(level=3).compress(data))
    return target


# --- envelope JSONL -----------------------------------------------------------------------


def test_envelope_user_message_events_are_the_human_words() -> None:
    human = [(m.line, m.text) for m in read_all(ENVELOPE) if m.author is Author.HUMAN]
    assert human == [
        (7, FIRST_PROMPT),
        (17, "use rayon for the render loop, not std threads"),  # after the IDE context
        (26, "never bump the MSRV without asking me"),
    ]


def test_envelope_every_item_gets_the_author_of_its_kind() -> None:
    found = [(m.line, m.author) for m in read_all(ENVELOPE)]
    assert found == [
        (2, Author.INJECTED),  # developer message
        (3, Author.INJECTED),  # AGENTS.md instructions
        (4, Author.INJECTED),  # <environment_context>
        (6, Author.INJECTED),  # the response_item copy of line 7
        (7, Author.HUMAN),
        (11, Author.TOOL),
        (13, Author.AGENT),  # the agent_message event on line 12 is the same text
        (16, Author.INJECTED),
        (17, Author.HUMAN),
        (20, Author.TOOL),
        (23, Author.INJECTED),  # compaction summary
        (25, Author.INJECTED),
        (26, Author.HUMAN),
        (28, Author.AGENT),
    ]
    texts = {m.line: m.text for m in read_all(ENVELOPE)}
    assert texts[20] == "Success. Updated the following files:\nM src/render.rs\n"
    assert texts[23].startswith("Summary: configurable zoom levels")


def test_envelope_messages_carry_session_time_and_project() -> None:
    first = next(m for m in read_all(ENVELOPE) if m.author is Author.HUMAN)
    assert first.tool == "codex"
    assert first.path == str(ENVELOPE)
    assert first.session_id == ENVELOPE_ID
    assert first.timestamp == datetime(2026, 3, 2, 10, 0, 2, 2000, tzinfo=UTC)
    assert first.project == TILER
    assert first.message_id == f"{ENVELOPE_ID}#L{first.line}"  # the same in the .zst
    assert first.index is None


def test_envelope_turn_context_moves_the_working_directory() -> None:
    last = read_all(ENVELOPE)[-1]
    assert last.project == f"{TILER}/crates/core"


@pytest.mark.parametrize("human_only", [False, True], ids=["full", "human_only"])
def test_envelope_malformed_line_is_reported_and_rollback_parsed(human_only: bool) -> None:
    result = source.read(ENVELOPE, ReadState(), human_only=human_only)
    assert [s.line for s in result.skipped] == [22]
    assert result.skipped[0].reason.startswith("malformed JSON")
    assert result.state.position == 28


@pytest.mark.parametrize("path", [ENVELOPE, BARE, TYPESCRIPT], ids=["envelope", "bare", "ts"])
def test_human_only_finds_the_same_mined_messages(path: Path) -> None:
    full = [m for m in read_all(path) if m.author in MINED]
    assert read_all(path, human_only=True) == full


def test_human_only_does_not_depend_on_how_the_json_is_spaced(tmp_path: Path) -> None:
    path = tmp_path / ENVELOPE.name
    spaced = [
        json.dumps(json.loads(line)) + "\n"
        for line in ENVELOPE.read_text("utf-8").splitlines()
        if not line.endswith('"agent_mess')  # the malformed line
    ]
    path.write_text("".join(spaced), encoding="utf-8")
    found = [(m.line, m.text) for m in read_all(path, human_only=True)]
    assert [text for _, text in found] == [m.text for m in read_all(ENVELOPE, human_only=True)]
    assert found[0][0] == 7
    assert all(m.session_id == ENVELOPE_ID for m in read_all(path, human_only=True))


# --- early Rust bare JSONL ----------------------------------------------------------------


def test_bare_user_messages_minus_injected_ones_are_human() -> None:
    messages = read_all(BARE)
    assert [(m.line, m.author) for m in messages] == [
        (3, Author.INJECTED),  # <user_instructions>
        (4, Author.INJECTED),  # <environment_context>
        (6, Author.HUMAN),
        (9, Author.TOOL),
        (10, Author.AGENT),
        (12, Author.HUMAN),
        (13, Author.AGENT),
    ]
    human = [m for m in messages if m.author is Author.HUMAN]
    assert human[1].text == (
        "we use React Query for all server state, please don't add useEffect fetching"
    )
    started = datetime(2025, 8, 14, 10, 2, 33, 120000, tzinfo=UTC)
    assert {m.timestamp for m in messages} == {started}  # no per-line times: the session's
    assert {m.session_id for m in messages} == {"5e2b7c1d-9a8f-4e3d-b2c1-0f9e8d7c6b5a"}
    assert human[0].project == "/home/dana/src/notes-app"  # from <environment_context>
    assert messages[4].message_id == "msg_1"
    assert messages[3].text == "src/NotesList.tsx:14:  useEffect(() => {\n"


def test_bare_read_from_an_offset_keeps_the_session_from_line_one(tmp_path: Path) -> None:
    lines = BARE.read_bytes().splitlines(keepends=True)
    path = tmp_path / BARE.name
    path.write_bytes(b"".join(lines[:8]))
    first = source.read(path, ReadState(), human_only=True)
    assert [m.line for m in first.messages] == [6]
    with path.open("ab") as handle:
        handle.write(b"".join(lines[8:]))
    second = source.read(path, first.state, human_only=True)
    assert [(m.line, m.session_id, m.project) for m in second.messages] == [
        (12, "5e2b7c1d-9a8f-4e3d-b2c1-0f9e8d7c6b5a", "/home/dana/src/notes-app")
    ]
    assert second.messages[0].timestamp == datetime(2025, 8, 14, 10, 2, 33, 120000, tzinfo=UTC)


# --- reading as the file grows ------------------------------------------------------------


def test_envelope_read_from_the_stored_state_finds_only_new_lines(tmp_path: Path) -> None:
    lines = ENVELOPE.read_bytes().splitlines(keepends=True)
    path = tmp_path / ENVELOPE.name
    path.write_bytes(b"".join(lines[:15]))
    first = source.read(path, ReadState(), human_only=True)
    assert [m.line for m in first.messages] == [7]
    assert json.loads(json.dumps(dict(first.state.context)))["session_id"] == ENVELOPE_ID
    with path.open("ab") as handle:
        handle.write(b"".join(lines[15:]))
    second = source.read(path, first.state, human_only=True)
    assert not second.restarted
    assert [(m.line, m.session_id, m.project) for m in second.messages] == [
        (17, ENVELOPE_ID, TILER),
        (26, ENVELOPE_ID, TILER),
    ]
    assert [s.line for s in second.skipped] == [22]  # cut short: decoded, and reported
    assert source.read(path, second.state).messages == []


def test_partial_last_line_waits(tmp_path: Path) -> None:
    path = copy(ENVELOPE, tmp_path)
    first = source.read(path, ReadState())
    event = (
        '{"timestamp":"2026-03-02T10:09:00.000Z","type":"event_msg","payload":'
        '{"type":"user_message","message":"keep the public API stable","images":[]}}\n'
    )
    with path.open("a", encoding="utf-8") as handle:
        handle.write(event[:40])
    waiting = source.read(path, first.state)
    assert waiting.messages == []
    assert waiting.skipped == []
    assert waiting.state.offset == first.state.offset
    with path.open("a", encoding="utf-8") as handle:
        handle.write(event[40:])
    done = source.read(path, waiting.state)
    assert [(m.line, m.author, m.text) for m in done.messages] == [
        (29, Author.HUMAN, "keep the public API stable")
    ]
    assert done.messages[0].session_id == ENVELOPE_ID


def test_a_rewritten_rollout_is_read_again_from_the_start(tmp_path: Path) -> None:
    path = copy(ENVELOPE, tmp_path)
    first = source.read(path, ReadState())
    path.write_bytes(b"".join(ENVELOPE.read_bytes().splitlines(keepends=True)[:7]))
    again = source.read(path, first.state)
    assert again.restarted
    assert [m.line for m in again.messages if m.author is Author.HUMAN] == [7]
    assert again.messages[-1].session_id == ENVELOPE_ID


# --- TypeScript whole-file JSON -----------------------------------------------------------


def test_typescript_rollout_is_located_by_item_index() -> None:
    messages = read_all(TYPESCRIPT)
    assert summary(messages) == [
        (
            0,
            Author.HUMAN,
            "write a script that renames photos by EXIF date, keep it in Python 3.12",
        ),
        (3, Author.TOOL, "photos\nREADME.md\n"),
        (4, Author.AGENT, "Added rename_photos.py."),
        (5, Author.HUMAN, "always dry-run first, print the renames before doing them"),
    ]
    assert all(m.line is None for m in messages)
    assert messages[0].message_id == "msg_u1"
    assert messages[0].session_id == "3f1e2d3c-4b5a-4697-8877-665544332211"
    assert messages[0].timestamp == datetime(2025, 5, 20, 14, 31, 7, 412000, tzinfo=UTC)


def test_typescript_rollout_rewritten_whole_gives_only_new_items(tmp_path: Path) -> None:
    path = copy(TYPESCRIPT, tmp_path)
    first = source.read(path, ReadState(), human_only=True)
    assert [m.index for m in first.messages] == [0, 5]
    doc = json.loads(path.read_text("utf-8"))
    doc["items"].append(
        {
            "id": "msg_u3",
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": "skip files without EXIF data"}],
        }
    )
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    second = source.read(path, first.state, human_only=True)
    assert not second.restarted
    assert summary(second.messages) == [(6, Author.HUMAN, "skip files without EXIF data")]
    doc["items"][0]["content"][0]["text"] = "a different first prompt"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    third = source.read(path, second.state, human_only=True)
    assert third.restarted
    assert [m.index for m in third.messages] == [0, 5, 6]


def test_typescript_rollout_caught_mid_write_keeps_the_state(tmp_path: Path) -> None:
    path = copy(TYPESCRIPT, tmp_path)
    first = source.read(path, ReadState())
    path.write_bytes(TYPESCRIPT.read_bytes()[:300])
    broken = source.read(path, first.state)
    assert broken.messages == []
    assert broken.state == first.state
    assert len(broken.skipped) == 1
    assert broken.skipped[0].reason.startswith("malformed JSON")


# --- zstd-compressed rollouts -------------------------------------------------------------


def test_compressed_rollout_reads_like_the_plain_one(tmp_path: Path) -> None:
    path = compress(ENVELOPE.read_bytes(), tmp_path / f"{ENVELOPE.name}.zst")
    plain = source.read(ENVELOPE, ReadState())
    packed = source.read(path, ReadState())
    assert summary(packed.messages) == summary(plain.messages)
    assert [m.session_id for m in packed.messages] == [m.session_id for m in plain.messages]
    assert [m.timestamp for m in packed.messages] == [m.timestamp for m in plain.messages]
    assert {m.path for m in packed.messages} == {str(path)}
    assert [s.line for s in packed.skipped] == [22]
    assert packed.state.offset == packed.state.size == path.stat().st_size
    assert packed.state.position == 28
    assert not packed.restarted
    human = source.read(path, ReadState(), human_only=True).messages
    assert summary(human) == [t for t in summary(plain.messages) if t[1] in MINED]


def test_compressed_rollout_is_read_once(tmp_path: Path) -> None:
    path = compress(BARE.read_bytes(), tmp_path / f"{BARE.name}.zst")
    first = source.read(path, ReadState())
    assert [m.line for m in first.messages if m.author is Author.HUMAN] == [6, 12]
    again = source.read(path, first.state)
    assert again.messages == []
    assert again.state == first.state
    assert not again.restarted
    compress(ENVELOPE.read_bytes(), path)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = source.read(path, first.state)
    assert changed.restarted
    assert [m.line for m in changed.messages if m.author is Author.HUMAN] == [7, 17, 26]


def test_compressed_rollout_of_several_frames_and_without_a_final_newline(tmp_path: Path) -> None:
    data = ENVELOPE.read_bytes()
    middle = data.index(b"\n", len(data) // 2) + 1
    compressor = zstandard.ZstdCompressor(level=3)
    path = tmp_path / f"{ENVELOPE.name}.zst"
    path.write_bytes(compressor.compress(data[:middle]) + compressor.compress(data[middle:-1]))
    assert summary(read_all(path)) == summary(read_all(ENVELOPE))


def test_a_corrupt_compressed_rollout_is_reported_not_raised(tmp_path: Path) -> None:
    packed = zstandard.ZstdCompressor(level=3).compress(ENVELOPE.read_bytes())
    path = tmp_path / f"{ENVELOPE.name}.zst"
    path.write_bytes(packed[: len(packed) // 2] + b"\x00" * 64)
    result = source.read(path, ReadState())
    assert any("decompress" in s.reason for s in result.skipped)


# --- the rules, where transcripts are -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("  plain words ", "plain words"),
        ("# Context from my IDE setup:\n\n## My request for Codex:\nfix it\n", "fix it"),
    ],
)
def test_request_text(text: str, words: str) -> None:
    assert request_text(text) == words


def test_roots_honour_codex_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert source.roots({}, home, "Linux") == [
        home / ".codex" / "sessions",
        home / ".codex" / "archived_sessions",
    ]
    assert source.roots({"CODEX_HOME": "/srv/codex"}, home, "Windows") == [
        Path("/srv/codex/sessions"),
        Path("/srv/codex/archived_sessions"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026/03/02/rollout-2026-03-02T10-00-00-0199a1b2.jsonl", True),
        ("2026/03/02/rollout-2026-03-02T10-00-00-0199a1b2.jsonl.zst", True),
        ("rollout-2025-05-20-3f1e2d3c.json", True),
        ("history.jsonl", False),
        ("2026/03/02/rollout-2026-03-02T10-00-00-0199a1b2.jsonl.tmp", False),
        ("session-2026-03-02T10-00-5b1f3c2a.jsonl", False),
    ],
)
def test_is_transcript(tmp_path: Path, name: str, expected: bool) -> None:
    assert source.is_transcript(tmp_path / "sessions" / name) is expected


def test_sniff_knows_every_generation(tmp_path: Path) -> None:
    assert source.sniff(Path("a.jsonl"), ENVELOPE.read_bytes()[:4096])
    assert source.sniff(Path("a.jsonl"), BARE.read_bytes()[:4096])
    assert source.sniff(Path("a.json"), TYPESCRIPT.read_bytes()[:4096])
    packed = zstandard.ZstdCompressor(level=3).compress(ENVELOPE.read_bytes())
    assert source.sniff(Path("a.jsonl.zst"), packed[:4096])
    claude = b'{"parentUuid":null,"sessionId":"5b1f","type":"user","message":{"content":"hi"}}\n'
    assert not source.sniff(Path("a.jsonl"), claude)
    assert not source.sniff(Path("a.json"), b'{"sessionId": "x", "messages": []}')
    assert not source.sniff(Path("a.jsonl.zst"), b"not zstd")
    # A first line longer than the head (long instructions): judged by its beginning.
    assert source.sniff(Path("a.jsonl"), ENVELOPE.read_bytes()[:80])
    assert source.sniff(Path("a.jsonl"), BARE.read_bytes()[:80])


# --- the real corpus ----------------------------------------------------------------------


def corpus_files() -> list[Path]:
    folder = CORPUS / "real" / "codex"
    return sorted(folder.glob("*.jsonl")) if folder.is_dir() else []


@pytest.mark.parametrize("path", corpus_files() or [None], ids=lambda p: p.name if p else "none")
@pytest.mark.parametrize("human_only", [False, True], ids=["full", "human_only"])
def test_corpus_human_messages_match_the_labels(path: Path | None, human_only: bool) -> None:
    if path is None:
        pytest.skip(f"no corpus at {CORPUS}")
    labels = json.loads(
        (CORPUS / "labels" / "codex" / f"{path.name}.labels.json").read_text("utf-8")
    )
    result = source.read(path, ReadState(), human_only=human_only)
    human = [m for m in result.messages if m.author is Author.HUMAN]
    assert len(human) == labels["human_messages"]
    assert {label["at"]["line"] for label in labels["labels"]} <= {m.line for m in human}
    assert result.skipped == []


def test_corpus_reads_the_same_compressed(tmp_path: Path) -> None:
    files = corpus_files()
    if not files:
        pytest.skip(f"no corpus at {CORPUS}")
    for path in files:
        packed = compress(path.read_bytes(), tmp_path / f"{path.name}.zst")
        plain = read_all(path, human_only=True)
        assert summary(read_all(packed, human_only=True)) == summary(plain)


def test_compressed_rollout_skips_an_over_long_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("memtui.sources.codex.MAX_LINE_BYTES", 200)
    monkeypatch.setattr("memtui.sources.codex.CHUNK_BYTES", 64)
    path = compress(ENVELOPE.read_bytes(), tmp_path / f"{ENVELOPE.name}.zst")
    result = source.read(path, ReadState())
    long_lines = [
        n
        for n, line in enumerate(ENVELOPE.read_bytes().splitlines(keepends=True), 1)
        if len(line) > 200
    ]
    assert [s.line for s in result.skipped] == sorted({*long_lines, 22})
    assert result.state.position == 28
    kept = [m.line for m in result.messages]
    assert kept
    assert not set(kept) & set(long_lines)
    assert [m.line for m in read_all(ENVELOPE) if m.line not in long_lines] == kept
