"""The export dialogs: the preview of what `E` would write, and the first-start import offer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from memtui.ui.format import short_path
from memtui.ui.screens.dialogs import DIALOG_CSS

if TYPE_CHECKING:
    from memtui.core.records import ExportFile, ExportPlan, RulesFile

ACTION_STYLE = {
    "create": "bold $success",
    "update": "bold $warning",
    "unchanged": "$text-muted",
    "blocked": "bold $error",
}
"""How each file action (core.records.FileAction, a string enum) is drawn."""


def diff_lines(diff: str) -> list[Content]:
    """A unified diff, line by line, with added and removed lines in the diff colours."""
    shown = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            shown.append(Content.styled(line, "bold"))
        elif line.startswith("+"):
            shown.append(Content.styled(line, "$memtui-diff-added"))
        elif line.startswith("-"):
            shown.append(Content.styled(line, "$memtui-diff-removed"))
        elif line.startswith("@@"):
            shown.append(Content.styled(line, "$text-muted"))
        else:
            shown.append(Content(line))
    return shown


def file_line(file: ExportFile) -> Content:
    """One file of a plan: its action, path, targets and belief count (or why it is blocked)."""
    action = file.action.value
    detail = (
        f": {file.reason}"
        if action == "blocked"
        else f"  ({', '.join(file.targets)}; {len(file.memory_ids)} belief(s))"
    )
    if file.skipped is not None and action != "blocked":
        detail = f"  ({', '.join(file.targets)} skipped: {file.skipped})"
    return Content.assemble(
        (f"{action:<10}", ACTION_STYLE[action]), short_path(file.path), (detail, "$text-muted")
    )


def plan_content(plan: ExportPlan, *, diffs: bool) -> Content:
    """A whole plan: one line per file, its warnings, and (with `diffs`) its diff."""
    rows: list[Content] = []
    for file in plan.files:
        rows.append(file_line(file))
        rows.extend(Content.styled(f"          {w}", "$warning") for w in file.warnings)
        if diffs and file.diff:
            rows.extend(diff_lines(file.diff))
            rows.append(Content(""))
    rows.extend(Content.styled(f"note: {note}", "$text-muted") for note in plan.notes)
    if not plan.files:
        rows.append(Content("No rules file to write for this project."))
    return Content("\n").join(rows)


class PreviewScreen(ModalScreen[str | None]):
    """What exporting would write, file by file, as diffs. `w` writes it, `y` copies the
    rendered beliefs, Escape leaves everything as it is."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PreviewScreen")
        + "PreviewScreen > Vertical { width: 110; } PreviewScreen VerticalScroll "
        "{ height: auto; max-height: 28; }"
    )
    BINDINGS = [  # noqa: RUF012 - Textual reads this class attribute
        Binding("w", "dismiss('write')", "Write these files"),
        Binding("y", "dismiss('copy')", "Copy the beliefs"),
        Binding("escape,q", "dismiss(None)", "Close"),
    ]

    def __init__(self, plan: ExportPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        where = short_path(self.plan.project) if self.plan.project else "user-level files only"
        changes = len(self.plan.changes)
        with Vertical():
            yield Label(f"Export preview: {where}", classes="title")
            with VerticalScroll():
                yield Static(plan_content(self.plan, diffs=True))
            hint = (
                f"w: write the {changes} changed file(s) · y: copy the rendered beliefs · "
                "Escape: close"
                if changes
                else "Nothing to write: every file is up to date or blocked. "
                "y: copy the rendered beliefs · Escape: close"
            )
            yield Static(hint, classes="hint")


class ImportOfferScreen(ModalScreen[str | None]):
    """On first start: the rules files memtui found, offered for import as beliefs."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ImportOfferScreen")
        + "ImportOfferScreen VerticalScroll { height: auto; max-height: 20; }"
    )
    BINDINGS = [  # noqa: RUF012
        Binding("enter,i", "dismiss('import')", "Import them"),
        Binding("n,escape", "dismiss('later')", "Not now"),
        Binding("x", "dismiss('never')", "Never ask"),
    ]

    def __init__(self, files: Sequence[RulesFile]) -> None:
        super().__init__()
        self.files = files

    def compose(self) -> ComposeResult:
        total = sum(f.instructions for f in self.files)
        rows = [
            Content.assemble(
                (f"{f.instructions:>4}  ", "bold"),
                short_path(f.path),
                (f"  ({f.target})", "$text-muted"),
            )
            for f in self.files
        ]
        with Vertical():
            yield Label("Import the rules you already wrote?", classes="title")
            yield Static(
                f"memtui found {len(self.files)} rules file(s) of your projects, with {total} "
                "instruction line(s). Imported, each line becomes a confirmed belief of yours "
                "(the same statement is not duplicated; one that contradicts a decision of "
                "yours goes to the inbox instead). The files are not changed."
            )
            with VerticalScroll():
                yield Static(Content("\n").join(rows))
            yield Static("Enter: import them · n: not now · x: never ask again", classes="hint")
