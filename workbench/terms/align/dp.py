"""The dynamic programme over beads, in a band that follows the best path.

``D[i][j]`` is the least cost of aligning the first ``i`` Chinese and the first ``j`` English
sentences. Row ``i`` is computed only for ``j`` within ``band`` of the best cell of row ``i - 1``
(plus one step; "best" credits each English sentence consumed with half the cost of a skip), so a pair of documents of ``n`` sentences costs ``O(n * band)`` time and the
back-pointers ``O(n * band)`` bytes; the band follows drift from dropped or merged sentences, since
its centre moves with the path. Within a row the 0-1 beads (an English sentence left alone) are a
running minimum, so each row is a handful of vector operations.

A bead's cost is its length cost (``lengths.LengthModel``) plus ``lexical * (1 - dice)``, where dice
is the share of anchors the two sides have in common (``anchors.DocumentAnchors``), plus a penalty
for the shapes other than 1-1; a sentence left alone costs ``skip``. A bead's score is the logistic
of how much cheaper it is than leaving its sentences alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.terms.align.anchors import AnchorSlice, DocumentAnchors
from workbench.terms.align.lengths import LengthModel
from workbench.terms.align.model import Bead

#: Bead shapes (Chinese, English) in back-pointer order; 0-1 is handled within the row.
SHAPES = ((1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (0, 1))
_H = len(SHAPES) - 1


@dataclass(frozen=True)
class AlignParams:
    """Weights of the alignment cost (tuned on FLORES-200 pairs by ``bench/bench_align.py``).

    Attributes:
        lexical: Weight of ``1 - dice`` of the shared anchors.
        skip: Cost of a sentence left without a counterpart.
        pair_penalty: Extra cost of a 1-2 or 2-1 bead.
        double_penalty: Extra cost of a 2-2 bead.
        band: Half-width of the band of English sentences searched around the path.
    """

    lexical: float = 6.0
    skip: float = 4.0
    pair_penalty: float = 3.0
    double_penalty: float = 5.0
    band: int = 40
    length_scale: float = 0.5


class _Costs:
    """Vectorised bead costs for one document pair."""

    def __init__(
        self,
        zh_len: np.ndarray,
        en_len: np.ndarray,
        anchors: DocumentAnchors | AnchorSlice | None,
        lengths: LengthModel,
        params: AlignParams,
    ) -> None:
        self.zl, self.el = zh_len.astype(np.float64), en_len.astype(np.float64)
        self.ecum = np.concatenate(([0.0], np.cumsum(self.el)))
        self.anchors, self.lengths, self.p = anchors, lengths, params
        n, m = len(zh_len), len(en_len)
        self.zs = anchors.zh_size if anchors is not None else np.zeros(n)
        self.es = anchors.en_size if anchors is not None else np.zeros(m)
        self.ecs = np.concatenate(([0.0], np.cumsum(self.es)))
        self._shared: dict[int, tuple[int, np.ndarray]] = {}

    def shared(self, i: int, lo: int, hi: int) -> np.ndarray:
        """Anchor weight Chinese sentence ``i`` shares with English ``lo .. hi - 1`` (cached per row)."""
        if self.anchors is None:
            return np.zeros(max(hi - lo, 0))
        got = self._shared.get(i)
        if got is None or got[0] > lo or got[0] + len(got[1]) < hi:
            a, b = max(0, lo - 4), hi + 4
            got = (a, self.anchors.shared(i, a, min(b, len(self.el))))
            self._shared[i] = got
            self._shared.pop(i - 3, None)
        a, arr = got
        out = np.zeros(max(hi - lo, 0))
        s, e = max(lo, a), min(hi, a + len(arr))
        if e > s:
            out[s - lo : e - lo] = arr[s - a : e - a]
        return out

    def bead(self, i: int, di: int, js: np.ndarray, dj: int) -> tuple[np.ndarray, np.ndarray]:
        """Costs and scores of beads of shape (di, dj >= 1) ending at row ``i`` and columns ``js``."""
        zlen = self.zl[i - di : i].sum()
        elen = self.ecum[js] - self.ecum[js - dj]
        lo, hi = int(js[0]) - dj, int(js[-1])
        shared = np.zeros(len(js))
        for r in range(i - di, i):
            row = self.shared(r, lo, hi)
            mine = np.zeros(len(js))
            for k in range(dj):
                mine += row[js - dj + k - lo]
            # A feature shown by both English sentences counts once: at most the sentence's own weight.
            shared += np.minimum(mine, self.zs[r])
        zsize = self.zs[i - di : i].sum()
        esize = self.ecs[js] - self.ecs[js - dj]
        shared = np.minimum(shared, esize)
        size = zsize + esize
        dice = np.where(size > 0, 2 * shared / np.maximum(size, 1e-9), 0.0)
        cost = (
            (
                self.lengths.cost(zlen, elen) * self.p.length_scale
                + self.p.lexical * (1 - np.minimum(dice, 1.0))
            )
            * (di + dj)
            / 2
        )
        return cost + self.penalty(di, dj), cost

    def penalty(self, di: int, dj: int) -> float:
        """The extra cost of a bead's shape."""
        if (di, dj) in ((1, 2), (2, 1)):
            return self.p.pair_penalty
        return self.p.double_penalty if (di, dj) == (2, 2) else 0.0


