"""The rule-based extractor: sentences of the person's messages, run through the named rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from memtui.core.models import Scope, statement_key
from memtui.core.transcripts import MINED, Author, Message
from memtui.extract.cues import WORD_END, WORD_START, placed
from memtui.extract.proposal import Proposal
from memtui.extract.rules import RULES, Context, Rule
from memtui.extract.text import (
    Sentence,
    context_bound,
    proposal_text,
    quote_of,
    scope_of,
    sentences,
    substantial,
)

MAX_PER_MESSAGE = 5
"""A long pasted brief can hold dozens of rule-like lines: only its strongest few are
proposed, so one message cannot flood the inbox."""
MIN_CONFIDENCE = 0.25

_INTERRUPTED = re.compile(r"^\s*(?:\[Request interrupted by user|<turn_aborted>)")
_CHALLENGE = re.compile(
    r"""\bwhere\s+did\s+(?:these|this|those|that|the|all)\b.{0,60}\bcome\s+from\b
      | \bwhy\s+(?:did|would)\s+you\b
      | \bwho\s+(?:told|asked)\s+you\b
      | \bwhat\s+was\s+your\s+thinking\b
      | \bI\s+(?:never|didn['\u2019]?t|did\s+not)\s+(?:say|said|ask|asked)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_TEMPORARY = re.compile(
    r"""\b(?:for\s+now|this\s+time|right\s+now|for\s+this\s+(?:task|one|test|run)|temporarily|
        yet|anything\s+else|at\s+least\s+in\s+the\s+test)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_HEDGE = re.compile(r"\b(?:maybe|perhaps|probably|i\s+think|i\s+guess|might)\b", re.IGNORECASE)
_TASK_OPENER = re.compile(
    r"""^(?:your\s+task\s+is|the\s+task\s+is|I\s+(?:want|need)\s+you\s+to|help\s+me|
          (?:can|could|would)\s+you|write\s+(?:a|an|me)\b|create\s+(?:a|an)\b|implement\b|
          add\s+(?:a|an|the)\b|fix\b|build\s+(?:a|an|me)\b)""",
    re.IGNORECASE | re.VERBOSE,
)


_NO_OPENER = ("<no>", "<nope>", "<nah>", "<wrong>", "<incorrect>", "<not quite>")
"""correction_no's openers, as placed pieces (words): a sentence it fires on opens with one
(its gate could not say so, the opener being cut from the body that gates read)."""
_OPENER_RULES = frozenset({"correction_no"})
_CONSULTING_RULES = frozenset({"interrupted"})
"""Rules that fire only when one of the rules of RULES they consult does."""
_PLACING = frozenset({WORD_START, WORD_END})
"""What a literal gate piece must not hold to be read as a placed one."""


class _Screen:
    """Tells, without splitting it into sentences, that a message holds nothing any of the
    rules could fire on: no placed piece any rule needs (Rule.needs, where it stands: "we" in
    "websocket" is not the word "we"), no opener, and (as the cues of the other rules are not
    ASCII) nothing but ASCII, where lowercasing means what ignoring case does. Most messages
    (task requests, approvals) are passed over this way; so are the sentences without a cue
    of the other messages (a sentence's raw text holds its body and opener).

    A piece placed at a word's start or end in a sentence's body stands so in the message
    too: a body is cut from its message at white space or a line's end, after a list marker
    or after a filler word and its separators, so no letter or digit of ASCII text touches
    it from outside."""

    def __init__(self, cue: re.Pattern[str] | None) -> None:
        self.cue = cue
        """Every placed piece of the rules and, if one of them needs it, every opener."""

    @classmethod
    def of(cls, rules: Sequence[Rule]) -> _Screen | None:
        """The screen for a set of rules; None if one of them fires without a known cue."""
        pieces: set[str] = set()
        openers = False
        for rule in rules:
            if rule.needs_pattern is not None:
                pieces.update(rule.needs)
            elif rule.gate_pattern is not None and not any(_PLACING & set(p) for p in rule.gate):
                pieces.update(rule.gate)  # literal pieces are placed pieces too, only looser
            elif rule.name in _CONSULTING_RULES:
                pieces.update(piece for other in RULES for piece in other.needs or other.gate)
                openers = True
            elif rule.name in _OPENER_RULES:
                openers = True
            elif rule.ascii:
                return None
        return cls(placed(pieces.union(_NO_OPENER) if openers else pieces))

    def passes_over(self, text: str) -> bool:
        """Whether no rule can fire on any sentence of the text."""
        if not text.isascii():
            return False
        return self.cue is None or self.cue.search(text.lower()) is None


class RuleExtractor:
    """Proposes memories with the named rules of `memtui.extract.rules`, no model involved."""

    name: str = "rules"

    def __init__(
        self,
        rules: Sequence[Rule] | None = None,
        *,
        mined: Iterable[Author] = MINED,
        max_per_message: int = MAX_PER_MESSAGE,
    ) -> None:
        self.rules = list(RULES if rules is None else rules)
        self.mined = frozenset(mined)
        self.max_per_message = max_per_message
        self._screen = _Screen.of(self.rules)

    def propose(self, messages: Sequence[Message]) -> list[Proposal]:
        """Proposals from the mined messages, in message order, one statement proposed once."""
        found: list[Proposal] = []
        seen: set[str] = set()
        previous: Message | None = None
        screen = self._screen
        for message in messages:
            if message.author in self.mined and not (
                screen is not None and screen.passes_over(message.text)
            ):
                interrupted = previous is not None and bool(_INTERRUPTED.match(previous.text))
                for proposal in self._from_message(message, interrupted):
                    key = statement_key(proposal.text)
                    if key not in seen:
                        seen.add(key)
                        found.append(proposal)
            if message.text.strip():
                previous = message
        return found

    def _from_message(self, message: Message, interrupted: bool) -> list[Proposal]:
        screen = self._screen
        candidates = [
            sentence
            for sentence in sentences(message.text)
            if not (screen is not None and screen.passes_over(sentence.raw))
            and not sentence.question
            and substantial(sentence)
        ]
        if not candidates:
            return []
        # Only now, as most messages have no sentence left for the rules to read.
        context = Context(interrupted, challenged=bool(_CHALLENGE.search(message.text)))
        proposals = [
            proposal
            for sentence in candidates
            for proposal in [self._from_sentence(message, sentence, context)]
            if proposal is not None
        ]
        if len(proposals) > self.max_per_message:
            strongest = sorted(proposals, key=lambda p: -p.confidence)[: self.max_per_message]
            proposals = [p for p in proposals if p in strongest]
        return proposals

    def _from_sentence(
        self, message: Message, sentence: Sentence, context: Context
    ) -> Proposal | None:
        for rule in self.rules:
            hit = rule.detect(sentence, context)
            if hit is None:
                continue
            confidence = _confidence(rule.confidence + hit.bonus, sentence)
            if confidence < MIN_CONFIDENCE:
                return None
            scope = scope_of(sentence.body)
            return Proposal(
                kind=hit.kind or rule.kind,
                text=proposal_text(sentence.body, hit.start, hit.end),
                quote=quote_of(sentence, hit.start),
                rule=rule.name,
                confidence=confidence + (0.05 if scope is Scope.GLOBAL else 0.0),
                scope=scope,
                message=message,
            )
        return None


def _confidence(base: float, sentence: Sentence) -> float:
    """The rule's confidence, lowered for hedged, temporary, task-shaped or context-bound
    sentences."""
    value = base
    if _TEMPORARY.search(sentence.body):
        value -= 0.1
    if _HEDGE.search(sentence.body):
        value -= 0.1
    if _TASK_OPENER.match(sentence.body):
        value -= 0.2
    if len(sentence.body) > 200:
        value -= 0.1
    if context_bound(sentence.body):
        value -= 0.2  # "that was created via ...": the reviewer must rewrite it, if they keep it
    return min(0.9, max(0.05, round(value, 2)))


_DEFAULT = RuleExtractor()


def extract(messages: Sequence[Message]) -> list[Proposal]:
    """Proposals from a run of messages with the default rules (see RuleExtractor.propose)."""
    return _DEFAULT.propose(messages)
