"""memtui's region: never a byte outside it changes; broken markers and edits are caught."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memtui.services.export import blocks

REGION = blocks.make_region(["Rules:", "- Use pnpm, not npm"], scope="project", newline="\n")
NEW_REGION = blocks.make_region(["Rules:", "- Use uv"], scope="project", newline="\n")

# Arbitrary surrounding text, marker lines excluded (a second marker is an error, tested below).
surrounding = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300).filter(
    lambda t: "memtui:" not in t
)


@settings(max_examples=300, deadline=None)
@given(before=surrounding, after=surrounding)
def test_replacing_the_region_keeps_every_byte_around_it(before: str, after: str) -> None:
    sep = "" if not before or before.endswith(("\n", "\r")) else "\n"
    text = before + sep + REGION + after
    region = blocks.find_region(text)
    assert region is not None
    spliced = blocks.splice(text, NEW_REGION)
    assert spliced.startswith(text[: region.start])
    assert spliced.endswith(text[region.end :])
    assert spliced == text[: region.start] + NEW_REGION + text[region.end :]


@settings(max_examples=300, deadline=None)
@given(existing=surrounding)
def test_appending_keeps_the_file_as_a_prefix_and_reads_back(existing: str) -> None:
    spliced = blocks.splice(existing, REGION)
    assert spliced.startswith(existing)
    assert spliced.endswith(REGION)
    found = blocks.find_region(spliced)
    assert found is not None
    assert not found.drifted
    # Removing it again gives back the file, plus at most the line ending memtui added.
    removed = blocks.remove(spliced)
    assert removed.startswith(existing)
    assert len(removed) - len(existing) <= 2


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_decoding_then_encoding_gives_back_the_same_bytes(data: bytes) -> None:
    try:
        decoded = blocks.decode(data)
    except blocks.EncodingError:
        return
    assert decoded.encode(decoded.text) == data


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + b"# Rules\r\n- a\r\n",
        codecs.BOM_UTF16_LE + "# R\r\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "# R\n".encode("utf-16-be"),
    ],
)
def test_bom_and_line_endings_are_kept_when_a_region_is_added(data: bytes) -> None:
    decoded = blocks.decode(data)
    region = blocks.make_region(["- x"], scope="project", newline=decoded.newline)
    out = decoded.encode(blocks.splice(decoded.text, region))
    assert out.startswith(data)
    if decoded.newline == "\r\n":
        assert b"\n" not in out.replace(b"\r\n", b"").replace(b"\x00\n", b"")


def test_not_text_is_refused() -> None:
    with pytest.raises(blocks.EncodingError, match="not UTF-8"):
        blocks.decode(b"\xff\xfe\xfd\x00\x80abc"[2:] + b"\x80")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (REGION + "\n" + REGION, "more than once"),
        ("intro\n<!-- memtui:begin v=1 -->\n- a\n", "never closed"),
        ("intro\n<!-- memtui:end -->\n", "no begin marker"),
        ("<!-- memtui:end -->\n<!-- memtui:begin v=1 -->\n", "comes before"),
        (REGION + "<!-- memtui:end -->\n", "end marker appears more than once"),
    ],
)
def test_broken_markers_stop_the_export_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(blocks.MarkerError, match=message):
        blocks.find_region(text, name="AGENTS.md")
    with pytest.raises(blocks.MarkerError):
        blocks.splice(text, NEW_REGION, name="AGENTS.md")


def test_markers_inside_a_code_fence_do_not_count() -> None:
    text = "```md\n<!-- memtui:begin v=1 -->\n```\n" + REGION + "~~~\n<!-- memtui:end -->\n~~~\n"
    region = blocks.find_region(text)
    assert region is not None
    assert region.begin_line == 4


def test_an_edit_inside_the_block_is_drift_but_line_endings_are_not() -> None:
    region = blocks.find_region(REGION)
    assert region is not None
    assert not region.drifted
    crlf = blocks.find_region(REGION.replace("\n", "\r\n"))
    assert crlf is not None
    assert not crlf.drifted
    edited = blocks.find_region(REGION.replace("- Use pnpm", "- Use pnpm   \n- Also yarn"))
    assert edited is not None
    assert edited.drifted
    spaces = blocks.find_region(REGION.replace("not npm", "not npm   "))
    assert spaces is not None
    assert not spaces.drifted


def test_frontmatter_end() -> None:
    assert blocks.frontmatter_end("---\na: 1\n---\nbody\n") == len("---\na: 1\n---\n")
    assert blocks.frontmatter_end("body\n---\n") == 0
