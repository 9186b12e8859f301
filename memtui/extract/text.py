# ruff: noqa: RUF001  (the Cyrillic and CJK fillers are meant)
"""Sentence hygiene: split a message into sentences, drop what cannot be a memory, and turn a
sentence into the text of a proposal.

Everything here keeps offsets into the message, so a quote is always an exact excerpt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from memtui.core.models import Scope
from memtui.extract.cues import any_of

MAX_SENTENCE_CHARS = 400
"""A longer "sentence" is a paste, not something the person said."""
MAX_TEXT_CHARS = 160
"""A proposal text longer than this is cut down to the clauses around the cue."""
MAX_QUOTE_CHARS = 120


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a message, with where it is in the message's text."""

    raw: str
    """The sentence as written (an exact slice of the message text)."""
    start: int
    """Offset of `raw` in the message text."""
    body: str
    """`raw` without its leading fillers and list marker: what the rules read. Always a
    slice of `raw`, ending where `raw` ends."""
    body_start: int
    """Offset of `body` in the message text."""
    opener: str
    """The fillers stripped from the front, lowercased ("no, " or "ok so "), or ""."""
    lower: str
    """`body` lowercased, for the rules' quick word tests."""

    @property
    def question(self) -> bool:
        """Whether the sentence asks something rather than states it."""
        raw = self.raw
        asks = ("?" in raw or "\uff1f" in raw) and _QUESTION_END.search(raw)
        return bool(asks or _QUESTION_START.match(self.body))


# --- lines that are not prose ----------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*\u2022+]|\d{1,3}[.)]|[a-zA-Z][.)](?=\s))\s+")
_CODE_LINE = re.compile(
    r"""^\s*(?:
        import\s+[\w{*].*(?:\bfrom\s+['"]|;\s*$)
      | import\s+[\w.]+\s*$
      | from\s+[\w.]+\s+import\s
      | (?:export\s+)?(?:const|let|var)\s+\w+\s*[=:]
      | (?:export\s+)?(?:async\s+)?(?:def|function|func|fn)\s+\w+\s*\(
      | (?:export\s+)?class\s+\w+\s*[(:{<]
      | (?:public|private|protected|internal)\s+(?:static\s+)?[\w<>\[\],]+\s+\w+\s*[({;=]
      | \#(?:include|define|pragma)\b
      | return\b.*;\s*$
      | [}\])];?,?\s*$
      | .*[;{]\s*$
      | (?:\$|>>>|PS\s+\S*>|C:\\)\s
      | \w+\s*=\s*\S+\s*$
    )""",
    re.VERBOSE,
)
_LOG_LINE = re.compile(
    r"""^\s*(?:
        \[?\d{4}-\d{2}-\d{2}[T\s]\d{1,2}:\d{2}
      | \[?\d{1,2}:\d{2}:\d{2}
      | at\s+\S+\s+\(.*\)\s*$
      | at\s+\S+:\d+
      | File\s+".*",\s+line\s+\d+
      | Traceback\b
      | (?:\w+\.)*\w*(?:Error|Exception|Warning)\b\s*:
      | (?:ERROR|WARN(?:ING)?|INFO|DEBUG|TRACE|FATAL)\b
      | \[(?:ERROR|WARN(?:ING)?|INFO|DEBUG)\]
      | [\u2714\u2713\u2717\u2718\u00d7\u276f\u279c\u2192]
      | \d+\s+(?:passing|failing|passed|failed|pending)\b
      | (?:npm|pnpm|yarn)\s+(?:ERR|WARN)
      | [\u2502\u251c\u2514\u250c\u2510\u2518\u252c\u2534\u253c\u2500]
    )""",
    re.VERBOSE,
)
_SYMBOLS = set("{}[]()<>=;|\\$`")
_SYMBOL = re.compile("[" + re.escape("".join(sorted(_SYMBOLS))) + "]")


