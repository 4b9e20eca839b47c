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
#: Output length fixed at this many target tokens per source token (both runs, every segment), raised
#: where a segment's terms need more room.
LENGTH_RATIO = 1.3
#: Segments per interleaved chunk (each chunk is translated plain, then constrained).
CHUNK = 8


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


def segment_hits(segments: list[str]):
    """Per segment, its glossary hits (the terms layer's Matcher on the shipped glossary)."""
    from workbench.terms import Matcher, load_termbase

    matcher = Matcher(load_termbase([GLOSSARY]))
    return [matcher.find(s) for s in segments]


def ensure_model(path: Path) -> Path:
    """Build (once) and cache the full proxy model in a git-ignored directory."""
    if not (path / "config.json").is_file():
        from bench.proxy_model import build_model

        build_model("full", path)
    return path


def run(
    quick: bool = False, model_dir: Path | None = None, threads: int | None = None, verbose: bool = True
) -> dict[str, float]:
    """Time constrained vs unconstrained beam-4 decoding of the seed page's term-bearing segments.

    Args:
        quick: Only the first 8 term-bearing segments.
        model_dir: Full proxy directory (built there when missing).
        threads: torch threads (default 1, so CPU time measures the cost).
        verbose: Print the report lines.

    Returns:
        Measurements: seconds for both runs, the ratio, segments, term hits and hits satisfied.
    """
    import torch

    from workbench.mt.constraints import build_segment_constraints
    from workbench.mt.marian import MarianEngine
    from workbench.terms import check_target, constraints_for

    threads = threads or 1
    torch.set_num_threads(threads)
    segments = seed_segments()
    all_hits = segment_hits(segments)
    picked = [(s, h) for s, h in zip(segments, all_hits, strict=True) if h]
    if quick:
        picked = picked[:8]
    texts = [s for s, _ in picked]
    hits_of = [h for _, h in picked]
    term_cons = [constraints_for(h) for h in hits_of]

    fixed: dict[int, int] = {}

    def policy(n: int) -> tuple[int, int]:
        k = fixed.get(n, max(4, math.ceil(LENGTH_RATIO * n)))
        return k, k

    engine = MarianEngine(
        ensure_model(model_dir or MODEL_DIR), device="cpu", threads=threads, length_policy=policy
    )
    # The fixed length must leave room for the segment's terms (a 5-token source can need 12 tokens of
    # terms); it is a function of the source length only, so both runs get exactly the same lengths.
    for text, cons in zip(texts, term_cons, strict=True):
        n = engine._count(text)
        seg = build_segment_constraints(engine.tokenizer, cons)
        need = sum(min(len(q) for q in c.sequences) for c in seg.required)
        fixed[n] = max(fixed.get(n, 0), math.ceil(LENGTH_RATIO * n), need + 4)
    engine.translate(texts[:2], beam=BEAM)  # warm-up (allocator, lazy imports)
    engine.translate(texts[:2], beam=BEAM, constraints=term_cons[:2])

    # Interleave the two runs chunk by chunk so that load from other processes hits both alike; the
    # ratio uses process CPU time (threads=1 makes it the honest cost on a shared machine).
    plain, constrained = [], []
    t_plain = t_cons = w_plain = w_cons = 0.0
    for k in range(0, len(texts), CHUNK):
        chunk, chunk_cons = texts[k : k + CHUNK], term_cons[k : k + CHUNK]
        w0, c0 = time.perf_counter(), time.process_time()
        plain += engine.translate(chunk, beam=BEAM)
        w1, c1 = time.perf_counter(), time.process_time()
        constrained += engine.translate(chunk, beam=BEAM, constraints=chunk_cons)
        w2, c2 = time.perf_counter(), time.process_time()
        t_plain += c1 - c0
        t_cons += c2 - c1
        w_plain += w1 - w0
        w_cons += w2 - w1

    # Counted per hit with the terms layer's check (what the CLI, exports and UI report).
    hits = sum(len(h) for h in hits_of)
    sat_cons = sum(n.ok for h, d in zip(hits_of, constrained, strict=True) for n in check_target(h, d.text))
    sat_plain = sum(n.ok for h, d in zip(hits_of, plain, strict=True) for n in check_target(h, d.text))
    reported = sum(len(d.unmet) for d in constrained)
    out_tokens = sum(d.n_tokens for d in constrained)
    result = {
        "segments": float(len(texts)),
        "term_hits": float(hits),
        "hits_satisfied_constrained": float(sat_cons),
        "hits_satisfied_unconstrained": float(sat_plain),
        "unmet_reported": float(reported),
        "unconstrained_cpu_s": t_plain,
        "constrained_cpu_s": t_cons,
        "unconstrained_wall_s": w_plain,
        "constrained_wall_s": w_cons,
        "target_tokens": float(out_tokens),
        "constrained_vs_unconstrained_beam4": t_cons / t_plain if t_plain else float("nan"),
    }
    if verbose:
        print(
            f"model {engine.model_dir} threads {torch.get_num_threads()} beam {BEAM} output length {LENGTH_RATIO}x source (more where the terms need it), same for both runs"
        )
        print(f"segments with term hits {len(texts)} of {len(segments)}; target tokens {out_tokens}")
        print(f"unconstrained beam4 (model.generate) cpu {t_plain:.2f} s wall {w_plain:.2f} s")
        print(f"constrained beam4 (generate_constrained) cpu {t_cons:.2f} s wall {w_cons:.2f} s")
        print(
            f"term hits {hits}; satisfied constrained {sat_cons}; satisfied unconstrained {sat_plain}; unmet reported {reported}"
        )
        print(f"ratio constrained_vs_unconstrained_beam4 {result['constrained_vs_unconstrained_beam4']:.3f}")
    return result


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 8 term-bearing segments")
    parser.add_argument(
        "--model", type=Path, default=None, help=f"full proxy directory (default {MODEL_DIR})"
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    run(quick=args.quick, model_dir=args.model, threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
