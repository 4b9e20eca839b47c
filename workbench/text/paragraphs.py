"""Rebuilding paragraphs from clean, hard-wrapped, PDF or OCR text.

The steps, each in its own module:

1. ``layout.scan``: the non-blank lines with their display widths, stand-alone kinds (bylines,
   captions, continuation markers), structural numbers (``structure``) and page furniture
   (``headers``: running headers, footers, page numbers, taken out of the flow);
2. ``layout.infer_layout``: whether line ends and blank lines mark paragraphs (clean text) or
   wrapping and column breaks (an extraction);
3. ``wrapped.Builder``: the decision between every two consecutive lines, with its reason;
4. here: joining the lines of each paragraph (no space between CJK, one space between Latin
   words or numbers) and giving it a kind: the stand-alone kinds, the kind of its structural
   number (``item``, ``heading``, ``caption`` …), ``dateline`` (a leading ``…记者X 发自南昌`` or
   ``新华社北京12月12日电``, split off the body), ``heading`` (short, no terminal punctuation)
   or ``body``. A heading whose every line is printed twice (``对家暴说对家暴说““不不””``, an
   outline layer extracted along with the fill) is undoubled to ``对家暴说“不”``: that is what a
   translator must translate. Page furniture becomes ``header``/``footer`` paragraphs, placed
   after the paragraph they interrupt.

All steps are linear in the input size.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass

from workbench.text.layout import Line, scan
from workbench.text.lines import (
    SENTENCE_PUNCT_RE,
    balanced,
    display_width,
    ends_sentence,
    join_lines,
    standalone_kind,
    undouble,
)
from workbench.text.model import NOT_TRANSLATED, ParagraphKind
from workbench.text.structure import marked_kind, structure_mark
from workbench.text.wrapped import Builder

__all__ = [
    "Rebuilt",
    "classify",
    "display_width",
    "ends_sentence",
    "join_lines",
    "rebuild_paragraphs",
    "undouble",
]

# --- datelines (split off the start of a body paragraph) --------------------------------

_DATELINE_RES = (
    re.compile(
        r"^(?:新华社|新華社|中新社|本报|本報|人民日报|人民日報|中国妇女报|中國婦女報|中新网|中新網|央视网|央視網|"
        r"人民网|人民網|新华网|新華網)\S{0,12}?\d{1,2}月\d{1,2}日[电電]"
        r"(?:\s*[（(][^）)]{0,40}[）)])?"
    ),
    re.compile(r"^(?:本报讯|本報訊)(?:\s*[（(][^）)]{0,40}[）)])?"),
    re.compile(
        r"^[^，。、；：\s]{0,30}(?:记者|記者)[^，。、；：]{1,30}?(?:发自|發自)\s*[\u4e00-\u9fff]{2,8}?(?=[\s\d]|$)"
    ),
)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """A paragraph before segmentation.

    Attributes:
        kind: A ``ParagraphKind``.
        text: The paragraph text, no newline inside.
        lines: ``(first, last)`` 1-based input line numbers.
        reason: Why a paragraph starts here (the rule that broke before it).
        undoubled: True when a doubled title layer was undone.
    """

    kind: ParagraphKind
    text: str
    lines: tuple[int, int]
    reason: str
    undoubled: bool = False


def _split_dateline(text: str) -> int:
    """Length of a leading dateline in ``text`` (0 when none or nothing follows it)."""
    for rx in _DATELINE_RES:
        m = rx.match(text)
        if m and text[m.end() :].strip(" ：:—-\u3000"):
            return m.end()
    return 0


def _kind(lines: list[Line], text: str) -> ParagraphKind:
    if len(lines) == 1 and lines[0].special:
        return lines[0].special
    if lines[0].mark is not None:
        return marked_kind(lines[0].mark, text)
    if (
        len(lines) <= 3
        and len(text) <= 50
        and not ends_sentence(text)
        and not text.endswith(("，", "、", "：", ",", ":"))
        and not SENTENCE_PUNCT_RE.search(text)
        and balanced(text)
    ):
        return ParagraphKind.HEADING
    return ParagraphKind.BODY


def classify(text: str) -> ParagraphKind:
    """The kind of a paragraph known to be one (a Word or Markdown paragraph) from its text alone."""
    line = " ".join(text.split())
    special = standalone_kind(line)
    if special is not None:
        return special
    mark = structure_mark(line)
    one = Line(no=1, text=line, indent=0, width=display_width(line), block=1, special=None, mark=mark)
    return _kind([one], line)


def _paragraph(group: list[Line], reason: str) -> list[Rebuilt]:
    """The paragraph (or dateline and body) made of the lines ``group``."""
    texts = [ln.text for ln in group]
    joined = join_lines(texts)
    span = (group[0].no, group[-1].no)
    kind = group[0].hint or _kind(group, joined)
    if kind is ParagraphKind.HEADING:
        undone = [undouble(t) for t in texts]
        if all(undone):
            return [Rebuilt(kind, join_lines(undone), span, reason, undoubled=True)]  # type: ignore[arg-type]
    if kind is ParagraphKind.BODY and group[0].mark is None:
        cut = _split_dateline(joined)
        if cut:
            # Find the input line holding the first character after the dateline.
            offset, line_of_cut = 0, group[0].no
            for ln in group:
                offset = joined.find(ln.text, offset)
                if offset > cut:
                    break
                line_of_cut = ln.no
            rest = joined[cut:].lstrip(" ：:—-\u3000")
            return [
                Rebuilt(ParagraphKind.DATELINE, joined[:cut].strip(), (span[0], line_of_cut), reason),
                Rebuilt(ParagraphKind.BODY, rest, (line_of_cut, span[1]), "after the dateline"),
            ]
    return [Rebuilt(kind, joined, span, reason)]


def rebuild_paragraphs(text: str, hints: Mapping[int, ParagraphKind] | None = None) -> list[Rebuilt]:
    """Rebuild the paragraphs of a cleaned text (clean, hard-wrapped or extracted).

    Args:
        text: Decoded text with LF line ends (see ``workbench.text.decode``).
        hints: Line number -> kind known from elsewhere (a PDF's font sizes and positions):
            consecutive lines with the same hint form one paragraph of that kind; ``header``
            and ``footer`` lines are page furniture.

    Returns:
        Paragraphs in input order with kind, joined text, 1-based line span
        and the reason each one starts where it does.
    """
    lines = scan(text)
    if hints:
        for ln in lines:
            hint = hints.get(ln.no)
            if hint in NOT_TRANSLATED:
                ln.special, ln.why, ln.mark = hint, f"{hint} (position on the page)", None
            elif hint is not None:
                ln.hint = hint
    flow = [ln for ln in lines if ln.special not in NOT_TRANSLATED]
    out: list[Rebuilt] = []
    for first, last, reason in Builder(flow).build():
        out.extend(_paragraph(flow[first : last + 1], reason))
    furniture = [ln for ln in lines if ln.special in NOT_TRANSLATED]
    if not furniture:
        return out
    # Page furniture goes after the paragraph it interrupts, else where it stands.
    starts = [p.lines[0] for p in out]
    placed: list[tuple[int, int, Rebuilt]] = [(p.lines[0], 0, p) for p in out]
    for n, ln in enumerate(furniture, start=1):
        k = bisect.bisect_left(starts, ln.no) - 1
        inside = k >= 0 and out[k].lines[1] > ln.no
        key = out[k].lines[0] if inside else ln.no
        placed.append((key, n, Rebuilt(ln.special, ln.text, (ln.no, ln.no), ln.why)))  # type: ignore[arg-type]
    placed.sort(key=lambda t: (t[0], t[1]))
    return [p for _, _, p in placed]