def _is_prose(line: str) -> bool:
    """Whether a line may hold something the person said (not code, a log or a table)."""
    stripped = line.strip()
    if not stripped or stripped.startswith((">", "|")):
        return False
    if line.startswith(("    ", "\t")) and not _LIST_MARKER.match(line):
        return False
    if _CODE_LINE.match(stripped) or _LOG_LINE.match(stripped):
        return False
    symbols = len(_SYMBOL.findall(stripped))  # counted in C, not char by char
    return symbols <= max(2, len(stripped) * 0.12)


# --- splitting into sentences ----------------------------------------------------------------

_BOUNDARY_START = r"(?:(?=\s)|(?<=[\u3002\uff01\uff1f\uff1b]))"
"""Where each of _BOUNDARY's forms starts (keep the two in step): at white space, or right
after a CJK full stop; looked for first, so the forms are not tried at every position."""
_BOUNDARY = re.compile(
    _BOUNDARY_START
    + r"""(?:
        (?<=[.!?\u2026])\s+
      | (?<=[\u3002\uff01\uff1f\uff1b])\s*
      | (?<=;)\s+
      | \s+-{2,}\s+
      | \s+[\u2014\u2013]\s+
      | (?<=[a-z0-9)])\s+(?=(?:First|Then|Also|Next|Finally|Afterwards|Lets|Let's|Please)\b)
    )""",
    re.VERBOSE,
)
_MAY_SPLIT = re.compile(
    "[.!?;\u2026\u3002\uff01\uff1f\uff1b\u2014\u2013]|--"
    "|First|Then|Also|Next|Finally|Afterwards|Lets|Let's|Please"
)
"""Something each of _BOUNDARY's forms needs (keep the two in step): a line without any of
these is one sentence, and is not scanned for boundaries at every position."""
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|vs|cf|approx|incl|no|mr|dr|st)\.$", re.I)
_ABBREVIATION_SPAN = len("approx.")
"""The longest text _ABBREVIATION matches: it ends where the text before a boundary ends, so it
is looked for in that many characters only (`\b` still sees the character before them), not
in the whole line before each boundary."""
_FILLER = re.compile(
    r"""^(?:(?:
        ok(?:ay)?|so|also|and|but|plus|please|pls|plz|btw|oh|well|actually|alright(?:y)?|
        yeah|yes|yep|hey|hi|hello|yo|wait|hmm+|anyway(?:s)?|bro|man|dude|sorry|lol|great|
        perfect|nice|cool|awesome|thanks|thank\s+you|one\s+more\s+thing|
        a\s+(?:couple|few)\s+(?:of\s+)?things|another\s+thing|first\s+of\s+all|first\s+off|
        (?:it\s+)?turns\s+out|by\s+the\s+way|in\s+any\s+case|now|then|just|again|
        never\s?mind|nvm|hold\s+on|good|fine|right|sure|
        (?:no|nope|nah|wrong|incorrect|not\s+quite)(?=\s*[,.!:;-])|
        ну|а|и|но|так|короче|кстати|слушай|пожалуйста|плиз|ок|окей|ладно|да|смотри
    )\b[\s,.!:;-]*)+""",
    re.VERBOSE | re.IGNORECASE,
)
_CJK_FILLER = re.compile(r"^(?:(?:另外|还有|然后|那么|对了|好的|嗯+|请(?!勿))[\s，,、：:]*)+")
"""Chinese lead-ins ("also", "then", "please"): a separate pattern, as CJK has no word break."""
_QUESTION_END = re.compile(r"[?\uff1f]\s*$|[?\uff1f]\s")
_QUESTION_START = re.compile(
    r"""^(?:can|could|would|will|shall|do|does|did|is|are|was|were|have|has|should)\s+
          (?:you|we|i|it|this|that|there|they)\b
      | ^(?:how|what|why|where|who|which|whose)\b(?!\s+ever)""",
    re.VERBOSE | re.IGNORECASE,
)
_FILE_LINE = re.compile(r"\w\.\w{1,5}:\d+\b")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_WORD = re.compile(r"\w+")


