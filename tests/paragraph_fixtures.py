"""Re-wrapped pages with known paragraph starts, and boundary F1 against them.

Real paragraphs (FLORES-200 ``zho_Hans.devtest`` sentences, as the package ships them, grouped 1-5 per
paragraph) are typeset the way a PDF page is: wrapped at a random column width in display cells, with
punctuation allowed to hang past the margin, Latin words kept whole, optionally the two-character
first-line indent that text extraction later drops, column breaks (a blank line every H lines, even
mid-sentence), and with or without blank lines between paragraphs (a page without blank lines always has
the indent: that is how the reader sees its paragraphs). The rebuilt paragraph starts are compared with
the true ones.

The tests check the F1 on small samples; ``bench/bench_paragraphs.py`` prints it on larger ones.
"""

from __future__ import annotations

import gzip
import random
import re
from dataclasses import dataclass
from pathlib import Path

from tests.source_fixtures import FLORES

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
    """Micro-averaged counts per layout over ``docs`` structured documents each (``tests/structured_fixtures.py``).

    Every layout sees the same documents (laws, standards, reports made of FLORES sentences).
    """
    from tests.structured_fixtures import LAYOUTS, make_document, render

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
