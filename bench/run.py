"""MT speed benchmark on the full proxy model (opus-mt-zh-en's exact architecture, random weights).

Compares, on the same sentences (the seed page's segments plus a FLORES-200 devtest subset) and at
greedy and beam 4:

* ``pipeline``: the hand-written baseline a user would write: ``MarianTokenizer`` +
  ``MarianMTModel.generate`` one sentence at a time, the model's own generation defaults except
  the beam size;
* ``transformers``: our transformers backend (length-sorted batches under a token budget);
* ``ct2``: our CTranslate2 backend (int8).

Random weights never decide to stop, so every engine's output length is fixed the same way:
``L = round(1.3 × source tokens)`` target tokens per sentence (plus the end token). The baseline
decodes exactly ``L`` per sentence; batched engines decode each batch to its longest member's
``L`` (length-sorted, so little extra), and only the ``sum(L)`` tokens asked for are counted.
Each engine × beam runs in its own subprocess, so its peak RSS is its own; model loading and one
warm-up sentence are not timed, and the fastest of ``--repeat`` timed runs counts (the machine is
shared: the minimum is the least disturbed measurement, for every engine alike).

Prints sentences/s, target tokens/s and peak RSS per run, then ``ratio NAME VALUE`` lines; then the
glossary benchmarks: ``bench/bench_constrained.py`` (the transformers constrained search against plain
``generate``) and ``bench/bench_glossary_fast.py`` (the CTranslate2 engine with the shipped glossary
against without it: ``ratio glossary_fast_vs_plain_fast_beam4``, ``terms_satisfied A/B`` and the
model-score comparison with the transformers constrained search).

Usage: ``python bench/run.py [--quick] [--threads N] [--model DIR]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
FLORES = ROOT / "workbench" / "jobs" / "data" / "flores200" / "zho_Hans.devtest.gz"
MODEL_DIR = ROOT / "models" / "proxy-full"
CT2_DIR = ROOT / "models" / "proxy-full-ct2-int8"
LENGTH_RATIO = 1.3
ENGINES = ("pipeline", "transformers", "ct2")
BEAMS = (1, 4)


def target_length(n_source_tokens: int) -> int:
    """Fixed output length (target tokens, end token excluded) for a source of this many tokens."""
    return max(1, round(LENGTH_RATIO * n_source_tokens))


def sentences(quick: bool) -> list[str]:
    """The seed page's segments, then a FLORES devtest subset."""
    from workbench.jobs.translate import document_segments
    from workbench.text import load_document

    seed = [s for _, _, s in document_segments(load_document(SEED))]
    flores = [line.strip() for line in gzip.decompress(FLORES.read_bytes()).decode("utf-8").splitlines()]
    if quick:
        return seed[:40] + flores[:16]
    return seed + flores[:100]


def ensure_models(model_dir: Path) -> tuple[Path, Path]:
    """Build the full proxy and its int8 CTranslate2 conversion once, in git-ignored ``models/``."""
    if not (model_dir / "model.safetensors").is_file():
        from bench.proxy_model import build_model

        print(f"building the full proxy model in {model_dir} …", file=sys.stderr, flush=True)
        build_model("full", model_dir)
    ct2_dir = CT2_DIR if model_dir == MODEL_DIR else model_dir.parent / f"{model_dir.name}-ct2-int8"
    if not (ct2_dir / "model.bin").is_file():
        from workbench.mt.ct2 import convert_model

        print(f"converting it to CTranslate2 int8 in {ct2_dir} …", file=sys.stderr, flush=True)
        convert_model(model_dir, "int8", out_dir=ct2_dir)
    return model_dir, ct2_dir


# ---------------------------------------------------------------------------------------- workers


