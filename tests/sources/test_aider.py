"""Aider's `.aider.chat.history.md`: turns, who wrote them, sessions, and reading as it grows."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from memtui.core.transcripts import Author, Message, ReadState
from memtui.sources import base
from memtui.sources.aider import AiderSource, parse_chat_history

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "aider" / "repo"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SOURCE = AiderSource()

HUMAN = [
    (
        13,
        "Invoices must be rounded half-up to 2 decimals, never banker's rounding. "
        "Fix compute_total.",
    ),
    (36, "why do we keep totals as Decimal?"),
    (42, "Add a regression test in tests/test_billing.py; we use pytest, no unittest classes."),
    (62, "/run pytest -q tests/test_billing.py"),
    (79, "Plan the CSV export:\n\n- one row per invoice\n- dates in ISO 8601, UTC"),
    (110, "!git status"),
]
INJECTED_LINES = [10, 32, 44, 66, 68, 76, 92, 108]
"""/add, bare /ask, the /code copy, `y`, a logged confirmation, /multiline-mode, the
architect plan, a blank input."""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the fixture repository (a git work tree), to read and append to."""
    folder = tmp_path / "shop"
    shutil.copytree(FIXTURE, folder)
    (folder / ".git").mkdir()
    return folder


def chat(repo: Path) -> Path:
    return repo / ".aider.chat.history.md"


def by(messages: list[Message], author: Author) -> list[tuple[int | None, str]]:
    return [(m.line, m.text) for m in messages if m.author is author]


def test_human_turns_are_located_at_their_first_line(repo: Path) -> None:
    result = SOURCE.read(chat(repo), ReadState())

    assert by(result.messages, Author.HUMAN) == HUMAN
    assert [line for line, _ in by(result.messages, Author.INJECTED)] == INJECTED_LINES
    assert result.skipped == []
    assert not result.restarted


def test_commands_copies_confirmations_and_plans_are_injected(repo: Path) -> None:
    injected = dict(by(SOURCE.read(chat(repo), ReadState()).messages, Author.INJECTED))

    assert injected[10] == "/add src/billing.py"
    assert injected[32] == "/ask"
    assert injected[44].startswith("Add a regression test")  # logged again by /code
    assert injected[66] == "y"
    assert injected[68].startswith("Add file to the chat? (Y)es/(N)o")
    assert injected[92].startswith("To add the CSV export:")  # the architect's plan
    assert injected[108] == "<blank>"


def test_output_and_agent_text(repo: Path) -> None:
    messages = SOURCE.read(chat(repo), ReadState()).messages
    tools = dict(by(messages, Author.TOOL))
    agents = dict(by(messages, Author.AGENT))

    assert tools[11] == "Added src/billing.py to the chat"
    assert tools[55].splitlines() == [
        "Tokens: 4.6k sent, 90 received. Cost: $0.01 message, $0.04 session.",
        "Create new file? (Y)es/(N)o [Yes]: y",
        "Applied edit to tests/test_billing.py",
        "pip install pytest",
        "pytest -q",  # the rest of a multi-line output, without its `> `
        "Run shell commands? (Y)es/(N)o/(D)on't ask again [Yes]: n",
    ]
    assert agents[15].startswith("I'll switch `compute_total`")
    assert "#### Changes" in agents[15]  # a heading of the reply, not a turn
    assert agents[38] == "Binary floats cannot represent most cent amounts exactly, so sums drift."


def test_sessions_times_and_project(repo: Path) -> None:
    messages = SOURCE.read(chat(repo), ReadState()).messages
    first = next(m for m in messages if m.line == 13)
    last = next(m for m in messages if m.line == 110)

    assert first.session_id == "2026-03-02 10:15:42"
    assert first.timestamp == datetime(2026, 3, 2, 10, 15, 42).astimezone()
    assert last.session_id == "2026-03-03 09:01:07"
    assert last.timestamp == datetime(2026, 3, 3, 9, 1, 7).astimezone()
    assert {m.project for m in messages} == {str(repo.resolve())}
    assert {m.tool for m in messages} == {"aider"}
    assert {m.path for m in messages} == {str(chat(repo))}
    assert all(m.index is None and m.message_id is None for m in messages)


def test_human_only_keeps_only_the_persons_words(repo: Path) -> None:
    result = SOURCE.read(chat(repo), ReadState(), human_only=True)

    assert by(result.messages, Author.HUMAN) == HUMAN
    assert len(result.messages) == len(HUMAN)


@pytest.mark.parametrize("split", [12, 43, 91, 100])
def test_reading_in_two_parts_finds_the_same_messages(repo: Path, split: int) -> None:
    """Split before a turn, between /code and its copy, between a reply and the plan logged
    from it, inside a reply."""
    path = chat(repo)
    lines = path.read_text().splitlines(keepends=True)
    whole = SOURCE.read(path, ReadState()).messages
    path.write_text("".join(lines[:split]))

    first = SOURCE.read(path, ReadState())
    with path.open("a") as handle:
        handle.write("".join(lines[split:]))
    second = SOURCE.read(path, first.state)

    assert not second.restarted
    assert all((m.line or 0) > split for m in second.messages)
    both = first.messages + second.messages
    turns = (Author.HUMAN, Author.INJECTED)
    assert [(m.line, m.author, m.text) for m in both if m.author in turns] == [
        (m.line, m.author, m.text) for m in whole if m.author in turns
    ]
    assert by(both, Author.HUMAN) == HUMAN


