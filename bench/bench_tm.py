"""Translation-memory speed: fuzzy lookup with the bigram prefilter vs a brute-force rapidfuzz scan, and
concordance (substring search) with the character/pair index vs an FTS5 trigram table.

Builds a TM of N synthetic Chinese sentences (random picks from the seed page's characters, so the
bigram statistics look like real text) plus near-duplicates of the probe sentences, then measures, in one
run: units/s for inserting, ms per exact lookup, ms per fuzzy lookup, ms per brute-force scan over all
units, and the prefilter's recall (matches >= 75 found by the prefilter / found by brute force).
Concordance: ms per query (first 100 hits) for 1-, 2- and 4-character Chinese substrings of the units and
for English words, through ``TranslationMemory.concordance``; the same queries against an FTS5 trigram
table of the same texts (2-character queries there need a LIKE scan: trigrams cannot index them).

Usage: .venv/bin/python bench/bench_tm.py [--units 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.store.tm import TMUnit, TranslationMemory, normalize_key  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    from rapidfuzz import fuzz, process

    rnd = random.Random(args.seed)
    text = (ROOT / "seeds" / "000_4a826f62d946bd6d.txt").read_text(encoding="utf-8")
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    words = [text[i : i + rnd.randint(2, 4)] for i in range(0, len(text) - 4, 3)]
    words = [w for w in words if all("\u4e00" <= c <= "\u9fff" for c in w)] or chars

    def sentence() -> str:
        return "".join(rnd.choice(words) for _ in range(rnd.randint(4, 14))) + "。"

    probes = [sentence() for _ in range(args.queries)]

    def mutate(s: str) -> str:
        s = list(s)
        # 5-22 % of the characters replaced: scores from ~95 down to the 75 threshold.
        for _ in range(max(1, round(len(s) * rnd.uniform(0.05, 0.22)))):
            s[rnd.randrange(len(s) - 1)] = rnd.choice(chars)
        return "".join(s)

    units = [TMUnit(sentence(), f"English {i}") for i in range(args.units - args.queries)]
    units += [TMUnit(mutate(p), f"near {i}") for i, p in enumerate(probes)]
    with tempfile.TemporaryDirectory() as tmp:
        tm = TranslationMemory.open(Path(tmp) / "tm.sqlite")
        t0 = time.perf_counter()
        tm.add_many(units)
        t_add = time.perf_counter() - t0
        t0 = time.perf_counter()
        for p in probes:
            tm.exact(p)
        t_exact = (time.perf_counter() - t0) / len(probes)
        t0 = time.perf_counter()
        found = [tm.fuzzy(p, min_score=75, limit=5) for p in probes]
        t_fuzzy = (time.perf_counter() - t0) / len(probes)
        keys = [normalize_key(u.source) for u in units]
        t0 = time.perf_counter()
        brute = [process.extract(p, keys, scorer=fuzz.ratio, score_cutoff=75, limit=5) for p in probes]
        t_brute = (time.perf_counter() - t0) / len(probes)
        want = sum(len(b) for b in brute)
        best_hit = sum(
            1 for f, b in zip(found, brute, strict=True) if b and f and f[0].score >= b[0][1] - 0.1
        )
        got = sum(len(f) for f in found)
        size = (Path(tmp) / "tm.sqlite").stat().st_size
        conc = concordance_times(tm, units, rnd)
        tm.close()
    print(f"units={args.units} queries={args.queries} file={size / 1e6:.1f} MB")
    print(f"insert: {args.units / t_add:,.0f} units/s ({t_add:.1f} s)")
    print(f"exact lookup: {t_exact * 1000:.2f} ms/query")
    print(f"fuzzy lookup (prefilter): {t_fuzzy * 1000:.2f} ms/query")
    print(f"fuzzy brute force (rapidfuzz over all units): {t_brute * 1000:.2f} ms/query")
    print(f"speed-up: {t_brute / t_fuzzy:.1f}x")
    print(
        f"recall: matches>=75 prefilter {got} / brute force {want}; best match found for "
        f"{best_hit}/{sum(1 for b in brute if b)} queries"
    )
    for label, ours, trigram in conc:
        print(f"concordance {label}: index {ours}; FTS5 trigram {trigram}")
    return 0


def concordance_times(
    tm: TranslationMemory, units: list[TMUnit], rnd: random.Random
) -> list[tuple[str, str, str]]:
    """(label, time and hits through the TM's index, time and hits through an FTS5 trigram table)."""
    import sqlite3

    from workbench.store.concordance import Side
    from workbench.text.search import fold_for_search

    def substrings(k: int, n: int = 50) -> list[str]:
        out = []
        while len(out) < n:
            s = rnd.choice(units).source.rstrip("。")
            if len(s) > k:
                i = rnd.randrange(len(s) - k)
                out.append(s[i : i + k])
        return out

    tri = sqlite3.connect(":memory:")
    tri.execute("CREATE VIRTUAL TABLE t USING fts5(source, target, tokenize='trigram')")
    tri.executemany(
        "INSERT INTO t (rowid, source, target) VALUES (?, ?, ?)",
        ((i, fold_for_search(u.source), fold_for_search(u.target)) for i, u in enumerate(units)),
    )

    def trigram(q: str, column: str) -> int:
        if len(q) >= 3:
            sql, arg = f"SELECT rowid FROM t WHERE {column} MATCH ? ORDER BY rowid DESC LIMIT 100", f'"{q}"'
        else:
            sql, arg = f"SELECT rowid FROM t WHERE {column} LIKE ? ORDER BY rowid DESC LIMIT 100", f"%{q}%"
        return len(tri.execute(sql, (arg,)).fetchall())

    english = ["English", "near", "1234", "English 99", "near 17"] * 10
    cases = [
        ("1 char", substrings(1), Side.SOURCE),
        ("2 chars", substrings(2), Side.SOURCE),
        ("4 chars", substrings(4), Side.SOURCE),
        ("English", english, Side.TARGET),
    ]
    out = []
    for label, queries, side in cases:
        t0 = time.perf_counter()
        found = sum(len(tm.concordance(q, side, limit=100)) for q in queries)
        ours = (time.perf_counter() - t0) / len(queries) * 1000
        t0 = time.perf_counter()
        found_tri = sum(trigram(fold_for_search(q), side.value) for q in queries)
        t_tri = (time.perf_counter() - t0) / len(queries) * 1000
        out.append(
            (
                f"{label} ({len(queries)} queries)",
                f"{ours:.2f} ms/query, {found} hits",
                f"{t_tri:.2f} ms/query, {found_tri} hits",
            )
        )
    tri.close()
    return out


if __name__ == "__main__":
    raise SystemExit(main())
