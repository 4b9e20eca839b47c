"""Newspaper-like PDF pages made with reportlab's built-in CID font STSong-Light.

Each page has a running header (small type, above a rule), a headline across the columns in
large type, 2-4 columns of body text with a two-character first-line indent, paragraphs that
flow from one column into the next (so a column often ends mid-sentence), a photo box with a
caption in small type, and a page number at the foot. The body paragraphs are FLORES-200
sentences, 1-4 to a paragraph; ``Page.paragraphs`` is what the page says, in reading order.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'’-]*|.", re.S)
MARGIN = 42.0
BODY_SIZE = 10.5
LEADING = 15.0
GUTTER = 16.0


@dataclass
class Page:
    """One generated page and its true content."""

    header: str
    headline: str
    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    footer: str = ""
    columns: int = 2


def _wrap(text: str, width: float, size: float, first_indent: float, string_width) -> list[tuple[float, str]]:
    """Break ``text`` into (indent, line) pairs no wider than ``width`` points.

    Punctuation never starts a line: the character before it moves down with it.
    """
    out: list[tuple[float, str]] = []
    cur, indent = "", first_indent
    for tok in _TOKEN.findall(text):
        if cur and string_width(cur + tok, FONT, size) > width - indent:
            carry = ""
            if tok in "，。、；：？！”’）》" and len(cur) > 1:
                cur, carry = cur[:-1], cur[-1]
            out.append((indent, cur.rstrip()))
            cur, indent = carry, 0.0
            tok = tok.lstrip()
        cur += tok
    if cur:
        out.append((indent, cur))
    return out


def make_pages(rng: random.Random, sentences: list[str], n_pages: int = 2) -> list[Page]:
    """Random page contents: header, headline, 4-9 paragraphs, a caption, a page number."""
    pages = []
    i = rng.randrange(len(sentences))
    issue = rng.randint(1, 28)
    for p in range(n_pages):
        paragraphs = []
        for _ in range(rng.randint(4, 9)):
            k = rng.randint(1, 4)
            paragraphs.append("".join(sentences[(i + j) % len(sentences)] for j in range(k)))
            i += k
        headline = "".join(ch for ch in sentences[i % len(sentences)] if "\u4e00" <= ch <= "\u9fff")[:18]
        i += 1
        pages.append(
            Page(
                header=f"中国妇女报  2023年12月{issue}日  星期三  第{p + 3}版",
                headline=headline,
                paragraphs=paragraphs,
                captions=[f"图为活动现场。（新华社记者 {rng.choice(['李明', '王芳', '张伟'])} 摄）"],
                footer=f"— {p + 3} —",
                columns=rng.randint(2, 4),
            )
        )
    return pages


def write_pdf(pages: list[Page], path: Path) -> None:
    """Typeset ``pages`` into a PDF file at ``path``."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    sw = pdfmetrics.stringWidth
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    for page in pages:
        c.setFont(FONT, 8)
        c.drawString(MARGIN, PAGE_H - MARGIN + 6, page.header)
        c.line(MARGIN, PAGE_H - MARGIN + 2, PAGE_W - MARGIN, PAGE_H - MARGIN + 2)
        c.setFont(FONT, 22)
        c.drawCentredString(PAGE_W / 2, PAGE_H - MARGIN - 36, page.headline)
        top = PAGE_H - MARGIN - 70
        bottom = MARGIN + 30
        col_w = (PAGE_W - 2 * MARGIN - (page.columns - 1) * GUTTER) / page.columns
        # The photo and its caption sit at the foot of the last column.
        photo_h = 90.0
        lines = [
            (idx, indent, text)
            for idx, para in enumerate(page.paragraphs)
            for indent, text in _wrap(para, col_w, BODY_SIZE, 2 * BODY_SIZE, sw)
        ]
        col, y = 0, top
        c.setFont(FONT, BODY_SIZE)
        for _idx, indent, text in lines:
            floor = bottom + (photo_h + 30 if col == page.columns - 1 else 0)
            if y < floor:
                col, y = col + 1, top
                if col >= page.columns:
                    raise ValueError("page overflow: fewer paragraphs needed")
            x = MARGIN + col * (col_w + GUTTER)
            c.drawString(x + indent, y, text)
            y -= LEADING
        x = MARGIN + (page.columns - 1) * (col_w + GUTTER)
        c.rect(x, bottom + 24, col_w, photo_h, stroke=1, fill=0)
        c.setFont(FONT, 8)
        for n, (_, text) in enumerate(_wrap(page.captions[0], col_w, 8, 0, sw)):
            c.drawString(x, bottom + 12 - n * 10, text)
        c.setFont(FONT, 9)
        c.drawCentredString(PAGE_W / 2, MARGIN - 10, page.footer)
        c.showPage()
    c.save()


def fitting_pages(rng: random.Random, sentences: list[str], n_pages: int, path: Path) -> list[Page]:
    """Pages whose text fits their columns (fewer paragraphs are drawn until it does), written to ``path``."""
    pages = make_pages(rng, sentences, n_pages)
    for page in pages:
        while True:
            try:
                write_pdf([page], path)
                break
            except ValueError:
                page.paragraphs.pop()
    write_pdf(pages, path)
    return pages


def _letters(s: str) -> str:
    """CJK characters and ASCII letters and digits only: the CID font has no ``·`` or ``ł``."""
    return "".join(ch for ch in s if ch.isalnum() and (ch.isascii() or "\u4e00" <= ch <= "\u9fff"))


def boundary_counts(pages: list[Page], document) -> tuple[int, int, int, bool]:
    """(true positives, false positives, false negatives, same text) of paragraph boundaries.

    The rebuilt paragraphs other than page furniture are compared with each page's headline,
    paragraphs and caption, as offsets in their letters and digits; ``same text`` says whether
    both read the same letters in the same order (the reading order is right).
    """
    gold_texts = [t for p in pages for t in (p.headline, *p.paragraphs, *p.captions)]
    pred_texts = [p.text for p in document.paragraphs if p.kind not in ("header", "footer")]

    def cuts(texts: list[str]) -> set[int]:
        out, pos = set(), 0
        for t in texts[:-1]:
            pos += len(_letters(t))
            out.add(pos)
        return out

    gold, pred = cuts(gold_texts), cuts(pred_texts)
    same = _letters("".join(gold_texts)) == _letters("".join(pred_texts))
    return len(gold & pred), len(pred - gold), len(gold - pred), same
