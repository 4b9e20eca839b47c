"""Deciding, between every two consecutive lines, whether a paragraph ends.

The decision between lines ``a`` and ``b`` is made by the first rule that applies; when it
breaks, its name is kept as the ``reason`` of the paragraph that starts at ``b``. Page furniture
(running headers, footers, page numbers) is taken out of the flow first, so a paragraph goes
on across a page break as it goes on across a column break.

1. ``a`` or ``b`` is a stand-alone line (byline ``□ 乐丁``, caption ``（陈妮雅/摄）``,
   continuation marker ``（上接1版）``): break.
2. ``a`` and ``b`` have different kinds known from elsewhere (a PDF's headline font): break;
   the same kind: join. Otherwise, ``b`` is indented more than most lines: break.
3. Clean text (``workbench.text.layout``): every line end breaks, except after a line that
   ends open (``，`` ``、`` an opening bracket) with no blank line after it.
4. ``b`` starts with a structural number (``workbench.text.structure``): break when the mark
   is strong, or when ``a`` could end a paragraph (it ends a clause, is short, or a blank line
   follows it).
5. ``a`` ends with terminal punctuation (。！？…… with optional closing quotes or brackets):

   * a blank line follows: break, except on a page whose paragraphs start with a (lost)
     first-line indent and whose blank lines are not all paragraph marks, when ``b`` fills the
     column and goes on: then the blank line is a column break;
   * ``a`` is clearly shorter than the column (by 3 cells, i.e. 1.5 characters, more than
     the 2-character first-line indent that PDF extraction drops when ``a`` starts its
     paragraph): break;
   * ``b`` is clearly shorter than the column and does not end a sentence, i.e. ``b`` is the
     first line of an indented paragraph: break (a trailing punctuation mark may hang in the
     margin, and a Latin word that did not fit counts as filling the line);
   * otherwise the line fills the column: join.

6. ``a`` does not end a sentence:

   * across a blank line: join (a column break), unless blank lines mark paragraphs here and
     ``a`` ends a clause (；：), or the paragraph so far is a heading: short, at most three
     lines, no sentence punctuation inside, quotes balanced, and followed by a stand-alone
     line, by another heading-like line, by text set at a clearly different column width, or
     printed twice (a doubled title layer);
   * ``a`` is clearly short and does not end open: break (a heading, a list item ending in
     ；, a lead-in ending in ：);
   * the paragraph is a short numbered heading (``第一章 总则``, ``3.1 术语``) that ends short
     of the column: break;
   * a lone title line (heading-like and shorter than even an indented line) directly above
     running text: break;
   * otherwise: join (a wrapped line).

Widths are display cells compared with the local column width (``layout.column_widths``).
All steps are linear in the input size.
"""

from __future__ import annotations

import re
from collections import Counter

from workbench.text.layout import (
    BREAK_SLACK,
    Layout,
    Line,
    column_widths,
    infer_layout,
    room,
)
from workbench.text.lines import (
    HANGING,
    OPEN_ENDS,
    continues_number,
    ends_clause,
    ends_sentence,
    heading_text,
    join_lines,
    undouble,
)
from workbench.text.structure import HEADING_MARKS, PURE_HEADING_MARKS

# How the titles of official documents end (``关于……的通知``, ``……管理办法``).
_DOC_TITLE_END = re.compile(
    r"(?:通知|报告|意见|决定|办法|条例|规定|细则|规则|规范|标准|指南|要求|方案|规划|纲要|公告|通告|决议|批复|函)$"
)
# Punctuation that headings do not have and running text has in almost every line.
_RUNNING_PUNCT = re.compile(r"[，。；：！？、]")
INDENT_CELLS = 4  # the two-character first-line indent of Chinese typesetting
CJK_CELLS = 2  # one Chinese character
UNWRAPPED_CELLS = 160  # wider than any printed column: a line that was never wrapped


