# ruff: noqa: RUF001  (the Cyrillic and CJK cue words are meant)
"""The rule-based extractor: every rule fires on what it is for and stays quiet otherwise."""

from __future__ import annotations

import re

import pytest

from memtui.core.models import Kind, Scope
from memtui.core.transcripts import Author, Message
from memtui.extract import RULES, Extractor, Proposal, RuleExtractor, extract


def said(text: str, author: Author = Author.HUMAN, line: int = 1) -> Message:
    return Message(tool="claude-code", author=author, text=text, path="/t.jsonl", line=line)


def propose(text: str, *before: Message) -> list[Proposal]:
    return extract([*before, said(text, line=len(before) + 1)])


def only(text: str, *before: Message) -> Proposal:
    proposals = propose(text, *before)
    assert len(proposals) == 1, [p.text for p in proposals]
    return proposals[0]


# --- each rule: positive and negative examples -----------------------------------------------

POSITIVE: list[tuple[str, str, Kind]] = [
    # explicit
    ("Remember that the staging database is reset every night.", "explicit", Kind.FACT),
    ("From now on, write commit messages in the imperative mood.", "explicit", Kind.RULE),
    ("Going forward, squash commits when merging.", "explicit", Kind.RULE),
    ("Note that the public API lives in src/api/v2.", "explicit", Kind.FACT),
    # correction_reference
    ("The config goes in settings.toml like I asked.", "correction_reference", Kind.CORRECTION),
    ("I never said to delete the migrations folder.", "correction_reference", Kind.CORRECTION),
    (
        "That's wrong, the service talks to Redis and not Memcached.",
        "correction_reference",
        Kind.CORRECTION,
    ),
    (
        "As I said, the tests must stay in the tests/ folder.",
        "correction_reference",
        Kind.CORRECTION,
    ),
    # correction_no
    ("No, use the staging bucket for uploads.", "correction_no", Kind.CORRECTION),
    ("Nope, it's the billing service that owns invoices.", "correction_no", Kind.CORRECTION),
    # approval_gate
    ("Get my approval before you touch the database schema.", "approval_gate", Kind.RULE),
    ("Ask me first before installing new packages.", "approval_gate", Kind.RULE),
    ("Explain your plan before making changes to the parser.", "approval_gate", Kind.RULE),
    # decision
    ("Let's use Postgres for the job queue.", "decision", Kind.DECISION),
    ("We will rewrite the exporter in Rust.", "decision", Kind.DECISION),
    ("We decided to keep the monorepo layout.", "decision", Kind.DECISION),
    ("Go with httpx for the HTTP client.", "decision", Kind.DECISION),
    ("We need to migrate this service to FastAPI.", "decision", Kind.DECISION),
    ("We switched from redux to zustand last month.", "decision", Kind.DECISION),
    # preference
    ("I prefer small commits with short messages.", "preference", Kind.PREFERENCE),
    ("I hate snapshot tests that nobody reads.", "preference", Kind.PREFERENCE),
    ("I'd rather have explicit imports everywhere.", "preference", Kind.PREFERENCE),
    ("I always want type hints on public functions.", "preference", Kind.PREFERENCE),
    # contrast
    ("Please use pnpm instead of npm.", "contrast", Kind.PREFERENCE),
    ("Write the scripts in Python, not bash.", "contrast", Kind.PREFERENCE),
    # exclusive_use
    ("We are using TypeScript only.", "exclusive_use", Kind.RULE),
    ("Use the exact versions from the lock file.", "exclusive_use", Kind.RULE),
    ("The ORM should be used exclusively for database access.", "exclusive_use", Kind.RULE),
    # procedure
    ("To deploy: make build && ./scripts/deploy.sh", "procedure", Kind.PROCEDURE),
    ("Before committing, run ruff format and the unit tests.", "procedure", Kind.PROCEDURE),
    ("Run the linter with --fix after you are done with a change.", "procedure", Kind.PROCEDURE),
    ("You have to start the emulator before running the app tests.", "procedure", Kind.PROCEDURE),
    ("The test command is make check.", "procedure", Kind.PROCEDURE),
    # imperative
    ("Never push directly to main.", "imperative", Kind.RULE),
    ("Don't add comments that repeat the code.", "imperative", Kind.RULE),
    ("Always run the migrations in a transaction.", "imperative", Kind.RULE),
    ("The handlers must not block the event loop.", "imperative", Kind.RULE),
    ("Private repos must never be forked.", "imperative", Kind.RULE),
    ("Stop adding type ignores to silence mypy.", "imperative", Kind.RULE),
    ("Make sure you never log the access token.", "imperative", Kind.RULE),
    ("Stop creating a README for every change.", "imperative", Kind.RULE),
    # convention
    ("Commit messages should follow Conventional Commits.", "convention", Kind.RULE),
    ("Tests go in __tests__ next to the component.", "convention", Kind.RULE),
    ("Tests live next to the code they test.", "convention", Kind.RULE),
    ("Use snake_case for Python module names.", "convention", Kind.RULE),
    ("Keep functions under 50 lines.", "convention", Kind.RULE),
    ("No emojis in commit messages.", "convention", Kind.RULE),
    ("Put all env vars in .env.example with dummy values.", "convention", Kind.RULE),
    # conditional
    ("If the build server is down, just note it and move on.", "conditional", Kind.RULE),
    ("Whenever a migration fails, report the SQL error verbatim.", "conditional", Kind.RULE),
    ("When you add a dependency, pin the exact version.", "conditional", Kind.RULE),
    # standing_trigger
    (
        "On every release, we want to tag the commit with the version.",
        "standing_trigger",
        Kind.DECISION,
    ),
    # fact
    ("The env vars live on Vercel.", "fact", Kind.FACT),
    ("The API runs on port 8080 behind nginx.", "fact", Kind.FACT),
    ("Secrets are stored in the team's 1Password vault.", "fact", Kind.FACT),
    ("The docs are at https://docs.example.com/internal.", "fact", Kind.FACT),
    ("The storage bucket was created under a different Google account.", "fact", Kind.FACT),
    ("We use Sentry for error reporting in production.", "fact", Kind.FACT),
    ("I'm on Windows, so give me PowerShell commands.", "fact", Kind.FACT),
    ("Docs are generated with mkdocs from the docs/ folder.", "fact", Kind.FACT),
    # yourself
    ("Request access to the files yourself.", "yourself", Kind.RULE),
    # russian
    ("сам запроси доступ к файлам", "russian", Kind.CORRECTION),
    ("никогда не пушь в main", "russian", Kind.RULE),
    # chinese
    ("不要使用npm安装依赖", "chinese", Kind.RULE),
    ("以后都用pnpm管理依赖", "chinese", Kind.RULE),
]


