"""Documents in a project: import (idempotent by path and content), new versions that keep the work of
unchanged segments, and listing."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.lang import utc_now
from workbench.records import Status
from workbench.store.connection import Database
from workbench.store.db import inserted_id
from workbench.store.history import Action, record_change
from workbench.store.rows import STATE_COLUMNS, DocumentInfo, ParagraphRow
from workbench.text.model import is_translated

if TYPE_CHECKING:
    from workbench.text.model import Document

_SEGMENTS_IN_ORDER = (
    "SELECT s.* FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id WHERE p.doc_id = ? "
    "ORDER BY p.position, s.position"
)


def file_hash(doc: Document) -> str:
    """Hash identifying a document's content: the file's bytes when readable, else its paragraphs."""
    h = hashlib.sha256()
    path = Path(doc.path) if doc.path else None
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    else:
        for p in doc.paragraphs:
            h.update(json.dumps([p.kind, p.text, list(p.segments)], ensure_ascii=False).encode())
    return h.hexdigest()


def _relative(path: str, project: Path) -> str:
    """``path`` relative to the project's folder ("" when there is no path)."""
    return os.path.relpath(path, Path(project).resolve().parent) if path else ""


def add_document(db: Database, doc: Document) -> int:
    """Import a document; returns its id.

    Idempotent, and a project moves with its sources: the same content at the same place, or the same
    content under the same name or relative path after a move (of the project and its sources, or
    through another mount), is the same document, whose recorded place is then updated. A changed file at
    a place already in the project becomes a new version; its segments whose source did not change start
    with the previous version's draft, final text and status.
    """
    path = str(Path(doc.path).resolve()) if doc.path else ""
    rel = _relative(path, db.path)
    name = Path(doc.path).name if doc.path else "untitled"
    digest = file_hash(doc)
    with db.write() as c:
        row = c.execute(
            "SELECT id FROM documents WHERE path = ? AND source_hash = ?", (path, digest)
        ).fetchone()
        if row:
            return int(row[0])
        moved = c.execute(
            "SELECT id FROM documents WHERE source_hash = ? AND superseded_by IS NULL AND (rel_path = ? OR name = ?) "
            "ORDER BY rel_path = ? DESC, id DESC LIMIT 1",
            (digest, rel, name, rel),
        ).fetchone()
        if moved and path:
            c.execute("UPDATE documents SET path = ?, rel_path = ? WHERE id = ?", (path, rel, moved[0]))
            return int(moved[0])
        now = utc_now()
        doc_id = inserted_id(
            c.execute(
                "INSERT INTO documents (path, name, encoding, script, source_hash, added, rel_path) VALUES (?,?,?,?,?,?,?)",
                (path, name, doc.encoding, doc.script, digest, now, rel),
            )
        )
        for pos, para in enumerate(doc.paragraphs):
            pid = c.execute(
                "INSERT INTO paragraphs (doc_id, position, kind, text, line_first, line_last) VALUES (?,?,?,?,?,?)",
                (doc_id, pos, para.kind, para.text, para.lines[0], para.lines[1]),
            ).lastrowid
            segs = [s for s in para.segments if s.strip()] or ([para.text] if para.text.strip() else [])
            if not is_translated(para.kind):
                segs = []  # page furniture (running headers, footers): kept and shown, not translated
            c.executemany(
                "INSERT INTO segments (paragraph_id, position, source, updated) VALUES (?,?,?,?)",
                [(pid, i, s, now) for i, s in enumerate(segs)],
            )
        if path:
            _carry_over(c, db.path, path, rel, doc_id)
        return doc_id


def _carry_over(c: sqlite3.Connection, project_path: Path, path: str, rel: str, doc_id: int) -> None:
    """A new version of a file already in the project (same place, or same place relative to the project):
    segments whose source is unchanged take over the previous version's draft, final text and status
    (recorded in the history as ``carry``)."""
    same_file = "(path = ? OR rel_path = ?) AND id != ?"
    prev = c.execute(
        f"SELECT id FROM documents WHERE {same_file} ORDER BY id DESC LIMIT 1", (path, rel, doc_id)
    ).fetchone()
    if prev is None:
        return
    c.execute(
        f"UPDATE documents SET superseded_by = ? WHERE {same_file} AND superseded_by IS NULL",
        (doc_id, path, rel, doc_id),
    )
    old = c.execute(_SEGMENTS_IN_ORDER, (prev[0],)).fetchall()
    new = c.execute(_SEGMENTS_IN_ORDER, (doc_id,)).fetchall()
    matcher = difflib.SequenceMatcher(
        None, [r["source"] for r in old], [r["source"] for r in new], autojunk=False
    )
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            continue
        for k in range(i2 - i1):
            src = old[i1 + k]
            if src["status"] == Status.NEW:
                continue
            record_change(
                c, new[j1 + k]["id"], Action.CARRY, project_path, **{key: src[key] for key in STATE_COLUMNS}
            )


def documents(db: Database, include_superseded: bool = False) -> list[DocumentInfo]:
    """Documents in the order they were added (older versions of re-imported files only if asked)."""
    where = "" if include_superseded else " WHERE d.superseded_by IS NULL"
    with db.read() as c:
        rows = c.execute(
            "SELECT d.*, (SELECT COUNT(*) FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id "
            f"WHERE p.doc_id = d.id) AS n FROM documents d{where} ORDER BY d.id"
        ).fetchall()
    return [
        DocumentInfo(
            r["id"], r["path"], r["name"], r["encoding"], r["script"], r["source_hash"], r["added"], r["n"],
            r["superseded_by"],
        )
        for r in rows
    ]  # fmt: skip


def document_row(c: sqlite3.Connection, doc_id: int, project_path: object) -> sqlite3.Row:
    """The ``documents`` row of ``doc_id``.

    Raises:
        WorkbenchError: no such document.
    """
    row: sqlite3.Row | None = c.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise WorkbenchError(f"{project_path}: no document {doc_id} in this project")
    return row


def paragraphs(db: Database, doc_id: int) -> list[ParagraphRow]:
    """The document's paragraphs in order."""
    with db.read() as c:
        document_row(c, doc_id, db.path)
        rows = c.execute("SELECT * FROM paragraphs WHERE doc_id = ? ORDER BY position", (doc_id,)).fetchall()
    return [ParagraphRow.from_row(r) for r in rows]


def source_paths(db: Database) -> list[tuple[str, str | None]]:
    """Where every document (superseded ones too) was imported from: ``(path, path relative to the
    project's folder or None)``."""
    with db.read() as c:
        return [(r[0], r[1]) for r in c.execute("SELECT path, rel_path FROM documents")]
