"""Editing an alignment by hand (the review in ``workbench open --align``).

Beads are kept in document order; every operation returns a new list in which each sentence of both
sides is still in exactly one bead, in order. A bead the translator changed gets the score
:data:`EDITED` (their judgment replaces the aligner's).
"""

from __future__ import annotations

from workbench.terms.align.model import Bead

EDITED = 1.0


def merge_next(beads: list[Bead], k: int) -> list[Bead]:
    """Bead ``k`` and the one after it become one bead (nothing changes for the last bead)."""
    if not 0 <= k < len(beads) - 1:
        return list(beads)
    a, b = beads[k], beads[k + 1]
    return [*beads[:k], Bead(a.zh + b.zh, a.en + b.en, EDITED), *beads[k + 2 :]]


def split(beads: list[Bead], k: int) -> list[Bead]:
    """Bead ``k`` split after its first sentence on each side (a side with one sentence keeps it first).

    A bead with one sentence in all is left as it is.
    """
    b = beads[k]
    if len(b.zh) + len(b.en) < 2 or (len(b.zh) <= 1 and len(b.en) <= 1 and not (b.zh and b.en)):
        return list(beads)
    if len(b.zh) <= 1 and len(b.en) <= 1:
        first, second = Bead(b.zh, (), EDITED), Bead((), b.en, EDITED)
    else:
        first = Bead(b.zh[:1], b.en[:1], EDITED)
        second = Bead(b.zh[1:], b.en[1:], EDITED)
    return [*beads[:k], first, second, *beads[k + 1 :]]


def move_boundary(beads: list[Bead], k: int, english: bool, forward: bool) -> list[Bead]:
    """Move the boundary between bead ``k`` and bead ``k + 1`` on one side by one sentence.

    Args:
        beads: The alignment.
        k: The bead before the boundary.
        english: Move the English boundary (else the Chinese one).
        forward: True: bead ``k`` takes the first sentence of bead ``k + 1``; False: it gives its last.

    Empty beads (no sentence on either side) are dropped.
    """
    if not 0 <= k < len(beads) - 1:
        return list(beads)
    a, b = beads[k], beads[k + 1]
    sa, sb = (a.en, b.en) if english else (a.zh, b.zh)
    if forward:
        if not sb:
            return list(beads)
        sa, sb = (*sa, sb[0]), sb[1:]
    else:
        if not sa:
            return list(beads)
        sa, sb = sa[:-1], (sa[-1], *sb)
    na = Bead(a.zh, sa, EDITED) if english else Bead(sa, a.en, EDITED)
    nb = Bead(b.zh, sb, EDITED) if english else Bead(sb, b.en, EDITED)
    return [*beads[:k], *(x for x in (na, nb) if x.zh or x.en), *beads[k + 2 :]]
