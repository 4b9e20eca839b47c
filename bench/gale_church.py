"""A plain Gale-Church (1993) sentence aligner: lengths only, the textbook reference for bench_align.

Beads 1-1, 1-0, 0-1, 2-1, 1-2, 2-2 with Gale and Church's priors (0.89, 0.0099 each for 1-0 and 0-1,
0.089 split between 2-1 and 1-2, 0.011), ``delta = (l2 - c*l1) / sqrt(s2 * (l1 + l2/c) / 2)`` and the cost
``-log(2 * (1 - Phi(|delta|))) - log(prior)``; a full quadratic dynamic programme. ``c`` and ``s2`` are
the zh->en character ratio and variance fitted on FLORES-200 (the same numbers as our length model),
so the baseline differs from our aligner only in having no lexical anchors, no band and GC's priors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011}


def _match_cost(l1: int, l2: int, c: float, s2: float) -> float:
    if l1 == 0 and l2 == 0:
        return 0.0
    mean = (l1 + l2 / c) / 2
    delta = (l2 - c * l1) / math.sqrt(s2 * max(mean, 1.0))
    p = 2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2))))
    return -math.log(max(p, 1e-300))


def gale_church(
    zh_len: Sequence[int], en_len: Sequence[int], c: float = 3.044, s2: float = 22.16
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads ``(zh indices, en indices)`` aligning two sequences of sentence lengths."""
    n, m = len(zh_len), len(en_len)
    inf = float("inf")
    d = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, arg = inf, (0, 0)
            for (di, dj), prior in PRIORS.items():
                if i < di or j < dj or d[i - di][j - dj] == inf:
                    continue
                cost = (
                    d[i - di][j - dj]
                    - math.log(prior)
                    + _match_cost(sum(zh_len[i - di : i]), sum(en_len[j - dj : j]), c, s2)
                )
                if cost < best:
                    best, arg = cost, (di, dj)
            d[i][j], back[i][j] = best, arg
    beads = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    return beads[::-1]
