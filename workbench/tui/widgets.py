"""Widgets of the editor: the aligned paragraph table and the source/final text areas."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable, Static, TextArea
from textual.widgets.text_area import TextAreaTheme

from workbench.records import ParagraphRecord, Status
from workbench.tui.spell_area import SpellMarked

#: One-cell markers for segment and paragraph statuses.
STATUS_MARK = {
    Status.NEW: "·",
    Status.DRAFTED: "◇",
    Status.TM_EXACT: "≡",
    Status.EDITED: "✎",
    Status.APPROVED: "✔",
}
STATUS_MARK[Status.REVIEWED] = "◉"
STATUS_STYLE = {
    Status.NEW: "dim", Status.DRAFTED: "yellow", Status.TM_EXACT: "cyan", Status.EDITED: "magenta", Status.APPROVED: "green"
}  # fmt: skip
#: The status column of a paragraph with a segment whose drafting failed (status :data:`DRAFT_FAILED`).
FAILED_MARK = "!"
DRAFT_FAILED = "failed"
STATUS_STYLE[Status.REVIEWED] = "blue"
VIOLATION_MARK = "✗"
#: Marks a QA finding (numbers, punctuation, consistency …) in the table, the status line and the exports.
QA_MARK = "⚠"


class RowIssue(IntEnum):
    """What the table's ``!`` column shows for a paragraph; the worst of its segments wins."""

    NONE = 0
    QA = 1  # a QA finding: ⚠
    GLOSSARY = 2  # a glossary violation: ✗

    def mark(self) -> Text:
        """The one-cell marker."""
        if self is RowIssue.GLOSSARY:
            return Text(VIOLATION_MARK, style="bold red")
        if self is RowIssue.QA:
            return Text(QA_MARK, style="bold yellow")
        return Text(" ")


#: The most characters of one segment the source area shows (a 20-million-character segment would
#: block the screen); the rest is named, not drawn.
MAX_SHOWN_CHARS = 20_000


def fit(text: str, width: int) -> Text:
    """``text`` on one line, cut to ``width`` terminal cells (CJK counts two) with an ellipsis.

    Only a bounded prefix is looked at, so a huge segment costs no more than a short one.
    """
    limit = 4 * max(width, 1) + 64
    cut = len(text) > limit
    flat = " ".join(text[:limit].split())
    if not cut and cell_len(flat) <= width:
        return Text(flat)
    out, used = [], 0
    for ch in flat:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return Text("".join(out) + "…" + " " * (width - 1 - used))


def status_text(status: str) -> Text:
    """The status marker, coloured."""
    if status == DRAFT_FAILED:
        return Text(FAILED_MARK, style="bold red")
    return Text(STATUS_MARK.get(status, "?"), style=STATUS_STYLE.get(status, ""))


