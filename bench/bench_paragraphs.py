"""Paragraph reconstruction benchmark: boundary F1 on re-wrapped real text, and a 20 MB file.

Structured documents (``bench/structured.py``: laws, standards and reports whose text is
FLORES sentences under generated structure) are laid out eight ways, from clean text to OCR'd
pages with running headers, and the boundary F1 of each layout is printed; so is the F1 of
generated multi-column newspaper PDFs (``bench/pdf_pages.py``) read back through the PDF reader.

Real paragraphs (FLORES-200 ``zho_Hans.devtest`` sentences grouped 1-5 per
paragraph) are typeset the way a PDF page is: wrapped at a random column
width in display cells, with punctuation allowed to hang past the margin,
Latin words kept whole, optionally the two-character first-line indent that
text extraction later drops, column breaks (a blank line every H lines, even
mid-sentence), and with or without blank lines between paragraphs (a page
without blank lines always has the indent: that is how the reader sees its
paragraphs). The rebuilt paragraph starts are compared with the true ones.

Usage::

    .venv/bin/python bench/bench_paragraphs.py [--docs 200] [--pdfs 20] [--cases 400] [--seed 1] [--big-mb 20]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLORES = ROOT / "workbench" / "jobs" / "data" / "flores200" / "zho_Hans.devtest.gz"
SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"

_HANG = set("，。、；：？！”’）》」』…")
_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'’-]*")


def load_sentences(path: Path = FLORES) -> list[str]:
    """The FLORES sentences, stripped, empty ones dropped."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [s.strip() for s in data.decode("utf-8").splitlines() if s.strip()]


def _cells(ch: str) -> int:
    from workbench.text.paragraphs import display_width

    return display_width(ch)


def _tokens(text: str) -> list[str]:
    """Characters, except that Latin words and numbers stay whole."""
    out: list[str] = []
    i = 0
    while i < len(text):
        m = _LATIN.match(text, i)
        if m:
            out.append(m.group())
            i = m.end()
        else:
            out.append(text[i])
            i += 1
    return out


def wrap(text: str, width: int, first_indent: int = 0) -> list[str]:
    """Wrap a paragraph at ``width`` display cells like a typesetter.

    Punctuation may hang one cell past the margin; a Latin word that does not
    fit moves to the next line; spaces at a line break disappear.
    """
    lines: list[str] = []
    cur, used, limit = "", 0, width - first_indent
    for tok in _tokens(text):
        w = sum(_cells(c) for c in tok)
        if used + w > limit and cur and not (tok in _HANG and used + w <= limit + 2):
            lines.append(cur.rstrip())
            cur, used, limit = "", 0, width
            if tok == " ":
                continue
        cur += tok
        used += w
    if cur.strip():
        lines.append(cur.rstrip())
    return [ln.lstrip() for ln in lines]


@dataclass
class Case:
    """One synthetic page."""

    text: str
    starts: set[int]  # 1-based line numbers where true paragraphs start
    paragraphs: list[str]
    width: int
    indent: bool
    blank: bool
    column: int


def make_case(
    rng: random.Random,
    sentences: list[str],
    *,
    n_paragraphs: int | None = None,
    width: int | None = None,
    indent: bool | None = None,
    blank: bool | None = None,
    column: int | None = None,
) -> Case:
    """Typeset a random run of real paragraphs (see the module docstring)."""
    n_paragraphs = n_paragraphs or rng.randint(3, 12)
    width = width or rng.randint(16, 64)
    blank = rng.random() < 0.5 if blank is None else blank
    if indent is None:
        # A typeset page marks paragraphs with blank lines, a first-line indent, or both.
        indent = True if not blank else rng.random() < 0.5
    column = column or rng.randint(6, 40)
    i = rng.randrange(len(sentences))
    paragraphs = []
    for _ in range(n_paragraphs):
        k = rng.randint(1, 5)
        paragraphs.append("".join(sentences[(i + j) % len(sentences)] for j in range(k)))
        i += k
    out: list[str] = []
    starts: set[int] = set()
    since_break = 0

    def emit(line: str) -> None:
        nonlocal since_break
        if since_break >= column:  # a column ends: blank line, wherever we are
            if out and out[-1] != "":
                out.append("")
            since_break = 0
        out.append(line)
        since_break += 1

    for n, para in enumerate(paragraphs):
        if n and blank and out[-1] != "":
            out.append("")
            since_break += 1
        for j, line in enumerate(wrap(para, width, 4 if indent else 0)):
            emit(line)
            if j == 0:
                starts.add(len(out))
    return Case("\n".join(out) + "\n", starts, paragraphs, width, indent, blank, column)


def predicted_starts(text: str) -> set[int]:
    """First input line of every rebuilt paragraph."""
    from workbench.text.paragraphs import rebuild_paragraphs

    return {p.lines[0] for p in rebuild_paragraphs(text)}


def counts(gold: set[int], pred: set[int]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of paragraph starts, first line excluded."""
    first = min(gold | pred) if gold | pred else 0
    g, p = gold - {first}, pred - {first}
    return len(g & p), len(p - g), len(g - p)


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (1.0 when there is nothing to find)."""
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def run_f1(cases: int, seed: int, **layout: bool) -> dict[str, tuple[int, int, int]]:
    """Micro-averaged counts over ``cases`` random pages, overall and per layout.

    Args:
        cases: Number of random pages.
        seed: Random seed (the same seed gives the same pages).
        **layout: Fixed ``blank``/``indent`` choices passed to ``make_case``.
    """
    rng = random.Random(seed)
    sentences = load_sentences()
    totals: dict[str, list[int]] = {}
    for _ in range(cases):
        case = make_case(rng, sentences, **layout)
        c = counts(case.starts, predicted_starts(case.text))
        keys = [
            "all",
            "blank lines" if case.blank else "no blank lines",
            "indent" if case.indent else "no indent",
        ]
        for key in keys:
            t = totals.setdefault(key, [0, 0, 0])
            for k in range(3):
                t[k] += c[k]
    return {k: (v[0], v[1], v[2]) for k, v in totals.items()}


def run_structured(docs: int, seed: int) -> dict[str, tuple[int, int, int]]:
    """Micro-averaged counts per layout over ``docs`` structured documents each (``bench.structured``).

    Every layout sees the same documents (laws, standards, reports made of FLORES sentences).
    """
    from bench.structured import LAYOUTS, make_document, render

    sentences = load_sentences()
    totals: dict[str, list[int]] = {}
    for n, layout in enumerate(LAYOUTS):
        rng = random.Random(seed * 1000 + n)
        docs_rng = random.Random(seed)
        t = totals.setdefault(layout, [0, 0, 0])
        for _ in range(docs):
            r = render(rng, make_document(docs_rng, sentences), layout)
            c = counts(r.starts, predicted_starts(r.text))
            for k in range(3):
                t[k] += c[k]
    return {k: (v[0], v[1], v[2]) for k, v in totals.items()}


def run_pdf(n: int, seed: int) -> tuple[int, int, int, int]:
    """Boundary counts over ``n`` generated two-page newspaper PDFs (``bench.pdf_pages``) read back.

    Returns:
        (true positives, false positives, false negatives, PDFs whose text came back out of order).
    """
    from bench.pdf_pages import boundary_counts, fitting_pages
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
    sys.path.insert(0, str(ROOT))
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
