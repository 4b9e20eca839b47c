"""Paragraph reconstruction benchmark: boundary F1 on re-wrapped real text, and a 20 MB file.

Structured documents (``tests/structured_fixtures.py``: laws, standards and reports whose text is
FLORES sentences under generated structure) are laid out eight ways, from clean text to OCR'd
pages with running headers, and the boundary F1 of each layout is printed; so is the F1 of
generated multi-column newspaper PDFs (``tests/pdf_fixtures.py``) read back through the PDF reader.

Real paragraphs are typeset as re-wrapped pages and the rebuilt paragraph starts compared with the true
ones. The documents, the pages and the scoring are the tests' fixtures (``tests/paragraph_fixtures.py``,
``tests/structured_fixtures.py``, ``tests/pdf_fixtures.py``): the tests check the same figures on smaller
samples.

Usage::

    .venv/bin/python bench/bench_paragraphs.py [--docs 200] [--pdfs 20] [--cases 400] [--seed 1] [--big-mb 20]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.paragraph_fixtures import f1, load_sentences, run_f1, run_structured  # noqa: E402
from tests.source_fixtures import FLORES  # noqa: E402

SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"


def run_pdf(n: int, seed: int) -> tuple[int, int, int, int]:
    """Boundary counts over ``n`` generated two-page newspaper PDFs (``tests/pdf_fixtures.py``) read back.

    Returns:
        (true positives, false positives, false negatives, PDFs whose text came back out of order).
    """
    from tests.pdf_fixtures import boundary_counts, fitting_pages
    from workbench.formats.pdf import read_pdf

    sentences = load_sentences()
    t = [0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.pdf"
        for k in range(n):
            pages = fitting_pages(random.Random(seed * 1000 + k), sentences, 2, path)
            tp, fp, fn, same = boundary_counts(pages, read_pdf(path))
            t = [t[0] + tp, t[1] + fp, t[2] + fn, t[3] + (not same)]
    return t[0], t[1], t[2], t[3]


def run_big(megabytes: int) -> tuple[float, float, float, int]:
    """Segment a file of ``megabytes`` MB (the seed page repeated) with the real CLI.

    Returns:
        (wall seconds, CPU seconds and peak RSS in MiB of the child process, bytes of jsonl output).
    """
    page = SEED.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        big.write_bytes(page * (megabytes * 1024 * 1024 // len(page) + 1))
        out = Path(tmp) / "out.jsonl"
        t0 = time.perf_counter()
        with out.open("wb") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "workbench", "segment", str(big), "--format", "jsonl"],
                stdout=fh,
                cwd=ROOT,
            )
            # This child's own usage (other children of this process, the PDF readers, are not counted).
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        secs = time.perf_counter() - t0
        if proc.returncode:
            raise RuntimeError(f"workbench segment exited {proc.returncode}")
        return secs, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=400, help="random news-like pages (0 to skip)")
    ap.add_argument("--docs", type=int, default=200, help="structured documents per layout (0 to skip)")
    ap.add_argument("--pdfs", type=int, default=20, help="generated 2-4 column PDFs of two pages (0 to skip)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big-mb", type=int, default=20, help="size of the big-file run (0 to skip)")
    args = ap.parse_args()
    if not FLORES.is_file():
        print(f"FLORES data not found at {FLORES}", file=sys.stderr)
        return 2
    if args.docs:
        t0 = time.perf_counter()
        res = run_structured(args.docs, args.seed)
        print(
            f"paragraph-boundary F1 over {args.docs} structured documents per layout (laws, standards, reports "
            f"made of FLORES sentences; seed {args.seed}), {time.perf_counter() - t0:.1f} s"
        )
        for key, (tp, fp, fn) in res.items():
            p, r, f = f1(tp, fp, fn)
            print(f"  {key:40s} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  (tp {tp}, fp {fp}, fn {fn})")
    if args.pdfs:
        t0 = time.perf_counter()
        tp, fp, fn, disordered = run_pdf(args.pdfs, args.seed)
        p, r, f = f1(tp, fp, fn)
        print(
            f"multi-column PDFs ({args.pdfs} of two pages, 2-4 columns, headline, caption, running header; "
            f"{time.perf_counter() - t0:.1f} s): precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  "
            f"(tp {tp}, fp {fp}, fn {fn}; {disordered} read out of order)"
        )
    if args.cases:
        t0 = time.perf_counter()
        res = run_f1(args.cases, args.seed)
        print(
            f"paragraph-boundary F1 over {args.cases} random pages (seed {args.seed}), {time.perf_counter() - t0:.1f} s"
        )
        for key in ("all", "blank lines", "no blank lines", "indent", "no indent"):
            if key in res:
                tp, fp, fn = res[key]
                p, r, f = f1(tp, fp, fn)
                print(
                    f"  {key:15s} precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  (tp {tp}, fp {fp}, fn {fn})"
                )
        tp, fp, fn = run_f1(args.cases // 4, args.seed, blank=False, indent=False)["all"]
        p, r, f = f1(tp, fp, fn)
        print(
            f"  not in the score: {args.cases // 4} pages with neither blank lines nor first-line indents "
            f"(a paragraph whose last line is full cannot be seen): F1 {f:.4f} (precision {p:.4f}, recall {r:.4f})"
        )
    if args.big_mb:
        secs, cpu, peak, size = run_big(args.big_mb)
        print(
            f"{args.big_mb} MB file through `workbench segment --format jsonl`: {secs:.1f} s wall, "
            f"{cpu:.1f} s CPU, peak RSS {peak:.0f} MiB, {size / 1e6:.1f} MB of jsonl"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
