"""The optional model-based extractor: off by default, checked, and never required."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from memtui.core.errors import ConfigError
from memtui.core.models import Kind, Scope
from memtui.core.settings import Settings, load_settings
from memtui.core.transcripts import Author, Message
from memtui.extract import RuleExtractor
from memtui.services.llm_extract import (
    LLMExtractor,
    ModelError,
    command_transport,
    extractor_for,
    openai_transport,
)

MESSAGES = [
    Message(tool="codex", author=Author.HUMAN, text="add a retry to the client", path="/t", line=1),
    Message(tool="codex", author=Author.AGENT, text="Done. Always retry.", path="/t", line=2),
    Message(
        tool="codex",
        author=Author.HUMAN,
        text="we deploy with make ship, always",
        path="/t",
        line=3,
    ),
]
ANSWER = [
    {
        "message": 1,
        "kind": "procedure",
        "text": "Deploy with `make ship`.",
        "quote": "make ship",
        "global": False,
    },
    {"message": 7, "kind": "rule", "text": "out of range"},
    {"message": 0, "kind": "wish", "text": "not a kind"},
]


def settings_with(tmp_path: Path, body: str) -> Settings:
    config = tmp_path / "config.toml"
    config.write_text(body)
    return load_settings(env={"MEMTUI_CONFIG": str(config)})


def test_the_rules_are_the_default(tmp_path: Path) -> None:
    assert isinstance(extractor_for(settings_with(tmp_path, "")), RuleExtractor)


def test_a_command_model_is_asked_and_its_answer_checked(tmp_path: Path) -> None:
    script = tmp_path / "model.py"
    script.write_text(f"import sys\nsys.stdin.read()\nprint({json.dumps(json.dumps(ANSWER))})\n")
    body = f'[extract]\nllm_command = "{sys.executable} {script}"\n'
    extractor = extractor_for(settings_with(tmp_path, body))
    [proposal] = extractor.propose(MESSAGES)
    assert (proposal.kind, proposal.text, proposal.quote) == (
        Kind.PROCEDURE,
        "Deploy with `make ship`.",
        "make ship",
    )
    assert (proposal.rule, proposal.scope, proposal.message.line) == ("llm", Scope.PROJECT, 3)


def test_a_failing_model_leaves_the_rules_to_answer() -> None:
    def broken(system: str, request: str) -> str:
        raise ModelError("no model here")

    extractor = LLMExtractor(broken)
    proposals = extractor.propose(MESSAGES)
    assert [p.rule for p in proposals] == [p.rule for p in RuleExtractor().propose(MESSAGES)]
    assert extractor.failures == ["no model here"]


def test_nonsense_answers_fall_back_too() -> None:
    extractor = LLMExtractor(lambda system, request: "Sure! Here are some memories:")
    assert extractor.propose(MESSAGES) == RuleExtractor().propose(MESSAGES)
    assert extractor.failures


def test_a_quote_that_is_not_the_persons_words_is_replaced_by_them() -> None:
    answer = json.dumps([{"message": 0, "kind": "rule", "text": "Retry.", "quote": "invented"}])
    [proposal] = LLMExtractor(lambda s, r: answer).propose(MESSAGES)
    assert proposal.quote == "add a retry to the client"


def test_a_missing_model_command_is_a_clear_failure(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no-such-model-binary"):
        command_transport("no-such-model-binary --json")("system", "request")


def test_a_url_needs_a_model(tmp_path: Path) -> None:
    body = '[extract]\nllm_url = "http://127.0.0.1:9/v1/chat/completions"\n'
    with pytest.raises(ConfigError, match="llm_model"):
        extractor_for(settings_with(tmp_path, body))


@pytest.fixture
def chat_server() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """An OpenAI-compatible endpoint on the loopback interface that answers ANSWER."""
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(
                {
                    "body": json.loads(self.rfile.read(length)),
                    "auth": self.headers.get("Authorization"),
                }
            )
            reply = {"choices": [{"message": {"content": json.dumps(ANSWER)}}]}
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1/chat/completions", received
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_an_openai_compatible_url_is_asked(
    chat_server: tuple[str, list[dict[str, object]]],
) -> None:
    url, received = chat_server
    extractor = LLMExtractor(openai_transport(url, "local-model", "k-123"))
    [proposal] = extractor.propose(MESSAGES)
    assert proposal.text == "Deploy with `make ship`."
    [request] = received
    body = request["body"]
    assert isinstance(body, dict)
    assert body["model"] == "local-model"
    assert request["auth"] == "Bearer k-123"
    sent = json.loads(body["messages"][1]["content"])
    assert [m["text"] for m in sent] == [
        "add a retry to the client",
        "we deploy with make ship, always",
    ]
