"""The glossary guarantee at the fast engine's speed: CTranslate2 with and without the shipped glossary.

On the full proxy (opus-mt-zh-en's exact architecture, random weights: it never ends a sentence and
never renders a term by luck, so every term hit must be placed; the worst case), the seed page's
segments are drafted by one ``CT2Engine`` (int8, beam 4, the given threads), the output length fixed
at round(1.3 x source tokens) as in ``bench/run.py``:

* plain: ``engine.translate(segments, beam=4)``;
* glossary: ``engine.translate(segments, beam=4, constraints=...)`` with every hit of
  ``glossary/womens-news.tsv`` (the product's path: n-best check, then term placement).

The two runs alternate plain, glossary, glossary, plain (so a drift in the machine's load hits both
alike); the ratio is the summed wall time of the glossary runs over the plain ones (CPU time too).
Every hit is then checked with the terms layer's ``check_target`` (what the CLI, exports and UI show).

Search quality: for the segments with hits, the fast path's constrained drafts and the current
constrained beam search's (``workbench.mt.constrained.search`` on the transformers model, same beam,
same lengths) are scored under one model, the float32 transformers model: mean log-probability per
target token (teacher-forced, exact tokens, end token excluded), with the plain drafts' for scale.

Prints the times with the load average, ``ratio glossary_fast_vs_plain_fast_beam4 VALUE``,
``terms_satisfied A/B``, the peak RSS of the CTranslate2-only part, ``logprob_per_token NAME VALUE``
and ``ratio fastpath_logprob_vs_current_search VALUE`` (fast / current; both are negative, so a value
under 1 means the fast path's drafts are more probable).

Usage: ``python bench/bench_glossary_fast.py [--quick] [--model DIR] [--threads N]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import MODEL_DIR, SEED, _peak_rss_mb, ensure_models, target_length  # noqa: E402

GLOSSARY = ROOT / "glossary" / "womens-news.tsv"
BEAM = 4


def seed_work(quick: bool) -> tuple[list[str], list[list], list[list]]:
    """The seed page's segments, their glossary hits and constraints (``quick``: the first 40)."""
    from workbench.jobs.translate import document_segments
    from workbench.terms import Matcher, constraints_for, load_termbase
    from workbench.text import load_document

    segments = [s for _, _, s in document_segments(load_document(SEED))]
    if quick:
        segments = segments[:40]
    matcher = Matcher(load_termbase([GLOSSARY]))
    hits = [matcher.find(s) for s in segments]
    return segments, hits, [constraints_for(h) for h in hits]


def fixed_length(n: int) -> tuple[int, int]:
    """The benchmark's length policy: exactly round(1.3 x source tokens) target tokens."""
    length = target_length(n)
    return length, length + 1


def _timed(fn) -> tuple[object, float, float, float]:
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu, load


def time_runs(engine, segments: list[str], cons: list[list]) -> tuple[dict[str, list], list]:
    """Plain, glossary, glossary, plain; returns per side ``(wall, cpu, load)`` runs and the glossary drafts."""
    runs: dict[str, list] = {"plain": [], "glossary": []}
    drafts: list = []
    for side in ("plain", "glossary", "glossary", "plain"):
        kwargs = {"constraints": cons} if side == "glossary" else {}
        out, wall, cpu, load = _timed(lambda kw=kwargs: engine.translate(segments, beam=BEAM, **kw))
        runs[side].append((wall, cpu, load))
        print(f"{side:<9} wall {wall:7.2f} s  cpu {cpu:7.2f} s  load average {load:.2f}", flush=True)
        if side == "glossary":
            drafts = out  # type: ignore[assignment]
    return runs, drafts


def batches_of(engine, texts: list[str]) -> list[list[int]]:
    """The engine's own batches for ``texts`` (the constrained group of ``translate``)."""
    from workbench.mt.batching import plan_batches

    lengths = [engine._count(t) for t in texts]
    return [list(b.items) for b in plan_batches(lengths, beam=BEAM, batch_tokens=engine.batch_tokens)]


def fast_hypotheses(engine, texts: list[str], cons: list[list]) -> list:
    """The fast path's hypotheses (with their exact pieces), batch by batch as the engine makes them."""
    from workbench.mt.constrained.fast import constrain_batch

    out: list = [None] * len(texts)
    for ks in batches_of(engine, texts):
        lo = max(fixed_length(engine._count(texts[k]))[0] for k in ks)
        hi = max(fixed_length(engine._count(texts[k]))[1] for k in ks)
        hyps = constrain_batch(
            engine, [texts[k] for k in ks], [cons[k] for k in ks], beam=BEAM, min_new=lo, max_new=hi
        )
        for k, h in zip(ks, hyps, strict=True):
            out[k] = h
    return out


def plain_pieces(engine, texts: list[str]) -> list[list[str]]:
    """The plain beam search's best hypothesis per text, as pieces."""
    out: list = [None] * len(texts)
    for ks in batches_of(engine, texts):
        lo = max(fixed_length(engine._count(texts[k]))[0] for k in ks)
        hi = max(fixed_length(engine._count(texts[k]))[1] for k in ks)
        for k, hyps in zip(
            ks, engine.nbest_attention([texts[k] for k in ks], beam=BEAM, min_new=lo, max_new=hi), strict=True
        ):
            out[k] = hyps[0].pieces
    return out