def _peak_rss_mb() -> float:
    """This process's peak resident set size in MB.

    ``VmHWM`` belongs to the address space, which ``exec`` replaces; ``ru_maxrss`` would carry the
    driver's high-water mark over into the worker.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _run_pipeline(model_dir: Path, texts: list[str], beam: int, threads: int, repeat: int = 1) -> dict:
    """The hand-written baseline: tokenizer + model.generate, one sentence at a time."""
    import warnings

    import torch
    from transformers import MarianMTModel, MarianTokenizer

    warnings.filterwarnings("ignore")
    torch.set_num_threads(threads)
    tokenizer = MarianTokenizer.from_pretrained(str(model_dir))
    model = MarianMTModel.from_pretrained(str(model_dir))
    model.eval()

    def one(text: str) -> int:
        inputs = tokenizer(text, return_tensors="pt")
        n = target_length(inputs["input_ids"].shape[1])
        with torch.inference_mode():
            out = model.generate(**inputs, num_beams=beam, min_new_tokens=n, max_new_tokens=n + 1)
        tokenizer.decode(out[0], skip_special_tokens=True)
        return out.shape[1] - 2  # minus the decoder start and the end token

    one(texts[0])  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        produced = sum(one(t) for t in texts)
        times.append(time.perf_counter() - started)
    return {"seconds": min(times), "times": times, "produced": produced}


def _run_engine(
    name: str,
    model_dir: Path,
    ct2_dir: Path,
    texts: list[str],
    beam: int,
    threads: int,
    batch_tokens: int | None,
    repeat: int = 1,
) -> dict:
    """Our backends, through the product's classes, output length fixed by ``length_policy``."""

    def policy(n: int) -> tuple[int, int]:
        length = target_length(n)
        return length, length + 1

    options = {"threads": threads, "device": "cpu", "length_policy": policy}
    if batch_tokens:
        options["batch_tokens"] = batch_tokens
    if name == "transformers":
        from workbench.mt.marian import MarianEngine

        engine = MarianEngine(model_dir, **options)
    else:
        from workbench.mt.ct2 import CT2Engine

        engine = CT2Engine(model_dir, ct2_dir=ct2_dir, quantization="int8", **options)
    engine.translate(texts[:1], beam=beam)  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        drafts = engine.translate(texts, beam=beam)
        times.append(time.perf_counter() - started)
    return {"seconds": min(times), "times": times, "produced": sum(d.n_tokens for d in drafts)}


def worker(args: argparse.Namespace) -> int:
    """Run one engine × beam and print one JSON line."""
    texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
    model_dir, ct2_dir = Path(args.model), Path(args.ct2)
    if args.worker == "pipeline":
        result = _run_pipeline(model_dir, texts, args.beam, args.threads, args.repeat)
    else:
        result = _run_engine(
            args.worker, model_dir, ct2_dir, texts, args.beam, args.threads, args.batch_tokens, args.repeat
        )
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))
    return 0


# ---------------------------------------------------------------------------------------- driver


def required_tokens(model_dir: Path, texts: list[str]) -> int:
    """``sum(L)`` over the sentences: the target tokens every engine is asked for."""
    from workbench.mt.vocab import MarianVocab

    vocab = MarianVocab(model_dir)
    return sum(target_length(len(vocab.source_ids(t))) for t in texts)


def run_one(
    engine: str,
    beam: int,
    model_dir: Path,
    ct2_dir: Path,
    texts_file: Path,
    threads: int,
    batch_tokens: int | None,
    repeat: int,
) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        engine,
        "--beam",
        str(beam),
        "--threads",
        str(threads),
        "--model",
        str(model_dir),
        "--ct2",
        str(ct2_dir),
        "--texts",
        str(texts_file),
        "--repeat",
        str(repeat),
    ]
    if batch_tokens:
        cmd += ["--batch-tokens", str(batch_tokens)]
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS=str(threads))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"bench worker {engine} beam {beam} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def constrained_ratio(model_dir: Path, threads: int, quick: bool) -> str | None:
    """Run ``bench/bench_constrained.py`` (the constrained search against plain beam search)."""
    script = ROOT / "bench" / "bench_constrained.py"
    if not script.is_file():
        return None
    cmd = [sys.executable, str(script), "--model", str(model_dir), "--threads", str(threads)]
    if quick:
        cmd.append("--quick")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    match = re.search(r"^ratio constrained_vs_unconstrained_beam4 (\S+)$", proc.stdout, re.M)
    if proc.returncode != 0 or match is None:
        print(
            f"bench_constrained.py failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}",
            file=sys.stderr,
        )
        return None
    return match.group(1)


