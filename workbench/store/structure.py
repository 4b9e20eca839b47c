"""Structural editing of a document: merging two paragraphs and splitting one.

The changed paragraphs are re-segmented; segments whose source is unchanged keep their draft, final
text and status, the others start again as ``new`` and their old state is kept in the history.
"""

from __future__ import annotations

import difflib
import sqlite3
from typing import Any

from workbench.errors import WorkbenchError
from workbench.lang import utc_now
from workbench.store.connection import Database
from workbench.store.db import inserted_id
from workbench.store.documents import document_row
from workbench.store.history import Action, record_structure
from workbench.store.rows import STATE_COLUMNS, ParagraphRow


def _join_texts(a: str, b: str) -> str:
    """Join two paragraph texts: no space between CJK text, one space between Latin words."""
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def _split_segments(text: str) -> list[str]:
    from workbench.text.segments import split_segments

    return [s for s in split_segments(text) if s.strip()] or ([text] if text.strip() else [])


def _renumber(c: sqlite3.Connection, doc_id: int, from_pos: int, shift: int) -> None:
    """Shift paragraph positions >= from_pos by ``shift`` without tripping the UNIQUE constraint."""
    c.execute(
        "UPDATE paragraphs SET position = -(position + ?) - 1 WHERE doc_id = ? AND position >= ?",
        (shift, doc_id, from_pos),
    )
    c.execute("UPDATE paragraphs SET position = -position - 1 WHERE doc_id = ? AND position < 0", (doc_id,))


def _resegment(
    c: sqlite3.Connection, old: list[sqlite3.Row], parts: list[tuple[int, list[str]]]
) -> list[dict[str, Any]]:
    """Re-cut paragraphs into new segments, keeping every old segment whose source is unchanged.

    Args:
        c: The open write transaction.
        old: The old segment rows, in order.
        parts: ``(paragraph_id, new segment sources)`` for each resulting paragraph, in order.

    Returns:
        The removed segments' source and state (recorded in the history, so no final text is lost).
    """
    new_sources = [s for _, srcs in parts for s in srcs]
    owners = [(pid, i) for pid, srcs in parts for i in range(len(srcs))]
    # Park the old rows at negative positions so renumbering never collides.
    for r in old:
        c.execute("UPDATE segments SET position = ? WHERE id = ?", (-r["id"], r["id"]))
    keep: dict[int, sqlite3.Row] = {}
    matcher = difflib.SequenceMatcher(None, [r["source"] for r in old], new_sources, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                keep[j1 + k] = old[i1 + k]
    kept_ids = {r["id"] for r in keep.values()}
    removed = []
    for r in old:
        if r["id"] not in kept_ids:
            removed.append({"id": r["id"], "source": r["source"], **{k: r[k] for k in STATE_COLUMNS}})
            c.execute("DELETE FROM segments WHERE id = ?", (r["id"],))
    now = utc_now()
    for j, source in enumerate(new_sources):
        pid, pos = owners[j]
        if j in keep:
            c.execute(
                "UPDATE segments SET paragraph_id = ?, position = ? WHERE id = ?", (pid, pos, keep[j]["id"])
            )
        else:
            c.execute(
                "INSERT INTO segments (paragraph_id, position, source, updated) VALUES (?,?,?,?)",
                (pid, pos, source, now),
            )
    return removed


def _paragraph(c: sqlite3.Connection, paragraph_id: int) -> ParagraphRow:
    return ParagraphRow.from_row(
        c.execute("SELECT * FROM paragraphs WHERE id = ?", (paragraph_id,)).fetchone()
    )


def merge_paragraphs(db: Database, doc_id: int, index: int) -> ParagraphRow:
    """Merge paragraph ``index`` with the one after it (one transaction).

    Raises:
        WorkbenchError: no such paragraph, or it is the last one.
    """
    with db.write() as c:
        document_row(c, doc_id, db.path)
        rows = c.execute(
            "SELECT * FROM paragraphs WHERE doc_id = ? AND position IN (?, ?) ORDER BY position",
            (doc_id, index, index + 1),
        ).fetchall()
        if len(rows) != 2:
            raise WorkbenchError(f"cannot merge paragraph {index}: it is the last one or does not exist")
        a, b = rows
        text = _join_texts(a["text"], b["text"])
        old = c.execute(
            "SELECT s.* FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id "
            "WHERE s.paragraph_id IN (?, ?) ORDER BY p.position, s.position",
            (a["id"], b["id"]),
        ).fetchall()
        removed = _resegment(c, old, [(a["id"], _split_segments(text))])
        c.execute(
            "UPDATE paragraphs SET text = ?, line_last = ? WHERE id = ?",
            (text, max(a["line_last"], b["line_last"]), a["id"]),
        )
        c.execute("DELETE FROM paragraphs WHERE id = ?", (b["id"],))
        _renumber(c, doc_id, index + 2, -1)
        record_structure(
            c, doc_id, Action.MERGE,
            {"index": index, "texts": [a["text"], b["text"]], "removed_segments": removed},
            {"index": index, "text": text},
        )  # fmt: skip
        return _paragraph(c, a["id"])


def split_paragraph(db: Database, doc_id: int, index: int, offset: int) -> tuple[ParagraphRow, ParagraphRow]:
    """Split paragraph ``index`` at character ``offset`` of its text into two paragraphs (one transaction).

    Raises:
        WorkbenchError: no such paragraph, or the offset leaves an empty half.
    """
    with db.write() as c:
        document_row(c, doc_id, db.path)
        p = c.execute(
            "SELECT * FROM paragraphs WHERE doc_id = ? AND position = ?", (doc_id, index)
        ).fetchone()
        if p is None:
            raise WorkbenchError(f"no paragraph {index} in document {doc_id}")
        text = p["text"]
        first, second = text[:offset].rstrip(), text[offset:].lstrip()
        if not (0 < offset < len(text)) or not first or not second:
            raise WorkbenchError(f"cannot split paragraph {index} at {offset}: one half would be empty")
        span = p["line_last"] - p["line_first"]
        mid = p["line_first"] + round(span * offset / len(text))
        _renumber(c, doc_id, index + 1, +1)
        new_id = inserted_id(
            c.execute(
                "INSERT INTO paragraphs (doc_id, position, kind, text, line_first, line_last) VALUES (?,?,?,?,?,?)",
                (doc_id, index + 1, p["kind"], second, mid, p["line_last"]),
            )
        )
        c.execute("UPDATE paragraphs SET text = ?, line_last = ? WHERE id = ?", (first, mid, p["id"]))
        old = c.execute(
            "SELECT * FROM segments WHERE paragraph_id = ? ORDER BY position", (p["id"],)
        ).fetchall()
        removed = _resegment(c, old, [(p["id"], _split_segments(first)), (new_id, _split_segments(second))])
        record_structure(
            c, doc_id, Action.SPLIT,
            {"index": index, "text": text, "removed_segments": removed},
            {"index": index, "offset": offset, "texts": [first, second]},
        )  # fmt: skip
        return _paragraph(c, p["id"]), _paragraph(c, new_id)
