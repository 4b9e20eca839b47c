"""The text layer of a PDF as lines in reading order, with what fonts and positions tell.

Run as ``python -m workbench.formats.pdf_layout FILE`` by ``workbench.formats.pdf`` in a child
process with a memory limit and a timeout, so a hostile file (a loop in its object graph, a
decompression bomb) costs at most that; it prints one JSON object: ``{"lines": [...], "hints":
{...}, "pages": N}`` or ``{"error": "..."}``.

Reading order (pdfminer.six gives positioned text lines): a recursive XY cut. A page is cut
where a horizontal strip wider than a line's leading holds no text (the band under a headline,
the gap around a photo), then where a vertical strip holds no text (the gutters between
columns), and again within each part; the parts are read top to bottom, left to right. Within
a column, a line that starts clearly right of the column's left edge begins with two
full-width spaces (the first-line indent, kept for the paragraph rules), and a vertical gap of
more than a line becomes a blank line.

Hints for the paragraph rules, by line number: type 25% larger than the body's is a
``heading``, clearly smaller type is a ``caption``, and a lone line in the top or bottom 8% of
the page is a running ``header`` or a ``footer`` (page numbers).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # bytes of address space for the child
MAX_PAGES = 5000
FURNITURE_BAND = 0.08


@dataclass
class TextLine:
    """A line of text on a page, in PDF coordinates (y grows upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    text: str


def _pieces(line: Any) -> list[TextLine]:
    """A pdfminer line cut where its characters are far apart (two columns read as one line)."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    out: list[TextLine] = []
    run: list[Any] = []
    for ch in chars:
        if run and ch.x0 - run[-1].x1 > 0.6 * max(ch.size, run[-1].size):
            out.append(_line_of(run))
            run = []
        run.append(ch)
    if run:
        out.append(_line_of(run))
    return [ln for ln in out if ln.text]


def _line_of(chars: list[Any]) -> TextLine:
    sizes = sorted(c.size for c in chars)
    text = " ".join("".join(c.get_text() for c in chars).split())
    return TextLine(
        min(c.x0 for c in chars),
        min(c.y0 for c in chars),
        max(c.x1 for c in chars),
        max(c.y1 for c in chars),
        sizes[len(sizes) // 2],
        text,
    )


def _lines(layout_page: Any) -> list[TextLine]:
    from pdfminer.layout import LTTextContainer, LTTextLineHorizontal

    out: list[TextLine] = []

    def visit(obj: Any) -> None:
        if isinstance(obj, LTTextLineHorizontal):
            out.extend(_pieces(obj))
        elif isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            for child in obj:
                visit(child)

    for obj in layout_page:
        visit(obj)
    return out


def _split(lines: list[TextLine], axis: str, min_gap: float) -> list[list[TextLine]]:
    """Groups of lines separated by an empty strip at least ``min_gap`` wide along ``axis``."""
    # Each line as a (start, end) span in reading order: top to bottom along y (PDF y grows upwards),
    # left to right along x.
    spans = [(-ln.y1, -ln.y0, ln) if axis == "y" else (ln.x0, ln.x1, ln) for ln in lines]
    spans.sort(key=lambda t: t[0])
    groups: list[list[TextLine]] = []
    reach = 0.0
    for start, end, ln in spans:
        if not groups or start - reach >= min_gap:
            groups.append([ln])
            reach = end
        else:
            groups[-1].append(ln)
            reach = max(reach, end)
    return groups


def reading_order(lines: list[TextLine], body: float, depth: int = 0) -> list[list[TextLine]]:
    """Blocks of lines in reading order (recursive XY cut), each block top to bottom."""
    if len(lines) <= 1 or depth > 40:
        return [sorted(lines, key=lambda ln: -ln.y1)]
    bands = _split(lines, "y", 1.2 * body)
    if len(bands) > 1:
        return [blk for band in bands for blk in reading_order(band, body, depth + 1)]
    cols = _split(lines, "x", 0.8 * body)
    if len(cols) > 1:
        return [blk for col in cols for blk in reading_order(col, body, depth + 1)]
    return [sorted(lines, key=lambda ln: -ln.y1)]


def _furniture(ln: TextLine, page_h: float, others: list[TextLine], body: float) -> str | None:
    """``header``/``footer`` for a lone short line near the top or bottom edge of the page."""
    if len(ln.text) > 60 or ln.size > 1.1 * body:
        return None
    near = [o for o in others if o is not ln and abs(o.y1 - ln.y1) < 0.5 * ln.size]
    if near:
        return None
    if ln.y0 >= page_h * (1 - FURNITURE_BAND):
        return "header"
    if ln.y1 <= page_h * FURNITURE_BAND:
        return "footer"
    return None


def layout(path: str) -> dict[str, Any]:
    """Extract the text lines of ``path`` in reading order with hints (see the module docstring)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    encrypted = {"error": "refused: the PDF is encrypted; decrypt it first (for example with qpdf --decrypt)"}
    with open(path, "rb") as fh:
        try:
            doc = PDFDocument(PDFParser(fh))
        except (PDFPasswordIncorrect, PDFEncryptionError):
            return encrypted
        if doc.encryption is not None:
            return encrypted
    pages = []
    for page in extract_pages(path, laparams=LAParams(char_margin=1.0, line_margin=0.3), maxpages=MAX_PAGES):
        pages.append((page.height, _lines(page)))
    weights: Counter[float] = Counter()
    for _, lines in pages:
        for ln in lines:
            weights[round(ln.size, 1)] += len(ln.text)
    if not weights:
        return {"pages": len(pages), "lines": [], "hints": {}}
    body = weights.most_common(1)[0][0]
    out: list[str] = []
    hints: dict[int, str] = {}
    for page_h, lines in pages:
        if out:
            out.append("")
        for block in reading_order(lines, body):
            left = min(ln.x0 for ln in block)
            prev = None
            for ln in block:
                if prev is not None and prev.y0 - ln.y1 > 0.9 * body:
                    out.append("")
                indent = "\u3000\u3000" if ln.x0 - left >= 1.5 * ln.size else ""
                out.append(indent + ln.text)
                kind = _furniture(ln, page_h, lines, body)
                if kind is None and ln.size >= 1.25 * body:
                    kind = "heading"
                elif kind is None and ln.size <= 0.88 * body:
                    kind = "caption"
                if kind is not None:
                    hints[len(out)] = kind
                prev = ln
    return {"pages": len(pages), "lines": out, "hints": hints}


def _die_with_parent(parent: int) -> None:
    """Be killed when the parent dies (Linux ``PR_SET_PDEATHSIG``), so a killed ``workbench segment``
    leaves no parser running; exit at once when the parent is already gone."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if parent and os.getppid() != parent:
        raise SystemExit(1)


def main(argv: list[str]) -> int:
    """Child-process entry: print the JSON layout of ``argv[0]`` (``argv[1]``: the parent's pid)."""
    _die_with_parent(int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 0)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    sys.setrecursionlimit(5000)
    try:
        result = layout(argv[0])
    except MemoryError:
        result = {"error": "refused: reading it needs more than 2 GiB of memory"}
    except RecursionError:
        result = {"error": "refused: its object structure is nested too deeply (a loop?)"}
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        result = {"error": f"cannot read this PDF ({type(exc).__name__}: {str(exc)[:200]})"}
    sys.stdout.write(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
