"""Read-only views of a project for the exports and the UI: a document as a neutral record."""

from __future__ import annotations

import json

from workbench.errors import WorkbenchError
from workbench.mt.engine import ProgressFn
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, Signature
from workbench.store import qa_cache
from workbench.store.connection import Database
from workbench.store.documents import document_row
from workbench.store.glossary import content_key, describe, glossary_files
from workbench.store.rows import SEGMENT_ORDER, SEGMENT_SELECT, ParagraphRow, SegmentRow
from workbench.terms.checks import attach_qa, settings_key
from workbench.terms.context import GlossaryContext
from workbench.terms.ledger import segment_terms


def _no_writer() -> Database | None:
    return None


def document_record(
    db: Database,
    doc_id: int,
    glossary: GlossaryContext | None = None,
    *,
    qa: bool = True,
    writer: qa_cache.WriterFn = _no_writer,
    progress: ProgressFn | None = None,
) -> DocumentRecord:
    """The document as a :class:`~workbench.records.DocumentRecord` for the exporters.

    Each segment's own QA findings and glossary term notes come from the project's cache
    (:mod:`workbench.store.qa_cache`); the stale or missing ones are computed and stored through ``writer``.

    Args:
        db: The project database.
        doc_id: The document.
        glossary: When given, each translated segment's ``terms`` are checked against it (with the machine
            draft's term ledger while the target is that draft: :func:`workbench.terms.ledger.segment_terms`).
        qa: Fill each segment's ``qa`` notes (:func:`workbench.terms.checks.attach_qa`).
        writer: Gives a writable connection for the cache (default: store nothing).
        progress: ``(done, total)`` over the segments whose checks had to run.
    """
    with db.read() as c:
        d = document_row(c, doc_id, db.path)
        paras = [
            ParagraphRow.from_row(r)
            for r in c.execute("SELECT * FROM paragraphs WHERE doc_id = ? ORDER BY position", (doc_id,))
        ]
        segs = [
            SegmentRow.from_row(r)
            for r in c.execute(SEGMENT_SELECT + "WHERE p.doc_id = ?" + SEGMENT_ORDER, (doc_id,))
        ]
        sigs = [
            r[0]
            for r in c.execute(
                "SELECT DISTINCT g.data FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id "
                "JOIN signatures g ON g.id = s.signature_id WHERE p.doc_id = ?",
                (doc_id,),
            )
        ]
    files = glossary_files(db)
    wanted = qa_cache.Wanted(
        qa_settings=settings_key() if qa else None,
        glossary=glossary if glossary else None,
        glossary_key=content_key(files),
    )
    found, checked = qa_cache.lookup(db, doc_id, segs, wanted, writer=writer, progress=progress)
    by_para: dict[int, list[SegmentRecord]] = {}
    for i, s in enumerate(segs):
        seg = SegmentRecord(
            paragraph=s.paragraph,
            index=s.index,
            source=s.source,
            draft=s.draft,
            final=s.final,
            status=s.status,
            origin=s.origin,
            signature=s.signature,
            updated=s.updated,
            comment=s.comment,
            ledger=list(s.ledger),
            cost=s.cost,
            doubt=s.doubt,
        )
        if checked is not None:
            # The cache holds the glossary's notes; the ledger of the machine draft is applied after it.
            seg.terms = segment_terms(checked[i], seg) if s.target else []
        by_para.setdefault(s.paragraph, []).append(seg)
    record = DocumentRecord(
        name=d["name"],
        source_path=d["path"],
        script=d["script"],
        paragraphs=[
            ParagraphRecord(p.index, p.kind, p.text, p.lines, by_para.get(p.index, [])) for p in paras
        ],
        glossary=describe(files),
        signature=" | ".join(_signature(x, db) for x in sigs),
    )
    return attach_qa(record, found=found) if qa else record


def _signature(data: str, db: Database) -> str:
    """A recorded draft signature as text.

    Raises:
        WorkbenchError: the recorded JSON is damaged (a tampered file), naming the file.
    """
    try:
        return str(Signature.from_dict(json.loads(data)))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise WorkbenchError(
            f"{db.path}: a draft signature is damaged ({type(exc).__name__}); restore the project from a backup"
        ) from None
