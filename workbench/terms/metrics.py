"""Term metrics of a translated test set: term success rate (exact and fuzzy) and term consistency.

Rules:

* The terms are the glossary's hits in the *sources* (``GlossaryContext.hits``); each hit counts
  once, a term found twice in a segment twice.
* *Exact* success: the hit is satisfied by :func:`workbench.terms.qa.check_target` (its approved
  or an allowed rendering at word boundaries, case-insensitively unless the entry is case sensitive,
  plural ``s`` allowed, no forbidden rendering): the WMT23 terminology task's regex match.
* *Fuzzy* success: an allowed rendering matches somewhere in the hypothesis with a fuzzy score of
  at least 90 (rapidfuzz ``partial_ratio``, case-folded), as the WMT23 task's ``fuzzy90`` count;
  an exact success is always a fuzzy one. Forbidden renderings are not looked at.
* *Consistency*: over the glossary entries hit at least twice in the test set, the share of their
  hits rendered by the entry's most frequent rendering in this translation (case-folded text of
  the rendering found); a hit with no rendering found is inconsistent. None when no entry is hit
  twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from workbench.terms.context import GlossaryContext

FUZZY_THRESHOLD = 90.0


@dataclass
class SegmentTerms:
    """Term results of one segment: hits, and how many were placed exactly and fuzzily."""

    hits: int = 0
    exact: int = 0
    fuzzy: int = 0
    missed: list[str] = field(default_factory=list)


@dataclass
class TermScores:
    """Term metrics of one system (module docstring).

    Attributes:
        hits: Term hits in the sources.
        exact: Hits placed exactly.
        fuzzy: Hits placed fuzzily (exact included).
        repeated: Hits of entries hit at least twice (the consistency denominator).
        consistent: Those rendered with their entry's most frequent rendering.
        segments: Per segment, in order.
    """

    hits: int = 0
    exact: int = 0
    fuzzy: int = 0
    repeated: int = 0
    consistent: int = 0
    segments: list[SegmentTerms] = field(default_factory=list)

    @property
    def exact_rate(self) -> float | None:
        """Exact term success rate, None without hits."""
        return self.exact / self.hits if self.hits else None

    @property
    def fuzzy_rate(self) -> float | None:
        """Fuzzy term success rate, None without hits."""
        return self.fuzzy / self.hits if self.hits else None

    @property
    def consistency(self) -> float | None:
        """Term consistency, None when no entry is hit twice."""
        return self.consistent / self.repeated if self.repeated else None


def _fuzzy(renderings: Sequence[str], hypothesis: str) -> bool:
    text = hypothesis.casefold()
    return any(fuzz.partial_ratio(r.casefold(), text) >= FUZZY_THRESHOLD for r in renderings if r.strip())


def score_terms(sources: Sequence[str], hypotheses: Sequence[str], glossary: GlossaryContext) -> TermScores:
    """Term success and consistency of ``hypotheses`` (one per source) under ``glossary``."""
    if len(sources) != len(hypotheses):
        raise ValueError("one hypothesis per source expected")
    scores = TermScores()
    found: dict[int, list[str | None]] = {}
    for source, hyp in zip(sources, hypotheses, strict=True):
        seg = SegmentTerms()
        for hit, note in zip(glossary.hits(source), glossary.check(source, hyp), strict=True):
            seg.hits += 1
            fuzzy = note.ok or _fuzzy(hit.entry.allowed, hyp)
            seg.exact += note.ok
            seg.fuzzy += fuzzy
            if not note.ok:
                seg.missed.append(hit.text)
            rendering = (
                hyp[note.target_span[0] : note.target_span[1]].casefold()
                if note.ok and note.target_span
                else None
            )
            found.setdefault(id(hit.entry), []).append(rendering)
        scores.hits += seg.hits
        scores.exact += seg.exact
        scores.fuzzy += seg.fuzzy
        scores.segments.append(seg)
    for renderings in found.values():
        if len(renderings) < 2:
            continue
        scores.repeated += len(renderings)
        common = Counter(r for r in renderings if r is not None).most_common(1)
        scores.consistent += common[0][1] if common else 0
    return scores
