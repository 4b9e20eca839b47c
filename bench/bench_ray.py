"""Ray executor throughput: segments/s with 1 and 2 workers, and against the local executor.

    python bench/bench_ray.py [--model models/proxy-full] [--engine ctranslate2] [--beam 1] [--docs 8]

Builds the full proxy (opus-mt-zh-en's architecture, random weights) under git-ignored ``models/`` if it is
missing and converts it for CTranslate2 once. The documents are the seed page's segments and FLORES-200
devtest sentences, one sentence per paragraph, dealt into ``--docs`` files. Each configuration runs
``workbench.jobs.translate.translate_files`` in a fresh process (a fresh local Ray instance for Ray):

- ``local_2t``: the local executor with 2 threads;
- ``local_1t``: the local executor with 1 thread (like with like for ``ray_1x1``: the overhead of Ray);
- ``ray_1x1``: Ray, 1 worker of 1 thread;
- ``ray_2x1``: Ray, 2 workers of 1 thread each.

The drafting rate is the segments of every unit after the first divided by the time from the first
unit's arrival at the driver to the last one's (start-up and model loading left out; they are in the
wall time printed beside it). Prints a table, then ``ratio ray_2_vs_1_workers VALUE`` (target
≥ 1.6 on 2 cores) and ``ratio ray_vs_local VALUE`` (Ray 2×1 against local with 2 threads; target ≥ 0.85).
The machine's load average is printed with each run: on a shared machine, read the numbers with it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODEL_DIR = ROOT / "models" / "proxy-full"
CONFIGS = {
    "local_2t": ("local", 1, 2),
    "local_1t": ("local", 1, 1),
    "ray_1x1": ("ray", 1, 1),
    "ray_2x1": ("ray", 2, 1),
}


def write_documents(folder: Path, n_docs: int, limit: int | None) -> int:
    """Deal the bench sentences into ``n_docs`` files, one sentence per paragraph; returns the count."""
    from bench.run import sentences

    texts = sentences(quick=False)[:limit] if limit else sentences(quick=False)
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(n_docs):
        body = "\n\n".join(texts[k::n_docs])
        (folder / f"doc{k:02d}.txt").write_text(body + "\n", encoding="utf-8")
    return len(texts)


def worker(args: argparse.Namespace) -> int:
    """One configuration, in this process; prints one JSON line."""
    from workbench.jobs.batch import BatchDriver
    from workbench.jobs.engines import EngineOptions
    from workbench.jobs.executors import ExecutorKind, RayOptions
    from workbench.jobs.translate import TranslateSettings, translate_files

    kind, workers, threads = CONFIGS[args.worker]
    # The driver's clock: when each unit's drafts reach it (the same definition for both executors).
    units: list[tuple[float, int]] = []
    unit_done = BatchDriver.unit_done

    def timed_unit_done(self, output, indices, drafts):
        units.append((time.perf_counter(), len(indices)))
        return unit_done(self, output, indices, drafts)

    BatchDriver.unit_done = timed_unit_done

    @contextlib.contextmanager
    def no_progress():
        yield None

    settings = TranslateSettings(
        files=[str(args.docs_dir)],
        out=Path(args.out),
        beam=args.beam,
        unit_size=args.batch_size,
        engine=EngineOptions(args.engine, str(args.model), "cpu", threads if kind == "local" else None),
        quiet=True,
        executor=ExecutorKind(kind),
        ray=RayOptions(None, workers, threads),
    )
    started = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        code = translate_files(settings, no_progress)
    wall = time.perf_counter() - started
    t0, t1 = units[0][0], units[-1][0]
    after_first = sum(n for _, n in units[1:])
    print(json.dumps({"code": code, "segments": sum(n for _, n in units), "units": len(units), "wall": wall,
                      "rate": after_first / (t1 - t0) if t1 > t0 else 0.0, "window": t1 - t0}))  # fmt: skip
    return 0


def run_config(name: str, args: argparse.Namespace, docs: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"bench-ray-{name}-"))
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "--worker", name, "--docs-dir", str(docs), "--out", str(out),
        "--model", str(args.model), "--engine", args.engine, "--beam", str(args.beam), "--unit-size", str(args.batch_size),
    ]  # fmt: skip
    load_before = os.getloadavg()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    )
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load_before"] = load_before
    result["load_after"] = os.getloadavg()
    subprocess.run(["rm", "-rf", str(out)], check=False)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--worker``, one configuration)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", type=Path, default=MODEL_DIR, help=f"full proxy directory (default {MODEL_DIR})"
    )
    parser.add_argument("--engine", default="ctranslate2", choices=("ctranslate2", "transformers"))
    parser.add_argument("--beam", type=int, default=1, help="beam size (default 1)")
    parser.add_argument("--batch-size", type=int, default=8, help="segments per unit (default 8)")
    parser.add_argument(
        "--docs", type=int, default=8, help="documents to deal the sentences into (default 8)"
    )
    parser.add_argument(
        "--limit", type=int, default=128, help="use the first N sentences (default 128; 0: all 236)"
    )
    parser.add_argument(
        "--configs", default=",".join(CONFIGS), help="comma-separated subset of " + ",".join(CONFIGS)
    )
    parser.add_argument("--worker", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--docs-dir", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    model = args.model.resolve()
    if not (model / "model.safetensors").is_file():
        from bench.proxy_model import build_model

        print(f"building the full proxy model in {model} …", file=sys.stderr, flush=True)
        build_model("full", model)
    args.model = model
    if args.engine == "ctranslate2":
        from workbench.mt.ct2 import convert_model

        convert_model(model, "int8")  # once, into the cache every worker reads
    docs = Path(tempfile.mkdtemp(prefix="bench-ray-docs-"))
    n = write_documents(docs, args.docs, args.limit)
    print(f"# {n} sentences in {args.docs} documents, engine {args.engine}, beam {args.beam}, "
          f"{args.batch_size} segments per unit, {os.cpu_count()} cores, model {model}")  # fmt: skip
    print(
        f"{'config':<10}{'segments':>9}{'units':>6}{'seg/s':>9}{'window s':>10}{'wall s':>9}   load average before -> after"
    )
    results = {}
    for name in [c for c in args.configs.split(",") if c]:
        r = results[name] = run_config(name, args, docs)
        before = " ".join(f"{x:.2f}" for x in r["load_before"])
        after = " ".join(f"{x:.2f}" for x in r["load_after"])
        print(f"{name:<10}{r['segments']:>9}{r['units']:>6}{r['rate']:>9.2f}{r['window']:>10.1f}{r['wall']:>9.1f}   {before} -> {after}",
              flush=True)  # fmt: skip
    subprocess.run(["rm", "-rf", str(docs)], check=False)
    if "ray_2x1" in results and "ray_1x1" in results:
        print(f"ratio ray_2_vs_1_workers {results['ray_2x1']['rate'] / results['ray_1x1']['rate']:.2f}")
    if "ray_2x1" in results and "local_2t" in results:
        print(f"ratio ray_vs_local {results['ray_2x1']['rate'] / results['local_2t']['rate']:.2f}")
    if "ray_1x1" in results and "local_1t" in results:
        print(f"ratio ray_1x1_vs_local_1t {results['ray_1x1']['rate'] / results['local_1t']['rate']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
