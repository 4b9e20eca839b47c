"""The rows a project hands out: documents, paragraphs, segments, fuzzy matches and history entries."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from workbench.errors import WorkbenchError
from workbench.records import Origin, Signature, Status, TermLedger, draft_doubt
from workbench.terms.ledger import ledger_from_rows

#: Segment columns that make up its editable state (saved in the history for undo).
STATE_COLUMNS = (
    "draft",
    "draft_score",
    "signature_id",
    "hits_hash",
    "unmet",
    "final",
    "status",
    "origin",
    "comment",
    "ledger",
    "forcing_cost",
)


@dataclass(frozen=True)
class DocumentInfo:
    """A document in the project.

    Attributes:
        id: Project id of the document.
        path: Where the source was imported from (absolute, as given then).
        name: The file name.
        encoding: The codec it was read with.
        script: ``simplified`` or ``traditional``.
        source_hash: SHA-256 of the source file's bytes.
        added: ISO 8601 UTC time of the import.
        n_segments: Number of segments.
        superseded_by: Id of the newer version of the same file, if any.
    """

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

    @classmethod
    def from_row(cls, r: sqlite3.Row) -> ParagraphRow:
        """From a ``paragraphs`` table row."""
        return cls(
            r["id"], r["doc_id"], r["position"], r["kind"], r["text"], (r["line_first"], r["line_last"])
        )


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
        status: The segment's :class:`~workbench.records.Status`.
        origin: Where the final/draft came from (:class:`~workbench.records.Origin`).
        signature: Text form of the draft's :class:`~workbench.records.Signature`, or None.
        hits_hash: Hash of the glossary term hits the draft was made with.
        unmet: Glossary terms the engine could not place in the draft.
        updated: ISO 8601 UTC time of the last change.
        comment: The translator's or reviewer's comment.
        ledger: How each term got into the machine draft (empty: no constraints, or an older draft).
        cost: The machine draft's forcing cost (None without a ledger).
    """

    id: int
    doc_id: int
    paragraph: int
    index: int
    source: str
    draft: str | None
    score: float | None
    final: str | None
    status: Status
    origin: Origin | None
    signature: str | None
    hits_hash: str | None
    unmet: tuple[str, ...]
    updated: str
    comment: str = ""
    ledger: tuple[TermLedger, ...] = ()
    cost: float | None = None

    @property
    def doubt(self) -> float | None:
        """The model's doubt about its own best for this segment (:attr:`~workbench.records.Draft.doubt`)."""
        return draft_doubt(self.score, self.cost)

    @property
    def target(self) -> str | None:
        """The best available translation: the final text, else the draft."""
        return self.final if self.final else self.draft

    @classmethod
    def from_row(cls, r: sqlite3.Row) -> SegmentRow:
        """From a row of :data:`SEGMENT_SELECT`.

        Raises:
            DamagedRow: an unknown status or origin, or JSON that does not parse (a tampered file).
        """
        try:
            return cls._from_row(r)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            reason = " ".join(str(exc).split())[:120]
            raise DamagedRow(f"segment {r['id']} is damaged ({type(exc).__name__}: {reason})") from None

    @classmethod
    def _from_row(cls, r: sqlite3.Row) -> SegmentRow:
        sig = _signature_text(r["sigdata"]) if r["sigdata"] else None
        return cls(
            id=r["id"],
            doc_id=r["doc_id"],
            paragraph=r["ppos"],
            index=r["position"],
            source=r["source"],
            draft=r["draft"],
            score=r["draft_score"],
            final=r["final"],
            status=_STATUSES.get(r["status"]) or Status(r["status"]),
            origin=(_ORIGINS.get(r["origin"]) or Origin(r["origin"])) if r["origin"] else None,
            signature=sig,
            hits_hash=r["hits_hash"],
            unmet=tuple(json.loads(r["unmet"])) if r["unmet"] else (),
            updated=r["updated"],
            comment=r["comment"] or "",
            ledger=tuple(ledger_from_rows(json.loads(r["ledger"]))) if r["ledger"] else (),
            cost=r["forcing_cost"],
        )


# The enums by value (the constructors, slower, only say what is wrong with a damaged row).
_STATUSES = {str(s.value): s for s in Status}
_ORIGINS = {str(o.value): o for o in Origin}


@lru_cache(maxsize=256)
def _signature_text(data: str) -> str:
    """A recorded signature's text form (parsed once: thousands of drafts share a few signatures)."""
    return str(Signature.from_dict(json.loads(data)))


#: Segments joined with their paragraph (document, position) and draft signature.
SEGMENT_SELECT = (
    "SELECT s.*, p.doc_id AS doc_id, p.position AS ppos, g.data AS sigdata FROM segments s "
    "JOIN paragraphs p ON p.id = s.paragraph_id LEFT JOIN signatures g ON g.id = s.signature_id "
)
#: Document order.
SEGMENT_ORDER = " ORDER BY p.doc_id, p.position, s.position"


class DamagedRow(WorkbenchError):
    """A row of a workbench file holds what no workbench writes; :class:`~workbench.store.connection.Database`
    names the file in the message."""


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
        action: ``draft``, ``final``, ``approve``, ``tm``, ``carry``, ``undo``, ``merge``, ``split``.
        before: State before the change (segment columns, or removed segments for structural edits).
        after: State after it.
        undone: True once undone.
        who: The person who made the change (the settings' name), "" for machine changes and older entries.
    """

    id: int
    segment_id: int | None
    at: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    undone: bool
    who: str = ""
