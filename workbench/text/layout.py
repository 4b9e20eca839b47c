"""Layout inference: do line ends and blank lines mark paragraphs, or wrapping and column breaks?

Clean text (laws, reports and web copy as they are usually sent: one paragraph per line or per
blank-line block) and hard-wrapped text (a PDF or OCR extraction: lines cut at the column width,
blank lines where a column ends) need opposite readings of a line end. The evidence, per
document, all of it printed in each paragraph's ``reason``:

* **wrapped lines**: the share of lines that fill the local column (within 3 cells of the 70th
  percentile of their neighbours' widths, and at least 60% of the document's) and yet end
  inside a sentence (no 。！？；： at the end, not a whole bracketed note, not a numbered heading). On a wrapped page most lines are like that; in clean text almost none is, since its
  lines are whole paragraphs of every length and the short ones are titles.
* **blank lines**: the lines before a blank line that neither end a sentence or clause nor end
  short of the column. When at most one in twenty (or one) is like that, blank lines mark
  paragraphs; when more blank lines fall mid-sentence, they are column or page breaks. (A numbered heading counts as closed: at a
  narrow width it may fill the line.)

A document of fewer than five lines keeps the wrapped reading (too little evidence), except
that a line wider than any printed column (160 cells) was never wrapped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum

from workbench.text.headers import running_lines
from workbench.text.lines import FIRST_WORD, display_width, ends_clause, standalone_kind
from workbench.text.model import ParagraphKind
from workbench.text.structure import HEADING_MARKS, Mark, structure_mark

BREAK_SLACK = 3  # cells: a line this much shorter than expected is "clearly short"
WINDOW = 6  # neighbours on each side used for the column width
MIN_LINES = 5  # fewer lines than this are too little evidence for the clean reading
CLEAN_MAX_WRAPPED = 0.15  # at most this share of wrapped-looking lines in clean text
RELIABLE_BLANKS = 0.95  # share of blank lines after a closed line above which blank lines mark paragraphs
MIN_BLANKS = 3


class Layout(str, Enum):
    """How line ends are to be read."""

    WRAPPED = "wrapped"  # hard-wrapped lines: a line end is usually not a paragraph end
    CLEAN = "clean"  # clean text: every line (or blank-line block) is a paragraph

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True)
class Line:
    """One non-blank input line.

    Attributes:
        no: 1-based line number.
        text: Stripped text, runs of spaces collapsed.
        indent: Display cells of leading white space.
        width: Display cells of ``text``.
        block: Number of the blank-line-separated block it is in.
        special: A stand-alone kind (byline, caption, marker, header, footer) or None.
        mark: A structural number at its start, or None.
        why: Why a special line is special (for the paragraph's reason), else "".
        hint: A kind known from elsewhere (a PDF headline or caption by its font), or None.
        blank_before: A blank line precedes it (a page break left by removed furniture is not one).
    """

    no: int
    text: str
    indent: int
    width: int
    block: int
    special: ParagraphKind | None
    mark: Mark | None
    why: str = ""
    hint: ParagraphKind | None = None
    blank_before: bool = False


@dataclass(frozen=True, slots=True)
class LayoutInfo:
    """What the evidence says about a document's layout.

    Attributes:
        layout: Clean or wrapped.
        blanks_mark_paragraphs: Blank lines separate paragraphs (no column breaks among them).
        wrapped_share: The share of lines that fill the column and end inside a sentence.
        blank_share: The share of blank lines that follow a closed line (1.0 with no blank lines).
    """

    layout: Layout
    blanks_mark_paragraphs: bool
    wrapped_share: float
    blank_share: float

    def describe(self) -> str:
        """A short explanation, e.g. ``clean text (2% of lines look wrapped)``."""
        kind = "clean text" if self.layout is Layout.CLEAN else "wrapped text"
        return f"{kind} ({self.wrapped_share:.0%} of lines look wrapped)"


def scan(text: str) -> list[Line]:
    """The non-blank lines of ``text`` with widths, blocks, stand-alone kinds, marks and page furniture."""
    lines: list[Line] = []
    block = 0
    prev_blank = True
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            prev_blank = True
            continue
        blank_before = prev_blank
        if prev_blank:
            block += 1
            prev_blank = False
        lead = raw[: len(raw) - len(raw.lstrip())]
        stripped = re.sub(r"\s+", " ", stripped) if "  " in stripped or "\t" in stripped else stripped
        special = standalone_kind(stripped)
        lines.append(
            Line(
                no=no,
                text=stripped,
                indent=display_width(lead.replace("\t", "    ")),
                width=display_width(stripped),
                block=block,
                special=special,
                mark=None if special else structure_mark(stripped),
                blank_before=blank_before and bool(lines),
            )
        )
    furniture = running_lines([(ln.no, ln.text) for ln in lines])
    if furniture:
        for ln in lines:
            if ln.no in furniture:
                ln.special, ln.why = furniture[ln.no]
                ln.mark = None
    return lines


def column_widths(lines: list[Line]) -> list[int]:
    """For each line, the local column width: the 70th percentile of its neighbours' widths.

    A high percentile ignores the short first and last lines of paragraphs,
    and stops short of the few lines packed wider by hanging or squeezed
    punctuation.
    """
    n = len(lines)
    block_size = Counter(ln.block for ln in lines)
    refs = []
    for i, ln in enumerate(lines):
        same_block = block_size[ln.block] >= 3
        widths = [
            lines[j].width
            for j in range(max(0, i - WINDOW), min(n, i + WINDOW + 1))
            if not lines[j].special and not (same_block and lines[j].block != ln.block)
        ]
        widths.sort()
        refs.append(widths[int(0.7 * len(widths))] if widths else ln.width)
    return refs


def room(lines: list[Line], i: int) -> int:
    """Cells the next line's first word needed: a Latin word moves to the next line whole."""
    if i + 1 >= len(lines) or lines[i + 1].no != lines[i].no + 1:
        return 0
    m = FIRST_WORD.match(lines[i + 1].text)
    return display_width(m.group()) + 1 if m else 0


def infer_layout(lines: list[Line], refs: list[int]) -> LayoutInfo:
    """Weigh the evidence of ``lines`` (with their column widths ``refs``); see the module docstring."""
    flow = [i for i, ln in enumerate(lines) if not ln.special]
    widths = sorted(lines[i].width for i in flow)
    page = widths[int(0.7 * len(widths))] if widths else 0
    wrapped = open_before_blank = blanks = 0
    for k, i in enumerate(flow):
        ln = lines[i]
        # Full: as wide as its neighbours, and not a short line among short ones (a run of headings).
        full = ln.width + room(lines, i) >= max(refs[i] - BREAK_SLACK, 0.6 * page)
        closed = ends_clause(ln.text) or (ln.text[0] in "（(" and ln.text[-1] in "）)")
        heading = ln.mark is not None and ln.mark.kind in HEADING_MARKS
        if k + 1 < len(flow):
            wrapped += full and not closed and not heading
            if lines[flow[k + 1]].blank_before:
                blanks += 1
                open_before_blank += not (closed or heading or not full)
    n = max(1, len(flow) - 1)
    share = wrapped / n
    blank_share = 1 - open_before_blank / blanks if blanks else 1.0
    clean = len(flow) >= MIN_LINES and share <= CLEAN_MAX_WRAPPED
    reliable = blanks >= MIN_BLANKS and open_before_blank <= max(1, (1 - RELIABLE_BLANKS) * blanks)
    return LayoutInfo(
        layout=Layout.CLEAN if clean else Layout.WRAPPED,
        blanks_mark_paragraphs=reliable,
        wrapped_share=share,
        blank_share=blank_share,
    )
