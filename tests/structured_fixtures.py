"""Structured documents built from real sentences, and the layouts they arrive in.

A document is a law, a national standard or a work report whose running text is FLORES-200
``zho_Hans.devtest`` sentences, grouped under generated structure: a title, an adoption note,
``第一章`` chapters and ``第一条`` articles with unnumbered further paragraphs (款) and
``（一）…；`` items, ``1 范围`` / ``3.1 术语 term`` clauses with ``注：`` notes, ``表1`` captions and
``附录A``, ``一、`` / ``（一）`` headings with body paragraphs and ``1.`` / ``•`` list items.

The same document is then laid out the ways translators receive text (``LAYOUTS``): clean text
with one paragraph per line or per blank-line block; hard-wrapped at 16-64 cells with and
without blank lines between paragraphs and with and without the first-line indent that text
extraction shortens to a short line; with column breaks (a blank line every few lines, even
mid-sentence); and as OCR'd pages with a running header and a page number around every page.
The true paragraph starts are known, so boundary precision and recall can be measured.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from tests.paragraph_fixtures import wrap

_CN_DIGITS = "零一二三四五六七八九"
_NON_CJK = re.compile(r"[^\u4e00-\u9fff]")
_FINAL = re.compile(r"[。！？]”?$")


def cn_number(n: int) -> str:
    """``12`` -> ``十二``, for 1-99."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass
class Para:
    """One true paragraph of a generated document.

    Attributes:
        text: The paragraph text.
        role: ``title``, ``note``, ``heading``, ``article``, ``body``, ``item``, ``caption``,
            ``header`` or ``footer`` (what a typesetter needs to know).
    """

    text: str
    role: str


@dataclass
class Rendered:
    """A document laid out as text, with its true paragraph starts."""

    text: str
    starts: set[int]
    paragraphs: list[Para] = field(default_factory=list)
    layout: str = ""


class Writer:
    """Draws sentences in order from a random place and makes structure around them."""

    def __init__(self, rng: random.Random, sentences: list[str]) -> None:
        self.rng = rng
        self.sentences = sentences
        self.i = rng.randrange(len(sentences))

    def sentence(self) -> str:
        s = self.sentences[self.i % len(self.sentences)]
        self.i += 1
        return s

    def body(self, lo: int = 1, hi: int = 4) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def phrase(self, lo: int = 4, hi: int = 12) -> str:
        """A short title: CJK characters only, taken from a sentence."""
        chars = _NON_CJK.sub("", self.sentence())
        n = self.rng.randint(lo, hi)
        start = self.rng.randrange(max(1, len(chars) - n))
        return chars[start : start + n] or "总则"

    def clause(self) -> str:
        """One sentence with its final mark replaced by ；, for a list item."""
        return _FINAL.sub("；", self.sentence())

    def items(self, out: list[Para], marks: list[str]) -> None:
        for k, mark in enumerate(marks):
            text = self.clause() if k + 1 < len(marks) else self.sentence()
            out.append(Para(f"{mark}{text}", "item"))

    def law(self) -> list[Para]:
        rng = self.rng
        out = [Para(self.phrase(6, 14) + rng.choice(["条例", "办法", "规定", "法"]), "title")]
        y, m, d = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)
        out.append(
            Para(
                f"（{y}年{m}月{d}日第{cn_number(rng.randint(8, 14))}届全国人民代表大会常务委员会"
                f"第{cn_number(rng.randint(1, 30))}次会议通过）",
                "note",
            )
        )
        article = 1
        for ch in range(1, rng.randint(2, 5)):
            title = "总　　则" if ch == 1 else self.phrase(4, 10)
            out.append(Para(f"第{cn_number(ch)}章　{title}", "heading"))
            for _ in range(rng.randint(2, 5)):
                head = f"第{cn_number(article)}条　"
                article += 1
                if rng.random() < 0.3:
                    lead = _FINAL.sub("：", self.body(1, 2))
                    out.append(Para(head + lead, "article"))
                    self.items(out, [f"（{cn_number(k)}）" for k in range(1, rng.randint(3, 6))])
                else:
                    out.append(Para(head + self.body(1, 3), "article"))
                for _ in range(rng.choice([0, 0, 1, 2])):
                    out.append(Para(self.body(1, 3), "body"))
        return out

    def standard(self) -> list[Para]:
        rng = self.rng
        out = [Para(self.phrase(6, 14) + rng.choice(["技术规范", "通用要求", "评价指南"]), "title")]
        for top in range(1, rng.randint(3, 6)):
            out.append(Para(f"{top}　{self.phrase(2, 8)}", "heading"))
            for _ in range(rng.randint(0, 2)):
                out.append(Para(self.body(1, 3), "body"))
            for sub in range(1, rng.randint(1, 4)):
                word = rng.choice(["character", "code point", "encoding", "glyph", "layout", "segment"])
                out.append(Para(f"{top}.{sub}　{self.phrase(2, 8)} {word}", "heading"))
                out.append(Para(self.body(1, 3), "body"))
                if rng.random() < 0.3:
                    out.append(Para("注：" + self.body(1, 1), "body"))
                if rng.random() < 0.2:
                    out.append(Para(f"表{top}　{self.phrase(4, 12)}", "caption"))
        out.append(Para("附录A", "heading"))
        out.append(Para(self.body(1, 3), "body"))
        return out

    def report(self) -> list[Para]:
        rng = self.rng
        out = [Para("关于" + self.phrase(6, 14) + "的" + rng.choice(["报告", "通知", "意见"]), "title")]
        out.append(Para(self.body(1, 3), "body"))
        for top in range(1, rng.randint(3, 6)):
            out.append(Para(f"{cn_number(top)}、{self.phrase(4, 12)}", "heading"))
            for sub in range(1, rng.randint(1, 4)):
                if rng.random() < 0.5:
                    out.append(Para(f"（{cn_number(sub)}）{self.phrase(4, 12)}", "heading"))
                for _ in range(rng.randint(1, 3)):
                    out.append(Para(self.body(1, 4), "body"))
                if rng.random() < 0.3:
                    marks = [f"{k}. " for k in range(1, rng.randint(3, 6))]
                    if rng.random() < 0.4:
                        marks = ["• "] * len(marks)
                    self.items(out, marks)
        return out


