"""The editor's actions: the key table (shown in the key bar and the command palette) and what each does."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, NamedTuple, ParamSpec, TypeVar

from textual.widgets import Input

from workbench.errors import WorkbenchError
from workbench.records import SegmentRecord, Status
from workbench.tui.editor_host import EditorMixin
from workbench.tui.export_dialog import EXPORT_CHOICES, ExportChoice, ExportScreen
from workbench.tui.palette import PaletteCommand
from workbench.tui.screens import FILTERS, AddTermScreen, FilterScreen
from workbench.tui.widgets import FinalArea, ParagraphTable, SourceArea


class EditorAction(NamedTuple):
    """One editor action: its key, action name, key-bar label, palette help and binding id.

    Actions with the same ``bar_key`` share one key-bar item, shown under that key (alt+1…9).
    """

    key: str
    action: str
    label: str
    help: str
    binding_id: str
    bar_key: str = ""


#: Every editor action, in key-bar order.
ACTIONS: tuple[EditorAction, ...] = (
    tuple(
        EditorAction(*a)
        for a in (
            ("f5", "draft_all", "Draft all", "Draft every segment that has no draft yet", "draft.all"),
            # Terminals send shift+F5 as xterm's F17, and Textual names it so.
            (
                "shift+f5,f17",
                "stop_drafting",
                "Stop",
                "Stop drafting (press twice; everything drafted is kept)",
                "draft.stop",
                "shift+f5",
            ),
            (
                "f6",
                "draft_selection",
                "Draft ¶",
                "Draft the marked paragraphs, else the selected one (again)",
                "draft.selection",
            ),
            ("space", "mark", "Mark", "Mark or unmark the paragraph for drafting with F6", "para.mark"),
            ("f7", "redraft_segment", "Redraft", "Draft the current segment again", "draft.segment"),
            (
                "ctrl+g",
                "accept_draft",
                "Accept",
                "Copy the machine draft into the final translation",
                "edit.accept",
            ),
            (
                "f4",
                "select_final",
                "Select",
                "Select the whole final translation (typing replaces it)",
                "edit.select_all",
            ),
            (
                "ctrl+o",
                "approve",
                "Approve",
                "Approve the current segment and go to the next one",
                "edit.approve",
            ),
            (
                "ctrl+n",
                "next_untranslated",
                "Todo",
                "Jump to the next segment without a final translation",
                "nav.untranslated",
            ),
            (
                "ctrl+b",
                "next_violation",
                "Next ✗",
                "Jump to the next glossary violation (✗) or QA finding (⚠)",
                "nav.violation",
            ),
            ("alt+down", "next_segment", "Seg↓", "Go to the next segment", "nav.next"),
            ("alt+up", "prev_segment", "Seg↑", "Go to the previous segment", "nav.prev"),
            ("f8", "merge", "Merge", "Merge the selected paragraph with the next one", "para.merge"),
            (
                "f9",
                "split",
                "Split",
                "Split the paragraph so the current segment starts a new one",
                "para.split",
            ),
            ("ctrl+t", "add_term", "Term", "Add the selected source text to the glossary", "terms.add"),
            (
                "alt+t",
                "edit_term",
                "Edit term",
                "Edit or delete a glossary term of the segment",
                "terms.edit",
            ),
            (
                "f3",
                "accept_name",
                "Name ✓",
                "Accept the segment's proposed name into the project glossary",
                "names.accept",
            ),
            (
                "ctrl+r",
                "reject_name",
                "Name ✗",
                "Reject the segment's proposed name (not proposed again)",
                "names.reject",
            ),
            (
                "f12",
                "edit_name",
                "Edit name",
                "Edit the segment's proposed name, then add it to the glossary",
                "names.edit",
            ),
            ("ctrl+f", "search", "Find", "Search source, draft and final text", "nav.search"),
            ("ctrl+l", "filter", "Filter", "Show only paragraphs with a given status", "nav.filter"),
            (
                "ctrl+z",
                "undo",
                "Undo",
                "Undo your last change (in the final translation: the typing)",
                "edit.undo",
            ),
            (
                "ctrl+y",
                "redo",
                "Redo",
                "Redo the change undone last (in the final translation: the typing)",
                "edit.redo",
            ),
            ("f2", "export", "Export", "Export in any format the command line writes", "export.dialog"),
        )
    )
    + tuple(
        EditorAction(
            f"alt+{n}",
            f"insert_rendering({n})",
            "Insert",
            f"Insert rendering {n} of the glossary panel at the cursor",
            f"glossary.insert.{n}",
            "alt+1…9",
        )
        for n in range(1, 10)
    )
    + (
        EditorAction(
            "escape", "escape", "Back", "Leave the editor or the search box for the table", "nav.escape"
        ),
    )
)


def key_bar_items() -> list[tuple[str, str]]:
    """``(key, label)`` for the key bar: every action, those sharing a ``bar_key`` once."""
    out: list[tuple[str, str]] = []
    for a in ACTIONS:
        item = (a.bar_key, a.label) if a.bar_key else (a.key, a.label)
        if item not in out:
            out.append(item)
    return out


EditorT = TypeVar("EditorT", bound=EditorMixin)
Params = ParamSpec("Params")
Result = TypeVar("Result")


def reports_errors(
    method: Callable[Concatenate[EditorT, Params], Result],
) -> Callable[Concatenate[EditorT, Params], Result | None]:
    """An action that meets a WorkbenchError (disk full, locked project...) shows it instead of crashing."""

    @functools.wraps(method)
    def wrapper(self: EditorT, /, *args: Params.args, **kwargs: Params.kwargs) -> Result | None:
        try:
            return method(self, *args, **kwargs)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return None

    return wrapper


class EditorActions(EditorMixin):
    """The ``action_*`` methods of the editor screen (mixed into ``EditorScreen``)."""

    par: int
    seg: int

    def palette_commands(self) -> list[PaletteCommand]:
        """What the command palette offers here: every action (with its key), each export and each filter, the
        setting, then the CAT tools'."""
        out: list[PaletteCommand] = [
            (a.help, f"{a.label} · {a.bar_key or a.key}", functools.partial(self.run_action, a.action))
            for a in ACTIONS
            if a.action != "escape"
        ]
        out += [
            (f"Export: {label}", "asks where to write it", functools.partial(self.action_export, choice))
            for choice, label in EXPORT_CHOICES
        ]
        out += [
            (
                f"Filter: {label}",
                "which paragraphs the table shows",
                functools.partial(self.set_filter, value),
            )
            for value, label in FILTERS
        ]
        out.append(
            (
                "Settings: ask before approving with ✗/⚠ (on/off)",
                "a second ctrl+o confirms",
                self.toggle_approval_question,
            )
        )
        out += self.cat_commands()
        return out

    @reports_errors
    def action_draft_all(self) -> None:
        targets = [(p, s) for p, s in self.session.positions() if not self.session.segment(p, s).draft]
        self._start_draft(targets, "all")

    @reports_errors
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

    @reports_errors
    def action_mark(self) -> None:
        self.sync_table()
        table = self.query_one(ParagraphTable)
        table.marked ^= {self.par}
        self.refresh_row(self.par)
        if table.cursor_row + 1 < table.row_count:
            table.move_cursor(row=table.cursor_row + 1)

    @reports_errors
    def action_redraft_segment(self) -> None:
        self.sync_table()
        self._start_draft([(self.par, self.seg)], "segment")

    @reports_errors
    def action_accept_draft(self) -> None:
        self.sync_table()
        self.flush_edit()
        if not self.session.accept_draft(self.par, self.seg):
            self.notify("This segment has no draft yet (F7 drafts it).", severity="warning")
            return
        self._after_change()

    @reports_errors
    def action_select_final(self) -> None:
        self.edit_final()
        self.query_one(FinalArea).select_all()

    @reports_errors
    def action_approve(self) -> None:
        self.sync_table()
        self.flush_edit()
        seg = self.current()
        if not (seg.final or seg.draft):
            self.notify("Nothing to approve: type a translation or draft it first.", severity="warning")
            return
        if not self.approval_confirmed(seg):
            return
        self.session.approve(self.par, self.seg)
        self.refresh_row(self.par)
        self.update_status()
        self.action_next_segment()

    def _after_change(self) -> None:
        self.refresh_row(self.par)
        self.load_segment()
        self.update_status()

    def _next_where(self, predicate: Callable[[SegmentRecord], bool]) -> tuple[int, int] | None:
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
            if not seg.final and seg.status is not Status.APPROVED:
                return p, s
        return None

    @reports_errors
    def action_next_untranslated(self) -> None:
        self.flush_edit()
        found = self._next_where(lambda s: not s.final and s.status is not Status.APPROVED)
        if found is None:
            self.notify("Every segment has a final translation.")
            return
        self.goto(*found, move_table=True)

    @reports_errors
    def action_next_violation(self) -> None:
        self.flush_edit()
        found = self._next_where(lambda s: bool(self.session.violations(s) or self.qa_findings(s)))
        if found is None:
            more = "" if self.session.qa.ready else " (QA is still checking the document)"
            self.notify(f"No glossary violations or QA findings{more}.")
            return
        self.goto(*found, move_table=True)

    @reports_errors
    def action_next_segment(self) -> None:
        positions = self.session.positions()
        i = positions.index((self.par, self.seg))
        if i + 1 < len(positions):
            self.goto(*positions[i + 1], move_table=True)

    @reports_errors
    def action_prev_segment(self) -> None:
        positions = self.session.positions()
        i = positions.index((self.par, self.seg))
        if i > 0:
            self.goto(*positions[i - 1], move_table=True)

    def _structural(self, fn: Callable[..., object], *args: int) -> bool:
        self.flush_edit()
        self.query_one(ParagraphTable).marked.clear()  # positions shift
        try:
            fn(*args, record=True)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return False
        self.fill_table()
        self.load_segment()
        self.update_status()
        self.schedule_qa()
        return True

    @reports_errors
    def action_merge(self) -> None:
        self.sync_table()
        if self._structural(self.session.merge, self.par):
            self.notify(f"Merged ¶ {self.par + 1} with ¶ {self.par + 2}.")

    @reports_errors
    def action_split(self) -> None:
        self.sync_table()
        seg = self.seg
        if self._structural(self.session.split, self.par, seg):
            self.par, self.seg = self.par + 1, 0
            self.fill_table()
            self.load_segment()
            self.notify(f"Split: segment {seg + 1} now starts ¶ {self.par + 1}.")

    @reports_errors
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

    @reports_errors
    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    def search_next(self, query: str) -> bool:
        """Go to the next segment whose source, draft or final text contains ``query`` (any case)."""
        q = query.strip().casefold()
        if not q:
            return False

        def hit(s: SegmentRecord) -> bool:
            return any(q in (t or "").casefold() for t in (s.source, s.draft, s.final))

        found = self._next_where(hit)
        if found is None:
            self.notify(f"Not found: {query}", severity="warning")
            return False
        self.goto(*found, move_table=True)
        return True

    @reports_errors
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

    @reports_errors
    def action_export(self, choice: ExportChoice | str | None = None) -> None:
        self.flush_edit()
        defaults = {c: self.session.default_export_path(c.suffix) for c, _ in EXPORT_CHOICES}

        def done(result: tuple[ExportChoice, Path] | None) -> None:
            if result is not None:
                self.export(*result)

        self.app.push_screen(ExportScreen(defaults, choice), done)

    def export(self, choice: ExportChoice | str, path: Path) -> Path | None:
        """Write an export now; reports where it went."""
        choice = ExportChoice(choice)
        try:
            out = self.session.export(choice.kind, path, choice.options)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return None
        label = dict(EXPORT_CHOICES)[choice]
        self.notify(f"Exported {label}: {out}", timeout=10)
        return out

    @reports_errors
    def action_escape(self) -> None:
        """Leave the current widget (never stops drafting: that is ``stop_drafting``)."""
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            self.query_one(ParagraphTable).focus()
        elif self.focused is not self.query_one(ParagraphTable):
            self.flush_edit()
            self.query_one(ParagraphTable).focus()
