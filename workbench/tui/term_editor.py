"""Editing and deleting glossary terms from the editor (alt+t): the renderings (the approved one first),
source variants, forbidden renderings and note of a term of the current segment. The term's own file is
rewritten atomically, everything is re-checked at once, and the change is one undo step (ctrl+z)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from workbench.errors import WorkbenchError
from workbench.terms.model import Entry
from workbench.tui.editor_host import EditorMixin
from workbench.tui.screens import ChoiceScreen

#: Between several values in one field.
SEPARATOR = ";"


def split_field(value: str) -> tuple[str, ...]:
    """``a; b ;c`` → ``("a", "b", "c")`` (empty parts dropped)."""
    return tuple(p.strip() for p in value.split(SEPARATOR) if p.strip())


class TermEdit:
    """What the dialog returns: the edited entry, or ``delete``."""

    def __init__(self, entry: Entry | None, delete: bool = False) -> None:
        self.entry, self.delete = entry, delete


class TermScreen(ModalScreen[TermEdit | None]):
    """Edit one term: Enter saves, ctrl+r deletes the term, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="term.cancel"),
        Binding("ctrl+r", "delete", "Delete term", id="term.delete"),
    ]

    def __init__(self, entry: Entry, where: str) -> None:
        super().__init__()
        self.entry, self.where = entry, where

    def compose(self) -> ComposeResult:
        e = self.entry
        sep = f"{SEPARATOR} "
        with Vertical(classes="dialog"):
            yield Label(f"Edit the term [b]{e.source}[/]  [dim]({self.where})[/]", classes="dialog-title")
            yield Label("Renderings, the approved one first (separate with ;):")
            yield Input(sep.join((e.target, *e.alternatives)), id="term-renderings")
            yield Label("Source variants:")
            yield Input(sep.join(e.variants), id="term-variants")
            yield Label("Forbidden renderings:")
            yield Input(sep.join(e.forbidden), id="term-forbidden")
            yield Label("Note (Enter saves · ctrl+r deletes the term):")
            yield Input(e.note, id="term-note")
            yield Static("", id="term-error")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#term-renderings", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#term-{name}", Input).value

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        from dataclasses import replace

        renderings = split_field(self._value("renderings"))
        if not renderings:
            self.query_one("#term-error", Static).update(
                "[red]A term needs a rendering (ctrl+r deletes it).[/]"
            )
            return
        try:
            entry = replace(
                self.entry,
                target=renderings[0],
                alternatives=renderings[1:],
                variants=split_field(self._value("variants")),
                forbidden=split_field(self._value("forbidden")),
                note=self._value("note"),
            )
        except ValueError as exc:
            self.query_one("#term-error", Static).update(f"[red]{exc}[/]")
            return
        self.dismiss(TermEdit(entry))

    def action_delete(self) -> None:
        self.dismiss(TermEdit(None, delete=True))


class EditorTerms(EditorMixin):
    """The edit-term action (mixed into ``EditorScreen``)."""

    def action_edit_term(self) -> None:
        self.sync_table()
        self.flush_edit()
        terms = self.session.terms_in(self.current().source)
        if not terms:
            self.notify("No glossary term in this segment (ctrl+t adds one).", severity="warning")
            return
        if len(terms) == 1:
            self.edit_term(terms[0])
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self.edit_term(terms[index])

        choices = [f"{e.source} → {e.target}" for e in terms]
        self.app.push_screen(ChoiceScreen("Edit which term?", choices), chosen)

    def edit_term(self, entry: Entry) -> None:
        """Open the term dialog for ``entry``; saving rewrites its file."""
        try:
            where = Path(self.session.term_file(entry)).name
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return

        def done(result: TermEdit | None) -> None:
            if result is None:
                return
            try:
                path = self.session.edit_term(entry, None if result.delete else result.entry)
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self._recheck()
            what = "Deleted" if result.delete else "Saved"
            self.notify(f"{what} {entry.source} in {Path(path).name}; everything re-checked (ctrl+z undoes).")

        self.app.push_screen(TermScreen(entry, where), done)
