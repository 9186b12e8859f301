# ruff: noqa: RUF001  (the Cyrillic and CJK text is meant)
"""The wording of a proposal: from a sentence said in a chat to a line of a rules file.

Each transformation of `memtui.extract.text.reword` has examples it must change and examples
it must leave alone; the extractor's use of them is checked through `extract`.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memtui.core.transcripts import Author, Message
from memtui.extract import Proposal, extract
from memtui.extract.text import context_bound, proposal_text, reword


def propose(text: str) -> list[Proposal]:
    return extract([Message(tool="codex", author=Author.HUMAN, text=text, path="/t", line=1)])


def only(text: str) -> Proposal:
    proposals = propose(text)
    assert len(proposals) == 1, [p.text for p in proposals]
    return proposals[0]


# --- lead-ins: what makes a chat message of a rule -------------------------------------------


@pytest.mark.parametrize(
    ("said", "text"),
    [
        ("let's use python instead of bash", "Use Python instead of bash."),
        ("Let's just stick with pnpm for everything", "Stick with pnpm for everything."),
        (
            "Let's also make sure run the linter with autofix after you are done",
            "Run the linter with autofix after you are done.",
        ),
        ("make sure you never log the access token", "Never log the access token."),
        ("Make sure to always run ruff before committing", "Always run ruff before committing."),
        ("you should always run the unit tests first", "Always run the unit tests first."),
        ("You never push to main without a review", "Never push to main without a review."),
        ("YOU DO NOT run builds or tests.", "Do not run builds or tests."),
        ("you shouldn't edit the generated files", "Do not edit the generated files."),
        ("let's not use redux in this app", "Do not use redux in this app."),
        ("let's continue using bash", "Keep using bash."),
    ],
)
def test_a_conversational_lead_in_comes_off(said: str, text: str) -> None:
    assert proposal_text(said) == text


@pytest.mark.parametrize(
    "said",
    [
        "Let's keep going with the parser.",
        "Let's see what the logs say.",
        "Make sure tests pass before you push.",
        "You should check the logs for the root cause.",
        "You must be kidding me.",
        "Let's go.",
    ],
)
def test_other_openings_stay(said: str) -> None:
    assert proposal_text(said) == said


# --- references back to the conversation -----------------------------------------------------


@pytest.mark.parametrize(
    ("said", "text"),
    [
        ("As I said, the tests must stay in tests/", "The tests must stay in tests/."),
        ("like I asked: keep all configs in config/", "Keep all configs in config/."),
        ("The config goes in settings.toml like I asked", "The config goes in settings.toml."),
        (
            "connect to .codex/sessions like I originally tasked you with",
            "Connect to .codex/sessions.",
        ),
    ],
)
def test_a_reference_back_comes_off(said: str, text: str) -> None:
    assert proposal_text(said) == text


@pytest.mark.parametrize(
    "said",
    [
        # negated: "not a main filter like I asked" means "a main filter, as I asked"
        "The apply_patch filter is not a main filter like I asked.",
        "We don't need a cache like I said.",
        "Like I said.",  # nothing would be left
    ],
)
def test_a_reference_that_carries_the_meaning_stays(said: str) -> None:
    assert proposal_text(said) == said


def test_the_correction_rule_keeps_firing_on_the_reference() -> None:
    proposal = only("The config goes in settings.toml like I asked.")
    assert (proposal.rule, proposal.text) == ("correction_reference", proposal.text)
    assert proposal.text == "The config goes in settings.toml."
    assert proposal.quote == "The config goes in settings.toml like I asked."


# --- a reason that points back ---------------------------------------------------------------


def test_a_reason_pointing_back_comes_off() -> None:
    said = "the env vars are configured on vercel because that's where the app calls the api"
    assert proposal_text(said) == "The env vars are configured on Vercel."


@pytest.mark.parametrize(
    "said",
    [
        "Never use pnpm here because it breaks the lockfile.",
        "Pin numpy below 2 because the wheels for 2.x are missing.",
        "Keep it because that's all.",  # too little before the reason
    ],
)
def test_a_reason_that_says_something_stays(said: str) -> None:
    assert proposal_text(said) == said


# --- dashes, doubled words, misspellings, names ----------------------------------------------


@pytest.mark.parametrize(
    ("said", "text"),
    [
        (
            "If the server has an issue - simply note it and move on",
            "If the server has an issue, simply note it and move on.",
        ),
        ("Always connect the the sessions directory", "Always connect the sessions directory."),
        ("We are using typecript only", "We are using TypeScript only."),
        ("Enviroment variables live on Vercel", "Environment variables live on Vercel."),
        ("never run it withotu a timeout", "Never run it without a timeout."),
        ("the api lives in src/api/v2", "The API lives in src/api/v2."),
        ("Firebase and google cloud use two gmail accounts", None),
        ("сервер упал - просто отметь это", "Сервер упал, просто отметь это."),
    ],
)
def test_light_fixes(said: str, text: str | None) -> None:
    expected = "Firebase and Google cloud use two Gmail accounts." if text is None else text
    assert proposal_text(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "Keep the ratio at 3 - 1.",
        "Run `ls -la | grep teh - x` before the the deploy.",  # code stays as written
        "Never edit src/teh/api/typecript.ts by hand.",
        "Run python -m pytest before pushing.",
        "Run python scripts/check.py before pushing.",
        "Start it with python, never with bash.",
        "Use api.py and the $API token.",
        "I know that that works.",
        "Use TypeSCRIPT as the brand spelling.",
    ],
)
def test_code_paths_and_intended_spellings_stay(said: str) -> None:
    text = proposal_text(said)
    if said.startswith("Run `"):
        assert text == "Run `ls -la | grep teh - x` before the deploy."
    else:
        assert text == said


def test_reword_only_touches_what_it_is_for() -> None:
    said = "the staging DB is reset every night at 02:00 UTC"
    assert reword(said) == said


# --- context-bound sentences: kept, but ranked low -------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "That was created via a different Google account.",
        "It is deployed on Vercel.",
        "This google cloud console one uses a different gmail.",
        "I hate how you placed all the tests into a separate directory.",
        "Tell me your plan to address this first.",
        "I never said to rewrite that file.",
        "I want it to connect to the sessions directory automatically.",
    ],
)
def test_context_bound(said: str) -> None:
    assert context_bound(said)


@pytest.mark.parametrize(
    "said",
    [
        "The storage bucket was created under a different Google account.",
        "Never push to main.",
        "Keep it simple.",
        "This project uses pnpm, not npm.",
        "Tests live next to the code they test.",
    ],
)
def test_not_context_bound(said: str) -> None:
    assert not context_bound(said)


def test_a_context_bound_candidate_is_ranked_below_its_self_contained_twin() -> None:
    alone = only("The storage bucket was created under a different Google account.")
    bound = only("That was created under a different Google account.")
    assert bound.rule == alone.rule == "fact"
    assert round(alone.confidence - bound.confidence, 2) == 0.2


# --- other languages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "text", "rule"),
    [
        ("ну никогда не пушь в main, пожалуйста", "Никогда не пушь в main.", "russian"),
        (
            "а всегда запускай линтер перед коммитом",
            "Всегда запускай линтер перед коммитом.",
            "russian",
        ),
        ("не трогай папку migrations", "Не трогай папку migrations.", "russian"),
        ("Не запускайте тесты на проде", "Не запускайте тесты на проде.", "russian"),
        ("я предпочитаю pnpm вместо npm", "Я предпочитаю pnpm вместо npm.", "russian"),
        ("另外，不要使用npm安装依赖", "不要使用npm安装依赖。", "chinese"),
        ("请勿修改生成的文件", "请勿修改生成的文件。", "chinese"),
        ("一定要先运行测试，谢谢", "一定要先运行测试。", "chinese"),
        ("记得每次提交前运行ruff", "记得每次提交前运行ruff。", "chinese"),
    ],
)
def test_russian_and_chinese_cues_and_fillers(said: str, text: str, rule: str) -> None:
    proposal = only(said)
    assert (proposal.rule, proposal.text) == (rule, text)
    assert proposal.quote in said


@pytest.mark.parametrize(
    "said",
    [
        "не знаю почему так",
        "не работает сборка после обновления",
        "не очень понятно, что происходит",
        "Ты зациклился. Удалось понять причину бага?",
        "当前使用的大模型",
        "如何更新claude",
    ],
)
def test_russian_and_chinese_without_a_cue(said: str) -> None:
    assert propose(said) == []


@pytest.mark.parametrize(
    "said",
    [
        "Всегда пиши «ёлки» с буквой ё — никогда «елки» 🙂",
        "永远不要把密钥提交到仓库里（包括 .env 文件）",
        "Никогда не используй e\u0301 вместо é в именах файлов",
        "ALWAYS keep the Ω and µ symbols in the unit tests, never replace them",
    ],
)
def test_unicode_passes_through_ungarbled(said: str) -> None:
    proposal = only(said)
    body = proposal.text.rstrip(".。")
    assert body[1:] in said or body[1:].rstrip("🙂 ") in said
    assert proposal.quote in said


@given(st.text(max_size=300))
def test_any_text_is_handled_without_crash_or_invented_quote(said: str) -> None:
    for proposal in propose(said):
        assert proposal.quote in said
        assert proposal.text.endswith((".", "。", "?", "？"))


@given(st.text(alphabet=st.characters(whitelist_categories=("Lo",)), min_size=1, max_size=80))
def test_text_without_latin_letters_keeps_every_character(said: str) -> None:
    text = proposal_text(said)
    assert text.rstrip(".。") == said.strip()
