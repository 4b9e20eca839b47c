"""Dialogs: open/recent projects, filter by status, add a glossary term, pick one of a few (export:
``workbench.tui.export_dialog``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.records import Status
from workbench.tui.widgets import STATUS_MARK

FILTERS = (
    ("all", "All paragraphs"),
    (str(Status.NEW), f"{STATUS_MARK[Status.NEW]} New (no draft)"),
    (str(Status.DRAFTED), f"{STATUS_MARK[Status.DRAFTED]} Drafted"),
    (str(Status.EDITED), f"{STATUS_MARK[Status.EDITED]} Edited"),
    (str(Status.REVIEWED), f"{STATUS_MARK[Status.REVIEWED]} Reviewed"),
    (str(Status.APPROVED), f"{STATUS_MARK[Status.APPROVED]} Approved"),
    (str(Status.TM_EXACT), f"{STATUS_MARK[Status.TM_EXACT]} Filled from memory"),
    ("untranslated", "Untranslated (no final text)"),
    ("violations", "✗ Glossary violations"),
    ("qa", "⚠ QA findings"),
)


class FilterScreen(ModalScreen[str | None]):
    """Pick which paragraphs the table shows."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Show paragraphs with a segment that is…", classes="dialog-title")
            options = OptionList(*[Option(label, id=key) for key, label in FILTERS], id="filter-list")
            yield options
            yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = [k for k, _ in FILTERS].index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it (shorter, stable in tests)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class AddTermScreen(ModalScreen[tuple[str, str] | None]):
    """Add a glossary term: source (prefilled from the selection) and its approved rendering."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(
        self, source: str, target: str = "", title: str = "Add a term to the project glossary"
    ) -> None:
        super().__init__()
        self.source, self.target, self.heading = source, target, title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Label("Source term:")
            yield Input(self.source, id="term-source")
            yield Label("Approved English rendering (Enter saves):")
            yield Input(self.target, id="term-target")
            yield Static("", id="term-error")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#term-target" if self.source else "#term-source", Input).focus()

    @on(Input.Submitted)
    def _go(self, event: Input.Submitted) -> None:
        source = self.query_one("#term-source", Input).value.strip()
        target = self.query_one("#term-target", Input).value.strip()
        if event.input.id == "term-source" and not target:
            self.query_one("#term-target", Input).focus()
            return
        if not source or not target:
            self.query_one("#term-error", Static).update("Both the source term and its rendering are needed.")
            return
        self.dismiss((source, target))


class ChoiceScreen(ModalScreen[int | None]):
    """Pick one of a few lines (Enter); the result is its position, None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, choices: list[str]) -> None:
        super().__init__()
        self.heading, self.choices = title, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield OptionList(*[Option(c, id=str(i)) for i, c in enumerate(self.choices)], id="choice-list")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)


class OpenScreen(Screen[None]):
    """Start screen of a bare ``workbench``: recent projects and a path to open."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Quit", id="open.quit")]

    def __init__(self, recent: list[str]) -> None:
        super().__init__()
        self.recent = recent

    def compose(self) -> ComposeResult:
        with Vertical(id="open-box"):
            yield Label("workbench — zh→en translation", classes="dialog-title")
            if self.recent:
                yield Label("Recent projects (Enter opens):")
                yield OptionList(*[Option(shown_path(Path(p)), id=p) for p in self.recent], id="recent-list")
            else:
                yield Label("No recent projects.")
            yield Label("Open a source text file or a .wbproj project:")
            yield Input(placeholder="path/to/file.txt", id="open-path")
            yield Static("", id="open-error")
        yield Footer()

    def on_mount(self) -> None:
        if self.recent:
            self.query_one(OptionList).focus()
        else:
            self.query_one(Input).focus()

    @on(OptionList.OptionSelected)
    def _recent(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id or "")

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self._open(event.value.strip())

    def _open(self, path: str) -> None:
        from workbench.errors import WorkbenchError

        if not path:
            return
        try:
            self.app.open_path(Path(path).expanduser())
        except WorkbenchError as exc:
            self.query_one("#open-error", Static).update(f"[red]{exc}[/]")
