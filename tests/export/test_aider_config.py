"""memtui's entry in `.aider.conf.yml`'s `read:`: a line edit that changes no byte of the
person's lines, in every form `read:` takes, and refuses the forms it cannot extend."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memtui.services.export import aider, blocks

ENTRY = "AGENTS.md"

comment = st.builds(lambda t: "# " + t, st.text(alphabet="abc xyz:-[]#'\"", max_size=20))
other_key = st.sampled_from(["model: gpt-4o", "auto-commits: false", "map-tokens: 1024", "x: 1"])
entry_name = st.sampled_from(["CONVENTIONS.md", "docs/style.md", '"with space.md"', "'q.md'"])


@st.composite
def config(draw: st.DrawFn) -> str:
    """A `.aider.conf.yml` with `read:` absent, a scalar, a flow list, a block list or empty."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    head = draw(st.lists(st.one_of(comment, other_key, st.just("")), max_size=4))
    tail = draw(st.lists(st.one_of(comment, other_key, st.just("")), max_size=4))
    names = draw(st.lists(entry_name, min_size=1, max_size=3))
    trailing = draw(st.sampled_from(["", "  # why"]))
    form = draw(st.sampled_from(["absent", "scalar", "flow", "block", "block0", "empty"]))
    if form == "absent":
        read: list[str] = []
    elif form == "scalar":
        read = [f"read: {names[0]}{trailing}"]
    elif form == "flow":
        read = [f"read: [{', '.join(names)}]{trailing}"]
    elif form == "empty":
        read = [f"read:{trailing}"]
    else:
        indent = "" if form == "block0" else "  "
        read = [f"read:{trailing}"] + [f"{indent}- {n}" for n in names]
        if draw(st.booleans()):
            read.insert(2, f"{indent}# a comment between items")
    lines = head + read + tail
    text = newline.join(lines)
    if lines and draw(st.booleans()):
        text += newline
    return text


@settings(max_examples=400, deadline=None)
@given(text=config())
def test_the_entry_is_added_and_removed_without_touching_another_byte(text: str) -> None:
    before = aider.read_entries(text)
    out = aider.add_entry(text, ENTRY)
    assert aider.read_entries(out)[: len(before)] == before
    assert ENTRY in aider.read_entries(out)
    assert aider.add_entry(out, ENTRY) == out  # idempotent
    assert aider.remove(out) == text  # exactly the person's bytes again
    region = aider.find_region(out)
    assert region is not None
    assert not region.drifted
    prefix, suffix = out[: region.start], out[region.end :]
    if "eol" in region.attributes:  # memtui ended the person's last line
        prefix = prefix[: -len(blocks.newline_of(text))]
    # Every byte outside memtui's lines is the person's, unchanged and in place; a replaced
    # line is kept verbatim in the region.
    assert text.startswith(prefix)
    assert text.endswith(suffix)
    middle = text[len(prefix) : len(text) - len(suffix)]
    assert middle.rstrip("\r\n") == (region.original or "")
    if "\r\n" in text:
        assert "\n" not in out.replace("\r\n", "")


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300).filter(
        lambda t: "read" not in t and "memtui:" not in t and not t.lstrip().startswith("{")
    )
)
def test_a_file_without_read_keeps_its_text_as_a_prefix(text: str) -> None:
    try:
        out = aider.add_entry(text, ENTRY)
    except aider.AiderConfigError:
        return
    assert out.startswith(text)
    assert aider.remove(out) == text


def test_each_form_gives_the_expected_file() -> None:
    assert aider.add_entry("", ENTRY).splitlines()[1:] == ["read:", "  - AGENTS.md", "# memtui:end"]
    scalar = aider.add_entry("# mine\nread: CONVENTIONS.md  # team\nmodel: x\n", ENTRY)
    assert scalar.startswith("# mine\n# memtui:begin v=1 sha256=")
    assert scalar.split("\n")[2:] == [
        "# memtui:was read: CONVENTIONS.md  # team",
        "read:",
        "  - CONVENTIONS.md",
        "  - AGENTS.md",
        "# memtui:end",
        "model: x",
        "",
    ]
    flow = aider.add_entry("read: [a.md, 'b, c.md']\n", ENTRY)
    assert aider.read_entries(flow) == ("a.md", "b, c.md", "AGENTS.md")
    block = aider.add_entry("read:\n    - a.md # x\n\n# end\n", ENTRY)
    assert block.startswith("read:\n    - a.md # x\n# memtui:begin")
    assert block.endswith("    - AGENTS.md\n# memtui:end\n\n# end\n")


def test_an_entry_the_person_lists_needs_no_region() -> None:
    for text in ("read: AGENTS.md\n", "read: [./AGENTS.md]\n", "read:\n  - 'AGENTS.md'\n"):
        assert aider.add_entry(text, ENTRY) == text
    # listed by the person after memtui added it: memtui's lines go
    added = aider.add_entry("read:\n  - a.md\n", ENTRY)
    assert aider.add_entry(added + "# later\n", ENTRY) == added + "# later\n"


def test_absolute_paths_are_quoted_when_needed() -> None:
    out = aider.add_entry("", "/home/me/My Rules/memtui-global.md")
    assert '  - "/home/me/My Rules/memtui-global.md"' in out
    assert aider.read_entries(out) == ("/home/me/My Rules/memtui-global.md",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("read: |\n  AGENTS.md\n", "does not edit"),
        ("read: &files [a]\n", "does not edit"),
        ("read: [a,\n  b]\n", "several lines"),
        ("read: a\nread: b\n", "appears twice"),
        ("read: a\n  continued\n", "continues"),
        ("read:\n  - a\n   - b\n", "continues"),
        ("{read: a}\n", "flow mapping"),
        ("read: [a, [b]]\n", "nested"),
    ],
)
def test_forms_that_cannot_be_extended_safely_are_refused(text: str, message: str) -> None:
    with pytest.raises(aider.AiderConfigError, match=message):
        aider.add_entry(text, ENTRY, name=".aider.conf.yml")


def test_edits_inside_memtuis_lines_and_broken_markers_are_refused() -> None:
    out = aider.add_entry("read: a.md\n", ENTRY)
    edited = out.replace("  - a.md\n", "  - a.md\n  - b.md\n")
    with pytest.raises(aider.AiderConfigError, match="edited between"):
        aider.add_entry(edited, ENTRY)
    assert aider.read_entries(aider.add_entry(edited, ENTRY, overwrite=True)) == ("a.md", ENTRY)
    with pytest.raises(blocks.MarkerError, match="broken"):
        aider.add_entry("# memtui:begin v=1\nread: [a]\n", ENTRY)