class ParagraphTable(DataTable):
    """One row per paragraph: number, status, issue marker (✗ glossary, ⚠ QA), source | draft | final."""

    DEFAULT_CSS = """
    ParagraphTable { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.positions: list[int] = []  # paragraph list positions in row order
        self.marked: set[int] = set()  # paragraph list positions marked for drafting

    def text_width(self) -> int:
        """Cells available to each of the three text columns."""
        width = self.size.width or (self.app.size.width if self.app else 120)
        # number (4) + status (2) + violation (1) + cell padding (6 columns x 2) + scrollbar
        return max(8, (width - 4 - 2 - 1 - 12 - 2) // 3)

    def fill(
        self, rows: Sequence[tuple[int, ParagraphRecord, str, RowIssue]], cursor_position: int | None
    ) -> None:
        """Rebuild the rows: ``(list position, paragraph, status, issue)``."""
        w = self.text_width()
        self.clear(columns=True)
        self.add_column("#", width=4, key="n")
        self.add_column("St", width=2, key="st")
        self.add_column("!", width=1, key="v")
        self.add_column("Source", width=w, key="source")
        self.add_column("Draft", width=w, key="draft")
        self.add_column("Final", width=w, key="final")
        self.positions = []
        for pos, par, status, issue in rows:
            self.positions.append(pos)
            self.add_row(*self.cells(pos, par, status, issue, w, pos in self.marked), key=str(pos))
        if cursor_position is not None and cursor_position in self.positions:
            self.move_cursor(row=self.positions.index(cursor_position), animate=False)

    @staticmethod
    def cells(
        pos: int, par: ParagraphRecord, status: str, issue: RowIssue, w: int, marked: bool = False
    ) -> list[Text]:
        """The cells of one paragraph row (a marked row's number gets a ``●``)."""
        draft = " ".join(s.draft or "" for s in par.segments).strip()
        final = " ".join(s.final or "" for s in par.segments).strip()
        return [
            Text(f"●{pos + 1}", style="bold cyan") if marked else Text(str(pos + 1), style="dim"),
            status_text(status),
            issue.mark(),
            fit(par.text, w),
            fit(draft, w),
            fit(final, w),
        ]

    def update_paragraph(self, pos: int, par: ParagraphRecord, status: str, issue: RowIssue) -> None:
        """Refresh one row in place."""
        if pos not in self.positions:
            return
        values = self.cells(pos, par, status, issue, self.text_width(), pos in self.marked)
        for key, value in zip(("n", "st", "v", "source", "draft", "final"), values, strict=True):
            self.update_cell(str(pos), key, value)


TERM_THEME = TextAreaTheme(
    "workbench-source",
    syntax_styles={"wb.term": Style(color="black", bgcolor="yellow", bold=True)},
)


class SourceArea(TextArea):
    """The read-only source segment; glossary terms highlighted; select text to look it up or add a term."""

    def __init__(self, **kwargs) -> None:
        self._spans: list[tuple[int, int]] = []
        super().__init__(read_only=True, soft_wrap=True, show_line_numbers=False, **kwargs)
        self.register_theme(TERM_THEME)
        self.theme = "workbench-source"

    def show(self, text: str, spans: Sequence[tuple[int, int]]) -> None:
        """Show ``text`` with the character ranges ``spans`` highlighted as terms."""
        if len(text) > MAX_SHOWN_CHARS:
            more = len(text) - MAX_SHOWN_CHARS
            text = f"{text[:MAX_SHOWN_CHARS]}\n… ({more} more characters not shown)"
            spans = [(a, b) for a, b in spans if b <= MAX_SHOWN_CHARS]
        self._spans = list(spans)
        self.load_text(text)

    def _build_highlight_map(self) -> None:
        # Our highlights are glossary terms, not a tree-sitter parse; offsets are UTF-8 bytes per line.
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        text = self.text
        for start, end in self._spans:
            b0 = len(text[:start].encode("utf-8"))
            b1 = len(text[:end].encode("utf-8"))
            highlights[0].append((b0, b1, "wb.term"))

    @property
    def selected_or_word_start(self) -> tuple[str, int]:
        """The selected text (or ``""``) and the character offset of the selection or cursor."""
        sel = self.selection
        start, end = sorted((sel.start, sel.end))
        return self.get_text_range(start, end), start[1]


class FinalArea(SpellMarked):
    """The editable final translation of the current segment (misspelled words underlined)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)


def key_label(key: str) -> str:
    """Short display of a key: ``ctrl+g`` -> ``^G``, ``f5`` -> ``F5``, ``alt+down`` -> ``M-↓``."""
    arrows = {"down": "↓", "up": "↑", "left": "←", "right": "→", "escape": "Esc", "space": "Space"}
    parts = key.split("+")
    base = arrows.get(parts[-1], parts[-1].upper())
    mods = {"ctrl": "^", "alt": "M-", "shift": "S-"}
    return "".join(mods.get(m, m) for m in parts[:-1]) + base


class KeyBar(Static):
    """Every editor key with its action, packed on as many lines as needed (Textual's footer cuts them off)."""

    DEFAULT_CSS = """
    KeyBar { height: auto; max-height: 4; background: $footer-background; color: $footer-foreground; padding: 0 1; }
    """

    def __init__(self, keys: Sequence[tuple[str, str]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.keys = list(keys)

    def render(self) -> Text:
        width = max(20, self.content_size.width or (self.app.size.width - 2))
        out = Text(no_wrap=True, overflow="crop")
        used = 0
        for key, label in self.keys:
            item = Text.assemble((key_label(key), "bold"), " " + label)
            need = item.cell_len + (2 if used else 0)
            if used and used + need > width:
                out.append("\n")
                used, need = 0, item.cell_len
            elif used:
                out.append("  ")
            out.append_text(item)
            used += need
        return out
