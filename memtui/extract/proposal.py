"""What an extractor hands back: proposals, and the interface every extractor follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from memtui.core.models import Kind, Scope
from memtui.core.transcripts import Message


@dataclass(frozen=True, slots=True)
class Proposal:
    """A candidate memory read out of one message, for a person to confirm or reject."""

    kind: Kind
    text: str
    """One self-contained sentence a reviewer can confirm as is, keeping the specifics
    (names, paths, commands) of the person's words; never the raw message."""
    quote: str
    """A short exact excerpt of the message the proposal came from."""
    rule: str
    """The name of the rule that fired."""
    confidence: float
    """Between 0 and 1 (both excluded): how likely a reviewer is to keep it."""
    scope: Scope
    """GLOBAL when the person said so ("in all my projects", "globally"), else PROJECT."""
    message: Message


class Extractor(Protocol):
    """Something that proposes memories from a run of messages of one transcript."""

    name: str

    def propose(self, messages: Sequence[Message]) -> list[Proposal]:
        """Proposals from the mined messages, in message order.

        All the messages of the run are passed, injected and agent ones too, so a rule can
        look at the context (the message before, say); proposals come only from messages
        whose author is mined.
        """
        ...
