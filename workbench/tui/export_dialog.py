"""The export dialog: every format the command line writes, in a list the arrow keys move in; the path
follows the highlighted format (and can be edited after Tab); Enter exports what is highlighted.

Every export goes through the one dispatcher, ``workbench.formats.exporters.export``.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.formats.exporters import ExportKind, ExportOptions
from workbench.tui.screens import shown_path


class ExportChoice(str, Enum):
    """One line of the export dialog: a format and the options that make it (the Word review table is
    the ``docx`` format with the table layout, as ``export --layout table`` writes it)."""

    TMX = "tmx"
    XLIFF = "xliff"
    MARKDOWN = "md"
    TEXT = "txt"
    DOCX = "docx"
    DOCX_REVIEW = "review.docx"
    OMEGAT = "omegat"
    TBX = "tbx"
    GLOSSARY_TSV = "tsv"

    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    @property
    def kind(self) -> ExportKind:
        """The exporter's format."""
        return ExportKind.DOCX if self is ExportChoice.DOCX_REVIEW else ExportKind(self.value)

    @property
    def options(self) -> ExportOptions:
        """The exporter's options for this choice."""
        return ExportOptions(layout="table") if self is ExportChoice.DOCX_REVIEW else ExportOptions()

    @property
    def suffix(self) -> str:
        """What the default file name ends with (``-omegat`` for the project folder)."""
        return {
            ExportChoice.OMEGAT: "-omegat",
            ExportChoice.DOCX: ".en.docx",
            ExportChoice.DOCX_REVIEW: ".review.docx",
            ExportChoice.TBX: ".glossary.tbx",
            ExportChoice.GLOSSARY_TSV: ".glossary.txt",
            ExportChoice.TEXT: ".en.txt",
        }.get(self, f".{self.value}")


#: The dialog's lines, in order.
EXPORT_CHOICES: tuple[tuple[ExportChoice, str], ...] = (
    (ExportChoice.TMX, "TMX 1.4b translation memory"),
    (ExportChoice.XLIFF, "XLIFF 1.2 bilingual file"),
    (ExportChoice.MARKDOWN, "Markdown, source and translation"),
    (ExportChoice.TEXT, "Plain text, the translation"),
    (ExportChoice.DOCX, "Word document, translated"),
    (ExportChoice.DOCX_REVIEW, "Word review table (source | translation | comment | status)"),
    (ExportChoice.OMEGAT, "OmegaT project (folder)"),
    (ExportChoice.TBX, "Glossary as TBX"),
    (ExportChoice.GLOSSARY_TSV, "Glossary as OmegaT tab-separated file"),
)


class ExportScreen(ModalScreen[tuple[ExportChoice, Path] | None]):
    """Choose an export format (arrow keys) and where to write it; Enter exports."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel")]

    def __init__(self, defaults: dict[ExportChoice, Path], choice: ExportChoice | str | None = None) -> None:
        super().__init__()
        self.defaults = defaults
        self.choice = ExportChoice(choice) if choice else EXPORT_CHOICES[0][0]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                "Export the document  [dim](↑↓ format · Tab path · Enter exports)[/]", classes="dialog-title"
            )
            yield OptionList(*[Option(label, id=str(c)) for c, label in EXPORT_CHOICES], id="export-list")
            yield Label("Write to:")
            yield Input(shown_path(self.defaults[self.choice]), id="export-path")
            yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = [c for c, _ in EXPORT_CHOICES].index(self.choice)
        options.focus()

    @on(OptionList.OptionHighlighted)
    def _format(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.choice = ExportChoice(event.option.id)
            self.query_one(Input).value = shown_path(self.defaults[self.choice])

    @on(OptionList.OptionSelected)
    def _format_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.choice = ExportChoice(event.option.id)
        self._go(self.query_one(Input).value)

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self._go(event.value)

    def _go(self, value: str) -> None:
        value = value.strip()
        if value:
            self.dismiss((self.choice, Path(value).expanduser()))
