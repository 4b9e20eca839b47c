"""Hand edits of an alignment keep every sentence in exactly one bead, in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.terms.align.edit import merge_next, move_boundary, split
from workbench.terms.align.model import Bead


def covers(beads: list[Bead], n: int, m: int) -> bool:
    zh = [i for b in beads for i in b.zh]
    en = [j for b in beads for j in b.en]
    return zh == list(range(n)) and en == list(range(m)) and all(b.zh or b.en for b in beads)


@st.composite
def alignments(draw):
    sizes = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 2)).filter(lambda t: t != (0, 0)),
            min_size=1,
            max_size=8,
        )
    )
    beads, i, j = [], 0, 0
    for a, b in sizes:
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), 0.5))
        i, j = i + a, j + b
    return beads, i, j


@settings(max_examples=300, deadline=None)
@given(alignments(), st.lists(st.tuples(st.sampled_from("msEeZz"), st.integers(0, 9)), max_size=6))
def test_edits_keep_every_sentence_once_in_order(start, ops):
    beads, n, m = start
    for op, k in ops:
        k %= len(beads)
        if op == "m":
            beads = merge_next(beads, k)
        elif op == "s":
            beads = split(beads, k)
        else:
            beads = move_boundary(beads, k, english=op in "Ee", forward=op.isupper())
        assert covers(beads, n, m)


def test_merge_split_and_move():
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.2), Bead((2,), (), 0.0)]
    merged = merge_next(beads, 1)
    assert merged[1] == Bead((1, 2), (1,), 1.0)
    assert split(merged, 1) == [beads[0], Bead((1,), (1,), 1.0), Bead((2,), (), 1.0)]
    moved = move_boundary(beads, 0, english=True, forward=True)
    assert moved[:2] == [Bead((0,), (0, 1), 1.0), Bead((1,), (), 1.0)]
