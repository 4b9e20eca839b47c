"""What the editor screen's mixins expect of the screen they are mixed into: :class:`EditorHost`.

``EditorScreen`` (``workbench.tui.editor``) is one Textual screen built from mixins, one per concern:
actions, approval, drafting, the glossary panel, QA, the side panels, term editing, CAT tools, undo. A mixin
reads the screen's state and calls the screen's methods and other mixins'. :class:`EditorHost` declares
those, typed, in one place; each mixin derives from :class:`EditorMixin`, so the type checker reads every
mixin as a Textual screen that has them (and checks that the mixin defining one matches its declaration).
At runtime :class:`EditorMixin` is a plain class: the one real ``Screen`` is ``EditorScreen``'s last base.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.text import Text
    from textual.screen import Screen

    from workbench.mt.engine import Engine
    from workbench.records import SegmentRecord
    from workbench.terms.checks import Finding
    from workbench.tui.dictionary import Dictionary
    from workbench.tui.palette import PaletteCommand
    from workbench.tui.session import Session
    from workbench.tui.widgets import RowIssue


class WorkbenchHost(Protocol):
    """What the editor asks of the app (``workbench.tui.app.WorkbenchApp``): its engine, beam and dictionary."""

    beam: int
    dictionary: Dictionary | None

    @property
    def engine_state(self) -> str:
        """A few words on the engine for the status line."""
        ...

    def start_dictionary(self) -> None:
        """Load CC-CEDICT in a thread (once)."""
        ...

    def wait_engine(self, cancel: threading.Event) -> Engine:
        """Block a worker thread until the engine is loaded."""
        ...


class EditorHost(Protocol):
    """The state and methods of the editor screen that its mixins use."""

    #: The open document and everything the UI changes goes through.
    session: Session
    #: The current paragraph (position in the document) and segment within it.
    par: int
    seg: int
    #: The table's status filter (``all``, ``violations``, ``qa``, ``untranslated`` or a status).
    filter: str
    #: Whether a drafting worker runs.
    drafting: bool

    @property
    def wb(self) -> WorkbenchHost:
        """The workbench app (its engine, beam and dictionary)."""
        ...

    # ----- the screen (workbench.tui.editor) -----------------------------------------------------

    def current(self) -> SegmentRecord:
        """The current segment."""
        ...

    def goto(self, par: int, seg: int, *, move_table: bool = False, flush: bool = True) -> None:
        """Make ``(par, seg)`` current."""
        ...

    def fill_table(self) -> None:
        """Rebuild the paragraph table."""
        ...

    def refresh_row(self, pos: int) -> None:
        """Redraw one paragraph row."""
        ...

    def sync_table(self) -> None:
        """Follow the table cursor now."""
        ...

    def load_segment(self) -> None:
        """Fill the detail pane for the current segment."""
        ...

    def edit_final(self) -> None:
        """Focus the final translation."""
        ...

    def flush_edit(self) -> None:
        """Save what is being typed."""
        ...

    def update_label(self) -> None:
        """The line above the segment list."""
        ...

    def update_status(self, extra: str = "") -> None:
        """The status line."""
        ...

    def hold_status(self, markup: str, seconds: float) -> None:
        """Show ``markup`` in the status line for ``seconds``."""
        ...

    @staticmethod
    def _segment_line(seg: SegmentRecord) -> Text:
        """A segment's line in the segment list."""
        ...

    # ----- the mixins ----------------------------------------------------------------------------

    def search_next(self, query: str) -> bool:
        """Go to the next segment matching ``query`` (``workbench.tui.actions``)."""
        ...

    def _first_untranslated(self) -> tuple[int, int] | None:
        """Where the first untranslated segment is (``workbench.tui.actions``)."""
        ...

    def _start_draft(self, targets: list[tuple[int, int]], what: str) -> None:
        """Draft ``targets`` in a worker (``workbench.tui.drafting``)."""
        ...

    def cancel_drafting(self) -> None:
        """Give up the running drafting job (``workbench.tui.drafting``)."""
        ...

    def approval_confirmed(self, seg: SegmentRecord) -> bool:
        """Whether ``seg`` may be approved now (``workbench.tui.approval``)."""
        ...

    def toggle_approval_question(self) -> None:
        """Turn the question before approving on or off (``workbench.tui.approval``)."""
        ...

    def start_names(self) -> None:
        """Find the document's names in a thread (``workbench.tui.glossary_panel``)."""
        ...

    def update_glossary(self, target: str) -> None:
        """The glossary panel for ``target`` (``workbench.tui.glossary_panel``)."""
        ...

    def _recheck(self) -> None:
        """Re-check the glossary after it changed (``workbench.tui.glossary_panel``)."""
        ...

    def schedule_qa(self, delay: float = ...) -> None:
        """Run a document QA pass after ``delay`` seconds (``workbench.tui.qa_panel``)."""
        ...

    def start_qa(self) -> None:
        """Run a document QA pass now (``workbench.tui.qa_panel``)."""
        ...

    def qa_findings(self, seg: SegmentRecord) -> tuple[Finding, ...]:
        """The QA findings of ``seg`` (``workbench.tui.qa_panel``)."""
        ...

    def row_issue(self, pos: int) -> RowIssue:
        """The worst issue of paragraph ``pos`` (``workbench.tui.qa_panel``)."""
        ...

    def qa_status(self) -> str:
        """The QA part of the status line (``workbench.tui.qa_panel``)."""
        ...

    def update_qa(self, target: str) -> None:
        """The QA panel for ``target`` (``workbench.tui.qa_panel``)."""
        ...

    def update_tm(self) -> None:
        """The translation-memory panel (``workbench.tui.panels``)."""
        ...

    def update_dictionary(self) -> None:
        """The dictionary panel (``workbench.tui.panels``)."""
        ...

    def count_status(self) -> str:
        """The counts part of the status line (``workbench.tui.cat_tools``)."""
        ...

    def update_comment(self) -> None:
        """The comment panel (``workbench.tui.cat_tools``)."""
        ...

    def cat_commands(self) -> list[PaletteCommand]:
        """The CAT tools' commands in the palette (``workbench.tui.cat_tools``)."""
        ...


if TYPE_CHECKING:

    class EditorMixin(Screen[None], EditorHost):
        """For the type checker: a Textual screen with the editor's state and methods."""

else:

    class EditorMixin:
        """At runtime a plain base: ``EditorScreen`` is the Textual screen."""
