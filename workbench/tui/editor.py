"""The editor screen: aligned paragraph table on top, the selected segment's detail below."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option

from workbench.errors import WorkbenchError
from workbench.records import ParagraphRecord, SegmentRecord, Status
from workbench.tui.actions import ACTIONS, EditorActions, key_bar_items
from workbench.tui.approval import EditorApproval
from workbench.tui.cat_tools import CAT_ACTIONS, EditorCatTools
from workbench.tui.drafting import EditorDrafting
from workbench.tui.glossary_panel import EditorGlossary
from workbench.tui.panels import EditorPanels
from workbench.tui.qa_panel import EditorQA
from workbench.tui.session import Session
from workbench.tui.term_editor import EditorTerms
from workbench.tui.undo_actions import EditorUndo
from workbench.tui.widgets import (
    DRAFT_FAILED,
    FAILED_MARK,
    QA_MARK,
    VIOLATION_MARK,
    FinalArea,
    KeyBar,
    ParagraphTable,
    RowIssue,
    SourceArea,
    fit,
    status_text,
)

if TYPE_CHECKING:
    from workbench.tui.editor_host import WorkbenchHost


class EditorScreen(
    EditorUndo,
    EditorApproval,
    EditorTerms,
    EditorCatTools,
    EditorActions,
    EditorDrafting,
    EditorGlossary,
    EditorQA,
    EditorPanels,
    Screen[None],
):
    """Aligned source | draft | final table with a detail pane for the current segment."""

    # Shown by the KeyBar (all of them, on two lines) rather than by Textual's one-line footer.
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: these keys act the same wherever the focus is (TextArea binds F6, F7 and ctrl+z
        # itself; ctrl+z/ctrl+y in the final translation hand over to its own undo). Space and Esc stay
        # ordinary so they still type a space and close things.
        Binding(
            a.key, a.action, a.label, id=a.binding_id, show=False, priority=a.key not in ("space", "escape")
        )
        for a in (*ACTIONS, *CAT_ACTIONS)
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.par = 0  # current paragraph (list position)
        self.seg = 0  # current segment within it
        self.filter = "all"
        self.drafting = False
        self._cancel = threading.Event()
        self._loaded: tuple[int, str] | None = None  # (segment id, text put in the editor)
        self._search = ""
        self._lines: dict[str, str] = {}  # what show_line last put in each one-line Static
        self._note: tuple[str, float] = ("", 0.0)  # a status-line note shown until a time (hold_status)

    # ----- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="title")
        yield ParagraphTable(id="paragraphs")
        with Horizontal(id="detail"):
            with Vertical(id="edit-col"):
                yield Static("", id="seg-label")
                yield OptionList(id="segments")
                yield Label("Source  [dim](select text: dictionary, ctrl+t adds a term)[/]", classes="field")
                yield SourceArea(id="source")
                yield Label("Machine draft", classes="field")
                yield Static("", id="draft")
                yield Label("Final translation  [dim](saved as you type)[/]", classes="field")
                yield FinalArea(id="final")
            with VerticalScroll(id="side"):
                yield Static("", id="glossary")
                yield Static("", id="qa")
                yield Static("", id="tm")
                yield Static("", id="dict")
                yield Static("", id="comment")
        with Horizontal(id="statusbar"):
            yield Static("", id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Input(placeholder="search source, draft and final (Enter: next match, Esc: close)", id="search")
        yield KeyBar(
            [
                *key_bar_items(),
                *((a.key, a.label) for a in CAT_ACTIONS),
                ("ctrl+p", "Commands"),
                ("ctrl+q", "Quit"),
            ]
        )

    def on_mount(self) -> None:
        self.query_one("#glossary").border_title = "Glossary"
        self.query_one("#qa").border_title = "QA"
        self.query_one("#tm").border_title = "Translation memory"
        self.query_one("#dict").border_title = "Dictionary"
        self.query_one("#comment").border_title = "Comment"
        self.query_one("#progress").display = False
        self.query_one("#search").display = False
        first = self._first_untranslated()
        self.par, self.seg = first if first else (0, 0)
        self.fill_table()
        self.load_segment()
        self.update_status()
        self.query_one(ParagraphTable).focus()
        self.wb.start_dictionary()
        self.call_after_refresh(self.start_names)
        self.call_after_refresh(self.start_qa)

    @property
    def wb(self) -> WorkbenchHost:
        """The workbench app (its engine, beam and dictionary)."""
        return cast("WorkbenchHost", self.app)

    # ----- table ---------------------------------------------------------------------------------

    def _row(self, pos: int) -> tuple[int, ParagraphRecord, str, RowIssue]:
        par = self.session.paragraph(pos)
        return pos, par, DRAFT_FAILED if self.session.failed(pos) else par.status, self.row_issue(pos)

    def _visible(self, pos: int) -> bool:
        f = self.filter
        if f == "all":
            return True
        segs = self.session.paragraph(pos).segments
        if f == "violations":
            return any(self.session.violations(s) for s in segs)
        if f == "qa":
            return any(self.qa_findings(s) for s in segs)
        if f == "untranslated":
            return any(not s.final and s.status is not Status.APPROVED for s in segs)
        return any(s.status == f for s in segs)

    def fill_table(self) -> None:
        """Rebuild the table from the session (after structural changes or a filter)."""
        rows = [self._row(pos) for pos in range(len(self.session.record.paragraphs)) if self._visible(pos)]
        table = self.query_one(ParagraphTable)
        table.fill(rows, self.par)
        name = self.session.name
        shown = f"  [dim]filter: {self.filter}[/]" if self.filter != "all" else ""
        self.query_one("#title", Static).update(f"[b]{name}[/]  [dim]{self.session.path.name}[/]{shown}")

    def refresh_row(self, pos: int) -> None:
        """Redraw one paragraph row."""
        self.query_one(ParagraphTable).update_paragraph(*self._row(pos))

    def on_resize(self) -> None:
        self.call_after_refresh(self.refill_after_resize)

    def refill_after_resize(self) -> None:
        """Rebuild the table for the new width, keeping a cursor move whose highlight message is still
        queued (a key pressed just before the rebuild would otherwise be undone by it)."""
        self.sync_table()
        self.fill_table()

    @on(DataTable.RowHighlighted, "#paragraphs")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is None or event.row_key.value is None:
            return
        pos = int(event.row_key.value)
        table = self.query_one(ParagraphTable)
        if not (0 <= table.cursor_row < len(table.positions)) or table.positions[table.cursor_row] != pos:
            return  # stale: the cursor moved again (a rebuild or a jump) before this was handled
        if pos != self.par:
            self.goto(pos, 0)

    @on(DataTable.RowSelected, "#paragraphs")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.edit_final()

    def sync_table(self) -> None:
        """Follow the table cursor now, in case its highlight message is still queued (fast typists)."""
        table = self.query_one(ParagraphTable)
        if 0 <= table.cursor_row < len(table.positions):
            pos = table.positions[table.cursor_row]
            if pos != self.par:
                self.goto(pos, 0)

    def edit_final(self) -> None:
        """Focus the final translation with the cursor at its end."""
        self.sync_table()
        area = self.query_one(FinalArea)
        area.focus()
        area.move_cursor(area.document.end)

    # ----- current segment -----------------------------------------------------------------------

    def goto(self, par: int, seg: int, *, move_table: bool = False, flush: bool = True) -> None:
        """Make ``(par, seg)`` current: save what is being typed, then load it into the detail pane."""
        if flush:
            self.flush_edit()
        self.par, self.seg = par, seg
        if move_table:
            table = self.query_one(ParagraphTable)
            if par not in table.positions:
                self.filter = "all"
                self.fill_table()
            table.move_cursor(row=table.positions.index(par), animate=False)
        self.load_segment()

    def current(self) -> SegmentRecord:
        return self.session.segment(self.par, self.seg)

    def load_segment(self) -> None:
        """Fill the detail pane for the current segment."""
        record = self.session.record
        if not record.paragraphs:
            return
        self.par = min(self.par, len(record.paragraphs) - 1)
        para = self.session.paragraph(self.par)
        if not para.segments:
            return
        self.seg = min(self.seg, len(para.segments) - 1)
        seg = self.current()
        self.update_label()
        options = self.query_one("#segments", OptionList)
        options.clear_options()
        for i, s in enumerate(para.segments):
            options.add_option(Option(self._segment_line(s), id=str(i)))
        options.highlighted = self.seg
        spans = [(t.start, t.end) for t in self.session.term_spans(seg.source)]
        self.query_one(SourceArea).show(seg.source, spans)
        self.query_one("#draft", Static).update(
            Text(seg.draft or "(no draft yet)", style="" if seg.draft else "dim")
        )
        text = seg.final if seg.final else (seg.draft or "")
        sid = self.session.segment_id(self.par, self.seg)
        if self._loaded is None or self._loaded[0] != sid:
            self.session.end_visit()  # another segment: its edits are a new undo step
        self._loaded = (sid, text)
        self.query_one(FinalArea).load_text(text)
        self.update_glossary(text)
        self.update_qa(text)
        self.update_tm()
        self.update_dictionary()
        self.update_comment()

    @staticmethod
    def _segment_line(seg: SegmentRecord) -> Text:
        return Text.assemble(status_text(seg.status), " ", fit(seg.source, 60))

    def update_label(self) -> None:
        """The line above the segment list: where we are and the segment's status."""
        record = self.session.record
        para = self.session.paragraph(self.par)
        seg = self.current()
        mark = f" · [red]{VIOLATION_MARK} glossary[/]" if self.session.violations(seg) else ""
        mark += f" · [yellow]{QA_MARK} QA[/]" if self.qa_findings(seg) else ""
        self.show_line(
            "#seg-label",
            f"¶ {self.par + 1}/{len(record.paragraphs)} [dim]{para.kind}[/] · segment {self.seg + 1}/"
            f"{len(para.segments)} · {seg.status}{mark}",
        )

    @on(OptionList.OptionHighlighted, "#segments")
    def _segment_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        i = event.option_index
        if i != self.seg:
            self.flush_edit()
            self.seg = i
            self.load_segment()

    @on(OptionList.OptionSelected, "#segments")
    def _segment_selected(self, event: OptionList.OptionSelected) -> None:
        self.edit_final()

    # ----- editing -------------------------------------------------------------------------------

    @on(TextArea.Changed, "#final")
    def _final_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        self.update_glossary(text)
        self.update_qa(text)
        self.flush_edit()

    def flush_edit(self) -> None:
        """Save the editor's text when it differs from what was loaded (one transaction per call)."""
        if self._loaded is None:
            return
        sid, loaded = self._loaded
        text = self.query_one(FinalArea).text
        if text == loaded:
            return
        pos = self.session.position(sid)
        if pos is None:
            return
        try:
            self.session.set_final(pos[0], pos[1], text)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self._loaded = (sid, text)
        self.schedule_qa()
        self.refresh_row(pos[0])
        if pos == (self.par, self.seg):
            self.update_label()
            self.query_one("#segments", OptionList).replace_option_prompt_at_index(
                self.seg, self._segment_line(self.current())
            )
        self.update_status()

    @on(TextArea.SelectionChanged, "#source")
    def _source_selection(self, event: TextArea.SelectionChanged) -> None:
        self.update_dictionary()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search_next(event.value)

    # ----- status & progress ---------------------------------------------------------------------

    def update_status(self, extra: str = "") -> None:
        """The status line: counts per status, glossary violations, QA findings, the engine, and ``extra``."""
        segs = self.session.record.segments()
        counts: dict[str, int] = {}
        for s in segs:
            counts[s.status] = counts.get(s.status, 0) + 1
        bad = sum(1 for s in segs if self.session.violations(s))
        parts = [f"{len(segs)} segments"]
        parts += [f"{counts[k]} {k}" for k in Status if counts.get(k)]
        if bad:
            parts.append(f"[red]{bad} {VIOLATION_MARK}[/]")
        if self.session.failures:
            parts.append(f"[red]{len(self.session.failures)} {FAILED_MARK} draft failed[/]")
        parts.append(self.count_status())
        parts.append(self.qa_status())
        parts.append(self.wb.engine_state)
        note, until = self._note
        if extra:
            parts.append(extra)
        elif note and time.monotonic() < until:
            parts.insert(0, note)  # a question first: the line is cut at the screen's edge
        self.show_line("#status", " · ".join(parts))

    def hold_status(self, markup: str, seconds: float) -> None:
        """Show ``markup`` at the end of the status line for ``seconds`` (a question awaiting its key);
        an empty ``markup`` takes it away."""
        self._note = (markup, time.monotonic() + seconds)
        self.update_status()
        if markup:
            self.set_timer(seconds + 0.05, self.update_status)

    def show_line(self, selector: str, markup: str) -> None:
        """Put ``markup`` in a one-line Static, unless it shows it already (typing mostly changes nothing
        there; the line's size is fixed, so no relayout either)."""
        if self._lines.get(selector) != markup:
            self._lines[selector] = markup
            self.query_one(selector, Static).update(markup, layout=False)

    def on_unmount(self) -> None:
        self._cancel.set()
