"""The panes around the review list: the candidate, where it came from, its lineage, its diff.

Each pane is handed finished records and draws them; it never loads anything itself. Colours
are theme variables only (`$memtui-quote`, `$memtui-diff-added`, ...), so every theme applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from memtui.core.rows import InboxRow
from memtui.ui.format import KIND_LABEL, ago, project_name, short_path, when, where

if TYPE_CHECKING:
    from memtui.core.records import (
        EventRecord,
        EvidenceRecord,
        MemoryDetail,
        RelatedBelief,
        RevisionRecord,
    )
    from memtui.services.diff import Piece
    from memtui.services.provenance import Provenance

Part = str | tuple[str, str]

AUTHOR_LABEL = {
    "human": ("you", "bold $primary"),
    "pasted": ("you (pasted)", "bold $primary"),
    "injected": ("harness", "$text-muted"),
    "tool": ("tool", "$text-muted"),
    "agent": ("agent", "bold $secondary"),
}
"""How each author (core.transcripts.Author, a string enum) is labelled."""
CHANGE_STYLE = {
    "same": "",
    "added": "bold $memtui-diff-added underline",
    "removed": "$memtui-diff-removed strike",
}
"""How each kind of change (services.diff.Change, a string enum) is drawn."""


class Pane(VerticalScroll):
    """A scrolling pane holding one body of text."""

    DEFAULT_CSS = """
    Pane { height: 1fr; padding: 0 1; background: $surface; }
    Pane > Static { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="body")

    def show(self, content: Content) -> None:
        """Replace the pane's text and scroll back to its top."""
        self.query_one("#body", Static).update(content)
        self.scroll_home(animate=False)


class TabbedPanes(Vertical):
    """Panes behind a row of tabs, (name, key) each: every pane keeps its content, the one
    chosen is shown. The tabs and the pane are drawn again only when they change: while the
    person types a search, each result moves the cursor, and redrawing the lower half of the
    screen per key cost more than the search."""

    DEFAULT_CSS = """
    TabbedPanes > #tabs { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, tabs: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = tuple(tabs)
        self.tab = self.tabs[0][0]
        """The pane shown (drawn on the next `show` or `choose`)."""
        self.contents: dict[str, Content] = {}
        self._drawn_tab: str | None = None
        self._drawn: Content | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="tabs")
        yield Pane(id="pane")

    def on_mount(self) -> None:
        self.draw()

    def show(self, **contents: Content) -> None:
        """Keep these panes' new contents (by tab name) and draw the one chosen."""
        self.contents.update(contents)
        self.draw()

    def choose(self, name: str) -> None:
        """Show the pane of this tab."""
        self.tab = name
        self.draw()

    def draw(self) -> None:
        if self._drawn_tab != self.tab:
            labels = [
                (
                    f" {name.capitalize()} ({key}) ",
                    "bold reverse $accent" if name == self.tab else "",
                )
                for name, key in self.tabs
            ]
            self.query_one("#tabs", Static).update(Content.assemble(*labels), layout=False)
            self._drawn_tab = self.tab
        content = self.contents.get(self.tab, BLANK)
        if content is not self._drawn:
            self.query_one("#pane", Pane).show(content)
            self._drawn = content


BLANK = Content("")


def lines(*rows: Content | str) -> Content:
    """Rows of content, one per line."""
    return Content("\n").join(Content(r) if isinstance(r, str) else r for r in rows)


AROUND_QUOTE = 240
"""Characters kept either side of the quote in a long source message, so the quote is in view."""


def quoted(text: str, quote: str) -> Content:
    """A message with the quote the statement was taken from highlighted; a long message is
    cut to the quote and a little either side, saying how much was left out."""
    where = text.find(quote) if quote else -1
    if where < 0:
        return Content(text)
    start = max(0, where - AROUND_QUOTE)
    end = min(len(text), where + len(quote) + AROUND_QUOTE)
    parts: list[Part] = []
    if start:
        parts.append((f"[… {start} characters before]\n", "$text-muted"))
    parts.extend([text[start:where], (quote, "bold $memtui-quote"), text[where + len(quote) : end]])
    if end < len(text):
        parts.append((f"\n[… {len(text) - end} characters after]", "$text-muted"))
    return Content.assemble(*parts)


