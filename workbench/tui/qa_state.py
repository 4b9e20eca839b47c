"""The editor's QA state: every segment's QA findings, kept off the keystroke path. No Textual here.

The checks are the exports' (:data:`workbench.terms.checks.RECORD_CHECKS`): glossary violations have the
glossary panel and untranslated segments ctrl+n. Findings of one pair are cached by its ``(source, target)``
text, so a keystroke checks only the text being typed (:func:`workbench.terms.checks.check_pair`). The
consistency checks need the whole document: a *pass* copies the document's pairs (:meth:`DocumentQA.start`),
runs in a thread (:func:`run_pass`, reusing the cached pairs) and is applied on the UI thread when it
arrives (:meth:`DocumentQA.apply`). A consistency finding counts only while its segment's target is still
the one the pass saw, so a fixed inconsistency disappears at once and a new one appears after the pass.
A pair whose source or target is longer than the shared segment cap (:data:`workbench.safe_read.MAX_SEGMENT_CHARS`)
is not checked, as ``workbench qa`` does not check it (:func:`over_cap`): the panel says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from workbench.records import DocumentRecord, SegmentRecord, TermLedger, TermNote
from workbench.safe_read import over_cap as past_cap
from workbench.terms.checks import (
    DOCUMENT_CHECKS,
    RECORD_CHECKS,
    Check,
    Finding,
    check_consistency,
    check_pair,
    unit_name,
)
from workbench.terms.checks.document import SegmentPair, document_pairs
from workbench.terms.checks.registry import forced_term_findings
from workbench.terms.ledger import ledger_notes

PairKey = tuple[str, str | None]
#: A glossary check of one pair (``GlossaryContext.check``).
TermCheck = Callable[[str, str], Sequence[TermNote]]


@dataclass(frozen=True)
class QAPass:
    """What one document pass checks: a copy of the document's pairs and of the pairs already checked."""

    generation: int
    pairs: tuple[SegmentPair, ...]
    known: dict[PairKey, tuple[Finding, ...]]
    checks: frozenset[Check]


@dataclass(frozen=True)
class QAResult:
    """What a pass found: findings per pair text, and per unit the target it saw with its consistency
    findings."""

    generation: int
    pairs: dict[PairKey, tuple[Finding, ...]]
    consistency: dict[str, tuple[str | None, tuple[Finding, ...]]]
    seconds: float
    checked: int = 0  # pairs checked in this pass (the others came from the cache)


def over_cap(source: str, target: str | None) -> bool:
    """True when the pair is past the segment cap and so is left out of QA
    (:func:`workbench.safe_read.over_cap`)."""
    return past_cap(source, target) is not None


def _check(source: str, target: str | None, checks: frozenset[Check]) -> tuple[Finding, ...]:
    return () if over_cap(source, target) else tuple(check_pair(source, target, checks=checks))


def run_pass(job: QAPass) -> QAResult:
    """Check every pair of ``job`` (cached ones are reused) and the document's consistency (thread-safe)."""
    t0 = time.perf_counter()
    pairs: dict[PairKey, tuple[Finding, ...]] = {}
    checked = 0
    for p in job.pairs:
        key = (p.source, p.target)
        if key in pairs:
            continue
        if key in job.known:
            pairs[key] = job.known[key]
        else:
            pairs[key] = _check(p.source, p.target, job.checks)
            checked += 1
    found: dict[str, list[Finding]] = {}
    within = [p for p in job.pairs if not over_cap(p.source, p.target)]
    for f in check_consistency(within, job.checks & DOCUMENT_CHECKS):
        found.setdefault(str(f.unit), []).append(f)
    targets = {p.unit: p.target for p in job.pairs}
    consistency = {unit: (targets[unit], tuple(fs)) for unit, fs in found.items()}
    return QAResult(job.generation, pairs, consistency, time.perf_counter() - t0, checked)