def sentences(text: str) -> Iterator[Sentence]:
    """The prose sentences of a message, skipping code, logs, quotes and tables."""
    offset = 0
    fenced = False
    for line in text.splitlines(keepends=True):
        line_start = offset
        offset += len(line)
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not _is_prose(line):
            continue
        content = line.rstrip("\r\n")
        marker = _LIST_MARKER.match(content)
        begin = marker.end() if marker else len(content) - len(content.lstrip())
        position = begin
        boundaries = [
            b
            for b in (_BOUNDARY.finditer(content, begin) if _MAY_SPLIT.search(content) else ())
            if not _ABBREVIATION.search(content, max(0, b.start() - _ABBREVIATION_SPAN), b.start())
        ]
        for boundary in [*boundaries, None]:
            end = boundary.start() if boundary else len(content)
            sentence = _sentence(content, position, end, line_start)
            if sentence is not None:
                yield sentence
            if boundary:
                position = boundary.end()


def _sentence(line: str, start: int, end: int, line_start: int) -> Sentence | None:
    raw = line[start:end].rstrip()
    lead = len(raw) - len(raw.lstrip())
    raw = raw.strip()
    if not raw:
        return None
    start += lead
    filler = _FILLER.match(raw)
    cut = filler.end() if filler else 0
    cjk_filler = None if raw.isascii() else _CJK_FILLER.match(raw, cut)  # CJK is not ASCII
    if cjk_filler and cjk_filler.end() < len(raw):
        cut = cjk_filler.end()
    return Sentence(
        raw=raw,
        start=line_start + start,
        body=raw[cut:],
        body_start=line_start + start + cut,
        opener=raw[:cut].lower(),
        lower=raw[cut:].lower(),
    )


def substantial(sentence: Sentence) -> bool:
    """Whether a sentence is long enough, short enough and written by a person."""
    body = sentence.body
    if len(sentence.raw) > MAX_SENTENCE_CHARS:
        return False
    if "**" in body or (":" in body and _FILE_LINE.search(body)):
        return False  # markdown emphasis, `file.ext:123`: the agent's writing, pasted back
    cjk = 0 if body.isascii() else len(_CJK.findall(body))
    if cjk:
        return cjk + len(re.findall(r"[A-Za-z0-9_]+", body)) >= 4
    return len(body) >= 10 and len(_WORD.findall(body)) >= 3


# --- scope -----------------------------------------------------------------------------------

