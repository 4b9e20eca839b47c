"""The editor screen: aligned paragraph table on top, the selected segment's detail below."""

from __future__ import annotations

import functools
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option

from workbench.errors import Cancelled, WorkbenchError
from workbench.tui.messages import DraftDone, DraftFailed, DraftProgress
from workbench.tui.screens import EXPORTS, AddTermScreen, ExportScreen, FilterScreen
from workbench.tui.session import Session, paragraph_status
from workbench.tui.widgets import (
    VIOLATION_MARK,
    FinalArea,
    KeyBar,
    ParagraphTable,
    SourceArea,
    fit,
    status_text,
)

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

#: Seconds between two progress messages from the drafting worker.
PROGRESS_INTERVAL = 0.2
#: Segments per engine batch while drafting from the UI (small: the table fills in as it goes).
DRAFT_BATCH = 8

#: Every editor action: (binding key, action, footer label, palette help, binding id).
ACTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("f5", "draft_all", "Draft all", "Draft every segment that has no draft yet", "draft.all"),
    ("f6", "draft_selection", "Draft ¶", "Draft the marked paragraphs, else the selected one (again)", "draft.selection"),
    ("space", "mark", "Mark", "Mark or unmark the paragraph for drafting with F6", "para.mark"),
    ("f7", "redraft_segment", "Redraft", "Draft the current segment again", "draft.segment"),
    ("ctrl+g", "accept_draft", "Accept", "Copy the machine draft into the final translation", "edit.accept"),
    ("f4", "select_final", "Select", "Select the whole final translation (typing replaces it)", "edit.select_all"),
    ("ctrl+o", "approve", "Approve", "Approve the current segment and go to the next one", "edit.approve"),
    ("ctrl+n", "next_untranslated", "Todo", "Jump to the next segment without a final translation", "nav.untranslated"),
    ("ctrl+b", "next_violation", "Next ✗", "Jump to the next segment that breaks the glossary", "nav.violation"),
    ("alt+down", "next_segment", "Seg↓", "Go to the next segment", "nav.next"),
    ("alt+up", "prev_segment", "Seg↑", "Go to the previous segment", "nav.prev"),
    ("f8", "merge", "Merge", "Merge the selected paragraph with the next one", "para.merge"),
    ("f9", "split", "Split", "Split the paragraph so the current segment starts a new one", "para.split"),
    ("ctrl+t", "add_term", "Term", "Add the selected source text to the glossary", "terms.add"),
    ("ctrl+f", "search", "Find", "Search source, draft and final text", "nav.search"),
    ("ctrl+l", "filter", "Filter", "Show only paragraphs with a given status", "nav.filter"),
    ("ctrl+z", "undo", "Undo", "Undo the last change saved to the project", "edit.undo"),
    ("f2", "export", "Export", "Export as OmegaT project, TMX or Markdown", "export.dialog"),
    ("escape", "escape", "Back", "Cancel drafting, or leave the editor for the table", "nav.escape"),
)


