"""Segments of a project: queries, and the status machine of drafts, final texts, approvals and TM matches.

Rules: a machine draft never replaces a final text chosen by a person or the translation memory (it is
stored beside it); an exact TM match never replaces human work; clearing a final text falls back to the
draft. Every call is one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.errors import WorkbenchError
from workbench.records import Draft, Origin, Signature, Status
from workbench.store import failures
from workbench.store.connection import Database
from workbench.store.db import inserted_id
from workbench.store.history import Action, record_change, segment_row, segment_state
from workbench.store.rows import SEGMENT_ORDER, SEGMENT_SELECT, FuzzyMatch, SegmentRow
from workbench.terms.ledger import ledger_to_json

if TYPE_CHECKING:
    from workbench.store.tm import TranslationMemory

#: Segments of documents that are not superseded by a newer version of the same file.
_CURRENT = "p.doc_id IN (SELECT id FROM documents WHERE superseded_by IS NULL)"


def segments(
    db: Database, doc_id: int | None = None, status: Status | str | Iterable[Status | str] | None = None
) -> list[SegmentRow]:
    """Segments in document order, optionally of one document and/or with the given status(es).

    Without ``doc_id``: the segments of every current document (older versions of re-imported
    files are left out; ask for them by id).

    Raises:
        WorkbenchError: an unknown status name.
    """
    where: list[str] = []
    args: list[object] = []
    if doc_id is not None:
        where.append("p.doc_id = ?")
        args.append(doc_id)
    else:
        where.append(_CURRENT)
    if status is not None:
        wanted = [status] if isinstance(status, str) else list(status)
        where.append(f"s.status IN ({','.join('?' * len(wanted))})")
        args.extend(str(Status.parse(str(s))) for s in wanted)
    sql = SEGMENT_SELECT + " WHERE " + " AND ".join(where) + SEGMENT_ORDER
    with db.read() as c:
        return [SegmentRow.from_row(r) for r in c.execute(sql, args)]


def needs_draft(seg: SegmentRow, hits_hash: str) -> bool:
    """Whether a batch run drafts ``seg``: it is ``new``, or its draft was made with other glossary hits than
    ``hits_hash`` (a draft whose hits are unknown, stored before drafts carried a hash, is kept)."""
    return seg.status is Status.NEW or (
        seg.status is Status.DRAFTED and seg.hits_hash not in (None, hits_hash)
    )


def segment(db: Database, segment_id: int) -> SegmentRow:
    """One segment by id."""
    with db.read() as c:
        return segment_row(c, segment_id, db.path)


def counts(db: Database, doc_id: int | None = None) -> dict[str, int]:
    """Segments per status (every status present, zeros included), of one or all current documents."""
    sql = "SELECT s.status, COUNT(*) FROM segments s JOIN paragraphs p ON p.id = s.paragraph_id WHERE "
    args: list[Any] = []
    if doc_id is not None:
        sql += "p.doc_id = ?"
        args.append(doc_id)
    else:
        sql += _CURRENT
    out = {str(s): 0 for s in Status}
    with db.read() as c:
        for status, n in c.execute(sql + " GROUP BY s.status", args):
            out[status] = n
    return out


def _signature_id(c: sqlite3.Connection, signature: Signature | None) -> int | None:
    if signature is None:
        return None
    data = json.dumps(signature.as_dict(), sort_keys=True, ensure_ascii=False)
    row = c.execute("SELECT id FROM signatures WHERE data = ?", (data,)).fetchone()
    if row:
        return int(row[0])
    return inserted_id(
        c.execute(
            "INSERT INTO signatures (backend, model, beam, glossary_hash, app_version, data) VALUES (?,?,?,?,?,?)",
            (signature.backend, signature.model, signature.beam, signature.glossary, signature.version, data),
        )
    )


def set_drafts(
    db: Database,
    items: Sequence[tuple[int, Draft | str, str | None]],
    *,
    signature: Signature | None = None,
    score: float | None = None,
) -> None:
    """Store several drafts ``(segment_id, draft, hits_hash)`` in ONE transaction (a batch run's batch).

    A segment that is ``new`` or ``drafted`` becomes ``drafted`` (origin mt); a final text chosen by a
    person or the TM is never touched. A :class:`~workbench.records.Draft`'s term ledger and forcing cost
    are stored with it (they describe the machine draft, and stay with it when a person edits the final).
    """
    with db.write() as c:
        sig_id = _signature_id(c, signature)
        for segment_id, draft, hits_hash in items:
            text = draft if isinstance(draft, str) else draft.text
            sc = score if isinstance(draft, str) else draft.score
            unmet = [] if isinstance(draft, str) else list(draft.unmet)
            state = segment_state(c, segment_id, db.path)
            new: dict[str, Any] = {
                "draft": text,
                "draft_score": sc,
                "signature_id": sig_id,
                "hits_hash": hits_hash,
                "unmet": json.dumps(unmet, ensure_ascii=False) if unmet else None,
                "ledger": None if isinstance(draft, str) else ledger_to_json(draft.ledger),
                "forcing_cost": None if isinstance(draft, str) or not draft.ledger else draft.cost,
            }
            if Status(state["status"]).is_open:
                new.update(status=Status.DRAFTED, origin=Origin.MT)
            record_change(c, segment_id, Action.DRAFT, db.path, **new)
        failures.clear(c, [segment_id for segment_id, _d, _h in items])


def set_final(db: Database, segment_id: int, text: str | None) -> SegmentRow:
    """Set the final translation typed by a person (status ``edited``, origin human).

    An empty text clears the final: the segment falls back to ``drafted`` (or ``new``).
    """
    with db.write() as c:
        state = segment_state(c, segment_id, db.path)
        if text is None or not text.strip():
            drafted = bool(state["draft"])
            record_change(
                c, segment_id, Action.FINAL, db.path, final=None,
                status=Status.DRAFTED if drafted else Status.NEW, origin=Origin.MT if drafted else None,
            )  # fmt: skip
        else:
            record_change(
                c, segment_id, Action.FINAL, db.path, final=text, status=Status.EDITED, origin=Origin.HUMAN
            )
        return segment_row(c, segment_id, db.path)


def restore(
    db: Database, segment_id: int, final: str | None, status: Status, origin: Origin | None
) -> SegmentRow:
    """Put back a person's earlier final text and status (an undo or redo in the UI); the draft is kept.

    Recorded in the history as an undo.
    """
    with db.write() as c:
        record_change(c, segment_id, Action.UNDO, db.path, final=final or None, status=status, origin=origin)
        return segment_row(c, segment_id, db.path)


def approve(db: Database, segment_id: int, tm: TranslationMemory | None = None) -> SegmentRow:
    """Approve the segment's current translation (final, else draft); add it to ``tm`` if given.

    Raises:
        WorkbenchError: the segment has no translation to approve.
    """
    with db.write() as c:
        seg = segment_row(c, segment_id, db.path)
        target = seg.target
        if not target:
            raise WorkbenchError(f"segment {segment_id} has no translation to approve")
        record_change(
            c,
            segment_id,
            Action.APPROVE,
            db.path,
            final=target,
            status=Status.APPROVED,
            origin=seg.origin or Origin.MT,
        )
        seg = segment_row(c, segment_id, db.path)
    if tm is not None:
        tm.add(seg.source, target, origin=str(db.path))
    return seg


def apply_tm_many(db: Database, items: Sequence[tuple[int, str]]) -> None:
    """Use exact translation-memory matches ``(segment_id, target)`` as final texts (status ``tm-exact``,
    origin tm), in one transaction; human work is never replaced."""
    with db.write() as c:
        for segment_id, target in items:
            state = segment_state(c, segment_id, db.path)
            status = Status(state["status"])
            if status.is_human or (status is Status.TM_EXACT and state["final"] == target):
                continue
            record_change(
                c, segment_id, Action.TM, db.path, final=target, status=Status.TM_EXACT, origin=Origin.TM
            )


def set_fuzzy_many(db: Database, items: Sequence[tuple[int, Sequence[FuzzyMatch]]]) -> None:
    """Replace the fuzzy matches stored for several segments (best first) in one transaction."""
    with db.write() as c:
        for segment_id, matches in items:
            c.execute("DELETE FROM fuzzy_matches WHERE segment_id = ?", (segment_id,))
            c.executemany(
                "INSERT INTO fuzzy_matches (segment_id, rank, score, source, target, origin) VALUES (?,?,?,?,?,?)",
                [(segment_id, i, m.score, m.source, m.target, m.origin) for i, m in enumerate(matches)],
            )


def fuzzy_matches(db: Database, segment_id: int) -> list[FuzzyMatch]:
    """Stored fuzzy matches for a segment, best first."""
    with db.read() as c:
        rows = c.execute(
            "SELECT score, source, target, origin FROM fuzzy_matches WHERE segment_id = ? ORDER BY rank",
            (segment_id,),
        ).fetchall()
    return [FuzzyMatch(*r) for r in rows]
