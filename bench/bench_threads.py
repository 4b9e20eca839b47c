"""Thread count under contention: one long segment with a busy loop beside it, all cores vs fewer threads.

The default compute thread count must not collapse when another process keeps one core busy (a
browser tab, a second workbench, a build). Each configuration runs in its own subprocess: the engine
is loaded with ``--threads N`` (or the product's default), warmed up on a short segment, then one long
segment (about 300 source tokens, no sentence end inside) is drafted at beam 4 with a fixed output
length, once on idle cores and once while a pure-Python busy loop runs in another process. Prints
seconds per configuration and ``ratio`` lines (busy / idle, and each configuration against the
default).

Usage: ``.venv/bin/python bench/bench_threads.py [--model DIR] [--engine transformers|ctranslate2]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
LENGTH_RATIO = 1.3
BUSY_LOOP = "while True:\n    pass\n"


def long_segment(chars: int = 400) -> str:
    """About ``chars`` Chinese characters of the seed page as one segment (sentence ends made commas)."""
    text = "".join(SEED.read_text(encoding="utf-8").split())
    for mark in "。！？；":
        text = text.replace(mark, "，")
    return text[:chars] + "。"


def worker(args: argparse.Namespace) -> int:
    """Load the engine, warm up, draft the long segment once; print one JSON line."""
    from workbench.mt.registry import load_engine

    def policy(n: int) -> tuple[int, int]:
        length = max(1, round(LENGTH_RATIO * n))
        return length, length + 1

    threads = None if args.threads == "default" else int(args.threads)
    engine = load_engine(args.engine, args.model, device="cpu", threads=threads, length_policy=policy)
    text = long_segment(args.chars)
    engine.translate([text[:40]], beam=args.beam)  # warm-up
    busy = subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) if args.busy else None
    try:
        if busy is not None:
            time.sleep(0.5)  # let the loop get its core
        started = time.perf_counter()
        draft = engine.translate([text], beam=args.beam)[0]
        seconds = time.perf_counter() - started
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    print(json.dumps({"seconds": seconds, "tokens": draft.n_tokens}))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=ROOT / "models" / "proxy-full")
    ap.add_argument("--engine", choices=("transformers", "ctranslate2"), default="transformers")
    ap.add_argument("--beam", type=int, default=4)
    ap.add_argument("--chars", type=int, default=400)
    ap.add_argument(
        "--threads", nargs="+", default=None, help="configurations (default: default 1 and all cores)"
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--busy", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        args.threads = args.threads[0]
        return worker(args)
    if not (args.model / "model.safetensors").is_file():
        from bench.proxy_model import build_model

        print(f"building the full proxy model in {args.model} …", file=sys.stderr, flush=True)
        build_model("full", args.model)
    cores = len(os.sched_getaffinity(0))
    configs = args.threads or ["default", "1", str(cores)]
    print(f"{cores} cores, engine {args.engine}, beam {args.beam}, one segment of {args.chars} characters")
    results: dict[tuple[str, bool], float] = {}
    for config in configs:
        for busy in (False, True):
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                "--model",
                str(args.model),
                "--engine",
                args.engine,
                "--beam",
                str(args.beam),
                "--chars",
                str(args.chars),
                "--threads",
                config,
            ] + (["--busy"] if busy else [])
            proc = subprocess.run(
                cmd, capture_output=True, text=True, env=dict(os.environ, TOKENIZERS_PARALLELISM="false")
            )
            if proc.returncode:
                print(proc.stderr[-2000:], file=sys.stderr)
                return 1
            out = json.loads(proc.stdout.strip().splitlines()[-1])
            results[(config, busy)] = out["seconds"]
            print(
                f"threads {config:>7} {'busy core' if busy else 'idle':>9}: {out['seconds']:6.1f} s ({out['tokens']} tokens)",
                flush=True,
            )
    for config in configs:
        print(
            f"ratio busy_over_idle_threads_{config} {results[(config, True)] / results[(config, False)]:.2f}"
        )
    if "default" in configs:
        for config in configs:
            if config != "default":
                for busy in (False, True):
                    label = "busy" if busy else "idle"
                    print(
                        f"ratio threads_{config}_over_default_{label} "
                        f"{results[(config, busy)] / results[('default', busy)]:.2f}"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