def make_document(rng: random.Random, sentences: list[str], style: str | None = None) -> list[Para]:
    """A random law, standard or report (``style`` picks one) made of real sentences."""
    writer = Writer(rng, sentences)
    style = style or rng.choice(["law", "standard", "report"])
    return getattr(writer, style)()


# --- layouts --------------------------------------------------------------------------------

_FLUSH = {"title", "heading", "caption", "note", "header", "footer"}


def _render_lines(paragraphs: list[Para], *, width: int | None, blank: bool, indent: bool) -> Rendered:
    """Each paragraph on its own line(s): wrapped at ``width`` cells when given."""
    out: list[str] = []
    starts: set[int] = set()
    for n, para in enumerate(paragraphs):
        if n and blank:
            out.append("")
        if width is None:
            lines = [para.text]
        else:
            lines = wrap(para.text, width, 4 if indent and para.role not in _FLUSH else 0)
        starts.add(len(out) + 1)
        out.extend(lines)
    return Rendered("\n".join(out) + "\n", starts, paragraphs)


def _with_column_breaks(r: Rendered, rng: random.Random, column: int) -> Rendered:
    """Insert a blank line every ``column`` text lines, wherever it falls."""
    out: list[str] = []
    starts: set[int] = set()
    since = 0
    for no, line in enumerate(r.text.rstrip("\n").split("\n"), start=1):
        if line and since >= column:
            if out and out[-1] != "":
                out.append("")
            since = 0
        out.append(line)
        since += bool(line)
        if no in r.starts:
            starts.add(len(out))
    return Rendered("\n".join(out) + "\n", starts, r.paragraphs)


def _as_pages(r: Rendered, rng: random.Random, page_lines: int) -> Rendered:
    """OCR'd pages: a running header and a page number around every ``page_lines`` text lines."""
    header = rng.choice(
        ["GB/T 3{n}—2023", "XX市人民政府公报  2023年第{n}期", "中国妇女报  2023年12月13日  星期三"]
    )
    header = header.format(n=rng.randint(10, 99))
    footer = rng.choice(["— {p} —", "- {p} -", "第{p}页", "{p}"])
    lines = r.text.rstrip("\n").split("\n")
    out: list[str] = []
    starts: set[int] = set()
    page = 0

    def furniture(text: str) -> None:
        out.append(text)
        starts.add(len(out))

    since = page_lines
    for no, line in enumerate(lines, start=1):
        if since >= page_lines and line:
            if page:
                furniture(footer.format(p=page))
                out.append("")
            page += 1
            furniture(header)
            since = 0
        out.append(line)
        since += bool(line)
        if no in r.starts:
            starts.add(len(out))
    furniture(footer.format(p=page))
    return Rendered("\n".join(out) + "\n", starts, r.paragraphs)


#: Layout name -> how it is made (``random.Random``, paragraphs) -> Rendered.
LAYOUTS = {
    "blank-line blocks": lambda rng, ps: _render_lines(ps, width=None, blank=True, indent=False),
    "one paragraph per line": lambda rng, ps: _render_lines(ps, width=None, blank=False, indent=False),
    "wrapped, blank lines and indent": lambda rng, ps: _render_lines(
        ps, width=rng.randint(16, 64), blank=True, indent=True
    ),
    "wrapped, blank lines, no indent": lambda rng, ps: _render_lines(
        ps, width=rng.randint(16, 64), blank=True, indent=False
    ),
    "wrapped, indent, no blank lines": lambda rng, ps: _render_lines(
        ps, width=rng.randint(16, 64), blank=False, indent=True
    ),
    "wrapped, neither blank lines nor indent": lambda rng, ps: _render_lines(
        ps, width=rng.randint(16, 64), blank=False, indent=False
    ),
    "column breaks": lambda rng, ps: _with_column_breaks(
        _render_lines(ps, width=rng.randint(16, 64), blank=rng.random() < 0.5, indent=True),
        rng,
        rng.randint(6, 40),
    ),
    "OCR pages with running headers": lambda rng, ps: _as_pages(
        _render_lines(ps, width=rng.randint(16, 64), blank=rng.random() < 0.5, indent=True),
        rng,
        rng.randint(15, 40),
    ),
}


def render(rng: random.Random, paragraphs: list[Para], layout: str) -> Rendered:
    """Lay ``paragraphs`` out as ``layout`` (a key of ``LAYOUTS``)."""
    r = LAYOUTS[layout](rng, paragraphs)
    r.layout = layout
    return r
