"""An optional extractor that asks a language model, behind the same interface as the rules.

Off unless the configuration names a model: either a command (it reads the request on stdin
and prints the answer) or an OpenAI-compatible chat-completions URL. It sees only the person's
messages, after secrets were redacted. Whatever it answers is checked (kinds, indexes, quotes
that must come from the message); if it fails or answers nonsense, the rule-based extractor
answers instead, so a scan never depends on the model.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from memtui.core.errors import ConfigError
from memtui.core.models import Kind, Scope
from memtui.core.settings import Settings
from memtui.core.transcripts import MINED, Message
from memtui.extract import Extractor, Proposal, RuleExtractor

Transport = Callable[[str, str], str]
"""(system prompt, request) -> the model's answer."""
TIMEOUT_S = 120
CONFIDENCE = 0.6

SYSTEM = """You read what a software developer typed to an AI coding agent and propose durable
memories: standing rules, preferences, corrections that generalise, facts about the project or
environment, decisions, and procedures. Skip task requests, questions, thanks and one-off
approvals. Answer with JSON only: a list of objects
{"message": <index>, "kind": "rule|preference|correction|fact|decision|procedure",
 "text": "<one self-contained English sentence keeping names, paths and commands>",
 "quote": "<a short exact excerpt of that message>", "global": <true if the person said it
 applies to all their projects>}. Answer [] when nothing is durable."""


class ModelError(Exception):
    """The model could not be asked, or its answer was not usable."""


@dataclass(frozen=True, slots=True)
class LLMConfig:
    """`[extract]` in the configuration file."""

    command: str | None = None
    url: str | None = None
    model: str | None = None
    api_key_env: str | None = None
    """Name of the environment variable holding the API key (the key is never in the file)."""


def llm_config(section: object, where: str) -> LLMConfig | None:
    """Read `[extract]`; None when no model is configured (the default)."""
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [extract] must be a table")
    values = {key: section.get(f"llm_{key}") for key in ("command", "url", "model", "api_key_env")}
    if any(v is not None and not isinstance(v, str) for v in values.values()):
        raise ConfigError(f"{where}: the llm_* settings of [extract] must be strings")
    config = LLMConfig(**values)
    if config.command is None and config.url is None:
        return None
    if config.url is not None and config.model is None:
        raise ConfigError(f"{where}: [extract] llm_url needs llm_model")
    return config


def command_transport(command: str) -> Transport:
    """Ask a local program: the request on its stdin, the answer on its stdout."""

    def ask(system: str, request: str) -> str:
        try:
            done = subprocess.run(
                shlex.split(command),
                input=f"{system}\n\n{request}",
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ModelError(f"{command}: {exc}") from None
        if done.returncode != 0:
            raise ModelError(f"{command} exited {done.returncode}: {done.stderr.strip()[:200]}")
        return done.stdout

    return ask


def openai_transport(url: str, model: str, api_key: str | None) -> Transport:
    """Ask an OpenAI-compatible chat-completions endpoint."""

    def ask(system: str, request: str) -> str:
        body = json.dumps(
            {
                "model": model,
                "temperature": 0,
                "messages": [
                    {"role": "system", "content": system},
                    {"role": "user", "content": request},
                ],
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, data=body, headers=headers), timeout=TIMEOUT_S
            ) as response:
                answer = json.load(response)
            return str(answer["choices"][0]["message"]["content"])
        except (OSError, urllib.error.URLError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelError(f"{url}: {exc}") from None

    return ask


class LLMExtractor:
    """Proposals from a language model, checked; the rules answer when the model cannot."""

    name = "llm"

    def __init__(self, transport: Transport, fallback: Extractor | None = None) -> None:
        self.transport = transport
        self.fallback = fallback or RuleExtractor()
        self.failures: list[str] = []
        """Why the model was not used, for each batch it failed."""

    def propose(self, messages: Sequence[Message]) -> list[Proposal]:
        """The model's proposals for the person's messages, or the rules' if it fails."""
        mined = [m for m in messages if m.author in MINED and m.text.strip()]
        if not mined:
            return []
        request = json.dumps(
            [{"message": i, "text": m.text} for i, m in enumerate(mined)], ensure_ascii=False
        )
        try:
            return _proposals(self.transport(SYSTEM, request), mined)
        except ModelError as exc:
            self.failures.append(str(exc))
            return self.fallback.propose(messages)


def _proposals(answer: str, mined: Sequence[Message]) -> list[Proposal]:
    """The proposals in a model's answer; ModelError if it is not the JSON asked for."""
    text = answer.strip()
    if text.startswith("```"):  # models like to fence their JSON
        text = text.strip("`").removeprefix("json").strip()
    try:
        items = json.loads(text)
    except ValueError:
        raise ModelError(f"the answer is not JSON: {answer[:80]!r}") from None
    if not isinstance(items, list):
        raise ModelError("the answer is not a JSON list")
    return [p for item in items if (p := _proposal(item, mined)) is not None]


def _proposal(item: Any, mined: Sequence[Message]) -> Proposal | None:
    """One checked proposal; None for an item that does not hold together."""
    if not isinstance(item, dict):
        return None
    index, kind, text = item.get("message"), item.get("kind"), item.get("text")
    if not (isinstance(index, int) and 0 <= index < len(mined)) or not isinstance(text, str):
        return None
    if kind not in {k.value for k in Kind} or not text.strip():
        return None
    message = mined[index]
    quote = item.get("quote")
    if not isinstance(quote, str) or not quote.strip() or quote not in message.text:
        quote = message.text.strip()[:200]  # a quote must be the person's own words
    return Proposal(
        kind=Kind(kind),
        text=text.strip(),
        quote=quote,
        rule="llm",
        confidence=CONFIDENCE,
        scope=Scope.GLOBAL if item.get("global") is True else Scope.PROJECT,
        message=message,
    )


def extractor_for(settings: Settings, env: dict[str, str] | None = None) -> Extractor:
    """The extractor the configuration asks for: the rules unless a model is named."""
    config = llm_config(settings.extract, str(settings.config_path))
    if config is None:
        return RuleExtractor()
    if config.command is not None:
        return LLMExtractor(command_transport(config.command))
    assert config.url is not None
    assert config.model is not None
    env = dict(os.environ) if env is None else env
    key = env.get(config.api_key_env) if config.api_key_env else None
    return LLMExtractor(openai_transport(config.url, config.model, key))