def _window(row: tuple[int, np.ndarray] | None, lo: int, hi: int, fill: float) -> np.ndarray:
    """A stored row ``(start, values)`` over columns ``lo .. hi - 1`` (``fill`` outside it)."""
    out = np.full(hi - lo, fill)
    if row is None:
        return out
    start, vals = row
    a, b = max(lo, start), min(hi, start + len(vals))
    if b > a:
        out[a - lo : b - lo] = vals[a - start : b - start]
    return out


def _row_costs(
    c: _Costs, i: int, lo: int, hi: int, prev: list[tuple[int, np.ndarray] | None]
) -> tuple[np.ndarray, np.ndarray]:
    """Best cost and back-pointer of every cell ``(i, lo .. hi - 1)`` before the 0-1 beads.

    Columns are handled as slices of arrays over ``lo - 2 .. hi - 1`` (two columns of history).
    """
    w, base = hi - lo, lo - 2
    cols = np.clip(np.arange(base, hi), 0, None)
    ec, ecs = c.ecum[cols], c.ecs[cols]
    best = np.full(w, np.inf)
    ptr = np.full(w, _H, dtype=np.int8)
    if i == 0:
        if lo == 0:
            best[0] = 0.0
        return best, ptr
    windows = {d: _window(prev[-d], base, hi, np.inf) for d in (1, 2) if i >= d}
    pad = np.zeros(max(0, -base))
    shared = {r: np.concatenate((pad, c.shared(r, max(base, 0), hi))) for r in range(max(i - 2, 0), i)}
    for t, (di, dj) in enumerate(SHAPES[:_H]):
        if i < di:
            continue
        d_prev = windows[di][2 - dj : 2 - dj + w]
        if dj == 0:
            cand = d_prev + c.p.skip
        else:
            mine = np.zeros(w)
            for r in range(i - di, i):
                row = shared[r]
                got = row[1 : 1 + w] if dj == 1 else row[0:w] + row[1 : 1 + w]
                mine += np.minimum(got, c.zs[r])
            elen = ec[2:] - ec[2 - dj : 2 - dj + w]
            esize = ecs[2:] - ecs[2 - dj : 2 - dj + w]
            size = c.zs[i - di : i].sum() + esize
            dice = 2 * np.minimum(mine, esize) / np.maximum(size, 1e-9)
            lex = c.p.lexical * (1 - np.minimum(dice, 1.0))
            cost = (c.lengths.cost(c.zl[i - di : i].sum(), elen) * c.p.length_scale + lex) * (di + dj) / 2
            cand = d_prev + cost + c.penalty(di, dj)
        better = cand < best
        best[better], ptr[better] = cand[better], t
    return best, ptr


def align_lengths(
    zh_len: np.ndarray,
    en_len: np.ndarray,
    anchors: DocumentAnchors | AnchorSlice | None = None,
    lengths: LengthModel | None = None,
    params: AlignParams | None = None,
) -> list[Bead]:
    """Align two sequences of sentences given their lengths (and, optionally, their anchors).

    Args:
        zh_len: Length of each Chinese sentence (characters, whitespace left out).
        en_len: Length of each English sentence (characters).
        anchors: Shared lexical evidence; None aligns on length alone.
        lengths: The length model (default: the fitted one).
        params: Cost weights and band width.

    Returns:
        The beads in order; every sentence of both sides is in exactly one.
    """
    p = params or AlignParams()
    costs = _Costs(np.asarray(zh_len), np.asarray(en_len), anchors, lengths or LengthModel(), p)
    n, m = len(zh_len), len(en_len)
    rows: list[tuple[int, np.ndarray] | None] = [None, None]
    pointers: list[tuple[int, np.ndarray]] = []
    centre = 0
    for i in range(n + 1):
        lo, hi = max(0, centre - p.band), min(m, centre + p.band) + 1
        if i == n:
            lo, hi = min(lo, max(0, m - p.band)), m + 1
        best, ptr = _row_costs(costs, i, lo, hi, rows)
        # 0-1 beads: D[j] = min(best[j], D[j-1] + skip), a running minimum.
        steps = p.skip * np.arange(hi - lo)
        run = np.minimum.accumulate(best - steps) + steps
        # (best - steps) + steps is not always best in floating point: only a real gain is a 0-1 bead.
        horizontal = run < best - 1e-9
        ptr[horizontal] = _H
        run = np.where(horizontal, run, best)
        rows = [rows[-1], (lo, run)]
        pointers.append((lo, ptr))
        # The band follows the best cell, each English sentence consumed credited half a skip: a cell
        # with fewer English sentences has not paid for the rest yet (plain argmin lags and gets stuck).
        centre = lo + int(np.argmin(run - steps / 2)) + 1
    return _trace(pointers, n, m, costs, p)


def _trace(
    pointers: list[tuple[int, np.ndarray]], n: int, m: int, costs: _Costs, p: AlignParams
) -> list[Bead]:
    """Follow the back-pointers from (n, m) and score the beads."""
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        lo, ptr = pointers[i]
        di, dj = SHAPES[int(ptr[j - lo])]
        zh, en = tuple(range(i - di, i)), tuple(range(j - dj, j))
        if di and dj:
            cost = float(costs.bead(i, di, np.array([j]), dj)[0][0])
            margin = p.skip * (di + dj) - cost
            score = float(1 / (1 + np.exp(-margin)))
        else:
            score = 0.0
        beads.append(Bead(zh, en, round(score, 4)))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
