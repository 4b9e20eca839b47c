"""Sentence alignment benchmark: bead precision, recall and F1 against the truth, and a 100k pair.

Document pairs are built from FLORES-200 devtest (zho_Hans, eng_Latn; 1,012 parallel sentences): a
window of 30-80 consecutive sentences; each sentence dropped from one side with probability
``--drop`` (each side); then paragraphs, either drawn independently on each side (1-6 sentences a
paragraph) or drawn once and then split and merged on the English side (``--resplit``). Chinese
paragraphs go through our segmenter, English ones through ``text.english.split_english``, exactly as
``workbench align`` does. The true beads are the smallest groups of FLORES lines whose sentences
start and end together on both sides (a line dropped on one side gives a 1-0 or 0-1 bead). Beads are
compared as the FLORES lines they cover (a line holding several sentences on both sides is one unit,
however it is cut inside), so a bead is right when it joins exactly the right lines.

The length model was fitted on devtest lines 0-505 and the weights tuned on documents from those
lines; the documents scored come from lines 506-1011 (``--lines test``, the default).
Our aligner (``workbench.terms.align.align_texts``) and a plain Gale-Church length-only aligner
(``bench/gale_church.py``, quadratic, with the same fitted length ratio) align the same pairs.

Usage::

    .venv/bin/python bench/bench_align.py [--docs 100] [--seed 1] [--big 100000] [--lines test|tune|all]
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gale_church import gale_church  # noqa: E402
from workbench.terms.align import align_texts  # noqa: E402
from workbench.terms.align.aligner import zh_sentences  # noqa: E402
from workbench.terms.align.lengths import en_length, zh_length  # noqa: E402
from workbench.text.english import split_english  # noqa: E402
from workbench.text.segments import split_segments  # noqa: E402

DATA = ROOT / "workbench" / "jobs" / "data" / "flores200"
Beads = set[tuple[tuple[int, ...], tuple[int, ...]]]
LineBeads = set[tuple[frozenset[int], frozenset[int]]]


def line_beads(beads: Beads, zspans: list[tuple[int, int]], espans: list[tuple[int, int]]) -> LineBeads:
    """Beads as the FLORES lines they cover; beads sharing a line (several sentences of one line) merge."""
    groups: list[tuple[set[int], set[int]]] = []
    for zh, en in sorted(beads, key=lambda b: (min(b[0], default=-1), min(b[1], default=-1))):
        zl = {x for i in zh for x in range(zspans[i][0], zspans[i][1] + 1)}
        el = {x for j in en for x in range(espans[j][0], espans[j][1] + 1)}
        # Lines only grow along each side: a bead can only share lines with one of the latest groups.
        hits = [
            k for k in range(max(0, len(groups) - 8), len(groups)) if groups[k][0] & zl or groups[k][1] & el
        ]
        if hits:
            for g in groups[hits[0] :]:
                zl |= g[0]
                el |= g[1]
            del groups[hits[0] :]
        groups.append((zl, el))
    return {(frozenset(a), frozenset(b)) for a, b in groups}


def flores() -> tuple[list[str], list[str]]:
    """The devtest sentence pairs."""
    zh = gzip.decompress((DATA / "zho_Hans.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    en = gzip.decompress((DATA / "eng_Latn.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    return zh, en


@dataclass
class Pair:
    """A document pair: paragraphs of sentences on each side, and the true beads."""

    zh: list[list[str]]
    en: list[list[str]]
    truth: Beads
    zspans: list[tuple[int, int]]
    espans: list[tuple[int, int]]

    def lines(self, beads: Beads) -> LineBeads:
        """``beads`` in terms of FLORES lines: beads touching a common line are merged."""
        return line_beads(beads, self.zspans, self.espans)


def _paragraphs(n: int, rng: random.Random) -> list[int]:
    """Sizes of paragraphs of 1-6 items covering ``n`` items."""
    sizes = []
    while n > 0:
        k = min(n, rng.randint(1, 6))
        sizes.append(k)
        n -= k
    return sizes


def _resplit(sizes: list[int], rng: random.Random) -> list[int]:
    """``sizes`` with some paragraphs split in two and some neighbours merged."""
    out: list[int] = []
    for s in sizes:
        if s > 1 and rng.random() < 0.15:
            k = rng.randint(1, s - 1)
            out += [k, s - k]
        elif out and rng.random() < 0.15:
            out[-1] += s
        else:
            out.append(s)
    return out


def _side(
    lines: list[tuple[int, str]], sizes: list[int], zh: bool
) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """Split grouped lines into sentences; each sentence's first and last line number."""
    paras, spans, k = [], [], 0
    for size in sizes:
        group = lines[k : k + size]
        k += size
        joiner = "" if zh else " "
        text, starts = "", []
        for _, t in group:
            if text:
                text += joiner
            starts.append(len(text))
            text += t
        sents = zh_sentences(split_segments(text)) if zh else split_english(text)
        pos = 0
        for s in sents:
            a = text.index(s, pos)
            pos = b = a + len(s)
            first = max(x for x, st in enumerate(starts) if st <= a)
            last = max(x for x, st in enumerate(starts) if st < b)
            spans.append((group[first][0], group[last][0]))
        paras.append(sents)
    return paras, spans


