"""The dialogs the review screen opens: edit, kind, belief picker, flag warning, help."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from memtui.core.models import Kind
from memtui.ui.format import FLAG_SIGNS, KIND_LABEL, project_name

if TYPE_CHECKING:
    from memtui.services.pick import Choice

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > Vertical {{
    width: 90; max-width: 95%; height: auto; max-height: 90%;
    border: round $primary; background: $panel; padding: 1 2;
}}
{name} .title {{ text-style: bold; color: $primary; margin-bottom: 1; }}
{name} .hint {{ color: $text-muted; margin-top: 1; }}
"""


class EditScreen(ModalScreen[str | None]):
    """Edit a statement's text; Enter keeps it, Escape drops the edit."""

    DEFAULT_CSS = DIALOG_CSS.format(name="EditScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]  # noqa: RUF012

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Input(self.text, id="text", select_on_focus=False)
            yield Static("Enter to save, Escape to cancel.", classes="hint")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        """Return the new text (an empty text is no edit)."""
        text = event.value.strip()
        self.dismiss(text if text else None)


class KindScreen(ModalScreen[Kind | None]):
    """Pick a kind: arrows and Enter, or its number."""

    DEFAULT_CSS = DIALOG_CSS.format(name="KindScreen") + "KindScreen OptionList { height: 8; }"
    BINDINGS = [  # noqa: RUF012
        Binding("escape", "dismiss(None)", "Cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, len(Kind) + 1)),
    ]

    def __init__(self, current: Kind) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        kinds = list(Kind)
        with Vertical():
            yield Label("Kind of this statement", classes="title")
            yield OptionList(
                *(Option(f"{n}  {KIND_LABEL[k]}", id=k.value) for n, k in enumerate(kinds, 1))
            )
            yield Static("1-6 or Enter to choose, Escape to cancel.", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = list(Kind).index(self.current)

    def action_pick(self, position: int) -> None:
        """Choose the kind with this position."""
        self.dismiss(list(Kind)[position])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Kind(event.option.id or self.current.value))


class FlagScreen(ModalScreen[bool]):
    """A flagged candidate is confirmed only once the person has read why it is flagged."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FlagScreen")
    BINDINGS = [  # noqa: RUF012
        Binding("y", "dismiss(True)", "Confirm anyway"),
        Binding("n,escape", "dismiss(False)", "Back"),
    ]

    def __init__(self, flagged: Sequence[tuple[int, str, tuple[str, ...]]]) -> None:
        super().__init__()
        self.flagged = flagged

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Flagged: this text may try to steer your agents", classes="title")
            for memory_id, text, flags in self.flagged:
                yield Static(
                    Content.assemble(
                        (f"#{memory_id} ", "bold"),
                        (", ".join(flags), "bold $error"),
                        "\n",
                        (text, "italic"),
                    )
                )
            yield Static(
                "Agents will read a confirmed belief as an instruction. "
                "y: confirm anyway · n or Escape: go back",
                classes="hint",
            )


class PickerScreen(ModalScreen[int | None]):
    """Choose a belief by typing a few words: the best match is first."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PickerScreen")
        + "PickerScreen OptionList { height: 14; } PickerScreen #subject { color: $text-muted; }"
    )
    BINDINGS = [  # noqa: RUF012
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
    ]

    def __init__(self, title: str, subject: str, load: Callable[[], list[Choice]]) -> None:
        super().__init__()
        self.title_text = title
        self.subject = subject
        self.load = load
        self.choices: list[Choice] | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Static(Content.assemble(("candidate: ", "bold"), self.subject), id="subject")
            yield Input(placeholder="type to search the beliefs (it starts from the candidate)")
            yield OptionList(id="choices")
            yield Static("Enter to choose, ↑↓ to move, Escape to cancel.", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).loading = True
        self.rank(self.subject)

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        self.rank(event.value or self.subject)

    @work(thread=True, exclusive=True, group="pick")
    def rank(self, query: str) -> None:
        """Load the beliefs once, then rank them for the query (a newer query drops this one)."""
        from memtui.services.pick import best

        if self.choices is None:
            self.choices = self.load()
        found = best(self.choices, query)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, found)

    def show(self, found: list[Choice]) -> None:
        options = self.query_one(OptionList)
        options.loading = False
        options.clear_options()
        if not found:
            options.add_option(Option("No belief matches: try other words.", disabled=True))
            return
        options.add_options(
            Option(
                Content.assemble(
                    (f"#{c.id} ", "$text-muted"),
                    c.text,
                    (f"  · {project_name(c.project)}", "$text-muted"),
                ),
                id=str(c.id),
            )
            for c in found
        )
        options.highlighted = 0

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    @on(Input.Submitted)
    def submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id is not None:
                self.dismiss(int(option.id))

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question before a change: y goes ahead, n or Escape does not."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [  # noqa: RUF012
        Binding("y", "dismiss(True)", "Yes"),
        Binding("n,escape", "dismiss(False)", "No"),
    ]

    def __init__(self, title: str, body: Content | str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield Static(self.body)
            yield Static("y: go ahead · n or Escape: leave it as it is", classes="hint")


class HelpScreen(ModalScreen[None]):
    """The keys of the review screen and what the list's signs mean."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="HelpScreen")
        + "HelpScreen VerticalScroll { height: auto; max-height: 30; }"
    )
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]  # noqa: RUF012

    def __init__(
        self,
        keys: Sequence[tuple[str, str]],
        *,
        title: str = "memtui: reviewing candidates",
        signs: bool = True,
    ) -> None:
        super().__init__()
        self.keys = keys
        self.title_text = title
        self.signs = signs

    def compose(self) -> ComposeResult:
        rows: list[Content | str] = [Content.styled("Keys", "bold")]
        rows.extend(
            Content.assemble((f"{key:>12}  ", "bold $accent"), text) for key, text in self.keys
        )
        if self.signs:
            rows.extend(["", Content.styled("Signs in the ⚑ column", "bold")])
            rows.extend(
                Content.assemble((f"{sign:>12}  ", "bold $warning"), text)
                for sign, text in FLAG_SIGNS
            )
        rows.extend(["", "Every key is also in the command palette (ctrl+p), with the themes."])
        if self.signs:
            rows.append("Decisions act on the marked candidates when some are marked (space).")
        with Vertical():
            yield Label(self.title_text, classes="title")
            with VerticalScroll():
                yield Static(
                    Content("\n").join(Content(r) if isinstance(r, str) else r for r in rows)
                )
            yield Static("Escape to close.", classes="hint")
