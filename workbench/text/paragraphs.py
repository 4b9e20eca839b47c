"""Rebuilding paragraphs from hard-wrapped PDF/OCR text.

The input is a page whose lines were cut at the column width, whose columns
are separated by blank lines that may fall inside a sentence, and whose
paragraphs often start without a blank line. The decision between every two
consecutive non-blank lines ``a`` and ``b`` is made by the first rule that
applies; when it breaks, its name is kept as the ``reason`` of the paragraph
that starts at ``b``:

0. Text that was never wrapped (most lines end a sentence, or a line is
   wider than any printed column, 80 characters): a line that ends a
   sentence ends its paragraph.
1. ``a`` or ``b`` is a stand-alone line (byline ``□ 乐丁``, caption
   ``（陈妮雅/摄）``, continuation marker ``（上接1版）``): break.
2. ``b`` is indented more than most lines: break.
3. ``a`` ends with terminal punctuation (。！？…… with optional closing
   quotes or brackets):

   * a blank line follows: break, except on a page whose paragraphs start
     with a (lost) first-line indent when ``b`` fills the column and goes
     on: then the blank line is a column break;
   * ``a`` is clearly shorter than the column (by 3 cells, i.e. 1.5
     characters, more than the 2-character first-line indent that PDF
     extraction drops when ``a`` starts its paragraph): break;
   * ``b`` is clearly shorter than the column and does not end a sentence,
     i.e. ``b`` is the first line of an indented paragraph: break (a
     trailing punctuation mark may hang in the margin, and a Latin word that
     did not fit counts as filling the line);
   * otherwise the line fills the column: join.

4. ``a`` does not end a sentence: join (a wrapped line), also across a blank
   line (a column break), unless the paragraph so far is a heading: short,
   at most three lines, no sentence punctuation inside, quotes balanced, and
   followed by a stand-alone line, by another heading-like line, by text set
   at a clearly different column width, or printed twice (a doubled title
   layer). Without a blank line, a lone title line (heading-like and shorter
   than even an indented line) directly above running text is a heading too.

Widths are display cells (CJK characters count 2, curly quotes 1 as they are
usually squeezed), compared with the local column width: the 70th percentile
of the widths of up to six neighbours on each side (within the same block
when it has three lines or more). Joined lines get no space between them, except one space between
two Latin words or numbers. Each paragraph then gets a kind: the stand-alone
kinds above, ``dateline`` (a leading ``…记者X 发自南昌`` or ``新华社北京12月12日电``,
split off the body), ``heading`` (short, no terminal punctuation) or ``body``.
A heading whose every line is printed twice (``对家暴说对家暴说““不不””``, an
outline layer extracted along with the fill) is undoubled to ``对家暴说“不”``:
that is what a translator must translate.

All steps are linear in the input size.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# --- character classes -----------------------------------------------------------------

_CLOSERS = "”’」』）)]\"'》〉】"
_TERMINAL_RE = re.compile(r"(?:[。！？!?.]|…|⋯)[" + re.escape(_CLOSERS) + r"]*$")
_SENTENCE_PUNCT_RE = re.compile(r"[。！？；!?;]")
_WIDE_RE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6"
    "\u2026\u2014\u2015\u25a0-\u25ff\u3000"
    "\U00020000-\U0003fffd]"
)
_LATIN_END = re.compile(r"[A-Za-z0-9\u00c0-\u024f][,.;:!?%)\]\"']*$")
_LATIN_START = re.compile(r"^[(\[\"'A-Za-z0-9\u00c0-\u024f]")
_FIRST_WORD = re.compile(r"[(\[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,%'’)\]-]*")
_HANGING = set("，。、；：？！”’）」』")

# --- stand-alone lines (simplified and traditional forms) ---------------------------------

_MARKER_RE = re.compile(
    r"^[（(]\s*(?:上接|下转|下轉|转|轉|接|紧接|緊接|续|續|转自|轉自|转接|轉接)\s*第?\s*"
    r"[0-9０-９一二三四五六七八九十]+\s*(?:版|页|頁)[^）)]{0,10}[）)]$"
)
_CAPTION_RE = re.compile(
    r"^[（(][^（）()]{0,40}(?:摄|攝|摄影|攝影|供图|供圖|制图|製圖|绘图|繪圖|绘|繪|图片|圖片|资料图|資料圖|截图|截圖)"
    r"\s*[）)]$"
)
_BYLINE_RE = re.compile(
    r"^(?:[□■◇◆○●◎☆★▲△]\s*\S.{0,40}|"
    r"(?:本报记者|本報記者|本报通讯员|本報通訊員|特约记者|特約記者|记者|記者|通讯员|通訊員|作者)[\s：:].{1,30})$"
)

# --- datelines (split off the start of a body paragraph) --------------------------------

_DATELINE_RES = (
    re.compile(
        r"^(?:新华社|新華社|中新社|本报|本報|人民日报|人民日報|中国妇女报|中國婦女報|中新网|中新網|央视网|央視網|"
        r"人民网|人民網|新华网|新華網)\S{0,12}?\d{1,2}月\d{1,2}日[电電]"
        r"(?:\s*[（(][^）)]{0,40}[）)])?"
    ),
    re.compile(r"^(?:本报讯|本報訊)(?:\s*[（(][^）)]{0,40}[）)])?"),
    re.compile(r"^[^，。、；：\s]{0,30}(?:记者|記者)[^，。、；：]{1,30}?(?:发自|發自)\s*[\u4e00-\u9fff]{2,8}?(?=[\s\d]|$)"),
)

BREAK_SLACK = 3  # cells: a line this much shorter than expected is "clearly short"
INDENT_CELLS = 4  # the two-character first-line indent of Chinese typesetting
UNWRAPPED_CELLS = 160  # wider than any printed column: a line that was never wrapped
UNWRAPPED_SHARE = 0.6  # share of lines ending a sentence above which text is one paragraph per line
WINDOW = 6  # neighbours on each side used for the column width


def display_width(s: str) -> int:
    """Display cells of a string: CJK characters and full-width punctuation count 2."""
    return len(s) + len(_WIDE_RE.findall(s))


def ends_sentence(s: str) -> bool:
    """True when ``s`` ends with 。！？…… (or ASCII .?!) plus optional closing quotes/brackets."""
    return bool(_TERMINAL_RE.search(s))


def standalone_kind(line: str) -> str | None:
    """The kind of a line that always stands alone (marker, caption, byline), else None."""
    if _MARKER_RE.match(line):
        return "marker"
    if _CAPTION_RE.match(line):
        return "caption"
    if _BYLINE_RE.match(line) and "。" not in line and "，" not in line:
        return "byline"
    return None


def undouble(s: str) -> str | None:
    """Undo a doubled text layer: ``对家暴说对家暴说““不不””`` -> ``对家暴说“不”``.

    The string must split completely into pieces that each occur twice in a
    row, with at least two pieces; longer pieces are preferred.

    Returns:
        The undoubled text, or None when ``s`` is not doubled that way.
    """
    n = len(s)
    if n < 4 or n > 200 or n % 2:
        return None
    # nxt[i]: length of the piece chosen at i for a full parse of s[i:], 0 if none.
    nxt = [0] * (n + 1)
    ok = [False] * (n + 1)
    ok[n] = True
    for i in range(n - 2, -1, -1):
        for piece in range((n - i) // 2, 0, -1):
            if ok[i + 2 * piece] and s[i : i + piece] == s[i + piece : i + 2 * piece]:
                nxt[i] = piece
                ok[i] = True
                break
    if not ok[0]:
        return None
    out, i, pieces = [], 0, 0
    while i < n:
        out.append(s[i : i + nxt[i]])
        i += 2 * nxt[i]
        pieces += 1
    return "".join(out) if pieces >= 2 else None


def _balanced(s: str) -> bool:
    return all(s.count(o) == s.count(c) for o, c in ("“”", "「」", "『』", "（）", "()", "《》"))


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines: nothing between CJK, one space between Latin words or numbers."""
    out: list[str] = []
    prev = ""
    for part in parts:
        if prev and _LATIN_END.search(prev) and _LATIN_START.match(part):
            out.append(" ")
        out.append(part)
        prev = part or prev
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """A paragraph before segmentation.

    Attributes:
        kind: heading, byline, caption, dateline, marker or body.
        text: The paragraph text, no newline inside.
        lines: ``(first, last)`` 1-based input line numbers.
        reason: Why a paragraph starts here (the rule that broke before it).
        undoubled: True when a doubled title layer was undone.
    """

    kind: str
    text: str
    lines: tuple[int, int]
    reason: str
    undoubled: bool = False


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    indent: int
    width: int
    block: int
    special: str | None


