"""Rendering is grouped, escaped and deterministic; reading instructions skips what is not one."""

from __future__ import annotations

from datetime import UTC, datetime

from memtui.core.models import Kind, Scope, Status
from memtui.core.records import MemoryRecord
from memtui.services.export import lines, render

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def belief(memory_id: int, text: str, kind: Kind = Kind.RULE) -> MemoryRecord:
    return MemoryRecord(
        memory_id, kind, text, Status.CONFIRMED, Scope.PROJECT, "/p", 1.0, False, NOW, NOW
    )


def test_grouped_by_kind_and_independent_of_input_order() -> None:
    beliefs = [
        belief(3, "API handlers live in src/api", Kind.FACT),
        belief(1, "Use pnpm, not npm"),
        belief(2, "Answer tersely", Kind.PREFERENCE),
        belief(4, "Never run migrations against prod"),
    ]
    body = render.render_body(beliefs)
    assert body == [
        "Rules:",
        "- Use pnpm, not npm",
        "- Never run migrations against prod",
        "",
        "Preferences:",
        "- Answer tersely",
        "",
        "Facts:",
        "- API handlers live in src/api",
    ]
    assert render.render_body(list(reversed(beliefs))) == body
    assert not any(line.startswith("#") for line in body)


def test_mentions_and_tags_are_escaped_but_code_spans_kept() -> None:
    assert render.escape("Ask @alice about @types/node") == "Ask `@alice` about `@types/node`"
    assert render.escape("Mail me at a@b.com") == "Mail me at a@b.com"
    assert render.escape("Keep `@Injectable()` and\n<div> out") == (
        "Keep `@Injectable()` and `<div>` out"
    )


def test_provenance_is_a_trailing_comment() -> None:
    line = render.bullet(belief(7, "Use pnpm"), provenance=True)
    assert line.startswith("- Use pnpm <!-- memtui #7 rule")
    assert "--" not in line.removeprefix("- Use pnpm <!--").removesuffix("-->")


def test_instructions_are_bullets_and_sentences_only() -> None:
    text = (
        "---\ndescription: x\nalwaysApply: true\n---\n"
        "# Project rules\n\n"
        "- Use pnpm, not npm.\n"
        "  Run it from the root.\n"
        "1. Write tests first\n\n"
        "We deploy on Fridays. Never on weekends.\n\n"
        "## Preferences\n"
        "* Answer tersely\n\n"
        "```sh\n- not an instruction\n```\n"
        "<!-- a comment\n- nor this -->\n"
        "| a | b |\n"
        "@AGENTS.md\n"
        "When writing tests:\n"
        "- Use pytest\n"
    )
    found = lines.instructions(text)
    assert [(i.line, i.text, i.kind) for i in found] == [
        (7, "Use pnpm, not npm. Run it from the root.", Kind.RULE),
        (9, "Write tests first", Kind.RULE),
        (11, "We deploy on Fridays.", Kind.RULE),
        (11, "Never on weekends.", Kind.RULE),
        (14, "Answer tersely", Kind.PREFERENCE),
        (24, "Use pytest", Kind.RULE),
    ]


def test_memtuis_own_region_is_skipped_and_lines_after_it_keep_their_numbers() -> None:
    text = (
        "- mine\n\n<!-- memtui:begin v=1 scope=project sha256=x -->\n- theirs\n"
        "<!-- memtui:end -->\n- after\n"
    )
    assert [(i.line, i.text) for i in lines.instructions(text)] == [(1, "mine"), (6, "after")]
