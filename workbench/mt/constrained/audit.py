"""The last word on a draft's glossary terms, the same for both engines: which hits the text fails, and why.

Whatever the search or the edits did, what is reported is what the text check
(:func:`workbench.mt.constraints.unmet_in_text`, the rules of ``workbench.terms.check_target``) finds in
the final text: every hit either has an allowed rendering and no forbidden one in the draft, or it is
in ``Draft.unmet`` with one of the :class:`UnmetReason` reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from workbench.mt.constraints import SegmentConstraints, forbidden_present, unmet_in_text
from workbench.records import TermConstraint


class UnmetReason(str, Enum):
    """Why a hit is not rendered as the glossary says."""

    VOCABULARY = "cannot be spelled with the model's vocabulary"
    CONFLICT = "conflicts with another term"
    LENGTH = "does not fit the length limit"
    PLACEMENT = "could not be placed"


def conflicting_term(term: TermConstraint, terms: Sequence[TermConstraint]) -> str | None:
    """The source of another term of the segment that rules ``term`` out, or None.

    Two terms conflict when one's allowed rendering contains the other's forbidden rendering (outside
    the other's own allowed renderings): rendering the one as approved breaks the other. A rendering both
    terms allow does not count as the other's own here: the text check gives each occurrence to one hit,
    so where the one uses it, the forbidden words inside it stand against the other.
    """
    for other in terms:
        if other.source == term.source:
            continue
        cs = term.case_sensitive or other.case_sensitive
        if any(forbidden_present(f, a, _own(term, other), cs) for a in other.allowed for f in term.forbidden):
            return other.source
        if any(forbidden_present(f, a, _own(other, term), cs) for a in term.allowed for f in other.forbidden):
            return other.source
    return None


def _own(term: TermConstraint, other: TermConstraint) -> tuple[str, ...]:
    """``term``'s allowed renderings that ``other`` does not also allow."""
    shared = {r.casefold() for r in other.allowed}
    return tuple(r for r in term.allowed if r.casefold() not in shared)


def audit(
    terms: Sequence[TermConstraint],
    seg: SegmentConstraints,
    text: str,
    *,
    n_pieces: int,
    limit: int,
    room: int = 0,
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The hits ``text`` fails and a reason for each.

    Args:
        terms: The segment's hits as matched (every one is checked, duplicates included).
        seg: Their token-level constraints (``unplaceable``: no rendering can be spelled).
        text: The final draft.
        n_pieces: Its length in target pieces.
        limit: The most pieces the draft could have had (length cap or position limit).
        room: Pieces of the longest rendering: a draft within that of ``limit`` had no room left.

    Returns:
        ``(unmet sources in hit order, {source: reason})``.
    """
    unmet = tuple(dict.fromkeys(unmet_in_text(terms, text)))
    reasons: dict[str, str] = {}
    by_source = {t.source: t for t in terms}
    for source in unmet:
        other = conflicting_term(by_source[source], terms)
        if source in seg.unplaceable:
            reasons[source] = UnmetReason.VOCABULARY.value
        elif other is not None:
            reasons[source] = f"{UnmetReason.CONFLICT.value} ({other})"
        elif n_pieces + room >= limit:
            reasons[source] = UnmetReason.LENGTH.value
        else:
            reasons[source] = UnmetReason.PLACEMENT.value
    return unmet, reasons
