"""The QA checks of one translated document record: what the exports carry and ``status --check`` counts.

Rules:

* Every segment's target (its final text, else its draft) is checked with :func:`check_pair`, and the
  document's segments together with the consistency checks (:func:`check_consistency`): the same
  functions ``workbench qa`` runs, never a copy of them.
* :data:`RECORD_CHECKS` leaves out ``glossary`` (a record's glossary violations are its ``TermNote``
  objects, checked against the glossary in use) and ``untranslated`` (an untranslated segment is already
  shown as one: no target in XLIFF and TMX, ``[not translated]`` in Markdown).
* Units are named ``¶<paragraph>.<segment>`` (1-based), as ``workbench status`` and the UI name them, so a
  consistency finding reads ``the same source as unit ¶3.1 …``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.records import DocumentRecord, QANote
from workbench.terms.checks.consistency import check_consistency
from workbench.terms.checks.finding import Check, Finding, merge_findings
from workbench.terms.checks.registry import ALL_CHECKS, DOCUMENT_CHECKS, check_pair
from workbench.terms.ledger import forced_notes

#: The checks whose findings a document record carries as ``SegmentRecord.qa``.
RECORD_CHECKS = ALL_CHECKS - {Check.GLOSSARY, Check.UNTRANSLATED}
#: Raise whenever a check's findings change for the same pair (a project's cached QA results are then
#: recomputed; see :func:`settings_key`).
CHECKS_VERSION = 1


@dataclass(frozen=True)
class SegmentPair:
    """One segment of a document as the checks see it (a ``consistency.Pair``)."""

    source: str
    target: str | None
    file: str
    unit: str


def unit_name(paragraph: int, index: int) -> str:
    """``¶3.1`` for segment ``index`` of paragraph ``paragraph`` (both 0-based)."""
    return f"¶{paragraph + 1}.{index + 1}"


def document_pairs(record: DocumentRecord) -> list[SegmentPair]:
    """The record's segments in document order, with their targets and unit names."""
    return [
        SegmentPair(s.source, s.target, record.name, unit_name(s.paragraph, s.index))
        for s in record.segments()
    ]


def pair_findings(source: str, target: str | None, checks: Iterable[Check] = RECORD_CHECKS) -> list[Finding]:
    """The findings of one segment's own checks (no consistency), unlocated: what a project caches per
    segment (``workbench.store.qa_cache``); a pure function of the pair and :func:`settings_key`."""
    return check_pair(source, target, checks=frozenset(checks) - {Check.GLOSSARY})


def settings_key(checks: Iterable[Check] = RECORD_CHECKS) -> str:
    """A digest of everything besides the pair that :func:`pair_findings` depends on.

    That is: :data:`CHECKS_VERSION` and the workbench version, the checks, and the spelling check's state
    (its dictionaries, the user's word list and the glossary renderings accepted in this process). A cached
    result made under another key is stale.
    """
    import workbench.terms.checks.spelling as spelling
    from workbench import __version__

    parts = [
        f"{CHECKS_VERSION}",
        __version__,
        ",".join(sorted(c.value for c in checks)),
        spelling.language(),
        spelling.available(),
        "\n".join(sorted(spelling.user_words())),
        "\n".join(sorted(spelling.accepted_words())),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def check_document(
    record: DocumentRecord,
    checks: Iterable[Check] = RECORD_CHECKS,
    *,
    found: Sequence[list[Finding]] | None = None,
) -> list[list[Finding]]:
    """The findings of each segment of ``record`` (in ``record.segments()`` order), consistency included.

    Args:
        record: The document, its segments' targets filled in.
        checks: Which checks to run (``glossary`` needs a term checker and is skipped here).
        found: Each segment's :func:`pair_findings` when already known (a project's cache); computed when None.

    Returns:
        One list per segment: its pair findings, then its consistency findings, all located.
    """
    pairs, found, extra = _document_findings(record, checks, found)
    return [
        merge_findings([f.located(p.file, p.unit) for f in own] + extra.get(p.unit, []))
        if p.unit in extra
        else [f.located(p.file, p.unit) for f in own]
        for p, own in zip(pairs, found, strict=True)
    ]


def _document_findings(
    record: DocumentRecord, checks: Iterable[Check], found: Sequence[list[Finding]] | None
) -> tuple[list[SegmentPair], Sequence[list[Finding]], dict[str, list[Finding]]]:
    """The pairs, each one's own findings (unlocated) and the consistency findings per unit name."""
    wanted = frozenset(checks) - {Check.GLOSSARY}
    pairs = document_pairs(record)
    if found is None:
        found = [pair_findings(p.source, p.target, wanted) for p in pairs]
    extra: dict[str, list[Finding]] = {}
    for f in check_consistency(pairs, wanted & DOCUMENT_CHECKS):
        extra.setdefault(str(f.unit), []).append(f)
    return pairs, found, extra


def qa_note(finding: Finding) -> QANote:
    """The neutral note of a finding (what an exporter writes)."""
    return QANote(finding.check.value, finding.message, finding.target_span, finding.count)


def attach_qa(
    record: DocumentRecord,
    checks: Iterable[Check] = RECORD_CHECKS,
    *,
    found: Sequence[list[Finding]] | None = None,
) -> DocumentRecord:
    """Fill every segment's ``qa`` notes from :func:`check_document` (``found``: the segments'
    :func:`pair_findings` when known); returns ``record`` itself."""
    wanted = frozenset(checks)
    pairs, found, extra = _document_findings(record, wanted, found)
    for seg, p, own in zip(record.segments(), pairs, found, strict=True):
        # A segment's own findings are merged already (check_pair); consistency findings may add to them.
        if p.unit in extra:
            own = merge_findings([f.located(p.file, p.unit) for f in own] + extra[p.unit])
        seg.qa = [qa_note(f) for f in own]
        if Check.FORCED_TERM in wanted and seg.target is not None and seg.target == seg.draft:
            seg.qa += forced_notes(seg.terms)
    return record