def _scan(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    prev_blank = True
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            prev_blank = True
            continue
        if prev_blank:
            block += 1
            prev_blank = False
        lead = raw[: len(raw) - len(raw.lstrip())]
        stripped = re.sub(r"\s+", " ", stripped) if "  " in stripped or "\t" in stripped else stripped
        lines.append(
            _Line(
                no=no,
                text=stripped,
                indent=display_width(lead.replace("\t", "    ")),
                width=display_width(stripped),
                block=block,
                special=standalone_kind(stripped),
            )
        )
    return lines


def _column_widths(lines: list[_Line]) -> list[int]:
    """For each line, the local column width: the 70th percentile of its neighbours' widths.

    A high percentile ignores the short first and last lines of paragraphs,
    and stops short of the few lines packed wider by hanging or squeezed
    punctuation.
    """
    n = len(lines)
    block_size = Counter(ln.block for ln in lines)
    refs = []
    for i, ln in enumerate(lines):
        same_block = block_size[ln.block] >= 3
        widths = [
            lines[j].width
            for j in range(max(0, i - WINDOW), min(n, i + WINDOW + 1))
            if not lines[j].special and not (same_block and lines[j].block != ln.block)
        ]
        widths.sort()
        refs.append(widths[int(0.7 * len(widths))] if widths else ln.width)
    return refs


class _Builder:
    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.refs = _column_widths(lines)
        indents = Counter(ln.indent for ln in lines)
        self.common_indent = indents.most_common(1)[0][0] if lines else 0
        self.indent_style = self._indent_style()
        # Text that was never hard-wrapped (one paragraph per line, as copied from a web page)
        # ends most lines with a sentence; wrapped text ends few (the seed page: 1 in 10).
        ends = sum(1 for ln in lines if ends_sentence(ln.text))
        self.unwrapped = len(lines) >= 5 and ends >= UNWRAPPED_SHARE * len(lines)

    def _indent_style(self) -> bool:
        """Whether paragraphs here begin with a (lost) first-line indent.

        Looks at the lines that follow a sentence end and continue: on an indented
        page many of them are short first lines; on other pages almost none are.
        """
        lines = self.lines
        short = total = 0
        for i in range(1, len(lines) - 1):
            a, b = lines[i - 1], lines[i]
            if a.special or b.special or not ends_sentence(a.text) or ends_sentence(b.text):
                continue
            if lines[i + 1].no != b.no + 1:
                continue
            total += 1
            short += self.looks_indented(i, max(self.refs[i - 1], self.refs[i]))
        return total >= 4 and short >= 0.45 * total

    def indented(self, i: int) -> bool:
        return self.lines[i].indent > self.common_indent

    def run_end(self, i: int) -> int:
        """Index of the last line of the run starting at ``i`` (no gap, no forced break)."""
        j = i
        lines = self.lines
        while (
            j + 1 < len(lines)
            and lines[j + 1].no == lines[j].no + 1
            and not lines[j + 1].special
            and not lines[j].special
            and not self.indented(j + 1)
            and not ends_sentence(lines[j].text)
            and j - i < 8
        ):
            j += 1
        return j

    def heading_like(self, texts: list[str]) -> bool:
        if len(texts) > 3 or sum(len(t) for t in texts) > 60:
            return False
        joined = join_lines(texts)
        return (
            len(joined) <= 50
            and not ends_sentence(joined)
            and not _SENTENCE_PUNCT_RE.search(joined)
            and _balanced(joined)
            and not joined.endswith(("，", "、", "：", ",", ":"))
        )

    def heading_break(self, start: int, a: int, b: int) -> str | None:
        """Reason to end a heading-like paragraph ``start..a`` before ``b`` across a blank line."""
        lines = self.lines
        if a - start >= 3:
            return None
        texts = [ln.text for ln in lines[start : a + 1]]
        if not self.heading_like(texts):
            return None
        if all(undouble(t) for t in texts):
            return "after a heading (doubled title layer)"
        if lines[b].special:
            return f"after a heading (a {lines[b].special} follows)"
        end = self.run_end(b)
        nxt = [ln.text for ln in lines[b : end + 1]]
        followed_by_gap = end + 1 >= len(lines) or lines[end + 1].no > lines[end].no + 1
        if len(nxt) <= 2 and self.heading_like(nxt) and (followed_by_gap or self.indented(end + 1)):
            return "after a heading (another heading-like line follows)"
        if end - b + 1 >= 2:
            body = [ln.width for ln in lines[b:end]] if end - b + 1 >= 3 else [lines[b].width]
            column = max(body)
            mine = max(ln.width for ln in lines[start : a + 1])
            if mine < 0.75 * column or mine > 1.3 * column:
                return "after a heading (the text after it is set at another width)"
        return None

    def decide(self, start: int, a: int, b: int) -> str | None:
        """Reason to break between lines ``a`` and ``b`` (paragraph began at ``start``), None to join."""
        la, lb = self.lines[a], self.lines[b]
        gap = lb.no > la.no + 1
        if lb.special:
            return f"{lb.special} line"
        if la.special:
            return f"after a {la.special} line"
        if self.indented(b):
            return "indented line"
        ref = max(self.refs[a], self.refs[b])
        a_short = la.width + self.room(a) <= ref - (INDENT_CELLS if a == start else 0) - BREAK_SLACK
        if ends_sentence(la.text):
            if self.unwrapped or la.width > UNWRAPPED_CELLS:
                return "unwrapped text: a line ending a sentence is a paragraph"
            if gap:
                if self.indent_style and self.continues_full(b, ref):
                    return None  # a column break: the next line is not indented
                return "blank line after terminal punctuation"
            if a_short:
                return "short line ends with terminal punctuation"
            if self.looks_indented(b, ref):
                return "next line is short and open (indented first line)"
            return None
        if gap:
            return self.heading_break(start, a, b)
        if a == start and self.heading_over_text(a, b, ref):
            return "after a heading (a short title line above the text)"
        return None

    def heading_over_text(self, a: int, b: int, ref: int) -> bool:
        """``a`` alone is a short title line and ``b`` starts running text below it (no blank line)."""
        la, lb = self.lines[a], self.lines[b]
        if not self.heading_like([la.text]) or la.width + self.room(a) > ref - INDENT_CELLS - BREAK_SLACK - 2:
            return False
        end = self.run_end(b)
        # A second short line that closes the block is the title's second line, not text.
        return end > b and lb.width >= ref - INDENT_CELLS - BREAK_SLACK

    def room(self, i: int) -> int:
        """Cells the next line's first word needed: a Latin word moves to the next line whole."""
        lines = self.lines
        if i + 1 >= len(lines) or lines[i + 1].no != lines[i].no + 1:
            return 0
        m = _FIRST_WORD.match(lines[i + 1].text)
        return display_width(m.group()) + 1 if m else 0

    def continues_full(self, b: int, ref: int) -> bool:
        """``b`` fills the column and the text goes on: not the first line of an indented paragraph."""
        lb = self.lines[b]
        if ends_sentence(lb.text) or b + 1 >= len(self.lines) or self.lines[b + 1].no != lb.no + 1:
            return False
        return lb.width - (2 if lb.text[-1] in _HANGING else 0) >= ref

    def looks_indented(self, b: int, ref: int) -> bool:
        """``b`` is short, open and followed by more text: the first line of an indented paragraph.

        A trailing punctuation mark may hang in the margin, so it is not counted.
        """
        lb = self.lines[b]
        if ends_sentence(lb.text) or b + 1 >= len(self.lines):
            return False
        width = lb.width - (2 if lb.text[-1] in _HANGING else 0) + self.room(b)
        return width <= ref - BREAK_SLACK

    def build(self) -> list[tuple[int, int, str]]:
        """Group line indices into paragraphs: (first index, last index, reason)."""
        out: list[tuple[int, int, str]] = []
        if not self.lines:
            return out
        start, reason = 0, "start of text"
        for b in range(1, len(self.lines)):
            why = self.decide(start, b - 1, b)
            if why:
                out.append((start, b - 1, reason))
                start, reason = b, why
        out.append((start, len(self.lines) - 1, reason))
        return out


def _split_dateline(text: str) -> int:
    """Length of a leading dateline in ``text`` (0 when none or nothing follows it)."""
    for rx in _DATELINE_RES:
        m = rx.match(text)
        if m and text[m.end() :].strip(" ：:—-\u3000"):
            return m.end()
    return 0


def _kind(lines: list[_Line], text: str) -> str:
    if len(lines) == 1 and lines[0].special:
        return lines[0].special
    if (
        len(lines) <= 3
        and len(text) <= 50
        and not ends_sentence(text)
        and not text.endswith(("，", "、", "：", ",", ":"))
        and not _SENTENCE_PUNCT_RE.search(text)
        and _balanced(text)
    ):
        return "heading"
    return "body"


def rebuild_paragraphs(text: str) -> list[Rebuilt]:
    """Rebuild the paragraphs of a cleaned, hard-wrapped text.

    Args:
        text: Decoded text with LF line ends (see ``workbench.text.decode``).

    Returns:
        Paragraphs in input order with kind, joined text, 1-based line span
        and the reason each one starts where it does.
    """
    lines = _scan(text)
    out: list[Rebuilt] = []
    for first, last, reason in _Builder(lines).build():
        group = lines[first : last + 1]
        texts = [ln.text for ln in group]
        joined = join_lines(texts)
        span = (group[0].no, group[-1].no)
        kind = _kind(group, joined)
        if kind == "heading":
            undone = [undouble(t) for t in texts]
            if all(undone):
                out.append(Rebuilt(kind, join_lines(undone), span, reason, undoubled=True))  # type: ignore[arg-type]
                continue
        if kind == "body":
            cut = _split_dateline(joined)
            if cut:
                # Find the input line holding the first character after the dateline.
                offset, line_of_cut = 0, group[0].no
                for ln in group:
                    offset = joined.find(ln.text, offset)
                    if offset > cut:
                        break
                    line_of_cut = ln.no
                out.append(Rebuilt("dateline", joined[:cut].strip(), (span[0], line_of_cut), reason))
                rest = joined[cut:].lstrip(" ：:—-\u3000")
                out.append(Rebuilt("body", rest, (line_of_cut, span[1]), "after the dateline"))
                continue
        out.append(Rebuilt(kind, joined, span, reason))
    return out