@dataclass
class DocumentQA:
    """The QA findings of one open document, as far as they are known.

    Attributes:
        checks: The checks run.
        generation: The last pass started (0: none yet).
        applied: The last pass applied (0: none yet; the document-wide counts are unknown until then).
        last: The last result applied.
    """

    checks: frozenset[Check] = RECORD_CHECKS
    generation: int = 0
    applied: int = 0
    last: QAResult | None = None
    _pairs: dict[PairKey, tuple[Finding, ...]] = field(default_factory=dict)
    _recent: dict[PairKey, tuple[Finding, ...]] = field(default_factory=dict)
    _consistency: dict[str, tuple[str | None, tuple[Finding, ...]]] = field(default_factory=dict)
    _terms: TermCheck | None = None
    _forced: dict[tuple[str, str, tuple[TermLedger, ...], float | None], tuple[Finding, ...]] = field(
        default_factory=dict
    )

    def use_terms(self, check: TermCheck) -> None:
        """Check glossary hits with ``check`` (the session's glossary) for ``forced-term``; forgets earlier ones."""
        self._terms = check
        self._forced = {}

    def forced(self, seg: SegmentRecord, target: str | None) -> tuple[Finding, ...]:
        """``forced-term`` findings of ``seg`` while ``target`` is its machine draft and that draft's ledger
        says a term was forced in above the threshold (:mod:`workbench.terms.ledger`)."""
        if Check.FORCED_TERM not in self.checks or self._terms is None or not seg.ledger:
            return ()
        if not target or target != seg.draft:
            return ()
        key = (seg.source, target, tuple(seg.ledger), seg.cost, seg.doubt)
        found = self._forced.get(key)
        if found is None:
            notes = ledger_notes(self._terms(seg.source, target), seg.ledger, seg.cost, seg.doubt)
            found = self._forced[key] = tuple(forced_term_findings(notes))
        return found

    @property
    def ready(self) -> bool:
        """True once a whole-document pass has been applied."""
        return self.applied > 0

    def pair(self, source: str, target: str | None) -> tuple[Finding, ...]:
        """The pair findings of ``source``/``target``, checked now unless cached (the text being typed)."""
        key = (source, target)
        found = self._pairs.get(key)
        if found is None:
            found = self._pairs[key] = self._recent[key] = _check(source, target, self.checks)
        return found

    def consistency(self, seg: SegmentRecord, target: str | None) -> tuple[Finding, ...]:
        """The consistency findings of ``seg``, if the last pass saw it with this ``target``."""
        seen = self._consistency.get(unit_name(seg.paragraph, seg.index))
        return seen[1] if seen is not None and seen[0] == target else ()

    def findings(
        self, seg: SegmentRecord, target: str | None = None, *, compute: bool = False
    ) -> tuple[Finding, ...]:
        """Everything known about ``seg`` with ``target`` (default its own): pair findings (checked now only
        with ``compute``; else empty until a pass has seen that text), ``forced-term`` findings of its machine
        draft, then consistency findings."""
        text = seg.target if target is None else target
        key = (seg.source, text)
        pair = self.pair(*key) if compute else self._pairs.get(key, ())
        return pair + self.forced(seg, text) + self.consistency(seg, text)

    def start(self, record: DocumentRecord) -> QAPass:
        """A new pass over ``record`` (copied: the pass never reads the live record)."""
        self.generation += 1
        self._recent = {}
        return QAPass(self.generation, tuple(document_pairs(record)), dict(self._pairs), self.checks)

    def apply(self, result: QAResult) -> bool:
        """Take a pass's findings (False for an answer older than one already applied)."""
        if result.generation <= self.applied:
            return False
        self._pairs = {**result.pairs, **self._recent}  # texts typed since the pass started stay cached
        self._consistency = dict(result.consistency)
        self.applied = result.generation
        self.last = result
        return True

    def forget_document(self) -> None:
        """Drop the consistency findings (unit names shift after a merge or split) until the next pass."""
        self._consistency = {}