def current_search(
    model_dir: Path, texts: list[str], cons: list[list], threads: int
) -> tuple[list, float, float]:
    """The transformers constrained search's hypotheses on the same segments and lengths, and its time."""
    import torch

    from workbench.mt.constrained.search import search_constrained
    from workbench.mt.marian import MarianEngine

    engine = MarianEngine(model_dir, device="cpu", threads=threads, length_policy=fixed_length)
    out: list = [None] * len(texts)
    wall, cpu = time.perf_counter(), time.process_time()
    for ks in batches_of(engine, texts):
        lo = max(fixed_length(engine._count(texts[k]))[0] for k in ks)
        hi = max(fixed_length(engine._count(texts[k]))[1] for k in ks)
        with torch.inference_mode():
            hyps = search_constrained(
                engine.model, engine.tokenizer, [texts[k] for k in ks], [cons[k] for k in ks],
                beam=BEAM, max_new_tokens=hi, min_new_tokens=lo, device="cpu",
            )  # fmt: skip
        for k, h in zip(ks, hyps, strict=True):
            out[k] = h
    return out, time.perf_counter() - wall, time.process_time() - cpu


def logprob_per_token(model_dir: Path, texts: list[str], targets: list[list[str]]) -> float:
    """Mean log-probability per target token under the float32 transformers model (teacher forcing)."""
    import torch

    from workbench.mt.marian import load_marian
    from workbench.mt.vocab import MarianVocab

    tokenizer, model = load_marian(model_dir, "cpu")
    vocab = MarianVocab(model_dir)
    start = int(model.config.decoder_start_token_id)
    total, count = 0.0, 0
    with torch.inference_mode():
        for text, pieces in zip(texts, targets, strict=True):
            ids = [vocab.vocab[p] for p in pieces]
            if not ids:
                continue
            enc = tokenizer([text], return_tensors="pt")
            dec = torch.tensor([[start, *ids[:-1]]])
            logits = model(**enc, decoder_input_ids=dec).logits[0].float()
            logp = torch.log_softmax(logits, dim=-1).gather(1, torch.tensor(ids).unsqueeze(1))
            total += float(logp.sum())
            count += len(ids)
    return total / max(1, count)


def run(quick: bool, model_dir: Path, threads: int, quality: bool = True) -> int:
    """Measure and print; returns the exit code."""
    from workbench.mt.ct2 import CT2Engine
    from workbench.terms import check_target

    model_dir, ct2_dir = ensure_models(model_dir)
    segments, hits, cons = seed_work(quick)
    engine = CT2Engine(
        model_dir,
        ct2_dir=ct2_dir,
        quantization="int8",
        device="cpu",
        threads=threads,
        length_policy=fixed_length,
    )
    with_hits = [k for k, c in enumerate(cons) if c]
    print(
        f"# {len(segments)} segments, {len(with_hits)} with term hits, {sum(len(h) for h in hits)} hits; "
        f"CTranslate2 int8 beam {BEAM}, {threads} threads, output fixed at 1.3 x source tokens; model {model_dir}"
    )
    engine.translate(segments[:2], beam=BEAM, constraints=cons[:2])  # warm-up
    runs, drafts = time_runs(engine, segments, cons)
    wall = {side: sum(r[0] for r in rs) for side, rs in runs.items()}
    cpu = {side: sum(r[1] for r in rs) for side, rs in runs.items()}
    notes = [n for h, d in zip(hits, drafts, strict=True) for n in check_target(h, d.text)]
    satisfied = sum(n.ok for n in notes)
    unmet = sum(len(d.unmet) for d in drafts)
    rss = _peak_rss_mb()
    print(f"cpu ratio glossary/plain {cpu['glossary'] / cpu['plain']:.3f}; unmet reported {unmet}; "
          f"peak RSS (CTranslate2 only, both runs) {rss:.0f} MB")  # fmt: skip
    print(f"ratio glossary_fast_vs_plain_fast_beam4 {wall['glossary'] / wall['plain']:.3f}")
    print(f"terms_satisfied {satisfied}/{len(notes)}", flush=True)
    if not quality:
        return 0 if satisfied == len(notes) else 1

    texts = [segments[k] for k in with_hits]
    tcons = [cons[k] for k in with_hits]
    fast = fast_hypotheses(engine, texts, tcons)
    if [h.text for h in fast] != [drafts[k].text for k in with_hits]:
        print("warning: the fast path's hypotheses differ from the timed run's drafts", file=sys.stderr)
    plain = plain_pieces(engine, texts)
    current, c_wall, c_cpu = current_search(model_dir, texts, tcons, threads)
    print(f"current search (transformers, {len(texts)} segments with hits) wall {c_wall:.2f} s cpu {c_cpu:.2f} s "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    current_ok = sum(
        n.ok for k, h in zip(with_hits, current, strict=True) for n in check_target(hits[k], h.text)
    )
    print(f"current search terms satisfied {current_ok}/{sum(len(hits[k]) for k in with_hits)}")
    scores = {
        "fast_path": logprob_per_token(model_dir, texts, [list(h.pieces) for h in fast]),
        "current_search": logprob_per_token(model_dir, texts, [list(h.pieces) for h in current]),
        "plain_unconstrained": logprob_per_token(model_dir, texts, plain),
    }
    for name, value in scores.items():
        print(f"logprob_per_token {name} {value:.4f}")
    print(f"ratio fastpath_logprob_vs_current_search {scores['fast_path'] / scores['current_search']:.3f}")
    return 0 if satisfied == len(notes) else 1


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 40 segments only")
    parser.add_argument(
        "--model", type=Path, default=MODEL_DIR, help=f"full proxy directory (default {MODEL_DIR})"
    )
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--no-quality", action="store_true", help="times and terms only (skip the model-score comparison)"
    )
    args = parser.parse_args(argv)
    return run(args.quick, args.model.resolve(), args.threads, quality=not args.no_quality)


if __name__ == "__main__":
    sys.exit(main())
