"""The CAT tools' dialogs: concordance (ctrl+k), the document's analysis, a segment's comment."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from workbench.jobs.concordance import ConcordanceHit

#: How occurrences of the searched text are shown in the concordance.
HIT_STYLE = "bold black on yellow"


def marked(text: str, spans: tuple[tuple[int, int], ...]) -> Text:
    """``text`` with each span in :data:`HIT_STYLE`."""
    out = Text(text)
    for start, end in spans:
        out.stylize(HIT_STYLE, start, end)
    return out


def hits_text(hits: list[ConcordanceHit]) -> Text:
    """The concordance results: origin line, then source and target with the occurrences marked."""
    out = Text()
    if not hits:
        return Text("no hits", style="dim")
    for h in hits:
        out.append(f"[{h.kind}] {h.origin}", style="cyan")
        out.append(f"  {h.when[:16]}\n" if h.when else "\n", style="dim")
        out.append_text(marked(h.source, h.source_spans))
        out.append("\n")
        out.append_text(marked(h.target, h.target_spans))
        out.append("\n\n")
    return out


class ConcordanceScreen(ModalScreen[None]):
    """Search the translation memory, the project and the glossary for a text (ctrl+k)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="concordance.close")
    ]

    def __init__(self, search: Callable[[str], list[ConcordanceHit]], text: str = "") -> None:
        super().__init__()
        self.search = search
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="concordance"):
            yield Label("Concordance: translation memory, project and glossary", classes="dialog-title")
            yield Input(
                self.text, placeholder="Chinese or English text (Enter searches)", id="concordance-text"
            )
            with VerticalScroll(id="concordance-scroll"):
                yield Static("", id="concordance-hits")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.text.strip():
            self.run_search(self.text)

    @on(Input.Submitted, "#concordance-text")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)

    def run_search(self, text: str) -> None:
        """Search and show the hits."""
        hits = self.search(text)
        self.query_one("#concordance-hits", Static).update(hits_text(hits))
        self.query_one(Label).update(f"Concordance: {len(hits)} hit(s) for {text.strip()!r}")


class TextScreen(ModalScreen[None]):
    """A read-only text in a dialog (the analysis)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close", id="text.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="text-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static(Text(self.body), id="text-body")
            yield Footer()


class CommentScreen(ModalScreen[str | None]):
    """Read and edit the current segment's comment (Enter saves, an empty comment removes it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="comment.cancel")
    ]

    def __init__(self, source: str, comment: str) -> None:
        super().__init__()
        self.source = source
        self.comment = comment

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Comment on the segment (Enter saves; empty removes it)", classes="dialog-title")
            yield Static(Text(self.source, style="dim"))
            yield Input(self.comment, id="comment-text")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#comment-text")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