def glossary_fast(model_dir: Path, threads: int, quick: bool) -> list[str]:
    """Run ``bench/bench_glossary_fast.py`` (CTranslate2 with vs without the glossary) and return its lines."""
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "bench_glossary_fast.py"),
        "--model",
        str(model_dir),
        "--threads",
        str(threads),
    ]
    if quick:
        cmd.append("--quick")
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false", OMP_NUM_THREADS=str(threads))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(
            f"bench_glossary_fast.py failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}",
            file=sys.stderr,
        )
    return proc.stdout.strip().splitlines()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--worker``, one measurement)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="56 sentences instead of 236 (under 8 minutes on 2 cores)"
    )
    parser.add_argument(
        "--threads", type=int, default=min(2, os.cpu_count() or 1), help="compute threads (default 2)"
    )
    parser.add_argument(
        "--model", type=Path, default=MODEL_DIR, help=f"full proxy directory (default {MODEL_DIR})"
    )
    parser.add_argument("--batch-tokens", type=int, help="our engines' batch budget (default the product's)")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated subset of pipeline,transformers,ct2"
    )
    parser.add_argument("--repeat", type=int, help="time each run N times and keep the fastest (default 1)")
    parser.add_argument("--no-constrained", action="store_true", help="skip bench/bench_constrained.py")
    parser.add_argument("--no-glossary", action="store_true", help="skip bench/bench_glossary_fast.py")
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--beam", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--ct2", default=str(CT2_DIR), help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    repeat = args.repeat or 1

    started = time.monotonic()
    model_dir, ct2_dir = ensure_models(args.model.resolve())
    texts = sentences(args.quick)
    required = required_tokens(model_dir, texts)
    texts_file = ROOT / "bench" / "results" / "texts.json"
    texts_file.parent.mkdir(parents=True, exist_ok=True)
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    load = os.getloadavg()[0]
    print(
        f"# {len(texts)} sentences, {required} target tokens asked for, {args.threads} threads, "
        f"fastest of {repeat} timed run(s) each, load average {load:.2f}"
    )
    print(f"# model {model_dir} (opus-mt-zh-en architecture, random weights), CTranslate2 int8 {ct2_dir}")
    print(
        f"{'engine':<14}{'beam':>5}{'seconds':>10}{'sent/s':>9}{'tok/s':>9}{'peak RSS MB':>13}{'tokens made':>13}"
    )
    results: dict[tuple[str, int], dict] = {}
    engines = [e for e in args.engines.split(",") if e]
    for beam in BEAMS:
        for engine in engines:
            r = run_one(engine, beam, model_dir, ct2_dir, texts_file, args.threads, args.batch_tokens, repeat)
            r["sent_s"] = len(texts) / r["seconds"]
            r["tok_s"] = required / r["seconds"]
            results[(engine, beam)] = r
            print(
                f"{engine:<14}{beam:>5}{r['seconds']:>10.2f}{r['sent_s']:>9.2f}{r['tok_s']:>9.1f}"
                f"{r['peak_rss_mb']:>13.0f}{r['produced']:>13}",
                flush=True,
            )
    print(f"# load average after: {os.getloadavg()[0]:.2f}; elapsed {time.monotonic() - started:.0f} s")
    names = {1: "greedy", 4: "beam4"}
    for ours, label in (("ct2", "ct2"), ("transformers", "transformers")):
        for beam in BEAMS:
            if (ours, beam) in results and ("pipeline", beam) in results:
                ratio = results[(ours, beam)]["tok_s"] / results[("pipeline", beam)]["tok_s"]
                print(f"ratio {label}_vs_pipeline_{names[beam]} {ratio:.2f}")
    if not args.no_constrained:
        value = constrained_ratio(model_dir, args.threads, args.quick)
        if value is not None:
            print(f"ratio constrained_vs_unconstrained_beam4 {value}")
    if not args.no_glossary:
        print("# glossary on the fast engine (bench/bench_glossary_fast.py):")
        for line in glossary_fast(model_dir, args.threads, args.quick):
            print(
                line
                if line.startswith(("ratio ", "terms_satisfied ", "logprob_per_token ", "#"))
                else f"#   {line}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