def test_appended_turns_come_back_alone(repo: Path) -> None:
    path = chat(repo)
    first = SOURCE.read(path, ReadState())
    with path.open("a") as handle:
        handle.write("\n#### Never commit to main directly; open a branch.  \n\nUnderstood.\n")

    second = SOURCE.read(path, first.state)

    assert by(second.messages, Author.HUMAN) == [
        (113, "Never commit to main directly; open a branch.")
    ]
    assert by(second.messages, Author.AGENT) == [(115, "Understood.")]
    assert second.messages[0].session_id == "2026-03-03 09:01:07"
    assert SOURCE.read(path, second.state).messages == []


def test_a_turn_without_its_newline_waits(repo: Path) -> None:
    path = chat(repo)
    first = SOURCE.read(path, ReadState())
    with path.open("a") as handle:
        handle.write("\n#### Use the ledger service for refunds")

    waiting = SOURCE.read(path, first.state)
    with path.open("a") as handle:
        handle.write("  \n")
    done = SOURCE.read(path, waiting.state)

    assert waiting.messages == []
    assert by(done.messages, Author.HUMAN) == [(113, "Use the ledger service for refunds")]


def test_a_rewritten_beginning_restarts(repo: Path) -> None:
    path = chat(repo)
    first = SOURCE.read(path, ReadState())
    path.write_text(
        "\n# aider chat started at 2026-04-01 08:00:00\n\n#### Start over with SQLite.  \n"
        + "filler line that keeps the file longer than before\n" * 100
    )

    again = SOURCE.read(path, first.state)

    assert again.restarted
    assert by(again.messages, Author.HUMAN) == [(4, "Start over with SQLite.")]
    assert again.messages[0].session_id == "2026-04-01 08:00:00"


def test_an_overlong_line_is_skipped_and_reported(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "MAX_LINE_BYTES", 64)
    path = chat(repo)
    path.write_text("#### short  \n\n" + "x" * 200 + "\n\n#### after it  \n")

    result = SOURCE.read(path, ReadState())

    assert [s.line for s in result.skipped] == [3]
    assert result.skipped[0].reason.startswith("line longer than")
    assert [s.where() for s in result.skipped] == [f"{path}:3"]
    assert by(result.messages, Author.HUMAN) == [(1, "short"), (5, "after it")]


def test_invalid_utf8_is_read_not_raised(repo: Path) -> None:
    path = chat(repo)
    path.write_bytes(b"#### caf\xe9 au lait  \n")

    assert by(SOURCE.read(path, ReadState()).messages, Author.HUMAN) == [(1, "caf\ufffd au lait")]


def test_parse_chat_history_directly() -> None:
    lines = ["#### /architect Split billing into its own package.  ", "", "Plan: move it.", ""]
    messages = parse_chat_history(lines, "chat.md", project="/p")

    assert [(m.line, m.author, m.text) for m in messages] == [
        (1, Author.HUMAN, "Split billing into its own package."),
        (3, Author.AGENT, "Plan: move it."),
    ]
    assert messages[0].project == "/p"
    assert messages[0].session_id is None
    assert messages[0].timestamp is None


def test_files_are_recognised_by_name_and_header(tmp_path: Path) -> None:
    renamed = tmp_path / "someone-repo__.aider.chat.history.md"
    notes = tmp_path / "notes.md"

    assert SOURCE.is_transcript(FIXTURE / ".aider.chat.history.md")
    assert SOURCE.is_transcript(renamed)
    assert not SOURCE.is_transcript(FIXTURE / ".aider.input.history")
    assert not SOURCE.is_transcript(notes)
    assert SOURCE.sniff(notes, b"\n# aider chat started at 2026-03-02 10:15:42\n\n")
    assert not SOURCE.sniff(notes, b"# Notes\n\n#### not aider  \n")
    assert not SOURCE.sniff(notes, b"Aider logs open with `# aider chat started at 2026-01-01`\n")
    history = (FIXTURE / ".aider.input.history").read_bytes()
    assert not SOURCE.sniff(FIXTURE / ".aider.input.history", history)


@pytest.mark.parametrize("system", ["Linux", "Darwin", "Windows"])
def test_roots_are_only_the_named_history_file(tmp_path: Path, system: str) -> None:
    assert SOURCE.roots({}, tmp_path, system) == []
    assert SOURCE.roots({"AIDER_CHAT_HISTORY_FILE": "  "}, tmp_path, system) == []
    named = tmp_path / "logs" / "aider.md"
    assert SOURCE.roots({"AIDER_CHAT_HISTORY_FILE": str(named)}, tmp_path, system) == [named]
    assert SOURCE.tool == "aider"
    assert SOURCE.label == "Aider"


def corpus_files() -> list[Path]:
    folder = CORPUS / "real" / "aider"
    return sorted(folder.glob("*.aider.chat.history.md")) if folder.is_dir() else []


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_human_messages_match_the_labels(path: Path) -> None:
    labels = json.loads((CORPUS / "labels" / "aider" / f"{path.name}.labels.json").read_text())
    lines = path.read_text(encoding="utf-8").splitlines()

    human = [m for m in parse_chat_history(lines, str(path)) if m.author is Author.HUMAN]

    assert len(human) == labels["human_messages"]
    assert {label["at"]["line"] for label in labels["labels"]} <= {m.line for m in human}


def test_corpus_is_present_or_skipped() -> None:
    if not (CORPUS / "real" / "aider").is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    assert corpus_files()