class Builder:
    """Groups the flow lines of one document into paragraphs (see the module docstring)."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.refs = column_widths(lines)
        indents = Counter(ln.indent for ln in lines)
        self.common_indent = indents.most_common(1)[0][0] if lines else 0
        self.info = infer_layout(lines, self.refs)
        self.clean = self.info.layout is Layout.CLEAN
        short, total = self._sure_starts()
        evidence = total >= 3 and short >= 0.5 * total
        self.indent_evidence = evidence or self._indented_after_headings()
        self.indent_style = evidence or self._indent_style()
        # Without evidence, assume the indent: it asks more of a line before calling it a title.
        self.first_line_indent = evidence or total < 3

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

    def _sure_starts(self) -> tuple[int, int]:
        """Evidence of a (lost) first-line indent: ``(short, total)`` over sure paragraph starts.

        A line after a clearly short line that ends a sentence starts a paragraph, and so does
        one after a sentence end and a blank line where blank lines mark paragraphs; when most
        such lines are short and go on, paragraphs are indented.
        """
        lines = self.lines
        short = total = 0
        blanks = self.info.blanks_mark_paragraphs
        for i in range(1, len(lines) - 1):
            a, b = lines[i - 1], lines[i]
            if a.special or b.special or ends_sentence(b.text):
                continue
            if b.mark is not None and (
                (b.mark.kind in HEADING_MARKS and heading_text(b.text)) or b.no == a.no + 1
            ):
                continue  # a heading is short anyway; a weak mark alone is not a sure start
            if lines[i + 1].no != b.no + 1 or lines[i + 1].special:
                continue
            ref = max(self.refs[i - 1], self.refs[i])
            if b.no != a.no + 1:
                if not (blanks and ends_clause(a.text)):
                    continue
            elif not ends_sentence(a.text) or a.width + self.room(i - 1) + BREAK_SLACK > ref - INDENT_CELLS:
                continue
            total += 1
            short += self.looks_indented(i, ref)
        return short, total

    def _indented_after_headings(self) -> bool:
        """Whether the lines after one-line numbered headings are mostly short and go on (indented)."""
        lines = self.lines
        short = total = 0
        for i in range(1, len(lines) - 1):
            a, b = lines[i - 1], lines[i]
            if a.mark is None or a.mark.kind not in HEADING_MARKS or not heading_text(a.text):
                continue
            if b.special or b.mark or b.no != a.no + 1 or lines[i + 1].no != b.no + 1 or lines[i + 1].special:
                continue
            if self.fills(i - 1):
                continue  # the heading may go on in the next line
            total += 1
            short += self.looks_indented(i, max(self.refs[i - 1], self.refs[i])) and self.fills(i + 1)
        return total >= 2 and short >= 0.5 * total

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
        return heading_text(join_lines(texts))

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
        first = lines[start].mark
        if (
            first is not None
            and first.kind in HEADING_MARKS
            and self.title_like(start, a)
            and (self.info.blanks_mark_paragraphs or not self.fills(a))
        ):
            return f"after a numbered heading ({first.label})"
        if (
            start == 0
            and self.title_like(start, a)
            and (not self.fills(a) or _DOC_TITLE_END.search(self.joined(start, a)))
        ):
            return "after the title"
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

    def clean_break(self, a: int, b: int) -> str | None:
        """Clean text: a line end is a paragraph end unless the line ends open."""
        la, lb = self.lines[a], self.lines[b]
        if lb.no > la.no + 1:
            return f"{self.info.describe()}: blank line"
        if lb.mark is not None:
            return f"{self.info.describe()}: {lb.mark.label} starts a {lb.mark.kind}"
        if la.text.endswith(OPEN_ENDS):
            return None
        return f"{self.info.describe()}: a line end ends a paragraph"

    def decide(self, start: int, a: int, b: int) -> str | None:
        """Reason to break between lines ``a`` and ``b`` (paragraph began at ``start``), None to join."""
        la, lb = self.lines[a], self.lines[b]
        gap = lb.no > la.no + 1
        if lb.special:
            return lb.why or f"{lb.special} line"
        if la.special:
            return f"after a {la.special} line"
        if la.hint is not lb.hint:
            return f"{lb.hint or 'text'} by its font and position"
        if la.hint is not None:
            return None
        if not gap and continues_number(la.text, lb.text):
            return None  # a number cut by the line end (``18.`` / ``5%``) goes on
        if self.indented(b):
            return "indented line"
        if self.clean:
            return self.clean_break(a, b)
        ref = max(self.refs[a], self.refs[b])
        slack = self.room(a) + BREAK_SLACK
        a_short = la.width + slack <= ref - (INDENT_CELLS if a == start else 0)
        mark = lb.mark
        blank = lb.blank_before and self.info.blanks_mark_paragraphs
        if mark is not None and (
            mark.strong or blank or ends_clause(la.text) or a_short or self.title_like(start, a)
        ):
            return f"structure: {mark.label} starts a {mark.kind}"
        if ends_sentence(la.text):
            return self.after_sentence(a, b, ref, gap, a_short)
        if gap:
            allow = INDENT_CELLS if a == start and self.first_line_indent else 0
            if (
                self.info.blanks_mark_paragraphs
                and lb.blank_before
                and (ends_clause(la.text) or la.width + slack <= ref - allow)
            ):
                return "blank line after a closed line (blank lines mark paragraphs here)"
            return self.heading_break(start, a, b)
        if la.text.endswith(OPEN_ENDS):
            return None
        return self.short_open_break(start, a, b, ref, slack)

    def short_open_break(self, start: int, a: int, b: int, ref: int, slack: int) -> str | None:
        """Rule 6 without a blank line: ``a`` ends neither a sentence nor open."""
        la = self.lines[a]
        # Numbered headings are not indented: without evidence of indented paragraphs, a short
        # numbered line is a heading; with it, it may be an indented item's first line.
        mark = la.mark
        numbered = mark is not None and (
            mark.kind in PURE_HEADING_MARKS
            or (mark.kind in HEADING_MARKS and not (self.indent_evidence or self.indent_style))
        )
        allow = INDENT_CELLS if a == start and self.first_line_indent and not numbered else 0
        short = la.width + slack <= ref - allow
        if short and ends_clause(la.text):
            return "short line ends a clause (；：)"
        if a - start > 2:
            return None  # a heading has at most three lines
        first = self.lines[start].mark
        title = self.title_like(start, a)
        if not short or not title:
            pass
        elif a > start:
            return "after a heading (its last line is short)"
        elif first is not None and first.kind in HEADING_MARKS:
            return f"after a numbered heading ({first.label})"
        elif start == 0:
            return "after the title (a short line)"
        if start == 0 and title and _DOC_TITLE_END.search(self.joined(0, a)):
            return "after the title (it ends like a document title)"
        if a == start and first is not None and first.kind in PURE_HEADING_MARKS and title:
            if _RUNNING_PUNCT.search(self.lines[b].text):
                return "after a heading (the next line is running text)"
            if self.fills(a) and self.fills(b) and not ends_sentence(self.lines[b].text):
                # A heading that exactly fills two lines is rarer than one that fills one.
                return "after a numbered heading (it fills its line, and so does the next)"
        if (
            self.indent_evidence
            and title
            and not (self.room(a) and self.fills(a))  # a Latin word of the heading went on
            and self.looks_indented(b, ref)
            and self.fills(b + 1)
            and self.lines[b + 1].mark is None
        ):
            return "after a heading (an indented paragraph follows)"
        if a == start and self.heading_over_text(a, b, ref, allow):
            return "after a heading (a short title line above the text)"
        return None

    def after_sentence(self, a: int, b: int, ref: int, gap: bool, a_short: bool) -> str | None:
        """Rule 5: ``a`` ends a sentence."""
        if self.lines[a].width > UNWRAPPED_CELLS:
            return "unwrapped text: a line ending a sentence is a paragraph"
        if gap:
            if self.indent_style and not self.info.blanks_mark_paragraphs and self.continues_full(b, ref):
                return None  # a column break: the next line is not indented
            return "blank line after terminal punctuation"
        if a_short:
            return "short line ends with terminal punctuation"
        if self.sentence_ends_short(a, ref):
            return "the sentence ends a character short of the column"
        if self.looks_indented(b, ref):
            return "next line is short and open (indented first line)"
        return None

    def sentence_ends_short(self, a: int, ref: int) -> bool:
        """``a`` ends a sentence with room for one more character: a typesetter would have filled it.

        Wrapped text fills every line but a paragraph's last to the column (punctuation may hang past
        it), so a sentence-final line a full character (two cells) short ends its paragraph; the looser
        :data:`BREAK_SLACK` that other breaks need covers uneven column estimates, which a line ending a
        sentence does not need as much.
        """
        la = self.lines[a]
        if self.indent_style or self.indent_evidence or self.first_line_indent:
            return False  # where indents mark paragraphs, a short line is no evidence needed or trusted
        if a + 1 >= len(self.lines) or self.lines[a + 1].no != la.no + 1:
            return False
        return la.width + self.room(a) + CJK_CELLS <= ref

    def joined(self, start: int, a: int) -> str:
        """The text of lines ``start..a`` joined."""
        return join_lines([ln.text for ln in self.lines[start : a + 1]])

    def title_like(self, start: int, a: int) -> bool:
        """The paragraph ``start..a`` reads as a heading: heading-like, no comma, not indented."""
        if a - start > 2 or self.indented(start):
            return False  # at most three lines (and no slicing of a long paragraph: this runs per line)
        texts = [ln.text for ln in self.lines[start : a + 1]]
        return self.heading_like(texts) and "，" not in "".join(texts)

    def fills(self, i: int) -> bool:
        """Line ``i`` fills its column (within the slack)."""
        if i >= len(self.lines) or self.lines[i].special:
            return False
        return self.lines[i].width + self.room(i) + BREAK_SLACK > self.refs[i]

    def heading_over_text(self, a: int, b: int, ref: int, allow: int) -> bool:
        """``a`` alone is a short title line and ``b`` starts running text below it (no blank line)."""
        la, lb = self.lines[a], self.lines[b]
        if not self.heading_like([la.text]) or la.width + self.room(a) > ref - allow - BREAK_SLACK - 2:
            return False
        if not allow and not self.title_like(a, a):
            return False
        end = self.run_end(b)
        # A second short line that closes the block is the title's second line, not text.
        return end > b and lb.width >= ref - INDENT_CELLS - BREAK_SLACK

    def room(self, i: int) -> int:
        return room(self.lines, i)

    def continues_full(self, b: int, ref: int) -> bool:
        """``b`` fills the column and the text goes on: not the first line of an indented paragraph."""
        lb = self.lines[b]
        if ends_sentence(lb.text) or b + 1 >= len(self.lines) or self.lines[b + 1].no != lb.no + 1:
            return False
        return lb.width - (2 if lb.text[-1] in HANGING else 0) >= ref

    def looks_indented(self, b: int, ref: int) -> bool:
        """``b`` is short, open and followed by more text: the first line of an indented paragraph.

        A trailing punctuation mark may hang in the margin, so it is not counted.
        """
        lb = self.lines[b]
        if ends_sentence(lb.text) or b + 1 >= len(self.lines):
            return False
        nxt = self.lines[b + 1]
        if ends_clause(lb.text) and (nxt.no != lb.no + 1 or nxt.mark is not None):
            return False  # the last line of a lead-in or list item
        width = lb.width - (2 if lb.text[-1] in HANGING else 0) + self.room(b)
        return width <= ref - BREAK_SLACK

    def build(self) -> list[tuple[int, int, str]]:
        """Group line indices into paragraphs: (first index, last index, reason)."""
        out: list[tuple[int, int, str]] = []
        if not self.lines:
            return out
        start = 0
        reason = f"start of text; {self.info.describe()}"
        for b in range(1, len(self.lines)):
            why = self.decide(start, b - 1, b)
            if why:
                out.append((start, b - 1, reason))
                start, reason = b, why
        out.append((start, len(self.lines) - 1, reason))
        return out
