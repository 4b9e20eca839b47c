"""Reviewing an alignment before it goes into the translation memory (``workbench open --align ZH EN``).

The beads are listed side by side (score, shape, Chinese, English, confirmed), lowest score first, so
the doubtful ones come up first. On the selected bead:

* ``m`` merges it with the next bead in the document, ``s`` splits it after its first sentence;
* ``]`` takes the next bead's first English sentence into it, ``[`` gives its last English sentence to
  the next bead; ``}`` and ``{`` do the same with the Chinese sentences;
* ``space`` confirms it (or takes the confirmation back), ``a`` confirms every bead with both sides;
* ``w`` adds the confirmed beads to the translation memory (origin ``aligned``); ``q`` quits.

An edited bead counts as confirmed and gets score 1 (the translator's judgment). The editing itself is
``workbench.terms.align.edit``; this module only shows it.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from workbench.errors import WorkbenchError
from workbench.jobs.align import AlignedDocuments, add_to_tm
from workbench.store.tm import TranslationMemory
from workbench.terms.align.edit import merge_next, move_boundary, split
from workbench.terms.align.model import Bead


class AlignReviewApp(App[int]):
    """The alignment review: one table of beads, lowest score first."""

    TITLE = "workbench: review alignment"
    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        Binding("m", "merge", "merge with next"),
        Binding("s", "split", "split"),
        Binding("right_square_bracket", "move(True, True)", "take next EN", key_display="]"),
        Binding("left_square_bracket", "move(True, False)", "give last EN", key_display="["),
        Binding("right_curly_bracket", "move(False, True)", "take next ZH", key_display="}"),
        Binding("left_curly_bracket", "move(False, False)", "give last ZH", key_display="{"),
        Binding("space", "confirm", "confirm"),
        Binding("a", "confirm_all", "confirm all"),
        Binding("w", "write", "write to TM"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, pair: AlignedDocuments, tm_path: Path | str | None = None) -> None:
        super().__init__()
        self.pair = pair
        self.tm_path = tm_path
        self.confirmed: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
        self.added: int | None = None
        self._zh, self._en = pair.zh_sentences, pair.en_sentences

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield DataTable(id="beads", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("score", "bead", "中文", "English", "ok")
        self.refresh_table()

    # ------------------------------------------------------------------ view
    def order(self) -> list[int]:
        """Indices of the beads (document order) as listed: lowest score first."""
        return sorted(range(len(self.pair.beads)), key=lambda k: (self.pair.beads[k].score, k))

    def refresh_table(self, keep: Bead | None = None) -> None:
        """Rebuild the table; the cursor goes to ``keep`` (or stays on its row)."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        order = self.order()
        for k in order:
            b = self.pair.beads[k]
            table.add_row(
                f"{b.score:.2f}",
                f"{len(b.zh)}-{len(b.en)}",
                "".join(self._zh[i] for i in b.zh),
                " ".join(self._en[j] for j in b.en),
                "✓" if self.is_confirmed(b) else "",
                key=str(k),
            )
        if keep is not None and keep in self.pair.beads:
            row = order.index(self.pair.beads.index(keep))
        if order:
            table.move_cursor(row=min(max(row, 0), len(order) - 1))
        self.query_one("#status", Static).update(
            f"{len(self.pair.beads)} beads, {sum(1 for b in self.pair.beads if self.is_confirmed(b))} confirmed"
            + (f"; {self.added} units added to the TM" if self.added is not None else "")
        )

    def is_confirmed(self, b: Bead) -> bool:
        """Whether the translator confirmed ``b``."""
        return (b.zh, b.en) in self.confirmed

    def selected(self) -> int | None:
        """The document index of the selected bead."""
        table = self.query_one(DataTable)
        order = self.order()
        return order[table.cursor_row] if order and 0 <= table.cursor_row < len(order) else None

    # --------------------------------------------------------------- actions
    def _edited(self, beads: list[Bead], k: int) -> None:
        before = {(b.zh, b.en) for b in self.pair.beads}
        self.pair.beads = beads
        new = [b for b in beads if (b.zh, b.en) not in before]
        self.confirmed |= {(b.zh, b.en) for b in new if b.zh and b.en}
        self.refresh_table(keep=new[0] if new else None)

    def action_merge(self) -> None:
        """Merge the selected bead with the next one in the document."""
        k = self.selected()
        if k is not None:
            self._edited(merge_next(self.pair.beads, k), k)

    def action_split(self) -> None:
        """Split the selected bead after its first sentence."""
        k = self.selected()
        if k is not None:
            self._edited(split(self.pair.beads, k), k)

    def action_move(self, english: bool, forward: bool) -> None:
        """Move the boundary after the selected bead by one sentence."""
        k = self.selected()
        if k is not None:
            self._edited(move_boundary(self.pair.beads, k, english, forward), k)

    def action_confirm(self) -> None:
        """Confirm the selected bead, or take the confirmation back."""
        k = self.selected()
        if k is None:
            return
        b = self.pair.beads[k]
        key = (b.zh, b.en)
        if key in self.confirmed:
            self.confirmed.discard(key)
        elif b.paired:
            self.confirmed.add(key)
        self.refresh_table(keep=b)

    def action_confirm_all(self) -> None:
        """Confirm every bead with both sides."""
        self.confirmed |= {(b.zh, b.en) for b in self.pair.beads if b.paired}
        self.refresh_table()

    def action_write(self) -> None:
        """Add the confirmed beads to the translation memory."""
        keep = [b for b in self.pair.beads if self.is_confirmed(b) and b.paired]
        units = AlignedDocuments(self.pair.zh, self.pair.en, keep).units()
        try:
            with TranslationMemory.open(self.tm_path) as tm:
                self.added = add_to_tm(tm, units)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            return
        self.refresh_table()
