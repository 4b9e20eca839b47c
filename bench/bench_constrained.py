"""Cost of glossary enforcement: constrained vs plain beam-4 decoding on the full proxy model.

The full proxy (``bench.proxy_model.build_model("full", ...)``) has opus-mt-zh-en's exact
architecture, so its cost per token is the real model's. The seed page's segments are matched
against the shipped glossary; the segments with at least one term hit are translated twice with
the same engine (our transformers backend), the same batches, the same beam and the same fixed
output length per segment:

* unconstrained: ``model.generate`` beam search (the backend's fast path);
* constrained: ``workbench.mt.constrained.generate_constrained`` with every hit enforced.

Prints both times, the term hits and how many the constrained drafts satisfy, and
``ratio constrained_vs_unconstrained_beam4 VALUE`` (constrained time / unconstrained time).

Usage: ``python bench/bench_constrained.py [--quick] [--model DIR] [--threads N]``
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
GLOSSARY = ROOT / "glossary" / "womens-news.tsv"
MODEL_DIR = ROOT / "models" / "proxy-full"
BEAM = 4
#: Output length fixed at this many target tokens per source token (both runs, every segment).
LENGTH_RATIO = 1.3


def seed_segments() -> list[str]:
    """The seed page's segments (paragraphs rebuilt and split by the ingest layer when present)."""
    try:
        from workbench.text import load_document

        doc = load_document(SEED)
        segs = [s for p in doc.paragraphs for s in p.segments if s.strip()]
        if segs:
            return segs
    except (ImportError, AttributeError):
        pass
    # Fallback: join the page's hard-wrapped lines into paragraphs, split after sentence ends.
    text = SEED.read_text(encoding="utf-8")
    paras = [re.sub(r"\s*\n\s*", "", block).strip() for block in re.split(r"\n\s*\n", text)]
    out: list[str] = []
    for para in paras:
        out += [s for s in re.split(r"(?<=[。！？])", para) if s.strip()]
    return out


def segment_constraints(segments: list[str]):
    """Per segment, the TermConstraints of its glossary hits (the terms layer's Matcher)."""
    from workbench.terms import Matcher, constraints_for, load_termbase

    matcher = Matcher(load_termbase([GLOSSARY]))
    return [constraints_for(matcher.find(s)) for s in segments]


def ensure_model(path: Path) -> Path:
    """Build (once) and cache the full proxy model in a git-ignored directory."""
    if not (path / "config.json").is_file():
        from bench.proxy_model import build_model

        build_model("full", path)
    return path


def run(quick: bool = False, model_dir: Path | None = None, threads: int | None = None, verbose: bool = True) -> dict[str, float]:
    """Time constrained vs unconstrained beam-4 decoding of the seed page's term-bearing segments.

    Args:
        quick: Only the first 8 term-bearing segments.
        model_dir: Full proxy directory (built there when missing).
        threads: torch threads (None: torch's default).
        verbose: Print the report lines.

    Returns:
        Measurements: seconds for both runs, the ratio, segments, term hits and hits satisfied.
    """
    import torch

    from workbench.mt.constraints import unmet_in_text
    from workbench.mt.marian import MarianEngine

    if threads:
        torch.set_num_threads(threads)
    segments = seed_segments()
    cons = segment_constraints(segments)
    picked = [(s, c) for s, c in zip(segments, cons, strict=True) if c]
    if quick:
        picked = picked[:8]
    texts = [s for s, _ in picked]
    term_cons = [list(c) for _, c in picked]

    def policy(n: int) -> tuple[int, int]:
        k = max(4, math.ceil(LENGTH_RATIO * n))
        return k, k

    engine = MarianEngine(ensure_model(model_dir or MODEL_DIR), device="cpu", threads=threads, length_policy=policy)
    engine.translate(texts[:2], beam=BEAM)  # warm-up (allocator, lazy imports)
    engine.translate(texts[:2], beam=BEAM, constraints=term_cons[:2])

    t0 = time.perf_counter()
    plain = engine.translate(texts, beam=BEAM)
    t_plain = time.perf_counter() - t0
    t0 = time.perf_counter()
    constrained = engine.translate(texts, beam=BEAM, constraints=term_cons)
    t_cons = time.perf_counter() - t0

    hits = sum(len(c) for c in term_cons)
    sat_cons = sum(len(c) - len(unmet_in_text(c, d.text)) for c, d in zip(term_cons, constrained, strict=True))
    sat_plain = sum(len(c) - len(unmet_in_text(c, d.text)) for c, d in zip(term_cons, plain, strict=True))
    reported = sum(len(d.unmet) for d in constrained)
    out_tokens = sum(d.n_tokens for d in constrained)
    result = {
        "segments": float(len(texts)),
        "term_hits": float(hits),
        "hits_satisfied_constrained": float(sat_cons),
        "hits_satisfied_unconstrained": float(sat_plain),
        "unmet_reported": float(reported),
        "unconstrained_s": t_plain,
        "constrained_s": t_cons,
        "target_tokens": float(out_tokens),
        "constrained_vs_unconstrained_beam4": t_cons / t_plain if t_plain else float("nan"),
    }
    if verbose:
        print(f"model {engine.model_dir} threads {torch.get_num_threads()} beam {BEAM} output length {LENGTH_RATIO}x source")
        print(f"segments with term hits {len(texts)} of {len(segments)}; target tokens {out_tokens}")
        print(f"unconstrained beam4 (model.generate) {t_plain:.2f} s")
        print(f"constrained beam4 (generate_constrained) {t_cons:.2f} s")
        print(f"term hits {hits}; satisfied constrained {sat_cons}; satisfied unconstrained {sat_plain}; unmet reported {reported}")
        print(f"ratio constrained_vs_unconstrained_beam4 {result['constrained_vs_unconstrained_beam4']:.3f}")
    return result


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 8 term-bearing segments")
    parser.add_argument("--model", type=Path, default=None, help=f"full proxy directory (default {MODEL_DIR})")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)
    run(quick=args.quick, model_dir=args.model, threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
