# ruff: noqa: RUF001  (the Cyrillic and CJK cue words are meant)
"""The named rules: each looks at one sentence (and what surrounds its message) and says
whether it states something durable, and of what kind.

A rule fires on a cue (a marker such as "never", "I prefer", "let's use", "lives on") that
stands where a standing statement puts it, not merely anywhere in the sentence: "it always
fails" is no rule, "always run the tests" is. Rules are tried in the order of `RULES`; the
first that fires names the proposal. Task requests, questions, thanks and approvals carry no
cue and so propose nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from memtui.core.models import Kind
from memtui.extract.cues import any_of, placed
from memtui.extract.text import Sentence


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule may know about the sentence's message beyond the sentence itself."""

    interrupted: bool = False
    """The message came right after the person interrupted the agent."""
    challenged: bool = False
    """The message questions what the agent did ("where did these .js files come from?")."""


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a rule's cue is in the sentence's body, and how it adjusts the rule's defaults."""

    start: int
    end: int
    kind: Kind | None = None
    bonus: float = 0.0


Detect = Callable[[Sentence, Context], Hit | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named detector with the kind and confidence of what it proposes."""

    name: str
    kind: Kind
    confidence: float
    doc: str
    test: Detect
    gate: tuple[str, ...] = ()
    """Lowercase pieces of words one of which every sentence the rule fires on holds: a
    cheap test that spares the rule's expressions most sentences."""
    gate_pattern: re.Pattern[str] | None = None
    """The gate as one compiled expression (cues.any_of): the test runs in C, not a Python
    loop."""
    needs: tuple[str, ...] = ()
    """Placed pieces (cues.placed: `<` a word's start, `>` its end, a space any white space)
    one of which the lowercased body of every ASCII sentence the rule fires on holds, read
    off the rule's own expressions: "we" stands inside "websocket", "<we>" does not. Sharper
    than the gate, which still applies: together they turn away only sentences the rule
    would not fire on. Only for ASCII text, where lowercasing is what ignoring case does."""
    needs_pattern: re.Pattern[str] | None = None
    """The needs as one compiled expression (cues.placed)."""
    ascii: bool = True
    """Whether the rule can fire on an ASCII sentence at all (not for Cyrillic or CJK cues)."""

    def detect(self, sentence: Sentence, context: Context) -> Hit | None:
        """Where the rule fires in the sentence, or None."""
        lower = sentence.lower
        if lower.isascii():
            if not self.ascii:
                return None
            if self.needs_pattern is not None and not self.needs_pattern.search(lower):
                return None
        if self.gate_pattern is not None and not self.gate_pattern.search(lower):
            return None
        return self.test(sentence, context)


RULES: list[Rule] = []
"""Every rule, in the order they are tried."""


def rule(
    name: str,
    kind: Kind,
    confidence: float,
    gate: str = "",
    *,
    needs: str = "",
    ascii: bool = True,
) -> Callable[[Detect], Detect]:
    """Register a detector as a named rule; its docstring's first line describes it.

    `gate` lists, `|`-separated, lowercase pieces of words one of which the rule needs: the
    detector runs only on sentences that hold one (most sentences of a message hold none).
    `needs` lists the same way placed pieces (Rule.needs) read off the rule's expressions,
    alternative by alternative; `ascii=False` marks a rule whose cues no ASCII text holds.
    """

    def register(detect: Detect) -> Detect:
        doc = (detect.__doc__ or name).strip().splitlines()[0]
        pieces = tuple(piece for piece in gate.split("|") if piece)
        placed_pieces = tuple(piece for piece in needs.split("|") if piece)
        RULES.append(
            Rule(
                name,
                kind,
                confidence,
                doc,
                detect,
                pieces,
                _gate(pieces),
                placed_pieces,
                placed(placed_pieces),
                ascii,
            )
        )
        return detect

    return register


def _each(heads: str, tails: str) -> str:
    """Every head followed by every tail, as `|`-separated pieces ("<a|<b", " is>" ->
    "<a is>|<b is>"): pieces that need two words in a row."""
    return "|".join(head + tail for head in heads.split("|") for tail in tails.split("|"))


def _gate(pieces: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled expression finding any of a gate's pieces (None for no gate)."""
    return any_of(pieces)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _hit(match: re.Match[str] | None, kind: Kind | None = None, bonus: float = 0.0) -> Hit | None:
    return Hit(match.start(), match.end(), kind, bonus) if match else None


# --- shared pieces ---------------------------------------------------------------------------

_APOS = r"['\u2019]?"
_DONT = rf"(?:don{_APOS}t|do\s+not)"
_CLAUSE_START = (
    r"(?:^|[,;:(]\s*|\s[-\u2013\u2014]+\s+|\b(?:so|and|but|then|also|or|please|just|first)\s+)"
)
"""Where a directive may start: the sentence's beginning or a clause boundary."""
_ACTION = r"""(?:use|run|write|put|keep|add|avoid|commit|push|name|format|test|call|choose|
    pick|stick|store|deploy|install|make|create|document|ask|open|merge|rebase|squash|sign|tag|
    lint|review|structure|organi[sz]e|split|follow|start|ship|release|note|skip|stop|tell|report|
    log|leave|move\s+on|ignore|fall\s+back|retry|mention|flag|check|wait|explain|notify|
    escalate|prefer|update|close|restart|re-?run|return|raise|abort|try|let\s+me\s+know|place|
    import|edit|delete|remove|touch|modify|change|read|include|reply|respond|answer|show|print|
    work|treat|assume|default|request|send|set|build|mark|copy|generate|bump|pin|lock|go)"""
"""Verbs a standing instruction is about (peers §8.7), matched as whole words."""
_TRIVIAL = _re(r"^\W*(?:it|this|that|them|these|those|so|too|a\s+lot|very\s+much)?\W*$")


# --- rules, in priority order ----------------------------------------------------------------


_REDIRECTS = ("imperative", "contrast", "exclusive_use", "conditional", "approval_gate")


@rule("interrupted", Kind.CORRECTION, 0.7)
def interrupted(sentence: Sentence, context: Context) -> Hit | None:
    """A directive typed right after the person interrupted the agent: a correction."""
    if not context.interrupted:
        return None
    for other in RULES:
        if other.name in _REDIRECTS:
            hit = other.detect(sentence, context)
            if hit:
                return Hit(hit.start, hit.end, Kind.CORRECTION, 0.0)
    return None


_REMEMBER = _re(
    r"""\b(?:remember\s+(?:that|to|this)|remember\s*:|note\s+that|please\s+note|keep\s+in\s+mind|
        bear\s+in\s+mind|from\s+now\s+on|going\s+forward|moving\s+forward|henceforth|
        for\s+future\s+reference|for\s+the\s+future|in\s+the\s+future|for\s+next\s+time|
        next\s+time|as\s+a\s+(?:general\s+)?rule)\b"""
)
_BY_DEFAULT = _re(r"\bby\s+default\b")


@rule(
    "explicit",
    Kind.RULE,
    0.8,
    "remember|note|mind|now on|forward|henceforth|future|next time|rule|default",
    needs="<remember>|<note>|<mind>|<now on>|<forward>|<henceforth>|<future>|<next time>|<rule>|"
    "<by default>",
)
def explicit(sentence: Sentence, context: Context) -> Hit | None:
    """An explicit ask to keep something: "remember that", "note that", "from now on"."""
    match = _REMEMBER.search(sentence.body)
    bonus = -0.15 if match and re.match(r"(?:please\s+)?note", match.group(), re.I) else 0.0
    if not match:
        match = _BY_DEFAULT.search(sentence.body)
        bonus = -0.25
    if not match:
        return None
    rest = sentence.body[match.end() :]
    if len(re.findall(r"\w+", rest)) + len(re.findall(r"\w+", sentence.body[: match.start()])) < 3:
        return None
    kind = _kind_of_rest(sentence, context)
    if kind is None:
        kind = Kind.FACT if re.search(r"\bthat\s*$", match.group(), re.I) else Kind.RULE
    return Hit(match.start(), match.end(), kind, bonus)


_REFERENCE = _re(
    r"""\blike\s+I\s+(?:originally\s+|already\s+|just\s+|clearly\s+)?
            (?:asked|said|told\s+you|mentioned|tasked\s+you|wanted|requested|specified|wrote)\b
      | \bas\s+I\s+(?:already\s+|originally\s+)?
            (?:said|asked|told\s+you|mentioned|explained|wrote)\b
      | \bI\s+(?:never|didn['\u2019]?t|did\s+not)\s+(?:say|said|ask|asked|tell|told|want|wanted|
            mean|meant)\b
      | \bI\s+(?:already\s+)?told\s+you\b
      | \bnot\s+what\s+I\s+(?:asked|wanted|meant|said)\b
      | \b(?:that['\u2019]?s|that\s+is|this\s+is|you['\u2019]?re|you\s+are|it['\u2019]?s|it\s+is)\s+
            (?:wrong|incorrect|not\s+(?:right|correct|true))\b
      | \bwe\s+(?:already\s+)?(?:agreed|discussed)\b
      | ^correction\s*:"""
)


@rule(
    "correction_reference",
    Kind.CORRECTION,
    0.75,
    "i |i'|i\u2019|wrong|incorrect|not right|not correct|not true|agreed|discussed|correction",
    needs="<like i>|<as i>|<i never>|<i didn|<i did not>|<told you>|<not what i>|<wrong>|"
    "<incorrect>|<not right>|<not correct>|<not true>|<agreed>|<discussed>|<correction>",
)
def correction_reference(sentence: Sentence, context: Context) -> Hit | None:
    """A correction that points back at what was said: "like I asked", "I never said to"."""
    return _hit(_REFERENCE.search(sentence.body))


_AFTER_NO = _re(
    rf"""^(?:use|keep|leave|put|stick|run|call|make|it{_APOS}s\b|it\s+is|it\s+should|they|the|we|
        I\s+(?:want|said|meant|need)|{_DONT}|never|always|only|instead|not\s+\w+\s*,?\s+but)\b"""
)
_NO_ACK = _re(
    r"^(?:that['\u2019]?s\s+(?:fine|ok|okay|all|it|good)|not\s+(?:yet|now)|problem|worries)"
)


@rule("correction_no", Kind.CORRECTION, 0.6)
def correction_no(sentence: Sentence, context: Context) -> Hit | None:
    """A statement that opens by refusing what the agent did: "no, use X", "wrong, it's Y"."""
    opener = sentence.opener.strip()
    if not re.match(r"(?:no|nope|nah|wrong|incorrect|not\s+quite)\b", opener):
        return None
    if _NO_ACK.match(sentence.body):
        return None
    return _hit(_AFTER_NO.match(sentence.body))


_APPROVAL = _re(
    r"""\b(?:get|ask\s+(?:for|me\s+for)|wait\s+for|need|require|have|seek)\s+my\s+(?:explicit\s+)?
            (?:approval|permission|ok|okay|go-?ahead|sign-?off|confirmation|consent)\b
      | \b(?:ask|check\s+with|confirm\s+with)\s+me\s+(?:first|before)\b
      | \bwithout\s+(?:asking(?:\s+me)?|my\s+(?:approval|permission|ok|consent))\b
      | \b(?:explain|present|show|tell\s+me|describe|propose|share|outline)\s+
            (?:me\s+)?(?:your|the|a)\s+(?:\w+\s+){0,2}plan\b.{0,40}?\b(?:first|before)\b"""
)


@rule(
    "approval_gate",
    Kind.RULE,
    0.7,
    "my |me |me,|without|plan",
    needs="<my>|<me first>|<me before>|<without>|<plan>",
)
def approval_gate(sentence: Sentence, context: Context) -> Hit | None:
    """A gate on the agent's autonomy: "get my approval first", "explain your plan before"."""
    return _hit(_APPROVAL.search(sentence.body))


_DECISION = _re(
    rf"""\blet{_APOS}s\s+(?:just\s+|instead\s+|now\s+|also\s+|all\s+)?
            (?:use|go\s+with|stick\s+(?:with|to)|
             keep\s+(?:using|it|them|the|all|everything|\w+\s+in)|
             continue\s+(?:using|with)|switch\s+(?:to|back\s+to|over\s+to)|move\s+(?:to|over\s+to)|
             migrate\s+to|stay\s+(?:with|on)|standardi[sz]e\s+on|adopt|drop|rewrite|go\s+back\s+to|
             not\s+use|never|always|only\s+use)\b
      | \bwe(?:{_APOS}ll|\s+will|\s+are\s+going\s+to|{_APOS}re\s+going\s+to|\s+should|\s+shall)\s+
            (?:only\s+|always\s+|now\s+)?
            (?:use|go\s+with|stick\s+(?:with|to)|switch\s+to|migrate\s+to|move\s+to|rewrite|
             standardi[sz]e\s+on|adopt|keep\s+using|drop|deprecate|support\s+only)\b
      | \bwe(?:{_APOS}ve|\s+have)?\s+(?:decided|chosen|settled\s+on|agreed\s+(?:on|to|that))\b
      | \b(?:the\s+)?decision\s+(?:is|was)\b|^decision\s*:
      | \bwe\s+(?:chose|picked|went\s+with)\b
      | \bwe(?:{_APOS}ve|\s+have)?\s+(?:switched|moved|migrated)\s+(?:from\s+\S+(?:\s+\S+)?\s+)?to\b
      | {_CLAUSE_START}go\s+with\s+\w
      | \b(?:rewrite|port|migrate|convert|switch)\s+(?:this|it|the\s+(?:whole\s+)?\w+|everything|
            all)(?:\s+\w+)?\s+(?:in|to|into|over\s+to)\s+[\w.+#-]+"""
)
_KEEP_GOING = _re(
    r"""let['\u2019]?s\s+keep\s+(?:going|trying|it\s+up|at\s+it|it\s+simple\s+for\s+now)
      | \bkeep\b.{0,40}\b(?:where\s+(?:it|they)\s+(?:is|are)|as\s+(?:it\s+)?is|the\s+same|
          unchanged)"""
)
_ANAPHORIC = _re(
    r"""^\W*(?:option\s*\S+|choice\s*\S+|(?:the\s+)?(?:first|second|third|last|latter|former|other|
        previous)\b|that\b|this\s*$|this\s+(?:one|approach|version|way)\b|it\b|yours\b|
        your\s+(?:suggestion|approach|plan|version|idea|proposal|way)\b)"""
)
"""The object of a decision that means nothing out of its conversation ("go with option 2")."""


@rule(
    "decision",
    Kind.DECISION,
    0.65,
    "let|we|decision|with|rewrite|port|migrate|convert|switch",
    needs="<let|<we>|<decision>|<go with>|<rewrite>|<port>|<migrate>|<convert>|<switch>",
)
def decision(sentence: Sentence, context: Context) -> Hit | None:
    """A choice that settles a question: "let's use X", "we will rewrite it in Y", "go with"."""
    if _KEEP_GOING.search(sentence.body):
        return None
    match = _DECISION.search(sentence.body)
    if match and _ANAPHORIC.match(sentence.body[match.end() :]):
        return None
    return _hit(match)


_PREFERENCE = _re(
    rf"""\b(?:I|we)\s+(?:really\s+|strongly\s+|much\s+|do\s+|absolutely\s+|truly\s+|generally\s+|
            usually\s+|always\s+)?
            (?P<verb>prefer|like|love|hate|dislike|detest|can{_APOS}t\s+stand|{_DONT}\s+like|
             {_DONT}\s+want\s+(?!you\s+to\b))\b
      | \bI{_APOS}d\s+(?:much\s+)?rather\b|\bI\s+would\s+(?:much\s+)?(?:rather|prefer)\b
      | \bmy\s+(?:strong\s+)?preference\s+is\b
      | \bI\s+(?:always|usually|generally|normally)\s+(?:want|use|need|write|go\s+with)\b
      | \b(?:is|are)\s+(?:much\s+)?(?:better|nicer|cleaner)\s+than\b"""
)
_PRAISE = _re(
    r"^\s*(?:it|this|that|how\s+you|the\s+way\s+you|what\s+you|your|the\s+(?:new|current|result))\b"
)


@rule(
    "preference",
    Kind.PREFERENCE,
    0.65,
    "prefer|like|love|hate|dislike|detest|stand|want|rather|better|nicer|cleaner|always|"
    "usually|generally|normally",
    needs="<prefer>|<like>|<love>|<hate>|<dislike>|<detest>|<stand>|<want>|<rather>|"
    "<preference>|<always>|<usually>|<generally>|<normally>|<better than>|<nicer than>|"
    "<cleaner than>",
)
def preference(sentence: Sentence, context: Context) -> Hit | None:
    """How the person likes things done: "I prefer X", "I hate .sh tests", "I'd rather"."""
    match = _PREFERENCE.search(sentence.body)
    if not match:
        return None
    rest = sentence.body[match.end() :]
    if _TRIVIAL.match(rest) or len(re.findall(r"\w+", rest)) < 1:
        return None
    verb = (match.group("verb") or "").lower()
    if verb in {"like", "love"} and _PRAISE.match(rest):
        return None  # "I like it", "I love how you did that": praise, not a preference
    return _hit(match)


_CONTRAST = _re(
    r"""\b(?:use|using|used|prefer|want|choose|pick)\s+(?P<x>[^,;.]{1,60}?)\s*,?\s+
            (?:not|instead\s+of|rather\s+than|over)\s+\S
      | \b(?:use|using)\s+\S+(?:\s+\S+)?\s+not\s+\S
      | ^(?!(?:I|you|we|it|they|he|she|this|that|the|there|these|those|its|is|are|was|were)\b)
            [a-z]\w*\b[^,;]{1,60},\s*not\s+\S
      | (?:^|,\s*)not\s+[^,;]{1,40},?\s+but\s+\S
      | \b(?:instead\s+of|rather\s+than)\s+(?:using\s+)?\S+"""
)


@rule(
    "contrast",
    Kind.PREFERENCE,
    0.6,
    "not|instead|rather|over",
    needs="<not>|<instead of>|<rather than>|<over>",
)
def contrast(sentence: Sentence, context: Context) -> Hit | None:
    """One thing over another: "use X instead of Y", "X, not Y", "not X but Y"."""
    match = _CONTRAST.search(sentence.body)
    if not match:
        return None
    if context.challenged or sentence.opener.strip().startswith("no"):
        return _hit(match, Kind.CORRECTION, 0.1)
    return _hit(match)


_EXCLUSIVE = _re(
    r"""\b(?:use|used|using|uses|rely\s+on|stick\s+to)\b[^.;]{0,60}?\b(?:only|exclusively|solely)\b
      | \b(?:only|exclusively|solely|strictly)\s+(?:use|using|used)\b
      | \b(?:should|must|shall)\s+be\s+used\s+(?:exclusively|only|solely)\b
      | \buse\s+(?:the\s+)?(?:exact|pinned|same)\s+(?:\w+\s+)?versions?\b
      | \bwe['\u2019]?(?:re|\s+are)\s+(?:using|on|writing(?:\s+in)?)\s+[\w.+#/-]+\s+only\b"""
)


@rule(
    "exclusive_use",
    Kind.RULE,
    0.6,
    "only|exclusive|solely|strictly|exact|pinned|same",
    needs="<only>|<exclusively>|<solely>|<strictly>|<exact>|<pinned>|<same>",
)
def exclusive_use(sentence: Sentence, context: Context) -> Hit | None:
    """A restriction to one thing: "we are using TypeScript only", "use X exclusively"."""
    match = _EXCLUSIVE.search(sentence.body)
    if match and context.challenged:
        return _hit(match, Kind.CORRECTION, 0.15)
    return _hit(match)


_PROCEDURE = _re(
    rf"""^(?:to|how\s+to)\s+(?:\w+\s+){{0,4}}?\w+\s*:\s*\S
      | ^(?:before|after|once|whenever)\s+[^,]{{2,60}},\s*(?:always\s+|please\s+|first\s+)?
            (?:run|do|execute|call|check|update|bump|format|lint|test|build|rebuild|regenerate|
             commit|push|ask|make\s+sure|ensure|verify)\b
      | \b(?:run|execute|call|check|update|bump|format|lint|test|build|rebuild|regenerate|
            verify|restart)\b.{{2,120}}?\b(?:before|after|once|whenever)\s+
            (?:each\s+|every\s+|any\s+)?
            (?:committing|pushing|merging|deploying|releasing|publishing|change|commit|
             you{_APOS}(?:re|\s+are|\s+have|ve)?\s+(?:done|finish\w*|made)|making|changing|editing|
             opening|starting|finishing)\b
      | \b(?:you|we)\s+(?:have\s+to|need\s+to|must|should|gotta|always)\s+(?:first\s+)?\w+
            \b.{{1,80}}?\bbefore\b
      | \b(?:the\s+)?(?:build|test|lint|deploy|start|run|dev|format|release)\s+(?:command|script)
            \s+is\b
      | ^first\s+[^,]{{3,80}},?\s+then\s+\w"""
)


@rule(
    "procedure",
    Kind.PROCEDURE,
    0.65,
    ":|before|after|once|whenever|command|script|first",
    needs=":|<before>|<after>|<once>|<whenever>|<command>|<script>|<first>",
)
def procedure(sentence: Sentence, context: Context) -> Hit | None:
    """How to do a recurring task: "to deploy: ...", "run the linter before committing"."""
    return _hit(_PROCEDURE.search(sentence.body))


_NOT_VERB = r"""(?:the|a|an|same|so|this|that|these|those|been|was|were|is|are|works?|worked|
    happens?|happened|fails?|failed|gets?|got|seems?|the\s+same|again|ever)\b"""
"""What follows "always"/"never" when it describes ("it always fails") rather than directs."""
_IMPERATIVE = _re(
    rf"""{_CLAUSE_START}(?:you\s+)?(?:should\s+)?
        (?P<strong>(?:always|never)\s+(?!{_NOT_VERB})|(?:{_DONT}|dont|must(?:\s+not)?|mustn{_APOS}t|
         shall\s+not|avoid|stop\s+\w+ing|no\s+more)\s+)\w
      | {_CLAUSE_START}(?:we|I|they)\s+(?:should\s+)?(?:always|never)\s+{_ACTION}\b
      | {_CLAUSE_START}(?P<weak>make\s+sure|ensure|be\s+sure)\s+(?:to\s+|that\s+)?(?:you\s+)?
        (?:always|never|{_DONT}|dont|only|use|run|keep|follow|stick|check|ask)\b
      | \b(?P<must>must|mustn{_APOS}t|shall\s+not|should\s+(?:always|never|only)|
         should\s+not|shouldn{_APOS}t|(?:is|are)\s+(?:mandatory|forbidden|prohibited))\b"""
)
_NOT_DIRECTIVE = _re(
    rf"""^(?:{_DONT}|dont)\s+
        (?:worry|bother|know|understand|think|see|get|mind|care|remember|forget)\b
      | ^never\s?mind\b"""
)


@rule(
    "imperative",
    Kind.RULE,
    0.7,
    "always|never|don|do not|must|shall|avoid|stop|no more|sure|should|"
    "mandatory|forbidden|prohibited",
    needs="<always>|<never>|<don|<do not>|<must|<shall not>|<avoid>|<stop>|<no more>|<sure>|"
    "<ensure>|<should|<mandatory>|<forbidden>|<prohibited>",
)
def imperative(sentence: Sentence, context: Context) -> Hit | None:
    """A standing instruction: "always/never/don't/do not/must/make sure/stop doing" X."""
    match = _IMPERATIVE.search(sentence.body)
    if not match or _NOT_DIRECTIVE.search(sentence.body[match.start() :].lstrip(" ,;:(-")):
        return None
    if match.group("weak"):
        return _hit(match, bonus=-0.15)
    if match.group("must") and re.search(r"\bshould", match.group("must"), re.I):
        return _hit(match, bonus=-0.1)
    return _hit(match)


_PRONOUN = r"(?:I|we|you|it|this|that|they|he|she|let['\u2019]?s|lets|there|what|which|who)\b"
_CONVENTION = _re(
    rf"""^(?!{_PRONOUN})(?:all\s+|the\s+|our\s+|every\s+|each\s+)?
        [\w./@*-]+(?:\s+[\w./@*-]+){{0,3}}?\s+
        (?:should|must|need\s+to|needs\s+to)\s+(?:always\s+)?
        (?:follow|use|be\s+written\s+in|be\s+named|be\s+called|be\s+prefixed|be\s+suffixed|
         start\s+with|end\s+with)\b
      | ^(?!{_PRONOUN})(?:all\s+|the\s+|our\s+)?[\w./@*-]+(?:\s+[\w./@*-]+){{0,3}}?\s+
        (?:(?:should|must|needs?\s+to)\s+(?:always\s+)?)?
        (?:(?:go|goes|stay|be\s+placed)\s+(?:in|into|under|inside|next\s+to|alongside)\s+
            (?:the\s+)?(?:\S*[/._]\S*|\w+\s+(?:folder|directory|dir|file|module|package))
         |(?:belongs?|live|lives|be\s+kept|be\s+stored)\s+
            (?:in|into|under|inside|next\s+to|alongside|beside|with)\s+\S)
      | \b(?:use|name|write|format|keep)\b.{{0,60}}\b(?:snake_case|camelCase|PascalCase|kebab-case|
         SCREAMING_SNAKE_CASE|UPPER_CASE|lower_case|title\s+case)\b
      | \b(?:keep|limit|cap)\b.{{0,40}}\b(?:under|below|at\s+most|within|to|no\s+more\s+than|
         less\s+than|fewer\s+than)\s+\d+\s*(?:lines|chars|characters|words|files|seconds|ms|
         minutes|MB|KB|columns|cols|params|parameters|arguments|args|levels|items)\b
      | ^no\s+(?!(?:need|problem|worries|idea|way|luck|change|changes|difference|errors?|issues?|
         output|response|results?|one|more\s+time|longer|matter)\b)[\w.-]+(?:\s+[\w.-]+)?\s+
         (?:in|on|inside|anywhere|at\s+all)\b
      | ^(?:put|keep|store|place|name|prefix|suffix)\s+(?:all|every|each|any)\s+\w+"""
)


@rule(
    "convention",
    Kind.RULE,
    0.5,
    "should|must|need|go|belong|live|stay|kept|stored|placed|case|keep|limit|cap|no |"
    "put|store|place|name|prefix|suffix",
    needs="<should>|<must>|<need|<go>|<goes>|<stay>|<placed>|<belong|<live|<kept>|<stored>|"
    "<snake_case>|<camelcase>|<pascalcase>|<kebab-case>|<screaming_snake_case>|<upper_case>|"
    "<lower_case>|<title case>|<keep>|<limit>|<cap>|<no>|<put>|<store>|<place>|<name>|<prefix>|"
    "<suffix>",
)
def convention(sentence: Sentence, context: Context) -> Hit | None:
    """A project convention: "X should follow Y", "tests go in Z", "snake_case", size limits."""
    return _hit(_CONVENTION.search(sentence.body))


_CONDITIONAL = _re(
    rf"""^(?:(?:if|whenever|in\s+case|every\s+time|each\s+time|any\s*time)\s+
          (?!(?:that|this|it|so|not)\b)|when\s+you\s+)
        (?P<condition>[^,]{{3,120}}?)(?:,|\s+-+\s+|\s+then\s+)\s*(?:then\s+)?
        (?:simply\s+|just\s+|please\s+|always\s+|immediately\s+|first\s+)?
        (?:{_ACTION}|{_DONT}|never|always)\b"""
)


@rule(
    "conditional",
    Kind.RULE,
    0.55,
    "if|when|in case|every|each|any",
    needs="<if>|<whenever>|<in case>|<every time>|<each time>|<any|<when you>",
)
def conditional(sentence: Sentence, context: Context) -> Hit | None:
    """A standing "if/whenever this happens, do that" instruction."""
    return _hit(_CONDITIONAL.search(sentence.body))


_TRIGGER = _re(
    r"""^(?:on|for|after|before|with)\s+(?:each|every|all|any)\s+[^,]{2,60},\s*
        (?:we\s+(?:want|need|should|will|must)|you\s+(?:should|must|need)|always|never|
         (?:it|this|that)\s+(?:should|must|needs))\b"""
)


@rule(
    "standing_trigger",
    Kind.DECISION,
    0.55,
    "each|every|all|any",
    needs="<each>|<every>|<all>|<any>",
)
def standing_trigger(sentence: Sentence, context: Context) -> Hit | None:
    """What happens every time: "on each start command, we want to create a new session"."""
    return _hit(_TRIGGER.search(sentence.body))


_FACT_PLACE = _re(
    r"""\b(?:lives?|runs?|sits?|resides?|(?:is|are)\s+(?:hosted|deployed|stored|kept|located|
            running|served|configured|defined|set|managed|installed|generated|built|bundled|
            compiled|published|tracked|maintained|documented)|(?:is|are)\s+set\s+up)
        \s+(?:on|in|at|under|behind|via|through|inside|from|with|by|using)\s+(?:the\s+|a\s+|our\s+)?
        (?!the\s+background|background|the\s+browser|a\s+loop|parallel)\S"""
)
_FACT_IS = _re(
    r"""\b(?:the\s+|our\s+)?(?:api|server|backend|frontend|database|db|app|site|service|docs|
            staging|production|prod|repo|endpoint|base\s+url|url|port|host|token|key|bucket|
            config|logs?|env(?:ironment)?\s+(?:vars?|variables?))\s+(?:is|are|lives?|runs?)\s+
            (?:at|on|in|under)?\s*(?P<where>\S*(?:[/:@]|\.\w{2,}|\d{2,})\S*)
      | \b(?:is|are)\s+\$[A-Z_][A-Z0-9_]+\b
      | \b(?:port|url|host|endpoint|path|base\s+url)\s+(?:is|=)\s+\S*[/:\d]\S*"""
)
_FACT_ACCOUNT = _re(
    r"""\b(?:via|with|under|using|in|on|from|by|belongs?\s+to)\s+(?:a|an|the|two|its|their)\s+
        (?:different|separate|another|other|personal|work|company|team|shared|own)\s+
        (?:google\s+|gmail\s+|github\s+|aws\s+|cloud\s+)?
        (?:accounts?|gmail|emails?|users?|org|organi[sz]ations?|projects?|tenants?|subscriptions?|
         workspaces?|service\s+accounts?|logins?|credentials)\b"""
)
_FACT_USAGE = _re(
    rf"""\b(?:we|I)(?:{_APOS}m|\s+am|\s+are|{_APOS}re)?\s+(?:use|using)\s+(?:\S+\s+){{1,4}}?
        for\s+(?!now\b|a\s+(?:bit|while|moment)\b|testing\s+this\b)\w
      | \b(?:is|are)\s+(?:only\s+)?used\s+(?:for|to)\s+\w"""
)


_FACT_ENV = _re(
    r"""\b(?:I['\u2019]?m|I\s+am|we['\u2019]?re|we\s+are|I|we)\s+
        (?:on|using|running|work\s+on|develop\s+on)\s+
        (?:a\s+|an\s+)?(?:Windows|macOS|mac|Linux|WSL\d?|Ubuntu|Debian|Fedora|Arch|NixOS|
         M[1-4]\s+Mac|Apple\s+Silicon|ARM(?:64)?|PowerShell|zsh|fish|bash)\b"""
)
_SYMPTOM = _re(
    r"""\b(?:but|though|although|yet|and\s+then)\b.*\b(?:not|\w+n['\u2019]?t|no|never|fails?|
        failing|broken|errors?|blank|empty|crash\w*|disappears?|missing|wrong|hangs?|stuck|cannot|
        too\s+(?:often|slow|many|much|long)|slow)\b"""
)
"""A bug report's turn: "the server runs on :3000 but the page is blank" states no fact."""


_PLACE_PREPOSITIONS = (
    " on>| in>| at>| under>| behind>| via>| through>| inside>| from>| with>| by>| using>"
)
_FACTS = (
    (
        _FACT_ENV,
        "win|mac|linux|wsl|ubuntu|debian|fedora|arch|nix|apple|arm|powershell|zsh|fish|bash",
        "<windows>|<macos>|<mac>|<linux>|<wsl|<ubuntu>|<debian>|<fedora>|<arch>|<nixos>|"
        "<apple silicon>|<arm|<powershell>|<zsh>|<fish>|<bash>",
    ),
    (
        _FACT_PLACE,
        "live|run|sit|resid|is |are ",
        _each(
            "<live|<lives|<run|<runs|<sit|<sits|<reside|<resides|<hosted|<deployed|<stored|<kept|"
            "<located|<running|<served|<configured|<defined|<set|<managed|<installed|<generated|"
            "<built|<bundled|<compiled|<published|<tracked|<maintained|<documented|<set up",
            _PLACE_PREPOSITIONS,
        ),
    ),
    (
        _FACT_IS,
        "$|port|url|host|path|api|server|end|database|db|app|site|service|docs|staging|prod|repo|"
        "token|key|bucket|config|log|env",
        _each(
            "<api|<server|<backend|<frontend|<database|<db|<app|<site|<service|<docs|<staging|"
            "<production|<prod|<repo|<endpoint|<base url|<url|<port|<host|<token|<key|<bucket|"
            "<config|<log|<logs",
            " is>| are>| live| run",
        )
        + "|<env var|<environment var|<is $|<are $|"
        + _each("<port|<url|<host|<endpoint|<path|<base url", " is>| ="),
    ),
    (
        _FACT_ACCOUNT,
        "differ|separate|another|other|personal|work|company|team|shared|own",
        _each(
            "<a|<an|<the|<two|<its|<their",
            " different>| separate>| another>| other>| personal>| work>| company>| team>|"
            " shared>| own>",
        ),
    ),
    (
        _FACT_USAGE,
        "use",
        _each(
            "<we|<we'm|<wem|<we am|<we are|<we're|<were|<i|<i'm|<im|<i am|<i are|<i're|<ire",
            " use>| using>",
        )
        + "|<used for>|<used to>",
    ),
)
"""Each kind of fact with the pieces of words it needs, and its placed pieces (Rule.needs)."""
_FACT_GATES = [
    (pattern, _gate(tuple(gate.split("|"))), placed(needs.split("|")))
    for pattern, gate, needs in _FACTS
]


@rule(
    "fact",
    Kind.FACT,
    0.55,
    "|".join(gate for _, gate, _ in _FACTS),
    needs="|".join(needs for _, _, needs in _FACTS),
)
def fact(sentence: Sentence, context: Context) -> Hit | None:
    """A durable fact: "X lives in / runs on / is at", "the API is ...", "we use X for Y"."""
    match = None
    lower = sentence.lower
    ascii = lower.isascii()
    for pattern, gate, needs in _FACT_GATES:
        if ascii and needs is not None and not needs.search(lower):
            continue
        if gate is not None and gate.search(lower):
            match = pattern.search(sentence.body)
            if match:
                break
    if match is None or _SYMPTOM.search(sentence.body):
        return None
    return _hit(match)


_YOURSELF = _re(
    r"""^(?!(?:I|you|we|it|they|he|she|this|that|the|there|what|who)\b)[a-z]\w*\b[^.]{0,80}?
        \byourself\b
      | \byou\s+(?:can|should|could|need\s+to|may|are\s+allowed\s+to)\s+\w+[^.]{0,60}?
        \byourself\b"""
)


@rule(
    "yourself",
    Kind.RULE,
    0.5,
    "yourself",
    needs="<yourself>",
)
def yourself(sentence: Sentence, context: Context) -> Hit | None:
    """Do it without asking the person: "request access to the files yourself"."""
    if _NOT_DIRECTIVE.search(sentence.body):
        return None
    return _hit(_YOURSELF.search(sentence.body))


_RUSSIAN = _re(
    r"""^(?:и\s+|а\s+|но\s+|пожалуйста,?\s+)?
        (?:(?P<self>сам[аи]?)\s+[а-яё]+
         |всегда\s+[а-яё]+|никогда\s+(?:не\s+)?[а-яё]+|не\s+(?:надо|нужно|смей)\s+[а-яё]+
         |запомни\w*|обязательно\s+[а-яё]+|используй\w*\s+\S+\s+вместо|впредь|отныне|
         с\s+этого\s+момента|больше\s+никогда
         |(?P<dont>не\s+(?!очень\b|только\b|совсем\b|всегда\b|сразу\b|туда\b|сюда\b)
            [а-яё]{2,}(?:[аяеу]й|[аяеу]йте|[иь]|ите|ьте|[аяеу]йся|ись|ься))\s+\S
         |(?P<pref>(?:я\s+)?(?:предпочитаю|предпочитаем)|мне\s+(?:больше\s+)?нравится)\s+\S)"""
)
"""Russian cues at the start of a sentence. `dont` is a negated imperative ("не трогай",
"не запускайте"): its verb ends as imperatives do, which "не знаю", "не работает" do not."""


@rule("russian", Kind.RULE, 0.55, ascii=False)
def russian(sentence: Sentence, context: Context) -> Hit | None:
    """Russian cues: "всегда/никогда/не надо/не трогай/запомни/впредь/предпочитаю", "сам"."""
    match = _RUSSIAN.search(sentence.body)
    if match and match.group("self"):
        return _hit(match, Kind.CORRECTION)
    if match and match.group("pref"):
        return _hit(match, Kind.PREFERENCE)
    return _hit(match)


_CHINESE = re.compile(
    r"^(?:请)?(?:总是|始终|永远|一律|务必|必须|不要|别再?|禁止|记住|记得|以后|今后|从现在开始|"
    r"请勿|切勿|千万(?:不要|别)|不许|不准|一定要)"
)


@rule("chinese", Kind.RULE, 0.55, ascii=False)
def chinese(sentence: Sentence, context: Context) -> Hit | None:
    """Chinese cues: "总是/永远/不要/别/必须/记住/以后" at the start of a sentence."""
    return _hit(_CHINESE.search(sentence.body))


# --- helpers for rules that look at other rules ----------------------------------------------


def _kind_of_rest(sentence: Sentence, context: Context) -> Kind | None:
    """The kind another rule would give the sentence (an "explicit" one says only "keep it")."""
    for other in RULES:
        if other.name == "explicit":
            continue
        hit = other.detect(sentence, context)
        if hit:
            return hit.kind or other.kind
    return None