@pytest.mark.parametrize(("text", "rule", "kind"), POSITIVE)
def test_rule_fires(text: str, rule: str, kind: Kind) -> None:
    proposal = only(text)
    assert (proposal.rule, proposal.kind) == (rule, kind)


NEGATIVE: list[str] = [
    # task requests, bug reports and chatter
    "Add a button to export the report as CSV.",
    "Fix the failing test in test_parser.py.",
    "It always fails on the second run.",
    "The build never finishes on my laptop.",
    "We never get the response from the server.",
    "Don't worry about the warnings.",
    "Never mind, it works now.",
    "Make sure it does not break anything.",
    "I like it, good job.",
    "I love how you did the sidebar.",
    "Let's keep going with the next task.",
    "Let's brainstorm how to make the sync faster.",
    "Start phoenix in the background.",
    "When I click the button nothing happens, check the console.",
    "The tests run in parallel and that is fine.",
    "I was using the old client before the upgrade.",
    "Use a socket.io client for the end to end test.",
    "mix phx.server doesnt seem to start",
    "Don't forget the dark mode styles.",
    "Always the same error, no matter what I do.",
    "If that doesn't work, try clearing the cache.",
    "The server is running on localhost:3000 but the page is blank.",
    "The data is stored in local storage but it disappears on refresh.",
    "The component is built with hooks but it re-renders too often.",
    "I like the new layout, but the font is too small.",
    "Let's go with option 2.",
    "Let's keep the button where it is.",
    "The modal should go in the center of the screen.",
    "The button goes in the top right corner.",
    "No errors in the console now.",
    "When you have a moment, look at the flaky test.",
    "Put everything in a single file for now.",
    "We should probably add caching at some point.",
    # questions
    "Should we always run the migrations first?",
    "Can you make sure we never push to main?",
    "Why did you use npm instead of pnpm?",
    # thanks, greetings and approvals
    "Thanks, that looks great!",
    "yo wassup",
    "lets go",
    "ok",
    "y",
    "Yes, proceed.",
    # pasted logs and code
    "[2025-07-13T05:44:39.237Z] [ERROR] never retry: connection refused",
    "    at Object.<anonymous> (/app/src/index.ts:12:5)",
    "```\nalways_use_cache = True\nnever_retry()\n```",
    "import { never } from 'rxjs';",
    "ReferenceError: React is not defined",
    "> never push to main",
    # other languages without a cue
    "最新的art实现是怎么确定某个具体类的alloc是放在连续地址空间还是非连续地址空间的",
    "Про что проект и на каком этапе сейчас RAG?",
    "создай файл в корневой папке проекта",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_nothing_proposed(text: str) -> None:
    assert propose(text) == []


def test_every_rule_is_named_documented_and_exercised() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    for registered in RULES:
        assert registered.doc, registered.name
        assert "\n" not in registered.doc
        assert 0 < registered.confidence < 1
    exercised = {rule for _, rule, _ in POSITIVE} | {"interrupted"}
    assert exercised == set(names)


# --- context: the message before, the rest of the message ------------------------------------


def test_a_directive_right_after_an_interruption_is_a_correction() -> None:
    interrupted = said("[Request interrupted by user for tool use]", Author.INJECTED)
    proposal = only("Don't run the dev server yourself, just tell me.", interrupted)
    assert (proposal.rule, proposal.kind) == ("interrupted", Kind.CORRECTION)
    assert only("Don't run the dev server yourself, just tell me.").kind is Kind.RULE


def test_an_interruption_does_not_turn_a_task_into_a_rule() -> None:
    interrupted = said("[Request interrupted by user]", Author.INJECTED)
    assert propose("Give me an overview of what works.", interrupted) == []


def test_a_statement_beside_a_challenge_is_a_correction() -> None:
    proposals = propose(
        "Also where did these .js files come from? We are using typescript only. "
        "What was your thinking there?"
    )
    assert [(p.kind, p.text) for p in proposals] == [
        (Kind.CORRECTION, "We are using TypeScript only.")
    ]


# --- only the person's words are mined -------------------------------------------------------


@pytest.mark.parametrize("author", [Author.AGENT, Author.TOOL, Author.INJECTED])
def test_other_authors_are_context_not_candidates(author: Author) -> None:
    assert extract([said("Never push directly to main.", author)]) == []


def test_pasted_text_is_mined() -> None:
    message = said("Never push directly to main.", Author.PASTED)
    assert [p.message for p in extract([message])] == [message]


def test_proposals_point_at_their_message_in_order() -> None:
    first, agent, second = (
        said("Always use pnpm.", line=3),
        said("Sure, I will always use pnpm from now on.", Author.AGENT, line=4),
        said("The API runs on port 8080.", line=9),
    )
    proposals = extract([first, agent, second])
    assert [(p.message.line, p.kind) for p in proposals] == [(3, Kind.RULE), (9, Kind.FACT)]


def test_a_statement_repeated_is_proposed_once() -> None:
    proposals = extract([said("Never push to main.", line=1), said("never push to main", line=5)])
    assert [p.message.line for p in proposals] == [1]


def test_a_long_brief_is_capped() -> None:
    brief = "\n".join(f"Never edit generated file number {n} by hand." for n in range(20))
    assert len(propose(brief)) == 5


def test_the_extractor_interface() -> None:
    extractor: Extractor = RuleExtractor()
    assert extractor.name == "rules"
    assert extractor.propose([]) == []
    assert RuleExtractor(mined={Author.AGENT}).propose([said("Never push.", Author.AGENT)]) == []


# --- the text of a proposal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "text"),
    [
        ("ok so please use pnpm instead of npm", "Use pnpm instead of npm."),
        ("also, never commit .env files!!", "Never commit .env files."),
        ("btw we are using typescript only :)", "We are using TypeScript only."),
        ("i prefer tabs over spaces, thanks", "I prefer tabs over spaces."),
        ("dont run `make deploy` yourself", "Don't run `make deploy` yourself."),
        ("npm run lint before committing", "npm run lint before committing."),
        ("apply_patch must never touch vendor/", "apply_patch must never touch vendor/."),
        ("Let's use python instead of bash", "Use Python instead of bash."),
    ],
)
def test_text_is_the_sentence_lightly_normalised(message: str, text: str) -> None:
    assert only(message).text == text


