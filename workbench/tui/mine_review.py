"""Reviewing mined term candidates one by one (``workbench open --mine candidates.tsv``).

The candidates of ``workbench glossary mine`` are listed in their order (best first) with their
evidence. On the selected one: ``a`` accepts it, ``r`` rejects it, ``e`` edits its English (type,
then Enter; Escape cancels; an edited candidate is accepted), ``w`` writes the accepted ones to the
glossary file ``out`` (entries already there are kept; an accepted term replaces an entry with the same
source), ``q`` quits.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Input, Static

from workbench.errors import WorkbenchError
from workbench.terms.formats import read_entries, save_termbase
from workbench.terms.model import Entry


class Verdict(str, Enum):
    """The translator's decision on a candidate."""

    OPEN = ""
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return self.value


class MineReviewApp(App[int]):
    """Accept, edit or reject mined candidates; write the accepted ones to a glossary."""

    TITLE = "workbench: review term candidates"
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("a", "verdict('accepted')", "accept"),
        Binding("r", "verdict('rejected')", "reject"),
        Binding("e", "edit", "edit English"),
        Binding("w", "write", "write accepted"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, candidates: list[Entry], out: Path | str) -> None:
        super().__init__()
        self.candidates = list(candidates)
        self.verdicts = [Verdict.OPEN] * len(self.candidates)
        self.out = Path(out)
        self.written: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
        yield Input(id="edit", placeholder="English rendering (Enter: accept, Escape: cancel)")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("中文", "English", "decision", "evidence")
        self.query_one(Input).display = False
        self.refresh_table()

    def refresh_table(self) -> None:
        """Rebuild the table, keeping the cursor's row."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for e, v in zip(self.candidates, self.verdicts, strict=True):
            table.add_row(e.source, e.target, str(v), e.note)
        if self.candidates:
            table.move_cursor(row=min(max(row, 0), len(self.candidates) - 1))
        n = sum(1 for v in self.verdicts if v is Verdict.ACCEPTED)
        self.query_one("#status", Static).update(
            f"{len(self.candidates)} candidates, {n} accepted"
            + (f"; {self.written} written to {self.out}" if self.written is not None else "")
        )

    def selected(self) -> int | None:
        """Index of the selected candidate."""
        row = self.query_one(DataTable).cursor_row
        return row if 0 <= row < len(self.candidates) else None

    def action_verdict(self, verdict: str) -> None:
        """Accept or reject the selected candidate and go to the next one."""
        k = self.selected()
        if k is None:
            return
        self.verdicts[k] = Verdict(verdict)
        self.refresh_table()
        self.query_one(DataTable).move_cursor(row=min(k + 1, len(self.candidates) - 1))

    def action_edit(self) -> None:
        """Edit the selected candidate's English."""
        k = self.selected()
        if k is None:
            return
        box = self.query_one(Input)
        box.value = self.candidates[k].target
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Apply the edit: the candidate gets the new English and is accepted."""
        k = self.selected()
        value = event.value.strip()
        event.input.display = False
        self.query_one(DataTable).focus()
        if k is None or not value:
            return
        self.candidates[k] = replace(self.candidates[k], target=value)
        self.verdicts[k] = Verdict.ACCEPTED
        self.refresh_table()

    def on_key(self, event) -> None:
        """Escape closes the edit box without a change."""
        box = self.query_one(Input)
        if event.key == "escape" and box.display:
            box.display = False
            self.query_one(DataTable).focus()
            event.stop()

    def action_write(self) -> None:
        """Write the accepted candidates to ``out`` (merged with what it holds)."""
        accepted = [e for e, v in zip(self.candidates, self.verdicts, strict=True) if v is Verdict.ACCEPTED]
        try:
            kept = (
                [e for e in read_entries(self.out) if e.source not in {a.source for a in accepted}]
                if self.out.exists()
                else []
            )
            save_termbase([*kept, *accepted], self.out, "tsv")
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.written = len(accepted)
        self.refresh_table()
