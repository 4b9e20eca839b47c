"""A translation project: one SQLite file holding documents, segments, drafts, finals and their history.

:class:`Project` is a thin facade over the modules that hold each concern: ``documents`` (import,
new versions), ``segments`` (queries and the status machine), ``history`` (changes and undo),
``structure`` (merge and split), ``glossary`` (the recorded term bases) and ``views`` (records for the
exports). Every public method that changes something is one transaction, recorded in the history so
the UI can undo it. The file is in WAL mode with a busy timeout, so a terminal UI and a batch run can
work on the same project at once: readers never block, writers wait for each other.

Example:
    >>> with Project.open("report.wbproj", create=True) as project:   # doctest: +SKIP
    ...     doc_id = project.add_document(load_document("report.txt"))
    ...     seg = project.segments(doc_id)[0]
    ...     project.set_final(seg.id, "My translation")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.guard import protect
from workbench.lang import utc_now
from workbench.records import DocumentRecord, Draft, Origin, Signature, Status
from workbench.store import claims, documents, failures, history, review, schema, segments, structure, views
from workbench.store import glossary as recorded
from workbench.store.connection import Database
from workbench.store.db import open_database, protect_database
from workbench.store.glossary import RecordedGlossary
from workbench.store.rows import DocumentInfo, FuzzyMatch, HistoryEntry, ParagraphRow, SegmentRow

if TYPE_CHECKING:
    from workbench.mt.engine import ProgressFn
    from workbench.store.tm import TranslationMemory
    from workbench.terms.context import GlossaryContext
    from workbench.text.model import Document

__all__ = ["DocumentInfo", "FuzzyMatch", "HistoryEntry", "ParagraphRow", "Project", "SegmentRow"]


class Project:
    """An open project file. Use :meth:`open`; close with :meth:`close` or a ``with`` block.

    Args:
        db: The opened database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self.path = db.path
        self._glossary = RecordedGlossary(db)
        self._readonly = False
        self._writer: Database | bool | None = None  # the cache's writer when opened read-only (False: none)

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
        protect_database(path, "the project")
        project = cls(
            Database(open_database(path, schema.PROJECT, create=create, readonly=readonly), path, "project")
        )
        project._readonly = readonly
        project._protect_files()
        if not readonly and project.meta("created") is None:
            with project._db.write() as c:
                c.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (utc_now(),))
                c.execute("INSERT OR IGNORE INTO meta VALUES ('app_version', ?)", (__version__,))
        return project

    def _protect_files(self) -> None:
        """Register the project's source documents and glossaries with the output guard."""
        folder = self.path.resolve().parent
        for path, rel_path in documents.source_paths(self._db):
            protect(path, "a source document of the project")
            if rel_path:
                protect(folder / rel_path, "a source document of the project")
        for name, _ in self.glossary_files():
            protect(name, "a glossary of the project")

    def close(self) -> None:
        """Close the file."""
        if isinstance(self._writer, Database):
            self._writer.close()
        self._db.close()

    def _cache_writer(self) -> Database | None:
        """Where the QA cache is stored: the project itself, or, when it was opened read-only (``status``,
        ``export``), a second connection opened for writing on first need (which upgrades an older
        project's file like any writing command); None when the file cannot be written."""
        if not self._readonly:
            return self._db
        if self._writer is None:
            try:
                self._writer = Database(open_database(self.path, schema.PROJECT), self.path, "project")
            except WorkbenchError:
                self._writer = False
        return self._writer if isinstance(self._writer, Database) else None

    def backup(self, target: Path | str) -> None:
        """Write a consistent, self-contained copy of the project to ``target`` (see
        :meth:`workbench.store.connection.Database.backup`); safe while other programs work on it."""
        self._db.backup(Path(target))

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

    # ----- documents (workbench.store.documents) ---------------------------------------------------
    def add_document(self, doc: Document) -> int:
        """Import a document; returns its id (see :func:`workbench.store.documents.add_document`)."""
        return documents.add_document(self._db, doc)

    def documents(self, include_superseded: bool = False) -> list[DocumentInfo]:
        """Documents in the order they were added (older versions of re-imported files only if asked)."""
        return documents.documents(self._db, include_superseded)

    def paragraphs(self, doc_id: int) -> list[ParagraphRow]:
        """The document's paragraphs in order."""
        return documents.paragraphs(self._db, doc_id)

    # ----- segments (workbench.store.segments) -----------------------------------------------------
    def segments(
        self, doc_id: int | None = None, status: Status | str | Iterable[Status | str] | None = None
    ) -> list[SegmentRow]:
        """Segments in document order, of one or every current document, optionally by status."""
        return segments.segments(self._db, doc_id, status)

    def segment(self, segment_id: int) -> SegmentRow:
        """One segment by id."""
        return segments.segment(self._db, segment_id)

    def counts(self, doc_id: int | None = None) -> dict[str, int]:
        """Segments per status, zeros included, of one or all current documents."""
        return segments.counts(self._db, doc_id)

    def set_drafts(
        self,
        items: Sequence[tuple[int, Draft | str, str | None]],
        *,
        signature: Signature | None = None,
        score: float | None = None,
    ) -> None:
        """Store drafts ``(segment_id, draft, hits_hash)`` in one transaction; human work is kept."""
        segments.set_drafts(self._db, items, signature=signature, score=score)

    def set_failures(self, items: Sequence[tuple[int, str]]) -> None:
        """Record segments whose drafting failed, ``(segment_id, reason)``; a later draft clears them."""
        failures.set_failures(self._db, items)

    def failures(self, doc_id: int | None = None) -> dict[int, str]:
        """``segment id -> reason`` of the segments whose last drafting failed (``workbench.store.failures``)."""
        return failures.failures(self._db, doc_id)

    def set_draft(
        self,
        segment_id: int,
        draft: Draft | str,
        *,
        score: float | None = None,
        signature: Signature | None = None,
        hits_hash: str | None = None,
    ) -> SegmentRow:
        """Store one machine draft (see :meth:`set_drafts`)."""
        segments.set_drafts(self._db, [(segment_id, draft, hits_hash)], signature=signature, score=score)
        return self.segment(segment_id)

    def set_final(self, segment_id: int, text: str | None) -> SegmentRow:
        """Set the final translation typed by a person; an empty text clears it."""
        return segments.set_final(self._db, segment_id, text)

    def restore(
        self, segment_id: int, final: str | None, status: Status, origin: Origin | None
    ) -> SegmentRow:
        """Put back an earlier final text and status of a segment, keeping its draft (the UI's undo)."""
        return segments.restore(self._db, segment_id, final, status, origin)

    def approve(self, segment_id: int, tm: TranslationMemory | None = None) -> SegmentRow:
        """Approve the segment's current translation; add it to ``tm`` if given."""
        return segments.approve(self._db, segment_id, tm)

    def apply_tm_many(self, items: Sequence[tuple[int, str]]) -> None:
        """Use exact TM matches ``(segment_id, target)`` as final texts, in one transaction."""
        segments.apply_tm_many(self._db, items)

    def set_fuzzy_matches(self, segment_id: int, matches: Sequence[FuzzyMatch]) -> None:
        """Replace the fuzzy TM matches stored for a segment (best first)."""
        segments.set_fuzzy_many(self._db, [(segment_id, matches)])

    def set_fuzzy_many(self, items: Sequence[tuple[int, Sequence[FuzzyMatch]]]) -> None:
        """Replace the fuzzy matches of several segments in one transaction."""
        segments.set_fuzzy_many(self._db, items)

    def fuzzy_matches(self, segment_id: int) -> list[FuzzyMatch]:
        """Stored fuzzy matches for a segment, best first."""
        return segments.fuzzy_matches(self._db, segment_id)

    # ----- claims (workbench.store.claims) ---------------------------------------------------------
    def claim(self, segment_ids: Sequence[int], owner: str, still_needed: Callable[[int], bool]) -> list[int]:
        """Claim segments for drafting unless another live run holds them (see ``workbench.store.claims``)."""
        return claims.claim(self._db, segment_ids, owner, still_needed)

    def release(self, owner: str, segment_ids: Sequence[int] | None = None) -> None:
        """Release this run's claims (of the given segments, or all)."""
        claims.release(self._db, owner, segment_ids)

    # ----- history (workbench.store.history) -------------------------------------------------------
    def history(self, segment_id: int | None = None, doc_id: int | None = None) -> list[HistoryEntry]:
        """Recorded changes, oldest first: of one segment, of one document's structure, or all."""
        return history.history(self._db, segment_id, doc_id)

    def undo_last(self, segment_id: int) -> SegmentRow | None:
        """Undo the segment's most recent change not yet undone (None when there is none)."""
        return history.undo_last(self._db, segment_id)

    # ----- review (workbench.store.review) ---------------------------------------------------------
    def set_comment(self, segment_id: int, text: str, who: str = "") -> SegmentRow:
        """Set (empty: remove) a segment's comment, recorded with ``who`` in the history."""
        return review.set_comment(self._db, segment_id, text, who)

    def set_status(self, segment_id: int, status: Status, who: str = "") -> SegmentRow:
        """Give a segment a status (``reviewed`` …) keeping its translation, recorded with ``who``."""
        return review.set_status(self._db, segment_id, status, who)

    def apply_review(self, changes: Sequence[review.ReviewChange], who: str = "") -> int:
        """Apply a reviewer's changes in one transaction (all or nothing); how many segments changed."""
        return review.apply_review(self._db, changes, who)

    # ----- structure (workbench.store.structure) ---------------------------------------------------
    def merge_paragraphs(self, doc_id: int, index: int) -> ParagraphRow:
        """Merge paragraph ``index`` with the one after it."""
        return structure.merge_paragraphs(self._db, doc_id, index)

    def split_paragraph(self, doc_id: int, index: int, offset: int) -> tuple[ParagraphRow, ParagraphRow]:
        """Split paragraph ``index`` at character ``offset`` of its text."""
        return structure.split_paragraph(self._db, doc_id, index, offset)

    # ----- glossary (workbench.store.glossary) -----------------------------------------------------
    def set_glossary(self, paths: Sequence[Path | str]) -> None:
        """Record the glossary files used (their content is kept in the project)."""
        recorded.set_glossary(self._db, paths)

    def glossary_files(self) -> list[tuple[str, bytes]]:
        """The recorded glossary files: ``(path, content)``."""
        return recorded.glossary_files(self._db)

    def rejected_names(self) -> set[str]:
        """Name sources a translator rejected: never proposed or enforced again in this project."""
        return recorded.rejected_names(self._db)

    def reject_name(self, source: str) -> None:
        """Remember that ``source`` is not a name to propose or enforce in this project."""
        recorded.reject_name(self._db, source)

    def unreject_name(self, source: str) -> None:
        """Forget that ``source`` was rejected (the rejection undone): it is proposed again."""
        recorded.unreject_name(self._db, source)

    def glossary(self) -> GlossaryContext:
        """The recorded glossary (an empty context when there is none)."""
        return self._glossary.context()

    # ----- views (workbench.store.views) -----------------------------------------------------------
    def document_record(
        self,
        doc_id: int,
        check_terms: bool = True,
        check_qa: bool = True,
        glossary: GlossaryContext | None = None,
        progress: ProgressFn | None = None,
    ) -> DocumentRecord:
        """The document as a neutral record for the exporters (terms checked against ``glossary``, default the
        recorded one, with the machine drafts' term ledger; QA notes from ``workbench.terms.checks``), the
        checks' results cached in the project (``workbench.store.qa_cache``; ``progress(done, total)`` over
        the segments that had to be checked)."""
        if check_terms and glossary is None:
            glossary = self.glossary()
        return views.document_record(
            self._db,
            doc_id,
            glossary if check_terms else None,
            qa=check_qa,
            writer=self._cache_writer,
            progress=progress,
        )