def test_text_is_one_sentence_of_the_message_not_the_message() -> None:
    message = (
        "The login page is broken again. Never store tokens in localStorage. Can you look at it?"
    )
    proposal = only(message)
    assert proposal.text == "Never store tokens in localStorage."
    assert proposal.quote == "Never store tokens in localStorage."


def test_text_keeps_the_specifics() -> None:
    proposal = only("before pushing, run ./scripts/check.sh --all and pytest -x tests/unit")
    assert "./scripts/check.sh --all" in proposal.text
    assert "pytest -x tests/unit" in proposal.text


def test_text_splits_unpunctuated_chat_at_a_new_step() -> None:
    proposal = only("implement the spec in PLAN.md First get my approval of your plan")
    assert proposal.text == "First get my approval of your plan."


def test_long_sentences_are_cut_to_the_clauses_around_the_cue() -> None:
    message = (
        "The integration suite is currently hanging on the websocket reconnect scenario "
        "and nobody knows why, it used to pass last week on the old runner image, so do not "
        "run it directly, always wrap it in timeout 120 at the top level of the terminal"
    )
    proposal = propose(message)[0]
    assert len(proposal.text) <= 200
    assert "do not run it directly" in proposal.text
    assert proposal.quote in message


def test_every_proposal_is_well_formed() -> None:
    texts = [text for text, _, _ in POSITIVE]
    for proposal in extract([said(text, line=n) for n, text in enumerate(texts)]):
        assert proposal.quote
        assert proposal.quote in proposal.message.text
        assert len(proposal.quote) <= 120
        assert 0 < proposal.confidence < 1
        assert proposal.text.endswith((".", "。")), proposal.text
        assert not proposal.text.lower().startswith(("please", "also", "ok so", "so "))
        assert not re.match(r"[a-z]", proposal.text), proposal.text