def diff_content(pieces: Iterable[Piece]) -> Content:
    """A word-level diff on two lines: the old text with its removed words marked, then the
    new text with its added words marked."""
    pieces = list(pieces)
    old = [(p.text, CHANGE_STYLE[p.change]) for p in pieces if p.change != "added"]
    new = [(p.text, CHANGE_STYLE[p.change]) for p in pieces if p.change != "removed"]
    return lines(
        Content.assemble(("− ", "bold $memtui-diff-removed"), *old),
        Content.assemble(("+ ", "bold $memtui-diff-added"), *new),
    )


def card(row: InboxRow | None, detail: MemoryDetail | None, now: datetime) -> Content:
    """The candidate under the cursor: its text and what is known about it."""
    if row is None:
        return Content("Nothing to review.")
    facts: list[Part] = [
        (KIND_LABEL[row.kind], "bold $secondary"),
        f"  #{row.id}  ",
        (where(row), "$text-muted"),
        f"  seen {row.seen}×  confidence {row.confidence:.2f}  ",
        _last_seen(row, now),
    ]
    rows: list[Content | str] = [Content.styled(row.text, "bold"), Content.assemble(*facts)]
    if row.redactions:
        plural = "s" if row.redactions > 1 else ""
        rows.append(
            Content.styled(f"$ {row.redactions} secret{plural} removed before storing", "$warning")
        )
    if row.flags:
        rows.append(
            Content.styled(
                f"! flagged: {', '.join(row.flags)}. Confirming asks you to accept this.",
                "bold $error",
            )
        )
    if detail is not None:
        rows.extend(_related("≈ similar to", detail.similar))
        rows.extend(_related("↻ may replace", detail.may_replace))
    return lines(*rows)


def _last_seen(row: InboxRow, now: datetime) -> str:
    age = ago(row.last_seen, now)
    return "seen just now" if age == "now" else f"last seen {age} ago"


def _related(label: str, beliefs: Sequence[RelatedBelief]) -> list[Content]:
    return [
        Content.assemble((f"{label} ", "$warning"), f"#{b.id} ", (b.text, "italic"))
        for b in beliefs
    ]


def provenance_content(
    evidence: Sequence[EvidenceRecord], shown: Provenance | None, *, loading: bool = False
) -> Content:
    """Where the statement was made: the chosen sighting in context, then every sighting."""
    rows: list[Content | str] = []
    if shown is not None:
        ev = shown.evidence
        if shown.note:
            rows.extend([Content.styled(shown.note, "$warning"), ""])
            rows.append(Content.assemble(("quote: ", "$text-muted"), (ev.quote, "$memtui-quote")))
        for message in shown.messages:
            label, style = AUTHOR_LABEL[message.author]
            stamp = f"  {when(message.timestamp)}" if message.timestamp else ""
            marker = "▶ " if message.is_source else "  "
            rows.append(Content.assemble((marker + label, style), (stamp, "$text-muted")))
            body = quoted(message.text, ev.quote) if message.is_source else Content(message.text)
            rows.append(body if message.is_source else body.stylize("$text-muted"))
            if message.cut:
                rows.append(Content.styled(f"… {message.cut} more characters", "$text-muted"))
            rows.append("")
        rows.append(Content.styled(_where(ev), "$text-muted"))
    elif loading:
        rows.append(Content.styled("Reading the transcript…", "$text-muted"))
    if len(evidence) > 1:
        rows.extend(["", Content.styled(f"Seen {len(evidence)} times:", "bold")])
        for number, ev in enumerate(evidence, 1):
            rows.append(Content.assemble(f"{number}. ", (_where(ev), "$text-muted")))
            rows.append(Content.assemble("   ", (ev.quote, "italic")))
    return lines(*rows)


def _where(ev: EvidenceRecord) -> str:
    place = short_path(ev.path) if ev.path else "typed into memtui"
    if ev.line is not None:
        place += f":{ev.line}"
    elif ev.index is not None:
        place += f" [{ev.index}]"
    session = f" · session {ev.session_id[:8]}" if ev.session_id else ""
    rule = f" · rule {ev.rule}" if ev.rule else ""
    return f"{ev.tool} · {when(ev.timestamp or ev.created_at)}{session}{rule}\n{place}"


