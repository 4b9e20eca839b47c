"""A translation project: one SQLite file holding documents, segments, drafts, finals and their history.

Every public method that changes something is one transaction, recorded in the history table so the UI
can undo it. The file is in WAL mode with a busy timeout, so a terminal UI and a batch run can work on
the same project at once: readers never block, writers wait for each other.

Example:
    >>> with Project.open("report.wbproj", create=True) as project:   # doctest: +SKIP
    ...     doc_id = project.add_document(load_document("report.txt"))
    ...     seg = project.segments(doc_id)[0]
    ...     project.set_final(seg.id, "My translation")
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.records import STATUSES, DocumentRecord, ParagraphRecord, SegmentRecord, TermNote
from workbench.store import schema
from workbench.store.db import Database, open_database
from workbench.text.model import is_translated

if TYPE_CHECKING:
    from workbench.mt.engine import Draft
    from workbench.store.tm import TranslationMemory
    from workbench.text.model import Document

#: Statuses whose final text a person chose; batch runs never overwrite them.
HUMAN_STATUSES = ("edited", "approved")
#: Segment columns that make up its editable state (saved in history for undo).
_STATE = ("draft", "draft_score", "signature_id", "hits_hash", "unmet", "final", "status", "origin")


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. ``2026-01-31T12:00:00.000Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class DocumentInfo:
    """A document in the project."""

    id: int
    path: str
    name: str
    encoding: str
    script: str
    source_hash: str
    added: str
    n_segments: int
    superseded_by: int | None = None


@dataclass(frozen=True)
class ParagraphRow:
    """A paragraph as stored (``index`` is its 0-based position in the document)."""

    id: int
    doc_id: int
    index: int
    kind: str
    text: str
    lines: tuple[int, int]


@dataclass(frozen=True)
class SegmentRow:
    """A segment with its current draft, final and status.

    Attributes:
        id: Stable id to pass to ``set_final``, ``approve``, ``undo_last`` ...
        doc_id: The document.
        paragraph: 0-based paragraph position in the document.
        index: 0-based position of the segment in its paragraph.
        source: Source sentence.
        draft: Machine draft (or None).
        score: Draft score from the engine.
        final: Final translation (human, TM or approved draft), or None.
        status: One of ``workbench.records.STATUSES``.
        origin: Where the final/draft came from: ``mt``, ``tm`` or ``human``.
        signature: Engine signature of the draft (``key=value, ...``), or None.
        hits_hash: Hash of the glossary term hits the draft was made with.
        unmet: Glossary terms the engine could not place in the draft.
        updated: ISO 8601 UTC time of the last change.
    """

    id: int
    doc_id: int
    paragraph: int
    index: int
    source: str
    draft: str | None
    score: float | None
    final: str | None
    status: str
    origin: str | None
    signature: str | None
    hits_hash: str | None
    unmet: tuple[str, ...]
    updated: str

    @property
    def target(self) -> str | None:
        """The best available translation: the final text, else the draft."""
        return self.final if self.final else self.draft


@dataclass(frozen=True)
class FuzzyMatch:
    """A translation-memory match stored for a segment (score 0-100)."""

    score: float
    source: str
    target: str
    origin: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change.

    Attributes:
        id: Increasing id (order of changes).
        segment_id: The segment changed (None for structural edits or deleted segments).
        at: ISO 8601 UTC timestamp.
        action: ``draft``, ``final``, ``approve``, ``unapprove``, ``tm``, ``undo``, ``merge``, ``split``.
        before: State before the change (segment columns, or removed segments for structural edits).
        after: State after it.
        undone: True once undone.
    """

    id: int
    segment_id: int | None
    at: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    undone: bool


def signature_text(signature: Mapping[str, Any]) -> str:
    """Canonical one-line form of an engine signature: ``key=value, ...`` sorted by key."""
    return ", ".join(f"{k}={signature[k]}" for k in sorted(signature))


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


