"""Benchmark: term matching with a 100,000-entry term base.

Builds a term base from the shipped glossary plus synthetic entries (distinct Chinese n-grams of the
FLORES-200 devtest, 2-6 characters), then measures build time, matching throughput over the seed page
(rebuilt paragraphs) and over the FLORES sentences, and memory (RSS growth of this process).

    .venv/bin/python bench/bench_terms.py [--entries 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLORES = ROOT.parent / "shared" / "data" / "flores200" / "zho_Hans.devtest"
SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
GLOSSARY = ROOT / "glossary" / "womens-news.tsv"


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def synthetic_entries(sentences: list[str], n: int, seed: int = 0):
    """``n`` distinct CJK n-grams (2-6 characters) of ``sentences`` as entries."""
    from workbench.terms import Entry
    from workbench.terms.model import is_cjk

    grams: set[str] = set()
    for s in sentences:
        for size in range(2, 7):
            for i in range(len(s) - size + 1):
                g = s[i : i + size]
                if all(is_cjk(c) and c.isalnum() for c in g):
                    grams.add(g)
    pool = sorted(grams)
    random.Random(seed).shuffle(pool)
    if len(pool) < n:
        raise SystemExit(f"only {len(pool)} distinct n-grams in FLORES; ask for fewer entries")
    return [Entry(g, f"synthetic term {i}") for i, g in enumerate(pool[:n])], len(pool)


def main() -> int:
    """Run the benchmark and print one ``name value`` line per number."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from workbench.terms import Matcher, TermBase, load_termbase
    from workbench.text import load_document

    if not FLORES.is_file():
        raise SystemExit(f"missing {FLORES}")
    flores = [ln.strip() for ln in FLORES.read_text(encoding="utf-8").splitlines() if ln.strip()]
    seed_pars = [p.text for p in load_document(SEED).paragraphs]
    shipped = load_termbase([GLOSSARY])

    gc.collect()
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    synth, pool = synthetic_entries(flores, args.entries - len(shipped))
    t_gen = time.perf_counter() - t0

    t0 = time.perf_counter()
    tb = TermBase(list(shipped) + synth)
    t_tb = time.perf_counter() - t0
    t0 = time.perf_counter()
    matcher = Matcher(tb)
    t_auto = time.perf_counter() - t0
    gc.collect()
    rss1 = _rss_mb()

    def run(texts: list[str], m: Matcher = matcher) -> tuple[float, int]:
        best = float("inf")
        hits = 0
        for _ in range(args.repeat):
            t = time.perf_counter()
            hits = sum(len(m.find(x)) for x in texts)
            best = min(best, time.perf_counter() - t)
        return best, hits

    seed_chars = sum(map(len, seed_pars))
    flores_chars = sum(map(len, flores))
    t_seed, h_seed = run(seed_pars)
    t_flores, h_flores = run(flores)
    t_small, h_small = run(seed_pars, Matcher(shipped))

    print(f"entries {len(tb)} (shipped {len(shipped)} + synthetic {len(synth)} of {pool} FLORES n-grams)")
    print(f"conflicts {len(tb.conflicts)}")
    print(f"ngram_generation_s {t_gen:.2f}")
    print(f"termbase_build_s {t_tb:.2f}")
    print(f"automaton_build_s {t_auto:.2f}")
    print(f"build_total_s {t_tb + t_auto:.2f}")
    print(f"rss_growth_mb {rss1 - rss0:.1f}")
    print(
        f"seed_paragraphs {len(seed_pars)} chars {seed_chars} hits {h_seed} best_of_{args.repeat}_s {t_seed:.4f}"
    )
    print(f"seed_throughput_chars_per_s {seed_chars / t_seed:,.0f}")
    print(
        f"flores_sentences {len(flores)} chars {flores_chars} hits {h_flores} best_of_{args.repeat}_s {t_flores:.4f}"
    )
    print(f"flores_throughput_chars_per_s {flores_chars / t_flores:,.0f}")
    print(f"flores_throughput_sentences_per_s {len(flores) / t_flores:,.0f}")
    print(f"seed_hits_shipped_glossary_only {h_small} best_of_{args.repeat}_s {t_small:.4f}")
    print(f"ratio seed_100k_vs_shipped_only {t_seed / max(t_small, 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
