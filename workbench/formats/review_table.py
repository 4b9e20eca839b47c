"""The Word review table: one row per segment, source | translation | comment | status, which a reviewer
edits in Word or LibreOffice and ``workbench import P.wbproj review.docx`` reads back.

The document's title (a ``Heading 1`` paragraph above the table) is the project document's name; the
first row holds the column names. Rows are matched to segments by their source text, in order, so a
deleted row changes nothing and a row whose source was edited is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.formats.common import effective_status, segment_target
from workbench.formats.docx import append_run, save_docx
from workbench.formats.docx_reader import open_docx
from workbench.records import DocumentRecord, SegmentRecord
from workbench.safexml import xml_clean
from workbench.text.model import is_translated

#: The columns, in order (the header cells start with these words).
COLUMNS = ("source", "translation", "comment", "status")


@dataclass(frozen=True)
class ReviewRow:
    """One row of a review table as the reviewer left it.

    Attributes:
        number: 1-based row number below the header (as the reviewer sees it).
        source: The source cell.
        translation: The translation cell, runs of whitespace made one space.
        comment: The comment cell (paragraphs joined by a space).
        status: The status cell, lower case.
    """

    number: int
    source: str
    translation: str
    comment: str
    status: str


def review_segments(record: DocumentRecord) -> list[SegmentRecord]:
    """The segments a review table lists: those of translated paragraphs with a non-blank source."""
    return [s for p in record.paragraphs if is_translated(p.kind) for s in p.segments if s.source.strip()]


def write_review_docx(record: DocumentRecord, out: str | Path) -> Path:
    """Write the review table of a document: one row per segment, source | translation | comment | status.

    Returns:
        The written path.
    """
    import docx

    document = docx.Document()
    document.add_heading(xml_clean(record.name), level=1)
    segments = review_segments(record)
    table = document.add_table(rows=1 + len(segments), cols=len(COLUMNS))
    table.style = "Table Grid"
    header = (
        f"source ({record.src_lang or 'zh-CN'})",
        f"translation ({record.tgt_lang or 'en-US'})",
        "comment",
        "status",
    )
    rows = [header] + [
        (s.source.strip(), segment_target(s) or "", s.comment, str(effective_status(s))) for s in segments
    ]
    # Row by row through the XML: python-docx's table.cell() lists every cell of the table on each call.
    for tr, texts in zip(table._tbl.tr_lst, rows, strict=True):
        for tc, text in zip(tr.tc_lst, texts, strict=True):
            _fill_cell(tc, xml_clean(text))
    return save_docx(document, out)


def _fill_cell(tc: Any, text: str) -> None:
    """Write ``text`` into a new table's empty cell as python-docx's ``cell.text = text`` does (one run in
    the cell's one paragraph), without its two XPath searches per cell."""
    (p,) = tc.p_lst
    if text:
        append_run(p, text)
    else:
        p.add_r()  # python-docx adds an empty run to an empty cell


def _cell(cell: Any) -> str:  # a python-docx table cell (docx is untyped here)
    return " ".join(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip())


def read_review_docx(path: str | Path) -> tuple[str, list[ReviewRow]]:
    """Read a review table back: the document's name (its title) and the rows.

    Raises:
        WorkbenchError: not a Word file, unsafe, or without a review table.
    """
    document = open_docx(path)
    title = next(
        (
            p.text.strip()
            for p in document.paragraphs
            if p.text.strip() and p.style.name.startswith("Heading")
        ),
        "",
    )
    for table in document.tables:
        rows = table.rows
        if not rows:
            continue
        header = [_cell(c).lower() for c in rows[0].cells]
        if len(header) >= len(COLUMNS) and all(
            h.startswith(c) for h, c in zip(header, COLUMNS, strict=False)
        ):
            out = []
            for n, row in enumerate(rows[1:], start=1):
                cells = [_cell(c) for c in row.cells][: len(COLUMNS)]
                if len(cells) < len(COLUMNS) or not any(cells):
                    continue
                out.append(ReviewRow(n, cells[0], cells[1], cells[2], cells[3].lower()))
            return title, out
    raise WorkbenchError(f"{path}: no review table in it (a table whose columns are {' | '.join(COLUMNS)})")