# --- scope -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("In all my projects, use ruff instead of flake8.", Scope.GLOBAL),
        ("Always, everywhere: never force-push.", Scope.GLOBAL),
        ("Globally, I prefer short commit messages.", Scope.GLOBAL),
        ("Never force-push in any of my repos.", Scope.GLOBAL),
        ("Always run the tests before pushing.", Scope.PROJECT),
        ("Use tabs everywhere in this repo, never spaces.", Scope.PROJECT),
    ],
)
def test_scope(text: str, scope: Scope) -> None:
    assert only(text).scope is scope


# --- other languages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ты зациклился. Удалось понять причину бага?",
        "А почитай про хоткей и push-to-talk. Там почти все готово, но текст один и тот же.",
        "当前art gc type采取是哪个类型,对应的continous space是那个",
        "このファイルは触らないでください。テストは必ず実行してね！",
        "Ça marche pas, je préfère pnpm à npm 🙃",
        "\u200b\ufeff\x00 \U0001f600" * 20,
        "",
    ],
)
def test_other_languages_pass_through_without_garbling(text: str) -> None:
    for proposal in propose(text):
        assert proposal.quote in text
        assert proposal.text.rstrip(".。") in text or proposal.text[1:].rstrip(".。") in text


def test_non_english_text_is_kept_as_written() -> None:
    assert only("никогда не пушь в main").text == "Никогда не пушь в main."
    assert only("不要使用npm安装依赖").text == "不要使用npm安装依赖。"