def _truth(zspans: list[tuple[int, int]], espans: list[tuple[int, int]]) -> Beads:
    """Smallest groups of lines whose sentences start and end together on both sides."""
    items = sorted(
        [(a, b, 0, i) for i, (a, b) in enumerate(zspans)] + [(a, b, 1, j) for j, (a, b) in enumerate(espans)]
    )
    beads: Beads = set()
    cur: list[tuple[int, int, int, int]] = []
    end = -1
    for it in items:
        if cur and it[0] > end:
            beads.add((tuple(x[3] for x in cur if x[2] == 0), tuple(x[3] for x in cur if x[2] == 1)))
            cur = []
        cur.append(it)
        end = max(end, it[1]) if len(cur) > 1 else it[1]
    if cur:
        beads.add((tuple(x[3] for x in cur if x[2] == 0), tuple(x[3] for x in cur if x[2] == 1)))
    return beads


def make_pair(
    zh: list[str], en: list[str], idx: list[int], rng: random.Random, drop: float, resplit: bool
) -> Pair:
    """A document pair from the FLORES lines ``idx``."""
    zl, el = [], []
    for n, k in enumerate(idx):
        r = rng.random()
        if r >= drop:
            zl.append((n, zh[k]))
        if r < drop or r >= 2 * drop:
            el.append((n, en[k]))
    zsizes = _paragraphs(len(zl), rng)
    esizes = _resplit(zsizes, rng) if resplit and len(zl) == len(el) else _paragraphs(len(el), rng)
    zp, zspans = _side(zl, zsizes, True)
    ep, espans = _side(el, esizes, False)
    return Pair(zp, ep, _truth(zspans, espans), zspans, espans)


def prf(pred: LineBeads, truth: LineBeads) -> tuple[int, int, int]:
    """True positives, predicted, true."""
    return len(pred & truth), len(pred), len(truth)


def report(name: str, tp: int, npred: int, ntrue: int) -> float:
    p, r = tp / max(npred, 1), tp / max(ntrue, 1)
    f = 2 * p * r / max(p + r, 1e-9)
    print(f"{name:<30} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}")
    return f


def run_docs(args: argparse.Namespace) -> None:
    zh, en = flores()
    lines = {"tune": range(0, 506), "test": range(506, len(zh)), "all": range(len(zh))}[args.lines]
    rng = random.Random(args.seed)
    ours, gc, no_par = [0, 0, 0], [0, 0, 0], [0, 0, 0]
    t_ours = t_gc = 0.0
    for d in range(args.docs):
        size = rng.randint(30, 80)
        start = rng.randint(lines.start, lines.stop - size)
        pair = make_pair(zh, en, list(range(start, start + size)), rng, args.drop, resplit=d % 2 == 1)
        t = time.perf_counter()
        pred = {(b.zh, b.en) for b in align_texts(pair.zh, pair.en)}
        t_ours += time.perf_counter() - t
        flat = {(b.zh, b.en) for b in align_texts(pair.zh, pair.en, paragraphs=False)}
        zs = [s for p in pair.zh for s in p]
        es = [s for p in pair.en for s in p]
        t = time.perf_counter()
        base = set(gale_church([zh_length(s) for s in zs], [en_length(s) for s in es]))
        t_gc += time.perf_counter() - t
        for acc, got in ((ours, pred), (gc, base), (no_par, flat)):
            for k, v in enumerate(prf(pair.lines(got), pair.lines(pair.truth))):
                acc[k] += v
    print(
        f"{args.docs} document pairs from FLORES-200 devtest lines {lines.start}-{lines.stop - 1}, seed {args.seed}, "
        f"drop {args.drop} per side, {ours[2]} true beads"
    )
    f1 = report("workbench align", *ours)
    report("  without the paragraph pass", *no_par)
    f0 = report("Gale-Church (lengths only)", *gc)
    print(
        f"F1 difference: {100 * (f1 - f0):+.1f} points; time: ours {t_ours:.1f} s, Gale-Church {t_gc:.1f} s"
    )


def run_big(args: argparse.Namespace) -> None:
    zh, en = flores()
    rng = random.Random(args.seed)
    idx = [rng.randrange(len(zh)) for _ in range(args.big)]
    pair = make_pair(zh, en, idx, rng, args.drop, resplit=False)
    n_zh, n_en = sum(map(len, pair.zh)), sum(map(len, pair.en))
    t = time.perf_counter()
    beads = align_texts(pair.zh, pair.en)
    dt = time.perf_counter() - t
    pred = {(b.zh, b.en) for b in beads}
    tp, npred, ntrue = prf(pair.lines(pred), pair.lines(pair.truth))
    print(
        f"big pair: {n_zh} Chinese and {n_en} English sentences aligned in {dt:.1f} s "
        f"({len(beads)} beads; F1 {2 * tp / (npred + ntrue):.4f})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--drop", type=float, default=0.05)
    ap.add_argument("--lines", choices=("tune", "test", "all"), default="test")
    ap.add_argument("--big", type=int, default=100_000, help="sentences in the timed pair (0: skip)")
    args = ap.parse_args()
    if args.docs:
        run_docs(args)
    if args.big:
        run_big(args)


if __name__ == "__main__":
    main()