def lineage_content(detail: MemoryDetail | None) -> Content:
    """What the memory duplicates or would supersede, its supersession chain and its events."""
    if detail is None:
        return Content.styled("Loading…", "$text-muted")
    rows: list[Content | str] = []
    if detail.may_replace:
        rows.append(Content.styled("Would supersede (if you press s and pick it):", "bold"))
        rows.extend(_related("↻", detail.may_replace))
        rows.append("")
    if detail.similar:
        rows.append(Content.styled("Nearly repeats (merge it with m):", "bold"))
        rows.extend(_related("≈", detail.similar))
        rows.append("")
    if detail.lineage:
        rows.extend(_chain(detail))
    if not rows:
        rows.extend(["Nothing it duplicates or replaces, and no earlier version.", ""])
    rows.append(Content.styled("Events:", "bold"))
    rows.extend(_event(event) for event in detail.events)
    return lines(*rows)


def _chain(detail: MemoryDetail) -> list[Content | str]:
    """The supersession chain, oldest first, the memory itself pointed at; then a blank line."""
    rows: list[Content | str] = [Content.styled("Supersession chain, oldest first:", "bold")]
    for link in detail.lineage:
        here = "▶ " if link.id == detail.memory.id else "  "
        rows.append(
            Content.assemble(
                here, (f"#{link.id} {link.status.value:<10} ", "$text-muted"), link.text
            )
        )
    rows.append("")
    return rows


def belief_lineage_content(detail: MemoryDetail) -> Content:
    """A belief's supersession chain, what it nearly repeats, and its events, newest first."""
    rows: list[Content | str] = []
    if detail.lineage:
        rows.extend(_chain(detail))
    else:
        rows.extend(["It replaces nothing and nothing replaced it.", ""])
    if detail.similar:
        rows.append(Content.styled("Nearly repeats:", "bold"))
        rows.extend(_related("≈", detail.similar))
        rows.append("")
    rows.append(Content.styled("Events (h: its history):", "bold"))
    rows.extend(_event(event) for event in detail.events)
    return lines(*rows)


def _event(event: EventRecord) -> Content:
    return Content.assemble(
        (f"{when(event.created_at)}  ", "$text-muted"),
        (f"{event.action.value:<10}", "bold"),
        (f" by {event.actor} ({event.command})", "$text-muted"),
    )


def diff_pane_content(row: InboxRow | None, detail: MemoryDetail | None) -> Content:
    """The candidate against the belief it would replace (or nearly repeats); else the
    memory's own revisions, each against the one before."""
    if row is None or detail is None:
        return Content.styled("Loading…" if row else "", "$text-muted")
    from memtui.services.diff import word_diff  # difflib: when a diff is drawn

    target = (detail.may_replace or detail.similar or (None,))[0]
    rows: list[Content | str] = []
    if target is not None:
        verb = "would replace" if detail.may_replace else "nearly repeats"
        rows.append(Content.styled(f"#{row.id} {verb} #{target.id}:", "bold"))
        rows.append(diff_content(word_diff(target.text, row.text)))
        rows.append("")
    rows.extend(revision_diffs(detail.revisions))
    if not rows:
        rows.append("Nothing to compare: it replaces no belief and has one version.")
    return lines(*rows)


def revision_diffs(revisions: Sequence[RevisionRecord]) -> list[Content | str]:
    """Each revision of a statement against the one before it."""
    from memtui.services.diff import word_diff

    rows: list[Content | str] = []
    for older, newer in pairwise(revisions):
        rows.append(
            Content.styled(
                f"Revision {newer.number} ({when(newer.created_at)}) against {older.number}:",
                "bold",
            )
        )
        if older.text != newer.text:
            rows.append(diff_content(word_diff(older.text, newer.text)))
        changes = [
            f"{name} {a} → {b}"
            for name, a, b in (
                ("kind", older.kind.value, newer.kind.value),
                ("scope", older.scope.value, newer.scope.value),
                ("project", project_name(older.project), project_name(newer.project)),
            )
            if a != b
        ]
        if changes:
            rows.append(Content.styled(", ".join(changes), "$text-muted"))
        rows.append("")
    return rows
