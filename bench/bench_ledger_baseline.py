"""What the term ledger's baseline costs the transformers glossary path.

The transformers engine drafts a segment with glossary hits by the constrained search, then runs the
plain beam search of the same batch once more: the ledger needs the model's own best (``natural`` terms,
the forcing cost). This prints the CPU time of the whole constrained path on the seed page's segments
with hits, the part spent in that plain search, and ``ratio ledger_baseline_share VALUE``.

CPU time (``time.process_time``), the better of two runs after a warm-up: the machine may be shared.

Usage: ``python bench/bench_ledger_baseline.py MODEL_DIR [--segments N] [--beam B]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def segments_with_hits(n: int) -> tuple[list[str], list[Any]]:
    """The first ``n`` seed segments under 120 characters that the shipped glossary has hits in."""
    from workbench.terms import Matcher, constraints_for, load_termbase
    from workbench.text import load_document

    doc = load_document(ROOT / "seeds" / "000_4a826f62d946bd6d.txt")
    matcher = Matcher(load_termbase([str(ROOT / "glossary" / "womens-news.tsv")]))
    texts, cons = [], []
    for segment in (s for p in doc.paragraphs for s in p.segments):
        found = constraints_for(matcher.find(segment))
        if found and len(segment) < 120:
            texts.append(segment)
            cons.append(found)
    return texts[:n], cons[:n]


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    from workbench.mt.marian import MarianEngine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--segments", type=int, default=40)
    parser.add_argument("--beam", type=int, default=4)
    args = parser.parse_args(argv)
    texts, cons = segments_with_hits(args.segments)
    engine = MarianEngine(args.model, device="cpu", threads=1)
    engine.translate(texts[:2], beam=args.beam, constraints=cons[:2])  # warm-up
    plain_batch = engine._run_batch
    spent = [0.0]

    def timed(*a: Any, **k: Any) -> Any:
        t = time.process_time()
        try:
            return plain_batch(*a, **k)
        finally:
            spent[0] += time.process_time() - t

    engine._run_batch = timed  # type: ignore[method-assign]  # every segment has hits: only the baseline runs here
    runs = []
    for _ in range(2):
        spent[0] = 0.0
        t = time.process_time()
        engine.translate(texts, beam=args.beam, constraints=cons)
        runs.append((time.process_time() - t, spent[0]))
    total, plain = min(runs)
    print(f"{args.model.name}: {len(texts)} segments, beam {args.beam}: constrained path {total:.2f} s CPU, "
          f"of which the ledger's plain search {plain:.2f} s")  # fmt: skip
    print(f"ratio ledger_baseline_share {plain / total:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