_GLOBAL = re.compile(
    r"""\b(?:
        (?:in|for|across|on)\s+(?:all|every|each|any)\s+(?:of\s+)?(?:my\s+|our\s+)?
            (?:projects?|repos?|repositories|codebases?|workspaces?)
      | (?:in|for)\s+every\s+(?:single\s+)?(?:project|repo|repository|codebase)
      | across\s+(?:all\s+)?(?:my\s+|our\s+)?(?:projects|repos|repositories|codebases)
      | always,?\s+everywhere
      | everywhere\s+(?:I|we)\s+(?:work|code)
      | no\s+matter\s+(?:the|which|what)\s+(?:project|repo)
      | globally
      | (?:as\s+a\s+)?global\s+(?:rule|preference|default|setting)
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)


def scope_of(sentence: str) -> Scope:
    """GLOBAL when the person says the statement holds everywhere, else PROJECT."""
    return Scope.GLOBAL if _GLOBAL.search(sentence) else Scope.PROJECT


# --- the text of a proposal ------------------------------------------------------------------

_CLAUSE = re.compile(
    r",\s+|;\s+|:\s+|\s+-\s+|\s+(?=(?:so|but|because|since|which|and\s+then|then)\s)", re.I
)
_TRAILING_START = r"(?=[\s,;:\uff0c\uff1b\uff1a\u3001\u8c22\u591a<x^!.\u2026])"
"""The first character of each of _TRAILING's forms (keep the two in step): looked for first,
so the forms are tried only where one of these stands, not at every position of the text."""
_TRAILING = re.compile(
    _TRAILING_START
    + r"""(?:[\s,;:\uff0c\uff1b\uff1a\u3001]
      | (?<=\s)(?:please|pls|plz|thanks|thank\s+you|thx|lol|etc|and\s+so\s+on|for\s+me|ok|okay|
           пожалуйста|спасибо|плиз)\b(?:\.(?!\.))?
      | 谢谢|谢啦|多谢
      | <3|:-?\)|:-?D|;-?\)|:-?P|xD|\^\^|!|\u2026
      | \.(?=\.)|(?<=\.)\.(?!\.))+$""",
    re.VERBOSE | re.IGNORECASE,
)
"""What may trail a statement without belonging to it: separators, politeness, emoticons,
exclamation marks and ellipses, in any sequence. Each form takes one step (one separator, one
`!`, one dot of a run of dots): with repeats inside the repeated group, a long run of `!` or `,`
followed by more words made the engine backtrack exponentially (seconds for 24 `!`)."""
_INNER_PLEASE = re.compile(r"^please\s+|(?<=[,;]\s)please\s+", re.IGNORECASE)
_LONE_I = re.compile(r"(?<![\w'\u2019./-])i(?=(?:['\u2019](?:m|d|ve|ll))?(?![\w'\u2019./-]))")
_CONTRACTIONS = {
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "cant": "can't",
    "shouldnt": "shouldn't",
    "wouldnt": "wouldn't",
    "lets": "let's",
    "im": "I'm",
    "ive": "I've",
}
_CONTRACTION = re.compile(r"\b(" + "|".join(_CONTRACTIONS) + r")\b", re.IGNORECASE)
_CONTRACTION_WORDS = frozenset(_CONTRACTIONS)
_LETTERS = re.compile("[a-z]+")
_LOWERCASE_TOOLS = frozenset(
    {
        "npm",
        "pnpm",
        "npx",
        "yarn",
        "bun",
        "node",
        "deno",
        "git",
        "gh",
        "uv",
        "uvx",
        "pip",
        "pipx",
        "poetry",
        "cargo",
        "rustup",
        "docker",
        "kubectl",
        "helm",
        "terraform",
        "pytest",
        "ruff",
        "mypy",
        "black",
        "eslint",
        "prettier",
        "tsc",
        "vite",
        "jest",
        "vitest",
        "mix",
        "iex",
        "rails",
        "bundle",
        "gem",
        "brew",
        "apt",
        "sudo",
        "curl",
        "wget",
        "ssh",
        "rsync",
        "make",
        "cmake",
        "go",
    }
)
"""Commands that stay lowercase at the start of a sentence ("npm run lint before pushing")."""
_SPACE = re.compile(r"\s+")
_UNEVEN_SPACE = re.compile(r"[^\S ]| \s")
"""A run of white space that _SPACE would change: one that is not a single plain space."""
_PLEASE = any_of(["please"])


def proposal_text(body: str, cue_start: int = 0, cue_end: int | None = None) -> str:
    """One tidy sentence from a sentence's body: fillers off, capitalised, a full stop.

    Only light normalisation: fillers and conversational lead-ins off (see `reword`),
    nothing added but the capital, an apostrophe in chat contractions ("dont"), a capital
    "I", the usual casing of well-known names and the full stop. A body longer than
    MAX_TEXT_CHARS is cut to the clauses around the cue (`cue_start`:`cue_end`).
    """
    text = body
    if len(text) > MAX_TEXT_CHARS:
        text = _around(text, cue_start, len(text) if cue_end is None else cue_end)
    if _UNEVEN_SPACE.search(text):
        text = _SPACE.sub(" ", text)
    text = text.strip()
    if _may_hold(_PLEASE, text):
        text = _INNER_PLEASE.sub("", text)
    text = _TRAILING.sub("", text)
    if _may_contract(text):
        text = _CONTRACTION.sub(_contraction, text)
    text = reword(text)
    text = _LONE_I.sub("I", text)
    text = _capitalise(text)
    text = text.rstrip("!\uff01")
    if text and text[-1] not in ".?\u3002\uff1f":
        text += "\u3002" if _CJK.search(text) else "."
    return text


def _may_contract(text: str) -> bool:
    """Whether _CONTRACTION may find a word in the text: in an ASCII text, each word it finds
    (ignoring case, between `\\b`s) is one of the runs of letters of the lowercased text."""
    return not text.isascii() or not _CONTRACTION_WORDS.isdisjoint(_LETTERS.findall(text.lower()))


def _contraction(match: re.Match[str]) -> str:
    word = match.group(1)
    fixed = _CONTRACTIONS[word.lower()]
    return fixed[0].upper() + fixed[1:] if word[0].isupper() else fixed


def _capitalise(text: str) -> str:
    first = text.split(" ", 1)[0].rstrip(",:;")
    letters = first.replace("'", "").replace("\u2019", "")
    if not letters.isalpha() or not first.islower() or first in _LOWERCASE_TOOLS:
        return text
    return text[0].upper() + text[1:]


_DANGLING = re.compile(
    r"(?:and\s+|but\s+|or\s+)?(?:when|whenever|if|while|because|since|as|so\s+that|unless|until)\b",
    re.IGNORECASE,
)


def _around(text: str, cue_start: int, cue_end: int) -> str:
    """The clauses of `text` that hold the cue, grown forward then backward while short."""
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text)]
    spans = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]
    first = next((i for i, (a, b) in enumerate(spans) if a <= cue_start < b), 0)
    last = next((i for i, (a, b) in enumerate(spans) if a < cue_end <= b), first)
    last = cue_last = max(last, first)
    while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= MAX_TEXT_CHARS:
        last += 1
    while last > cue_last and _DANGLING.match(text, spans[last][0]):
        last -= 1  # "..., and when sending messages" means nothing without what follows
    while first > 0 and spans[last][1] - spans[first - 1][0] <= MAX_TEXT_CHARS:
        first -= 1
    piece = text[spans[first][0] : spans[last][1]]
    if piece.count("(") > piece.count(")"):
        piece = piece[: piece.rfind("(")]
    return piece.rstrip(" ,;:-")


def quote_of(sentence: Sentence, cue_start: int) -> str:
    """An exact excerpt of the message around the cue: the sentence, or a window of it."""
    raw = sentence.raw
    if len(raw) <= MAX_QUOTE_CHARS:
        return raw
    cue = sentence.body_start - sentence.start + cue_start
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(raw))]
    begin = max((c for c in cuts if c <= cue), default=0)
    if cue - begin > MAX_QUOTE_CHARS // 2:
        begin = cue
    end = min(len(raw), begin + MAX_QUOTE_CHARS)
    if end < len(raw):
        space = raw.rfind(" ", begin, end)
        end = space if space > begin else end
    return raw[begin:end].strip()


# --- rewording: from what was said in a conversation to a line of a rules file -----------------

_VERB = r"""(?:use|run|write|put|keep|add|avoid|commit|push|name|format|test|call|choose|pick|
    stick|store|deploy|install|make|create|document|ask|open|merge|rebase|squash|sign|tag|lint|
    review|structure|organi[sz]e|split|follow|start|ship|release|note|skip|stop|tell|report|log|
    leave|ignore|fall\s+back|retry|mention|flag|check|wait|explain|notify|escalate|prefer|
    update|close|restart|re-?run|return|raise|abort|try|place|import|edit|delete|remove|touch|
    modify|change|read|include|reply|respond|answer|show|print|work|treat|assume|default|send|
    set|build|mark|copy|generate|bump|pin|lock|go\s+with|switch|move|migrate|stay|
    standardi[sz]e|adopt|drop|rewrite|only|always|never|do\s+not|don['\u2019]t)\b"""
"""Words an instruction starts with, once its conversational lead-in is off."""
_LEAD_IN = re.compile(
    rf"""^(?:
        let['\u2019]?s\s+(?!keep\s+(?:going|trying|at\s+it|it\s+up)\b)
            (?:also\s+|just\s+|now\s+|all\s+)?(?:make\s+sure\s+(?:to\s+|that\s+)?(?:you\s+|we\s+)?)?(?={_VERB})
      | (?:make|be)\s+sure\s+(?:to\s+|that\s+)?(?:you\s+|we\s+)?(?={_VERB})
      | you\s+(?:should\s+|must\s+)?(?=(?:always|never)\s)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
"""A lead-in that makes a chat message of a rule: "let's (also) use X", "make sure you never X",
"you should always X"; what follows it is the rule."""
_LEAD_IN_SWAPS = (
    (
        re.compile(r"^let['\u2019]?s\s+(?:also\s+|just\s+)?not\s+(?=\w)", re.IGNORECASE),
        "do not ",
    ),
    (
        re.compile(r"^let['\u2019]?s\s+(?:also\s+|just\s+)?continue\s+using\s+", re.IGNORECASE),
        "keep using ",
    ),
    (
        re.compile(
            r"""^you\s+(?:do\s+not|don['\u2019]t|must\s+not|mustn['\u2019]t|should\s+not|
                shouldn['\u2019]t|shall\s+not)\s+(?=\w)""",
            re.IGNORECASE | re.VERBOSE,
        ),
        "do not ",
    ),
)
"""Lead-ins that turn into another wording of the same rule ("let's not X": "do not X")."""
_BACK_REFERENCE = r"""(?:like|as)\s+(?:I|we)\s+(?:already\s+|originally\s+|just\s+|clearly\s+)?
    (?:said|asked|told\s+you|mentioned|explained|wrote|discussed|agreed|requested|specified|
     wanted|tasked\s+you(?:\s+with)?)(?:\s+(?:before|earlier|already|you\s+to))?"""
_LEADING_REFERENCE = re.compile(rf"^{_BACK_REFERENCE}\s*[,:-]\s*(?=\w)", re.IGNORECASE | re.VERBOSE)
_TRAILING_REFERENCE = re.compile(rf"\s*,?\s*{_BACK_REFERENCE}\s*[.!]*$", re.IGNORECASE | re.VERBOSE)
"""A reference back to the conversation ("like I asked"): the reviewer has the quote for it."""
_REFERENCE_VERBS = any_of(
    [
        "said",
        "asked",
        "told",
        "mentioned",
        "explained",
        "wrote",
        "discussed",
        "agreed",
        "requested",
        "specified",
        "wanted",
        "tasked",
    ]
)
"""A word _BACK_REFERENCE needs (keep the two in step)."""
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|\w+n['\u2019]t)\b", re.IGNORECASE)
_POINTING_REASON = re.compile(
    r"\s*,?\s+(?:because|since|as|cause|cuz)\s+(?:that|this)(?:['\u2019]s|\s+is|\s+was)\s.*$",
    re.IGNORECASE,
)
"""A reason that points back into the conversation ("..., because that's where the app
calls it"): the statement stands without it, the quote keeps it."""
_POINTERS = any_of(["that", "this"])
"""The words _POINTING_REASON needs one of (keep the two in step)."""
_CLAUSE_DASH = re.compile(r"(?<=[^\W\d_])\s+-\s+(?=[^\W\d_])")
_DOUBLED = re.compile(r"\b(the|a|an|to|of|in|on|for|is|and|with|from)\s+\1\b", re.IGNORECASE)
_TYPOS = {
    "enviroment": "environment",
    "enviroments": "environments",
    "envirnoment": "environment",
    "enviornment": "environment",
    "typecript": "typescript",
    "typscript": "typescript",
    "tyepscript": "typescript",
    "javscript": "javascript",
    "javacsript": "javascript",
    "pyhton": "python",
    "directroy": "directory",
    "dircetory": "directory",
    "dirctory": "directory",
    "withotu": "without",
    "wihtout": "without",
    "whitout": "without",
    "teh": "the",
    "recieve": "receive",
    "seperate": "separate",
    "seperately": "separately",
    "occured": "occurred",
    "untill": "until",
    "becuase": "because",
    "beacuse": "because",
    "definately": "definitely",
    "dependancy": "dependency",
    "dependancies": "dependencies",
    "depedencies": "dependencies",
    "arguement": "argument",
    "arguements": "arguments",
    "fucntion": "function",
    "funciton": "function",
    "fuction": "function",
    "retrun": "return",
    "repositroy": "repository",
    "respository": "repository",
    "sesion": "session",
    "sesions": "sessions",
    "tiemout": "timeout",
    "timout": "timeout",
    "termnial": "terminal",
    "temrinal": "terminal",
    "comand": "command",
    "comands": "commands",
    "commnad": "command",
    "alwasy": "always",
    "allways": "always",
    "nver": "never",
    "shoudl": "should",
    "shoud": "should",
    "woudl": "would",
    "becasue": "because",
    "accross": "across",
    "adress": "address",
    "existant": "existent",
    "fisrt": "first",
    "frist": "first",
    "intergration": "integration",
    "integartion": "integration",
    "migraiton": "migration",
    "migartion": "migration",
    "configuraiton": "configuration",
    "confgiuration": "configuration",
    "varaible": "variable",
    "varaibles": "variables",
    "variabels": "variables",
    "paramter": "parameter",
    "paramters": "parameters",
    "lenght": "length",
    "widht": "width",
    "heigth": "height",
    "succesful": "successful",
    "successfull": "successful",
    "sucessful": "successful",
    "neccessary": "necessary",
    "necesary": "necessary",
    "wich": "which",
    "whcih": "which",
    "thier": "their",
    "waht": "what",
}
"""Misspellings nobody means (a list, not a guess: a word missing from it is left alone)."""
_NAMES = {
    "typescript": "TypeScript",
    "javascript": "JavaScript",
    "python": "Python",
    "github": "GitHub",
    "gitlab": "GitLab",
    "bitbucket": "Bitbucket",
    "vercel": "Vercel",
    "netlify": "Netlify",
    "firebase": "Firebase",
    "supabase": "Supabase",
    "postgres": "Postgres",
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "mongodb": "MongoDB",
    "graphql": "GraphQL",
    "google": "Google",
    "gmail": "Gmail",
    "macos": "macOS",
    "linux": "Linux",
    "ubuntu": "Ubuntu",
    "android": "Android",
    "ios": "iOS",
    "fastapi": "FastAPI",
    "django": "Django",
    "kotlin": "Kotlin",
    "api": "API",
    "apis": "APIs",
    "url": "URL",
    "urls": "URLs",
    "json": "JSON",
    "html": "HTML",
    "css": "CSS",
    "sql": "SQL",
    "csv": "CSV",
    "otp": "OTP",
}
"""Names with a usual casing, written lowercase in chat ("use typescript", "on vercel")."""
_COMMAND_NAMES = frozenset({"python"})
"""Names that are also commands: left alone where they are run ("python -m pytest")."""
_RESPELLABLE = frozenset({*_TYPOS, *_NAMES})
"""The words `_respelled` may change (lowercase)."""
_WORD_TOKEN = re.compile(r"(?<![\w./@:`$-])[A-Za-z]+(?![\w/@`$]|\.\w|-\w)")
_AS_COMMAND = re.compile(r"\s+(?:-|\S+\.py\b)")
_RUN_BEFORE = re.compile(r"\b(?:run|runs|running|with|via|call|calls|invoke)\s+$", re.IGNORECASE)


def reword(text: str) -> str:
    """The wording of a rules file for a sentence said in a conversation.

    Takes off what only makes sense in the chat: a lead-in ("let's also", "make sure you",
    "you should always", "YOU DO NOT"), a reference back ("like I asked", "as I said"), a
    doubled word and a known misspelling; writes a clause dash as a comma and well-known
    names in their usual casing. Nothing else of the person's words changes, and nothing is
    done inside code, paths or backticks.
    """
    text = _drop_references(text)
    text = _drop_lead_in(text)
    text = _drop_pointing_reason(text)
    pieces = text.split("`")
    for number in range(0, len(pieces), 2):  # odd pieces are inside backticks: code
        piece = pieces[number]
        if "-" in piece:
            piece = _CLAUSE_DASH.sub(", ", piece)
        piece = _DOUBLED.sub(r"\1", piece)
        if _may_respell(piece):
            piece = _WORD_TOKEN.sub(partial(_respelled, text=piece), piece)
        pieces[number] = piece
    return "`".join(pieces)


def _may_hold(pieces: re.Pattern[str] | None, text: str) -> bool:
    """Whether an expression that needs one of the pieces (lowercase words) may match the text,
    ignoring case: False only for an ASCII text that holds none of them once lowercased (where
    lowercasing means what ignoring case does; any other text may)."""
    return pieces is None or not text.isascii() or pieces.search(text.lower()) is not None


def _may_respell(text: str) -> bool:
    """Whether a word of the text is one `_respelled` may change. Each word `_WORD_TOKEN`
    finds is a run of ASCII letters between characters that are not letters, so it is one of
    the runs of letters of the lowercased text: a text without a known one is left as it is
    (most texts) instead of being handed word by word to `_respelled`."""
    return not _RESPELLABLE.isdisjoint(_LETTERS.findall(text.lower()))


def _drop_references(text: str) -> str:
    rest = _LEADING_REFERENCE.sub("", text, count=1)
    trailing = _TRAILING_REFERENCE.search(rest) if _may_hold(_REFERENCE_VERBS, rest) else None
    if trailing and not _NEGATION.search(rest[: trailing.start()]):
        rest = rest[: trailing.start()]  # "not X like I asked" means "X, as I asked": kept
    return rest if len(_WORD.findall(rest)) >= 3 else text


def _drop_pointing_reason(text: str) -> str:
    reason = _POINTING_REASON.search(text) if _may_hold(_POINTERS, text) else None
    if reason is None or len(_WORD.findall(text[: reason.start()])) < 4:
        return text
    return text[: reason.start()]


def _drop_lead_in(text: str) -> str:
    for pattern, replacement in _LEAD_IN_SWAPS:
        swapped, done = pattern.subn(replacement, text, count=1)
        if done:
            return swapped
    match = _LEAD_IN.match(text)
    if not match or len(_WORD.findall(text[match.end() :])) < 2:
        return text
    rest = text[match.end() :]
    first = rest.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # "YOU MUST NEVER run": the shouted cue, lowered
        rest = first.lower() + rest[len(first) :]
    return rest


def _respelled(match: re.Match[str], text: str) -> str:
    word = match.group()
    lower = word.lower()
    fixed = _TYPOS.get(lower)
    if fixed is not None:
        word = fixed[0].upper() + fixed[1:] if word[0].isupper() else fixed
        lower = fixed
    name = _NAMES.get(lower)
    if name is None or word not in (lower, lower.capitalize()):
        return word  # "TypeScript" or "JSON" already; "TypeSCRIPT" is the person's own
    if lower in _COMMAND_NAMES and (
        _AS_COMMAND.match(text, match.end()) or _RUN_BEFORE.search(text, 0, match.start())
    ):
        return word
    return name


_CONTEXT_BOUND = re.compile(
    r"""^(?:that|this|it|these|those|they)\s+
            (?:was|is|were|are|['\u2019]s|should|will|would|can|has|have|had|must|needs?|one)\b
      | ^(?:this|that)\s+(?:\w+\s+){1,3}one\b
      | \b(?:how|what|the\s+way)\s+you\s+(?:did|placed|put|wrote|made|changed|used|handled|
            implemented|structured|set|named|moved)\b
      | \b(?:address|fix|do|redo|undo|revert|handle|repeat|change|try)\s+(?:this|that|it)
            (?:\s+(?:again|first|now|later|too|instead))?\W*$
      | \b(?:that|this)\s+(?:file|one|thing|part|bit|way|approach|function|method|class|code|
            change|stuff|issue|error|bug)\b
      | \b(?:I\s+want|make|have|get)\s+(?:it|this|that)\s+to\b""",
    re.IGNORECASE | re.VERBOSE,
)
"""A sentence that leans on the conversation for its meaning: a pronoun for a subject ("that
was created via ..."), "how you placed", "address this first", "that file"."""


def context_bound(text: str) -> bool:
    """Whether a sentence means little without the conversation around it."""
    return bool(_CONTEXT_BOUND.search(text))
