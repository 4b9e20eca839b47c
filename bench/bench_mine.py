"""Term mining benchmark: recall of known terms with the right English, precision of the top 100.

The known terms are the shipped glossary's (``glossary/womens-news.tsv``: source and approved English).
Each is planted in 3-6 random sentence pairs of FLORES-200 devtest (one term a pair): the Chinese term at a random
clause boundary (after ``，`` or at the start), its English at a random word boundary that is not inside
a number. Mining runs over all 1,012 pairs (``workbench.terms.mine.mine``, ``--min-count 3``).

* recall: known terms among the candidates whose top rendering is the glossary's (case ignored);
* precision of the top 100: candidates among the first 100 that are right: a known term with its
  English, or a term of CC-CEDICT whose definitions contain the proposed rendering (the FLORES text has
  its own recurring terms: 美国 United States ...);
* both scorers: Dice (the default) and plain co-occurrence counts.

Usage::

    .venv/bin/python bench/bench_mine.py [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.terms import load_termbase  # noqa: E402
from workbench.terms.mine import Candidate, Scorer, mine  # noqa: E402

DATA = ROOT / "workbench" / "jobs" / "data" / "flores200"


def planted_pairs(seed: int) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """FLORES pairs with the glossary's terms planted, and the known terms."""
    zh = gzip.decompress((DATA / "zho_Hans.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    en = gzip.decompress((DATA / "eng_Latn.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    rng = random.Random(seed)
    known = {e.source: e.target for e in load_termbase(ROOT / "glossary" / "womens-news.tsv")}
    pairs = list(zip(zh, en, strict=True))
    free = list(range(len(pairs)))
    rng.shuffle(free)
    for source, target in known.items():
        for _ in range(rng.randint(3, 6)):
            k = free.pop()  # one planted term a pair, so no term is planted inside another
            z, e = pairs[k]
            cuts = [0] + [i + 1 for i, c in enumerate(z) if c == "，"]
            c = rng.choice(cuts)
            words = e.split(" ")
            w = rng.randrange(len(words))
            pairs[k] = (z[:c] + source + z[c:], " ".join([*words[:w], target, *words[w:]]))
    return pairs, known


def cedict_right(c: Candidate) -> bool:
    """Whether CC-CEDICT has ``c.source`` with ``c.target`` in a definition."""
    from workbench.terms.align.anchors import dictionary

    stems = dictionary().get(c.source)
    if not stems:
        return False
    from workbench.terms.align.anchors import english_stems

    mine_stems = english_stems(c.target)
    return bool(mine_stems) and mine_stems <= stems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    pairs, known = planted_pairs(args.seed)
    print(
        f"{len(pairs)} FLORES-200 devtest pairs, {len(known)} glossary terms planted 3-6 times each (seed {args.seed})"
    )
    for scorer in Scorer:
        t = time.perf_counter()
        cands = mine(pairs, min_count=args.min_count, scorer=scorer)
        dt = time.perf_counter() - t
        by_source = {c.source: c for c in cands}
        found = sum(
            1 for s, e in known.items() if s in by_source and by_source[s].target.casefold() == e.casefold()
        )
        top = cands[:100]
        right = sum(
            1 for c in top if (known.get(c.source, "").casefold() == c.target.casefold()) or cedict_right(c)
        )
        print(
            f"{scorer!s:<6} candidates {len(cands):>5}  recall of known terms with the right English "
            f"{found / len(known):.3f} ({found}/{len(known)})  precision of the top 100 {right / max(len(top), 1):.2f}  "
            f"{dt:.1f} s"
        )


if __name__ == "__main__":
    main()
