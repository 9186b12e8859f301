"""Secrets are replaced before anything is stored; ordinary text is left alone."""

from __future__ import annotations

import random

import pytest

from memtui.extract.redact import (
    _ANCHORS,
    _ASCII_ANCHORS,
    MARKER,
    count_markers,
    may_hold_secret,
    redact,
)

# Planted secrets: shaped like the real thing, made up for these tests.
SECRETS = {
    "openai-key": "sk-proj-Q8f3ZpL0mN2xR7tV9bC4dE6gH1jK5sW0",
    "anthropic-key": "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe",
    "stripe-key": "sk_live_51HqLmN2oP3qR4sT5uV6w",
    "github-token": "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "gitlab-token": "glpat-xY7wV6uT5sR4qP3oN2mL",
    "aws-access-key": "AKIAZ7Q2W3E4R5T6Y7U8",
    "google-api-key": "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
    "slack-token": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "npm-token": "npm_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "huggingface-token": "hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXRvLWJlLXJlZGFjdGVk",
}


@pytest.mark.parametrize(("kind", "secret"), sorted(SECRETS.items()))
def test_each_provider_token_is_redacted_by_name(kind: str, secret: str) -> None:
    result = redact(f"please use {secret} for the deploy job")
    assert secret not in result.text
    assert result.text == f"please use {MARKER.format(kind)} for the deploy job"
    assert result.kinds == (kind,)


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        (
            "DATABASE_URL=postgres://app:S3cr3t-Pa55@db.internal/app",
            "postgres://app:",
            "S3cr3t-Pa55",
        ),
        ("password: hunter22", "password: ", "hunter22"),
        ('"client_secret": "v3ryS3cretValue"', '"client_secret": ', "v3ryS3cretValue"),
        (
            "export MY_SERVICE_TOKEN=Ab12Cd34Ef56Gh78",
            "export MY_SERVICE_TOKEN=",
            "Ab12Cd34Ef56Gh78",
        ),
        (
            "Authorization: Bearer abcDEF1234567890ghiJKL",
            "Authorization: Bearer ",
            "abcDEF1234567890ghiJKL",
        ),
    ],
)
def test_assignments_urls_and_headers_lose_only_the_secret(text: str, kept: str, gone: str) -> None:
    result = redact(text)
    assert gone not in result.text
    assert kept in result.text
    assert result.count == 1


def test_a_pasted_private_key_goes_whole() -> None:
    pasted = (
        "deploy with this key:\n-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAAQAAADMAAAALc3NoLWVk\n"
        "-----END OPENSSH PRIVATE KEY-----\nthanks"
    )
    result = redact(pasted)
    assert "b3BlbnNzaC1" not in result.text
    assert result.text == f"deploy with this key:\n{MARKER.format('private-key')}\nthanks"


@pytest.mark.parametrize(
    "text",
    [
        "Never run migrations against prod.",
        "tokenizer = bert-base-uncased",
        "author: Ann Lee",
        "AUTH_MODE: jwt",
        "Use sk-learn for the notebooks, not pandas-ml.",
        "The key: value pairs go in config.yaml",
        "Tests live next to the code, in .ts files.",
        "Никогда не пушь в main.",
        "不要在生产环境运行迁移。",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text).text == text


def test_redacting_twice_changes_nothing_and_counts_nothing() -> None:
    once = redact(f"OPENAI_API_KEY={SECRETS['openai-key']}")
    twice = redact(once.text)
    assert (once.count, twice.count) == (1, 0)
    assert twice.text == once.text
    assert count_markers(twice.text) == 1


@pytest.mark.parametrize("secret", sorted(SECRETS.values()))
@pytest.mark.parametrize(
    "template",
    ["use {} for the deploy job", "USE {} FOR THE DEPLOY JOB", "используй {} для деплоя"],
)
def test_the_quick_test_lets_every_secret_through_in_any_case_or_script(
    secret: str, template: str
) -> None:
    text = template.format(secret)
    assert may_hold_secret(text)
    assert secret not in redact(text).text


@pytest.mark.parametrize(
    "text", ["Never run migrations against prod.", "Никогда не пушь в main.", "总是用 pnpm。"]
)
def test_the_quick_test_passes_over_ordinary_text(text: str) -> None:
    assert not may_hold_secret(text)


def test_a_secret_name_spelt_with_a_letter_only_case_folding_knows_is_still_redacted() -> None:
    # U+017F (long s) matches "s" when case is ignored: the text is not ASCII, so the full
    # test runs, exactly as the patterns read it.
    assert redact("\u017fecret_key = Abc12345xyz").kinds == ("secret-assignment",)


def test_an_upper_case_secret_name_is_found_in_ascii_text() -> None:
    assert may_hold_secret("DB_PASSWORD=Hunter22x")
    assert redact("DB_PASSWORD=Hunter22x").kinds == ("secret-assignment",)


def test_the_ascii_anchors_find_what_the_anchors_find() -> None:
    assert _ASCII_ANCHORS is not None
    rng = random.Random(7)
    alphabet = "skrpghousrtbaiylcxzen_-.:/109 AKSIEYJ"
    texts = ["".join(rng.choices(alphabet, k=rng.randint(0, 14))) for _ in range(20000)]
    texts += ["sk-", "RK_x", "gHr_", "a-----BEGIN", "ya29.", "1//0", "hooks.slack", "EyJ", "x:aa"]
    for text in texts:
        lower = text.lower()
        assert bool(_ASCII_ANCHORS.search(lower)) is bool(_ANCHORS.search(text)), text