def _join_texts(a: str, b: str) -> str:
    """Join two paragraph texts: no space between CJK text, one space between Latin words."""
    a, b = a.rstrip(), b.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def _split_segments(text: str) -> list[str]:
    from workbench.text.segments import split_segments

    return [s for s in split_segments(text) if s.strip()] or ([text] if text.strip() else [])


class Project:
    """An open project file. Use :meth:`open`; close with :meth:`close` or a ``with`` block.

    Args:
        db: The opened database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path
        self._termbase_cache: tuple[str, Any] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path | str, create: bool = False, readonly: bool = False) -> Project:
        """Open a project file.

        Args:
            path: The ``.wbproj`` file.
            create: Create it when missing.
            readonly: Open for reading only (``workbench status`` on a read-only file).

        Raises:
            WorkbenchError: missing, not a project, damaged, from a newer workbench, read-only (when
                opening for writing), full disk while creating.
        """
        path = Path(path)
        conn = open_database(path, schema.PROJECT, create=create, readonly=readonly)
        project = cls(Database(conn, path, "project"))
        if not readonly and project.meta("created") is None:
            with project._db.write() as c:
                c.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (utc_now(),))
                c.execute("INSERT OR IGNORE INTO meta VALUES ('app_version', ?)", (__version__,))
        return project

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        """A value from the project's key/value metadata, or None."""
        with self._db.read() as c:
            row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a metadata value (its own transaction)."""
        with self._db.write() as c:
            c.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ---------------------------------------------------------------- documents
    def add_document(self, doc: Document) -> int:
        """Import a document; returns its id. Idempotent: the same path and content give the same id.

        A changed file at a path already in the project becomes a new document; its segments whose
        source did not change start with the previous version's draft, final text and status.
        """
        path = str(Path(doc.path).resolve()) if doc.path else ""
        digest = file_hash(doc)
        with self._db.write() as c:
            row = c.execute(
                "SELECT id FROM documents WHERE path = ? AND source_hash = ?", (path, digest)
            ).fetchone()
            if row:
                return int(row[0])
            now = utc_now()
            doc_id = c.execute(
                "INSERT INTO documents (path, name, encoding, script, source_hash, added) VALUES (?,?,?,?,?,?)",
                (
                    path,
                    Path(doc.path).name if doc.path else "untitled",
                    doc.encoding,
                    doc.script,
                    digest,
                    now,
                ),
            ).lastrowid
            for pos, para in enumerate(doc.paragraphs):
                pid = c.execute(
                    "INSERT INTO paragraphs (doc_id, position, kind, text, line_first, line_last) "
                    "VALUES (?,?,?,?,?,?)",
                    (doc_id, pos, para.kind, para.text, para.lines[0], para.lines[1]),
                ).lastrowid
                segs = [s for s in para.segments if s.strip()] or ([para.text] if para.text.strip() else [])
                if not is_translated(para.kind):
                    segs = []  # page furniture: kept and shown, not translated
                c.executemany(
                    "INSERT INTO segments (paragraph_id, position, source, updated) VALUES (?,?,?,?)",
                    [(pid, i, s, now) for i, s in enumerate(segs)],
                )
            if path:
                self._carry_over(c, path, int(doc_id))
            return int(doc_id)

    def _carry_over(self, c: sqlite3.Connection, path: str, doc_id: int) -> None:
        """A new version of a file already in the project: segments whose source is unchanged take over
        the previous version's draft, final text and status (recorded in the history as ``carry``)."""
        prev = c.execute(
            "SELECT id FROM documents WHERE path = ? AND id != ? ORDER BY id DESC LIMIT 1", (path, doc_id)
        ).fetchone()
        if prev is None:
            return
        c.execute(
            "UPDATE documents SET superseded_by = ? WHERE path = ? AND id != ? AND superseded_by IS NULL",
            (doc_id, path, doc_id),
        )
        order = (
            "SELECT s.* FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id WHERE p.doc_id = ? "
            "ORDER BY p.position, s.position"
        )
        old = c.execute(order, (prev[0],)).fetchall()
        new = c.execute(order, (doc_id,)).fetchall()
        matcher = difflib.SequenceMatcher(
            None, [r["source"] for r in old], [r["source"] for r in new], autojunk=False
        )
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if tag != "equal":
                continue
            for k in range(i2 - i1):
                src = old[i1 + k]
                if src["status"] == "new":
                    continue
                self._change(c, new[j1 + k]["id"], "carry", **{key: src[key] for key in _STATE})

    def documents(self, include_superseded: bool = False) -> list[DocumentInfo]:
        """Documents in the order they were added (older versions of re-imported files only if asked)."""
        where = "" if include_superseded else " WHERE d.superseded_by IS NULL"
        with self._db.read() as c:
            rows = c.execute(
                "SELECT d.*, (SELECT COUNT(*) FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id "
                f"WHERE p.doc_id = d.id) AS n FROM documents d{where} ORDER BY d.id"
            ).fetchall()
        return [
            DocumentInfo(
                r["id"],
                r["path"],
                r["name"],
                r["encoding"],
                r["script"],
                r["source_hash"],
                r["added"],
                r["n"],
                r["superseded_by"],
            )
            for r in rows
        ]

    def _doc(self, c: sqlite3.Connection, doc_id: int) -> sqlite3.Row:
        row = c.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise WorkbenchError(f"{self.path}: no document {doc_id} in this project")
        return row

    def paragraphs(self, doc_id: int) -> list[ParagraphRow]:
        """The document's paragraphs in order."""
        with self._db.read() as c:
            self._doc(c, doc_id)
            rows = c.execute(
                "SELECT * FROM paragraphs WHERE doc_id = ? ORDER BY position", (doc_id,)
            ).fetchall()
        return [self._para(r) for r in rows]

    @staticmethod
    def _para(r: sqlite3.Row) -> ParagraphRow:
        return ParagraphRow(
            r["id"], r["doc_id"], r["position"], r["kind"], r["text"], (r["line_first"], r["line_last"])
        )

    # ----------------------------------------------------------------- segments
    _SEG_SELECT = (
        "SELECT s.*, p.doc_id AS doc_id, p.position AS ppos, g.data AS sigdata FROM segments s "
        "JOIN paragraphs p ON p.id = s.paragraph_id LEFT JOIN signatures g ON g.id = s.signature_id "
    )
    _SEG_ORDER = " ORDER BY p.doc_id, p.position, s.position"

    @staticmethod
    def _seg(r: sqlite3.Row) -> SegmentRow:
        sig = signature_text(json.loads(r["sigdata"])) if r["sigdata"] else None
        return SegmentRow(
            id=r["id"],
            doc_id=r["doc_id"],
            paragraph=r["ppos"],
            index=r["position"],
            source=r["source"],
            draft=r["draft"],
            score=r["draft_score"],
            final=r["final"],
            status=r["status"],
            origin=r["origin"],
            signature=sig,
            hits_hash=r["hits_hash"],
            unmet=tuple(json.loads(r["unmet"])) if r["unmet"] else (),
            updated=r["updated"],
        )

    def segments(
        self, doc_id: int | None = None, status: str | Iterable[str] | None = None
    ) -> list[SegmentRow]:
        """Segments in document order, optionally of one document and/or with the given status(es).

        Without ``doc_id``: the segments of every current document (older versions of re-imported
        files are left out; ask for them by id).
        """
        where, args = [], []
        if doc_id is not None:
            where.append("p.doc_id = ?")
            args.append(doc_id)
        else:  # current documents only, not older versions of re-imported files
            where.append("p.doc_id IN (SELECT id FROM documents WHERE superseded_by IS NULL)")
        if status is not None:
            wanted = [status] if isinstance(status, str) else list(status)
            bad = [s for s in wanted if s not in STATUSES]
            if bad:
                raise WorkbenchError(f"unknown status {bad[0]!r}; use one of {', '.join(STATUSES)}")
            where.append(f"s.status IN ({','.join('?' * len(wanted))})")
            args.extend(wanted)
        sql = self._SEG_SELECT + (" WHERE " + " AND ".join(where) if where else "") + self._SEG_ORDER
        with self._db.read() as c:
            return [self._seg(r) for r in c.execute(sql, args)]

    def segment(self, segment_id: int) -> SegmentRow:
        """One segment by id."""
        with self._db.read() as c:
            return self._segment(c, segment_id)

    def _segment(self, c: sqlite3.Connection, segment_id: int) -> SegmentRow:
        row = c.execute(self._SEG_SELECT + "WHERE s.id = ?", (segment_id,)).fetchone()
        if row is None:
            raise WorkbenchError(f"{self.path}: no segment {segment_id} (it may have been merged or split)")
        return self._seg(row)

    def next_untranslated(
        self, doc_id: int, after: int | None = None, statuses: Sequence[str] = ("new", "drafted")
    ) -> SegmentRow | None:
        """The next segment (after segment id ``after``, in document order) whose status is in ``statuses``.

        Wraps around to the start of the document; None when every segment is done.
        """
        segs = self.segments(doc_id)
        start = 0
        if after is not None:
            for i, s in enumerate(segs):
                if s.id == after:
                    start = i + 1
                    break
        for s in segs[start:] + segs[:start]:
            if s.status in statuses and s.id != after:
                return s
        return None

    def counts(self, doc_id: int | None = None) -> dict[str, int]:
        """Number of segments per status (every status present, zeros included), of one or all current documents."""
        sql = "SELECT s.status, COUNT(*) FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id"
        args: list[Any] = []
        if doc_id is not None:
            sql += " WHERE p.doc_id = ?"
            args.append(doc_id)
        else:
            sql += " WHERE p.doc_id IN (SELECT id FROM documents WHERE superseded_by IS NULL)"
        out = dict.fromkeys(STATUSES, 0)
        with self._db.read() as c:
            for status, n in c.execute(sql + " GROUP BY s.status", args):
                out[status] = n
        return out

    # ------------------------------------------------------------------ editing
    def _state(self, c: sqlite3.Connection, segment_id: int) -> dict[str, Any]:
        row = c.execute(f"SELECT {', '.join(_STATE)} FROM segments WHERE id = ?", (segment_id,)).fetchone()
        if row is None:
            raise WorkbenchError(f"{self.path}: no segment {segment_id} (it may have been merged or split)")
        return dict(zip(_STATE, row, strict=True))

    def _change(self, c: sqlite3.Connection, segment_id: int, action: str, **new: Any) -> dict[str, Any]:
        """Apply ``new`` column values to a segment and record the change in the history."""
        before = self._state(c, segment_id)
        after = {**before, **new}
        now = utc_now()
        c.execute(
            f"UPDATE segments SET {', '.join(f'{k} = ?' for k in _STATE)}, updated = ? WHERE id = ?",
            [after[k] for k in _STATE] + [now, segment_id],
        )
        c.execute(
            "INSERT INTO history (segment_id, at, action, before, after) VALUES (?,?,?,?,?)",
            (
                segment_id,
                now,
                action,
                json.dumps(before, ensure_ascii=False),
                json.dumps(after, ensure_ascii=False),
            ),
        )
        return after

    def _signature_id(self, c: sqlite3.Connection, signature: Mapping[str, Any] | None) -> int | None:
        if not signature:
            return None
        data = json.dumps({k: str(v) for k, v in signature.items()}, sort_keys=True, ensure_ascii=False)
        row = c.execute("SELECT id FROM signatures WHERE data = ?", (data,)).fetchone()
        if row:
            return int(row[0])
        return int(
            c.execute(
                "INSERT INTO signatures (backend, model, beam, glossary_hash, app_version, data) VALUES (?,?,?,?,?,?)",
                (
                    str(signature.get("backend", "")),
                    str(signature.get("model", "")),
                    str(signature.get("beam", "")),
                    str(signature.get("glossary", signature.get("glossary_hash", ""))),
                    str(signature.get("app_version", signature.get("version", __version__))),
                    data,
                ),
            ).lastrowid
        )

    def set_draft(
        self,
        segment_id: int,
        draft: Draft | str,
        *,
        score: float | None = None,
        signature: Mapping[str, Any] | None = None,
        hits_hash: str | None = None,
    ) -> SegmentRow:
        """Store a machine draft. A segment that is ``new`` or ``drafted`` becomes ``drafted`` (origin mt);
        a final text chosen by a person or the TM is never touched.
        """
        self.set_drafts([(segment_id, draft, hits_hash)], signature=signature, score=score)
        return self.segment(segment_id)

    def set_drafts(
        self,
        items: Sequence[tuple[int, Draft | str, str | None]],
        *,
        signature: Mapping[str, Any] | None = None,
        score: float | None = None,
    ) -> None:
        """Store several drafts ``(segment_id, draft, hits_hash)`` in ONE transaction (a batch run's batch)."""
        with self._db.write() as c:
            sig_id = self._signature_id(c, signature)
            for segment_id, draft, hits_hash in items:
                text = draft if isinstance(draft, str) else draft.text
                sc = score if isinstance(draft, str) else draft.score
                unmet = [] if isinstance(draft, str) else list(draft.unmet)
                state = self._state(c, segment_id)
                new: dict[str, Any] = {
                    "draft": text,
                    "draft_score": sc,
                    "signature_id": sig_id,
                    "hits_hash": hits_hash,
                    "unmet": json.dumps(unmet, ensure_ascii=False) if unmet else None,
                }
                if state["status"] in ("new", "drafted"):
                    new.update(status="drafted", origin="mt")
                self._change(c, segment_id, "draft", **new)

    def set_final(self, segment_id: int, text: str | None) -> SegmentRow:
        """Set the final translation typed by a person (status ``edited``, origin human).

        An empty text clears the final: the segment falls back to ``drafted`` (or ``new``).
        """
        with self._db.write() as c:
            state = self._state(c, segment_id)
            if text is None or not text.strip():
                self._change(
                    c,
                    segment_id,
                    "final",
                    final=None,
                    status="drafted" if state["draft"] else "new",
                    origin="mt" if state["draft"] else None,
                )
            else:
                self._change(c, segment_id, "final", final=text, status="edited", origin="human")
            return self._segment(c, segment_id)

    def approve(self, segment_id: int, tm: TranslationMemory | None = None) -> SegmentRow:
        """Approve the segment's current translation (final, else draft); add it to ``tm`` if given.

        Raises:
            WorkbenchError: the segment has no translation to approve.
        """
        with self._db.write() as c:
            seg = self._segment(c, segment_id)
            target = seg.target
            if not target:
                raise WorkbenchError(f"segment {segment_id} has no translation to approve")
            self._change(c, segment_id, "approve", final=target, status="approved", origin=seg.origin or "mt")
            seg = self._segment(c, segment_id)
        if tm is not None:
            tm.add(seg.source, target, origin=str(self.path))
        return seg

    def unapprove(self, segment_id: int) -> SegmentRow:
        """Take back an approval: the segment becomes ``edited`` (its final text stays)."""
        with self._db.write() as c:
            state = self._state(c, segment_id)
            if state["status"] == "approved":
                self._change(c, segment_id, "unapprove", status="edited")
            return self._segment(c, segment_id)

    def apply_tm(self, segment_id: int, target: str) -> SegmentRow:
        """Use an exact translation-memory match as the final text (status ``tm-exact``, origin tm)."""
        with self._db.write() as c:
            self._apply_tm(c, segment_id, target)
            return self._segment(c, segment_id)

    def apply_tm_many(self, items: Sequence[tuple[int, str]]) -> None:
        """Apply several exact TM matches ``(segment_id, target)`` in one transaction."""
        with self._db.write() as c:
            for segment_id, target in items:
                self._apply_tm(c, segment_id, target)

    def _apply_tm(self, c: sqlite3.Connection, segment_id: int, target: str) -> None:
        state = self._state(c, segment_id)
        if state["status"] in HUMAN_STATUSES:
            return  # never replace a person's choice
        if state["status"] == "tm-exact" and state["final"] == target:
            return
        self._change(c, segment_id, "tm", final=target, status="tm-exact", origin="tm")

    # -------------------------------------------------------------- fuzzy matches
    def set_fuzzy_matches(self, segment_id: int, matches: Sequence[FuzzyMatch]) -> None:
        """Replace the fuzzy TM matches stored for a segment (best first)."""
        self.set_fuzzy_many([(segment_id, matches)])

    def set_fuzzy_many(self, items: Sequence[tuple[int, Sequence[FuzzyMatch]]]) -> None:
        """Replace the fuzzy matches of several segments in one transaction."""
        with self._db.write() as c:
            for segment_id, matches in items:
                c.execute("DELETE FROM fuzzy_matches WHERE segment_id = ?", (segment_id,))
                c.executemany(
                    "INSERT INTO fuzzy_matches (segment_id, rank, score, source, target, origin) VALUES (?,?,?,?,?,?)",
                    [(segment_id, i, m.score, m.source, m.target, m.origin) for i, m in enumerate(matches)],
                )

    def fuzzy_matches(self, segment_id: int) -> list[FuzzyMatch]:
        """Stored fuzzy matches for a segment, best first."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT score, source, target, origin FROM fuzzy_matches WHERE segment_id = ? ORDER BY rank",
                (segment_id,),
            ).fetchall()
        return [FuzzyMatch(*r) for r in rows]

    # ------------------------------------------------------------ history, undo
    def history(self, segment_id: int | None = None, doc_id: int | None = None) -> list[HistoryEntry]:
        """Recorded changes, oldest first: of one segment, of one document's structure, or all."""
        sql, args = "SELECT * FROM history", []
        if segment_id is not None:
            sql += " WHERE segment_id = ?"
            args.append(segment_id)
        elif doc_id is not None:
            sql += " WHERE doc_id = ?"
            args.append(doc_id)
        with self._db.read() as c:
            rows = c.execute(sql + " ORDER BY id", args).fetchall()
        return [
            HistoryEntry(
                r["id"],
                r["segment_id"],
                r["at"],
                r["action"],
                json.loads(r["before"]),
                json.loads(r["after"]),
                bool(r["undone"]),
            )
            for r in rows
        ]

    def undo_last(self, segment_id: int) -> SegmentRow | None:
        """Undo the segment's most recent change not yet undone; None when there is nothing to undo.

        Repeated calls walk further back. The undo itself is recorded in the history.
        """
        with self._db.write() as c:
            row = c.execute(
                "SELECT id, before FROM history WHERE segment_id = ? AND undone = 0 AND action != 'undo' "
                "ORDER BY id DESC LIMIT 1",
                (segment_id,),
            ).fetchone()
            if row is None:
                return None
            before = json.loads(row["before"])
            self._change(c, segment_id, "undo", **{k: before.get(k) for k in _STATE})
            c.execute("UPDATE history SET undone = 1 WHERE id = ? OR id = last_insert_rowid()", (row["id"],))
            return self._segment(c, segment_id)

    # ------------------------------------------------------- structural editing
    def _renumber(self, c: sqlite3.Connection, doc_id: int, from_pos: int, shift: int) -> None:
        """Shift paragraph positions >= from_pos by ``shift`` without tripping the UNIQUE constraint."""
        c.execute(
            "UPDATE paragraphs SET position = -(position + ?) - 1 WHERE doc_id = ? AND position >= ?",
            (shift, doc_id, from_pos),
        )
        c.execute(
            "UPDATE paragraphs SET position = -position - 1 WHERE doc_id = ? AND position < 0", (doc_id,)
        )

    def _resegment(
        self, c: sqlite3.Connection, old: list[sqlite3.Row], parts: list[tuple[int, list[str]]]
    ) -> list[dict[str, Any]]:
        """Re-cut paragraphs into new segments, keeping every old segment whose source is unchanged.

        Args:
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
                removed.append({"id": r["id"], "source": r["source"], **{k: r[k] for k in _STATE}})
                c.execute("DELETE FROM segments WHERE id = ?", (r["id"],))
        now = utc_now()
        for j, source in enumerate(new_sources):
            pid, pos = owners[j]
            if j in keep:
                c.execute(
                    "UPDATE segments SET paragraph_id = ?, position = ? WHERE id = ?",
                    (pid, pos, keep[j]["id"]),
                )
            else:
                c.execute(
                    "INSERT INTO segments (paragraph_id, position, source, updated) VALUES (?,?,?,?)",
                    (pid, pos, source, now),
                )
        return removed

    def _log_structure(
        self, c: sqlite3.Connection, doc_id: int, action: str, before: dict, after: dict
    ) -> None:
        c.execute(
            "INSERT INTO history (doc_id, at, action, before, after) VALUES (?,?,?,?,?)",
            (
                doc_id,
                utc_now(),
                action,
                json.dumps(before, ensure_ascii=False),
                json.dumps(after, ensure_ascii=False),
            ),
        )

    def merge_paragraphs(self, doc_id: int, index: int) -> ParagraphRow:
        """Merge paragraph ``index`` with the one after it (one transaction).

        The merged text is re-segmented; segments whose source is unchanged keep their draft, final and
        status, the others start again as ``new`` (their old state stays in the history).

        Raises:
            WorkbenchError: no such paragraph, or it is the last one.
        """
        with self._db.write() as c:
            self._doc(c, doc_id)
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
            removed = self._resegment(c, old, [(a["id"], _split_segments(text))])
            c.execute(
                "UPDATE paragraphs SET text = ?, line_last = ? WHERE id = ?",
                (text, max(a["line_last"], b["line_last"]), a["id"]),
            )
            c.execute("DELETE FROM paragraphs WHERE id = ?", (b["id"],))
            self._renumber(c, doc_id, index + 2, -1)
            self._log_structure(
                c,
                doc_id,
                "merge",
                {"index": index, "texts": [a["text"], b["text"]], "removed_segments": removed},
                {"index": index, "text": text},
            )
            return self._para(c.execute("SELECT * FROM paragraphs WHERE id = ?", (a["id"],)).fetchone())

    def split_paragraph(self, doc_id: int, index: int, offset: int) -> tuple[ParagraphRow, ParagraphRow]:
        """Split paragraph ``index`` at character ``offset`` of its text into two paragraphs (one transaction).

        Both halves are re-segmented with ``workbench.text.segments.split_segments``; unchanged segments
        keep their translations.

        Raises:
            WorkbenchError: no such paragraph, or the offset leaves an empty half.
        """
        with self._db.write() as c:
            self._doc(c, doc_id)
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
            self._renumber(c, doc_id, index + 1, +1)
            new_id = c.execute(
                "INSERT INTO paragraphs (doc_id, position, kind, text, line_first, line_last) VALUES (?,?,?,?,?,?)",
                (doc_id, index + 1, p["kind"], second, mid, p["line_last"]),
            ).lastrowid
            c.execute("UPDATE paragraphs SET text = ?, line_last = ? WHERE id = ?", (first, mid, p["id"]))
            old = c.execute(
                "SELECT * FROM segments WHERE paragraph_id = ? ORDER BY position", (p["id"],)
            ).fetchall()
            removed = self._resegment(
                c, old, [(p["id"], _split_segments(first)), (int(new_id), _split_segments(second))]
            )
            self._log_structure(
                c,
                doc_id,
                "split",
                {"index": index, "text": text, "removed_segments": removed},
                {"index": index, "offset": offset, "texts": [first, second]},
            )
            a = c.execute("SELECT * FROM paragraphs WHERE id = ?", (p["id"],)).fetchone()
            b = c.execute("SELECT * FROM paragraphs WHERE id = ?", (new_id,)).fetchone()
            return self._para(a), self._para(b)

    # ----------------------------------------------------------------- glossary
    def set_glossary(self, paths: Sequence[Path | str]) -> None:
        """Record the glossary files used (their content is kept in the project)."""
        blobs = []
        for p in paths:
            try:
                blobs.append((str(Path(p).resolve()), Path(p).read_bytes()))
            except OSError as exc:
                raise WorkbenchError(f"{p}: cannot read glossary: {exc.strerror}") from exc
        with self._db.write() as c:
            current = [
                (r[0], bytes(r[1]))
                for r in c.execute("SELECT path, content FROM glossary_files ORDER BY position")
            ]
            if current == blobs:
                return
            c.execute("DELETE FROM glossary_files")
            c.executemany(
                "INSERT INTO glossary_files VALUES (?,?,?)", [(i, p, b) for i, (p, b) in enumerate(blobs)]
            )

    def glossary_files(self) -> list[tuple[str, bytes]]:
        """The glossary files recorded with :meth:`set_glossary`: ``(path, content)``."""
        with self._db.read() as c:
            return [
                (r[0], bytes(r[1]))
                for r in c.execute("SELECT path, content FROM glossary_files ORDER BY position")
            ]

    def termbase(self) -> Any | None:
        """The recorded glossary as a ``workbench.terms`` TermBase (None when there is none)."""
        files = self.glossary_files()
        if not files:
            return None
        key = hashlib.sha256(b"".join(hashlib.sha256(b).digest() for _, b in files)).hexdigest()
        if self._termbase_cache and self._termbase_cache[0] == key:
            return self._termbase_cache[1]
        from workbench.terms import load_termbase

        with tempfile.TemporaryDirectory(prefix="wb-glossary-") as tmp:
            paths = []
            for i, (orig, content) in enumerate(files):
                p = Path(tmp) / str(i) / Path(orig).name
                p.parent.mkdir()
                p.write_bytes(content)
                paths.append(p)
            tb = load_termbase(paths)
        self._termbase_cache = (key, tb)
        return tb

    # ------------------------------------------------------------------ export
    def document_record(self, doc_id: int, check_terms: bool = True) -> DocumentRecord:
        """The document as a neutral :class:`~workbench.records.DocumentRecord` for the exporters.

        Args:
            doc_id: The document.
            check_terms: Fill each segment's ``terms`` by checking its target against the recorded glossary.
        """
        with self._db.read() as c:
            d = self._doc(c, doc_id)
            paras = [
                self._para(r)
                for r in c.execute("SELECT * FROM paragraphs WHERE doc_id = ? ORDER BY position", (doc_id,))
            ]
            segs = [
                self._seg(r)
                for r in c.execute(self._SEG_SELECT + "WHERE p.doc_id = ?" + self._SEG_ORDER, (doc_id,))
            ]
            sigs = [
                r[0]
                for r in c.execute(
                    "SELECT DISTINCT g.data FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id "
                    "JOIN signatures g ON g.id = s.signature_id WHERE p.doc_id = ?",
                    (doc_id,),
                )
            ]
        checker = self.term_checker() if check_terms else None
        by_para: dict[int, list[SegmentRecord]] = {}
        for s in segs:
            by_para.setdefault(s.paragraph, []).append(
                SegmentRecord(
                    paragraph=s.paragraph,
                    index=s.index,
                    source=s.source,
                    draft=s.draft,
                    final=s.final,
                    status=s.status,
                    origin=s.origin,
                    signature=s.signature,
                    terms=checker(s.source, s.target) if checker and s.target else [],
                    updated=s.updated,
                )
            )
        files = self.glossary_files()
        glossary = ", ".join(Path(p).name for p, _ in files)
        if files:
            glossary += " sha256:" + hashlib.sha256(b"".join(b for _, b in files)).hexdigest()[:12]
        return DocumentRecord(
            name=d["name"],
            source_path=d["path"],
            script=d["script"],
            paragraphs=[
                ParagraphRecord(p.index, p.kind, p.text, p.lines, by_para.get(p.index, [])) for p in paras
            ],
            glossary=glossary,
            signature=" | ".join(signature_text(json.loads(x)) for x in sigs),
        )

    def term_checker(self) -> Any | None:
        """A function ``(source, target) -> list[TermNote]`` using the recorded glossary, or None."""
        tb = self.termbase()
        if tb is None:
            return None
        from workbench.terms import Matcher, check_target

        matcher = Matcher(tb)

        def check(source: str, target: str) -> list[TermNote]:
            hits = matcher.find(source)
            return list(check_target(hits, target)) if hits else []

        return check
