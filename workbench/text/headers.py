"""Running headers, footers and page numbers of OCR'd or extracted pages.

A page's furniture is not part of the text: it interrupts paragraphs at every page break.
Two kinds of evidence, both explainable:

* a page number: ``— 3 —``, ``- 12 -``, ``第3页``, ``第 3 页 共 10 页``, ``3/10``, ``Page 3``
  (a bare number only when the document has at least two such lines);
* a repeated line: a short line (at most 40 characters, not ending a sentence or clause, not
  ending open with ``，``) that occurs at least
  three times, at least five lines apart, once digits are ignored, and that carries no structural
  number (``注：`` may well recur) (``GB 18030 一 2022``,
  ``中国妇女报 2023年12月13日 第3版``), in a document of 30 lines or more, with different
  lines around most of its occurrences (a document pasted twice repeats its headings, but not
  what surrounds them).

Page numbers become ``footer`` paragraphs, other repeated lines ``header`` paragraphs.
"""

from __future__ import annotations

import re
from collections import defaultdict

from workbench.text.lines import OPEN_ENDS, ends_clause
from workbench.text.model import ParagraphKind
from workbench.text.structure import structure_mark

_DASHES = "-—–－~〜―"
_PAGE_RE = re.compile(
    "|".join(
        (
            rf"[{_DASHES}]+\s*[0-9０-９]{{1,4}}\s*[{_DASHES}]+",
            r"第\s*[0-9０-９]{1,4}\s*[页頁](?:\s*[/，,]?\s*共\s*[0-9０-９]{1,4}\s*[页頁])?",
            r"[0-9]{1,4}\s*/\s*[0-9]{1,4}",
            r"(?:Page|PAGE|p\.)\s*[0-9]{1,4}(?:\s*(?:of|/)\s*[0-9]{1,4})?",
            r"·\s*[0-9]{1,4}\s*·",
        )
    )
)
_BARE_NUMBER = re.compile(r"^[0-9０-９]{1,4}$")
_DIGITS = re.compile(r"[0-9０-９]+")

MIN_REPEATS = 3
MIN_DISTANCE = 5  # lines between two occurrences of a running header
MIN_LINES = 30  # documents shorter than this have no pages to speak of
MAX_CHARS = 40


def page_number(line: str) -> bool:
    """True when ``line`` (stripped) is a page number such as ``— 3 —`` or ``第3页``."""
    return len(line) <= 24 and _PAGE_RE.fullmatch(line) is not None


def running_lines(lines: list[tuple[int, str]]) -> dict[int, tuple[ParagraphKind, str]]:
    """Find page furniture among the non-blank lines of a document.

    Args:
        lines: ``(line number, stripped text)`` of every non-blank line, in order.

    Returns:
        Line number -> ``(kind, reason)`` for each running header, footer or page number.
    """
    found: dict[int, tuple[ParagraphKind, str]] = {}
    bare = [no for no, text in lines if _BARE_NUMBER.match(text)]
    for no, text in lines:
        if page_number(text) or (len(bare) >= 2 and no in bare):
            found[no] = (ParagraphKind.FOOTER, "page number")
    if len(lines) < MIN_LINES:
        return found
    seen: dict[str, list[int]] = defaultdict(list)
    for k, (no, text) in enumerate(lines):
        if no in found or len(text) > MAX_CHARS or ends_clause(text) or text.endswith(OPEN_ENDS):
            continue
        if structure_mark(text):
            continue
        seen[_DIGITS.sub("#", text)].append(k)
    for key, ks in seen.items():
        if len(ks) < MIN_REPEATS or key.strip("# ") == "":
            continue
        spread = [ks[0]]
        for k in ks[1:]:
            if lines[k][0] - lines[spread[-1]][0] >= MIN_DISTANCE:
                spread.append(k)
        if len(spread) >= MIN_REPEATS and _varied_neighbours(lines, ks):
            for k in ks:
                found[lines[k][0]] = (ParagraphKind.HEADER, f"running header (repeated {len(ks)} times)")
    return found


def _varied_neighbours(lines: list[tuple[int, str]], ks: list[int]) -> bool:
    """Whether the text around the occurrences changes, as the pages around a running header do.

    A document pasted twice repeats its headings too, but each with the same lines around it.
    """
    need = max(MIN_REPEATS, 0.75 * len(ks))
    for step in (-1, 1):
        around = {lines[k + step][1] for k in ks if 0 <= k + step < len(lines)}
        if len(around) >= need:
            return True
    return False