class EditorScreen(Screen[None]):
    """Aligned source | draft | final table with a detail pane for the current segment."""

    # Shown by the KeyBar (all of them, on two lines) rather than by Textual's one-line footer.
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: these keys act the same wherever the focus is (TextArea binds F6, F7 and ctrl+z
        # itself; undo here is the project's, where a typing burst is one step). Space and Esc stay
        # ordinary so they still type a space and close things.
        Binding(key, action, label, id=bid, show=False, priority=key not in ("space", "escape"))
        for key, action, label, _help, bid in ACTIONS
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
                yield Static("", id="tm")
                yield Static("", id="dict")
        with Horizontal(id="statusbar"):
            yield Static("", id="status")
            yield ProgressBar(id="progress", show_eta=False)
        yield Input(placeholder="search source, draft and final (Enter: next match, Esc: close)", id="search")
        yield KeyBar([(k, label) for k, _a, label, _h, _b in ACTIONS] + [("ctrl+p", "Commands"), ("ctrl+q", "Quit")])

    def on_mount(self) -> None:
        self.query_one("#glossary").border_title = "Glossary"
        self.query_one("#tm").border_title = "Translation memory"
        self.query_one("#dict").border_title = "Dictionary"
        self.query_one("#progress").display = False
        self.query_one("#search").display = False
        first = self._first_untranslated()
        self.par, self.seg = first if first else (0, 0)
        self.fill_table()
        self.load_segment()
        self.update_status()
        self.query_one(ParagraphTable).focus()
        self.app.start_dictionary()  # type: ignore[attr-defined]

    @property
    def wb(self) -> WorkbenchApp:
        return self.app  # type: ignore[return-value]

    # ----- table ---------------------------------------------------------------------------------

    def _row(self, pos: int) -> tuple[int, Any, str, bool]:
        par = self.session.paragraph(pos)
        bad = any(self.session.violations(s) for s in par.segments)
        return pos, par, paragraph_status(par), bad

    def _visible(self, pos: int) -> bool:
        f = self.filter
        if f == "all":
            return True
        segs = self.session.paragraph(pos).segments
        if f == "violations":
            return any(self.session.violations(s) for s in segs)
        if f == "untranslated":
            return any(not s.final and s.status != "approved" for s in segs)
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
        self.call_after_refresh(self.fill_table)

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

    def current(self) -> Any:
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
        self.query_one("#draft", Static).update(Text(seg.draft or "(no draft yet)", style="" if seg.draft else "dim"))
        text = seg.final if seg.final else (seg.draft or "")
        self._loaded = (self.session.segment_id(self.par, self.seg), text)
        self.query_one(FinalArea).load_text(text)
        self.update_glossary(text)
        self.update_tm()
        self.update_dictionary()

    @staticmethod
    def _segment_line(seg: Any) -> Text:
        return Text.assemble(status_text(seg.status), " ", fit(seg.source, 60))

    def update_label(self) -> None:
        """The line above the segment list: where we are and the segment's status."""
        record = self.session.record
        para = self.session.paragraph(self.par)
        seg = self.current()
        mark = f" · [red]{VIOLATION_MARK} glossary[/]" if self.session.violations(seg) else ""
        self.query_one("#seg-label", Static).update(
            f"¶ {self.par + 1}/{len(record.paragraphs)} [dim]{para.kind}[/] · segment {self.seg + 1}/"
            f"{len(para.segments)} · {seg.status}{mark}"
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
        self.refresh_row(pos[0])
        if pos == (self.par, self.seg):
            self.update_label()
            self.query_one("#segments", OptionList).replace_option_prompt_at_index(
                self.seg, self._segment_line(self.current())
            )
        self.update_status()

    def update_glossary(self, target: str) -> None:
        """Term → approved rendering with ✓/✗ for the text being typed."""
        seg = self.current()
        notes = self.session.check(seg.source, target)
        panel = self.query_one("#glossary", Static)
        if not notes:
            panel.update(Text("no glossary terms in this segment", style="dim"))
            return
        out = Text()
        seen = set()
        for n in notes:
            if (n.source, n.target, n.ok) in seen:
                continue
            seen.add((n.source, n.target, n.ok))
            if not target.strip():
                mark = Text("○ ", style="dim")
            elif n.ok:
                mark = Text("✓ ", style="bold green")
            else:
                mark = Text(f"{VIOLATION_MARK} ", style="bold red")
            out.append_text(mark)
            out.append(n.source, style="bold")
            out.append(" → ")
            out.append(n.target)
            if not n.ok and n.problem and target.strip():
                out.append(f"  ({n.problem})", style="red")
            out.append("\n")
        panel.update(out)

    def update_tm(self) -> None:
        panel = self.query_one("#tm", Static)
        try:
            matches = self.session.tm_matches(self.par, self.seg)
        except WorkbenchError as exc:
            panel.update(Text(str(exc), style="red"))
            return
        if not matches:
            panel.update(Text("no fuzzy matches", style="dim"))
            return
        out = Text()
        for m in matches:
            out.append(f"{m.score:3.0f}% ", style="bold cyan")
            out.append(m.source + "\n")
            out.append("     " + m.target + "\n", style="italic")
        panel.update(out)

    @on(TextArea.SelectionChanged, "#source")
    def _source_selection(self, event: TextArea.SelectionChanged) -> None:
        self.update_dictionary()

    def update_dictionary(self) -> None:
        """CC-CEDICT entry for the selected source text, else for the word at the cursor."""
        panel = self.query_one("#dict", Static)
        dictionary = self.wb.dictionary
        if dictionary is None:
            panel.update(Text("loading CC-CEDICT…", style="dim"))
            return
        area = self.query_one(SourceArea)
        selected, start = area.selected_or_word_start
        entry = dictionary.lookup(selected) if selected else dictionary.longest_at(area.text, start)
        if entry is None:
            word = selected or area.text[start : start + 1]
            panel.update(Text(f"{word}: not in CC-CEDICT", style="dim"))
            return
        out = Text()
        out.append(entry.simplified, style="bold")
        if entry.traditional != entry.simplified:
            out.append(f" ({entry.traditional})")
        out.append(f"  {entry.pinyin}\n", style="cyan")
        out.append("; ".join(entry.definitions))
        panel.update(out)

    # ----- status & progress ---------------------------------------------------------------------

    def update_status(self, extra: str = "") -> None:
        segs = self.session.record.segments()
        counts: dict[str, int] = {}
        for s in segs:
            counts[s.status] = counts.get(s.status, 0) + 1
        bad = sum(1 for s in segs if self.session.violations(s))
        parts = [f"{len(segs)} segments"]
        parts += [f"{counts[k]} {k}" for k in ("new", "drafted", "tm-exact", "edited", "approved") if counts.get(k)]
        if bad:
            parts.append(f"[red]{bad} {VIOLATION_MARK}[/]")
        parts.append(self.wb.engine_state)
        if extra:
            parts.append(extra)
        self.query_one("#status", Static).update(" · ".join(parts))

    # ----- drafting ------------------------------------------------------------------------------

    def _start_draft(self, targets: list[tuple[int, int]], what: str) -> None:
        if self.drafting:
            self.notify("Already drafting; Esc cancels.", severity="warning")
            return
        if not targets:
            self.notify("Nothing to draft.")
            return
        self.flush_edit()
        jobs = []
        for par, seg in targets:
            s = self.session.segment(par, seg)
            jobs.append((self.session.segment_id(par, seg), s.source, self.session.constraints(s.source)))
        self._cancel = threading.Event()
        self.drafting = True
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=len(jobs), progress=0)
        bar.display = True
        self.update_status(f"drafting {what}… (Esc cancels)")
        self.draft_worker(jobs, self._cancel)

    @work(thread=True, exclusive=True, group="draft", exit_on_error=False)
    def draft_worker(self, jobs: list[tuple[int, str, list[Any]]], cancel: threading.Event) -> None:
        """Draft ``jobs`` in batches; each batch is stored from the UI thread as soon as it is done."""
        total = len(jobs)
        done = 0
        try:
            engine = self.wb.wait_engine(cancel)
            from workbench.translate_job import draft_in_batches

            signature = {k: str(v) for k, v in engine.signature().items()}
            last = 0.0

            def progress(n: int, _total: int) -> None:
                nonlocal last
                now = time.monotonic()
                if n >= total or now - last >= PROGRESS_INTERVAL:
                    last = now
                    self.post_message(DraftProgress(n, total))

            def on_batch(indices: list[int], drafts: list[Any]) -> None:
                nonlocal done
                items = [(jobs[i][0], d) for i, d in zip(indices, drafts, strict=True)]
                self.app.call_from_thread(self._store_drafts, items, signature)
                done += len(items)

            draft_in_batches(
                _CancellableEngine(engine, cancel),
                [j[1] for j in jobs],
                beam=self.wb.beam,
                constraints=[j[2] for j in jobs],
                batch_size=DRAFT_BATCH,
                on_batch=on_batch,
                cancel=cancel,
                progress=progress,
            )
        except Cancelled:
            self.post_message(DraftDone(done, total, cancelled=True))
        except WorkbenchError as exc:
            self.post_message(DraftFailed(str(exc)))
        except Exception as exc:
            self.post_message(DraftFailed(f"{type(exc).__name__}: {exc}"))
        else:
            # draft_in_batches returns early (None for segments not reached) when cancelled.
            self.post_message(DraftDone(done, total, cancelled=cancel.is_set() and done < total))

    def _store_drafts(self, items: list[tuple[int, Any]], signature: dict[str, str]) -> None:
        self.flush_edit()
        self.session.store_drafts(items, signature)
        touched = set()
        for sid, _draft in items:
            pos = self.session.position(sid)
            if pos:
                touched.add(pos[0])
                if pos == (self.par, self.seg):
                    self._show_new_draft()
        for p in sorted(touched):
            self.refresh_row(p)

    def _show_new_draft(self) -> None:
        """A draft arrived for the current segment: show it without disturbing the translator's text."""
        seg = self.current()
        self.query_one("#draft", Static).update(Text(seg.draft or ""))
        self.update_label()
        self.query_one("#segments", OptionList).replace_option_prompt_at_index(self.seg, self._segment_line(seg))
        if not seg.final:  # nothing typed: the editor follows the draft
            text = seg.draft or ""
            self._loaded = (self.session.segment_id(self.par, self.seg), text)
            self.query_one(FinalArea).load_text(text)
            self.update_glossary(text)

    def on_draft_progress(self, message: DraftProgress) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)

    def on_draft_done(self, message: DraftDone) -> None:
        self._end_draft()
        if message.cancelled:
            self.notify(f"Drafting cancelled; {message.done} of {message.total} segments kept.")
        else:
            self.notify(f"Drafted {message.total} segments.")
        self.load_segment()

    def on_draft_failed(self, message: DraftFailed) -> None:
        self._end_draft()
        self.notify(f"Drafting failed: {message.error}", severity="error", timeout=15)

    def _end_draft(self) -> None:
        self.drafting = False
        self.query_one("#progress", ProgressBar).display = False
        self.update_status()

    def cancel_drafting(self) -> None:
        """Ask the drafting worker to stop after the batch in progress."""
        self._cancel.set()

    # ----- actions -------------------------------------------------------------------------------

    def action_draft_all(self) -> None:
        targets = [(p, s) for p, s in self.session.positions() if not self.session.segment(p, s).draft]
        self._start_draft(targets, "all")

    def action_draft_selection(self) -> None:
        self.sync_table()
        table = self.query_one(ParagraphTable)
        chosen = sorted(table.marked) or [self.par]
        targets = [(p, s) for p in chosen for s in range(len(self.session.paragraph(p).segments))]
        what = f"¶ {chosen[0] + 1}" if len(chosen) == 1 else f"{len(chosen)} paragraphs"
        if not self.drafting and targets:
            marked, table.marked = table.marked, set()
            for p in marked:
                self.refresh_row(p)
        self._start_draft(targets, what)

    def action_mark(self) -> None:
        self.sync_table()
        table = self.query_one(ParagraphTable)
        table.marked ^= {self.par}
        self.refresh_row(self.par)
        if table.cursor_row + 1 < table.row_count:
            table.move_cursor(row=table.cursor_row + 1)

    def action_redraft_segment(self) -> None:
        self.sync_table()
        self._start_draft([(self.par, self.seg)], "segment")

    def action_accept_draft(self) -> None:
        self.sync_table()
        self.flush_edit()
        if not self.session.accept_draft(self.par, self.seg):
            self.notify("This segment has no draft yet (F7 drafts it).", severity="warning")
            return
        self._after_change()

    def action_select_final(self) -> None:
        self.edit_final()
        self.query_one(FinalArea).select_all()

    def action_approve(self) -> None:
        self.sync_table()
        self.flush_edit()
        seg = self.current()
        if not (seg.final or seg.draft):
            self.notify("Nothing to approve: type a translation or draft it first.", severity="warning")
            return
        self.session.approve(self.par, self.seg)
        self.refresh_row(self.par)
        self.update_status()
        self.action_next_segment()

    def _after_change(self) -> None:
        self.refresh_row(self.par)
        self.load_segment()
        self.update_status()

    def _next_where(self, predicate: Any) -> tuple[int, int] | None:
        positions = self.session.positions()
        if not positions:
            return None
        here = positions.index((self.par, self.seg)) if (self.par, self.seg) in positions else -1
        for k in range(1, len(positions) + 1):
            p, s = positions[(here + k) % len(positions)]
            if predicate(self.session.segment(p, s)):
                return p, s
        return None

    def _first_untranslated(self) -> tuple[int, int] | None:
        for p, s in self.session.positions():
            seg = self.session.segment(p, s)
            if not seg.final and seg.status != "approved":
                return p, s
        return None

    def action_next_untranslated(self) -> None:
        self.flush_edit()
        found = self._next_where(lambda s: not s.final and s.status != "approved")
        if found is None:
            self.notify("Every segment has a final translation.")
            return
        self.goto(*found, move_table=True)

    def action_next_violation(self) -> None:
        self.flush_edit()
        found = self._next_where(lambda s: bool(self.session.violations(s)))
        if found is None:
            self.notify("No glossary violations.")
            return
        self.goto(*found, move_table=True)

    def action_next_segment(self) -> None:
        positions = self.session.positions()
        i = positions.index((self.par, self.seg))
        if i + 1 < len(positions):
            self.goto(*positions[i + 1], move_table=True)

    def action_prev_segment(self) -> None:
        positions = self.session.positions()
        i = positions.index((self.par, self.seg))
        if i > 0:
            self.goto(*positions[i - 1], move_table=True)

    def _structural(self, fn: Any, *args: Any) -> bool:
        if self.drafting:
            self.notify("Wait for drafting to finish (or Esc) before changing paragraphs.", severity="warning")
            return False
        self.flush_edit()
        self.query_one(ParagraphTable).marked.clear()  # positions shift
        try:
            fn(*args)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        self.fill_table()
        self.load_segment()
        self.update_status()
        return True

    def action_merge(self) -> None:
        self.sync_table()
        if self._structural(self.session.merge, self.par):
            self.notify(f"Merged ¶ {self.par + 1} with ¶ {self.par + 2}.")

    def action_split(self) -> None:
        self.sync_table()
        seg = self.seg
        if self._structural(self.session.split, self.par, seg):
            self.par, self.seg = self.par + 1, 0
            self.fill_table()
            self.load_segment()
            self.notify(f"Split: segment {seg + 1} now starts ¶ {self.par + 1}.")

    def action_undo(self) -> None:
        if self.drafting:
            self.notify("Wait for drafting to finish (or Esc) before undoing.", severity="warning")
            return
        self.flush_edit()
        try:
            where = self.session.undo()
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        if where is None:
            self.notify("Nothing to undo.")
            return
        self.query_one(ParagraphTable).marked.clear()
        self.fill_table()
        self.goto(*where, move_table=True, flush=False)
        self.update_status()
        self.notify(f"Undone: last change of ¶ {where[0] + 1}.")

    def action_add_term(self) -> None:
        self.sync_table()
        self.flush_edit()
        selected, _ = self.query_one(SourceArea).selected_or_word_start
        final = self.query_one(FinalArea)
        target = final.selected_text if final.selected_text else ""

        def done(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            try:
                path = self.session.add_term(*result)
            except WorkbenchError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.fill_table()
            self.load_segment()
            self.update_status()
            self.notify(f"Added {result[0]} → {result[1]} to {Path(path).name}; everything re-checked.")

        self.app.push_screen(AddTermScreen(selected.strip(), target.strip()), done)

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search_next(event.value)

    def search_next(self, query: str) -> bool:
        """Go to the next segment whose source, draft or final text contains ``query`` (any case)."""
        q = query.strip().casefold()
        if not q:
            return False

        def hit(s: Any) -> bool:
            return any(q in (t or "").casefold() for t in (s.source, s.draft, s.final))

        found = self._next_where(hit)
        if found is None:
            self.notify(f"Not found: {query}", severity="warning")
            return False
        self.goto(*found, move_table=True)
        return True

    def action_filter(self) -> None:
        def done(value: str | None) -> None:
            if value is None:
                return
            self.filter = value
            self.fill_table()
            table = self.query_one(ParagraphTable)
            if table.positions and self.par not in table.positions:
                self.goto(table.positions[0], 0)

        self.app.push_screen(FilterScreen(self.filter), done)

    def set_filter(self, value: str) -> None:
        """Show only paragraphs matching ``value`` (see ``screens.FILTERS``)."""
        self.filter = value
        self.fill_table()

    def action_export(self, kind: str | None = None) -> None:
        self.flush_edit()
        defaults = {k: self.session.default_export_path(k) for k, _ in EXPORTS}

        def done(result: tuple[str, Path] | None) -> None:
            if result is not None:
                self.export(*result)

        self.app.push_screen(ExportScreen(defaults, kind), done)

    def export(self, kind: str, path: Path) -> Path | None:
        """Write an export now; reports where it went."""
        try:
            out = self.session.export(kind, path)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return None
        self.notify(f"Exported {kind}: {out}", timeout=10)
        return out

    def action_escape(self) -> None:
        search = self.query_one("#search", Input)
        if self.drafting:
            self.cancel_drafting()
            self.update_status("cancelling…")
        elif search.display:
            search.display = False
            self.query_one(ParagraphTable).focus()
        elif self.focused is not self.query_one(ParagraphTable):
            self.flush_edit()
            self.query_one(ParagraphTable).focus()

    def on_unmount(self) -> None:
        self._cancel.set()


class _CancellableEngine:
    """Passes the job's cancel event to every ``translate`` call, so Esc stops inside a batch too."""

    def __init__(self, engine: Any, cancel: threading.Event) -> None:
        self._engine = engine
        self._cancel = cancel
        self.name = getattr(engine, "name", "engine")

    def translate(self, sources: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cancel", self._cancel)
        return self._engine.translate(sources, **kwargs)

    def signature(self) -> dict[str, str]:
        return self._engine.signature()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def _reporting(method: Any) -> Any:
    """Wrap an action so a WorkbenchError (disk full, locked project...) becomes a message, not a crash."""

    @functools.wraps(method)
    def wrapper(self: EditorScreen, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return None

    return wrapper


for _name in [n for n in vars(EditorScreen) if n.startswith("action_")]:
    setattr(EditorScreen, _name, _reporting(getattr(EditorScreen, _name)))
