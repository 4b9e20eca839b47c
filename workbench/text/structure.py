"""The numbered structure of Chinese institutional text: where a paragraph must start, and its kind.

Laws, regulations, standards and reports number their parts; a line that starts with such a
number starts a paragraph (the number is part of the paragraph's text, as in the source):

========================  =====================================  ==========================
mark                      examples                               kind of the paragraph
========================  =====================================  ==========================
part, chapter, section    ``第一编`` ``第二章 总 则`` ``第三节``     heading
article                   ``第一条 为了……`` ``第十条之一``          body
clause number             ``3.1 字符 character`` ``4 要求`` ``A.1``  heading when short, else body
annex                     ``附录A`` ``附件1``                      heading
numeral                   ``一、总体要求``                          heading when short, else body
bracketed numeral         ``（一）……；`` ``(2)``                    heading when short and open, else item
arabic item               ``1. …`` ``2、…`` ``3）…``                 item
bullet                    ``• …`` ``- …``                          item
note                      ``注：`` ``注1：``                        body
adoption note             ``（2023年12月12日……通过）``             body
table/figure caption      ``表1 …`` ``图 2 …``                      caption
========================  =====================================  ==========================

A *strong* mark (chapter and article numbers followed by a space, clause numbers, annexes)
starts a paragraph wherever it is; a *weak* one only where the line before could end a
paragraph (it ends a clause, is short, or a blank line separates them), since a wrapped line
may happen to begin with ``（二）`` or ``3、`` taken from the middle of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from workbench.text.lines import heading_text
from workbench.text.model import ParagraphKind

_CN = "一二三四五六七八九十百千零〇两"
_NUM = f"[{_CN}0-9０-９]+"
_SPACE = r"[\s\u3000]"


class MarkKind(str, Enum):
    """The kinds of structural numbering recognised at the start of a line."""

    PART = "part"  # 第X编 / 第X分编 / 第X章 / 第X节
    ARTICLE = "article"  # 第X条
    CLAUSE = "clause"  # 1 / 1.1 / 1.1.1 / A.1
    ANNEX = "annex"  # 附录A / 附件1
    NUMERAL = "numeral"  # 一、
    BRACKETED = "bracketed"  # （一） (1)
    ITEM = "item"  # 1. 1、 1）
    BULLET = "bullet"  # • -
    NOTE = "note"  # 注：
    CAPTION = "caption"  # 表1 图1
    ADOPTION = "adoption"  # （2023年12月12日……通过）

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Mark:
    """A structural number found at the start of a line.

    Attributes:
        kind: What kind of numbering it is.
        label: The number as written (``第二章``, ``（一）``, ``3.1``).
        strong: Starts a paragraph whatever precedes it.
    """

    kind: MarkKind
    label: str
    strong: bool


_PART_RE = re.compile(rf"^第{_NUM}(?:分编|编|章|节)(?={_SPACE}|$)")
_PART_TIGHT_RE = re.compile(rf"^第{_NUM}(?:分编|编|章|节)(?=[\u4e00-\u9fff])")
_ARTICLE_RE = re.compile(rf"^第{_NUM}条(?:之[{_CN}]+)?(?={_SPACE}|$)")
_ARTICLE_TIGHT_RE = re.compile(rf"^第{_NUM}条(?:之[{_CN}]+)?(?=[\u4e00-\u9fff“（(])")
# A number followed by a unit or counter is a quantity in running text, not a clause number.
_UNIT = (
    r"(?:[年月日时秒岁个位次万亿千百元米克吨度倍号届周天%％]|分钟|名(?![称词])|公里|英里|公斤|人(?![员民才]))"
)
# After a decimal number only a measure can follow (``41.30 分钟``); a date unit cannot.
_MEASURE = r"(?:[秒万亿元米克吨度倍级磅亩%％]|分钟|小时|公里|英里|公斤|英尺|英寸|美元|欧元|英镑|平方|立方)"
_CLAUSE_RE = re.compile(rf"^(?:[0-9]{{1,2}}|[A-Z])(?:\.[0-9]{{1,2}}){{1,4}}{_SPACE}+(?!{_MEASURE})")
_TOP_CLAUSE_RE = re.compile(rf"^[0-9]{{1,2}}{_SPACE}+(?=[\u4e00-\u9fff])(?!{_UNIT})")
_ANNEX_RE = re.compile(rf"^(?:附\s*录\s*[A-ZＡ-Ｚ]|附件\s*[0-9{_CN}]*)(?={_SPACE}|$|[（(：:])")
_NUMERAL_RE = re.compile(rf"^[{_CN}]{{1,3}}、")
_BRACKETED_RE = re.compile(rf"^[（(](?:[{_CN}]{{1,3}}|[0-9]{{1,2}})[）)]")
_ITEM_RE = re.compile(r"^[0-9]{1,2}[.．、)）](?![0-9])")
_BULLET_RE = re.compile(r"^[•·▪◦‣∙*\-–](?=\s)")
_NOTE_RE = re.compile(r"^注\s*[0-9]{0,2}\s*[：:]")
_ADOPTION_RE = re.compile(r"^[（(][0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")
_CAPTION_RE = re.compile(rf"^[表图]{_SPACE}*(?:[A-Z]\.?)?[0-9]{{1,3}}(?:[.\-][0-9]{{1,3}})?(?={_SPACE})")


# Every mark starts with one of these: most lines are rejected by their first character.
_FIRST = frozenset("第附注表图（(•·▪◦‣∙*-–" + _CN + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def structure_mark(line: str) -> Mark | None:
    """The structural number at the start of ``line`` (already stripped), or None.

    Marks that would also match ordinary wrapped text (a clause number without a title, a
    caption without a short title) are only recognised on a heading-like line.
    """
    if not line or line[0] not in _FIRST:
        return None
    first = line[0]
    if first == "第":
        for rx, kind, strong in (
            (_PART_RE, MarkKind.PART, True),
            (_ARTICLE_RE, MarkKind.ARTICLE, True),
            (_ARTICLE_TIGHT_RE, MarkKind.ARTICLE, False),
        ):
            m = rx.match(line)
            if m:
                return Mark(kind, m.group(), strong)
        m = _PART_TIGHT_RE.match(line)
        if m and len(line) <= 30 and heading_text(line):
            return Mark(MarkKind.PART, m.group(), False)
        return None
    if first.isascii() and (first.isdigit() or first.isupper()):
        m = _CLAUSE_RE.match(line)
        if m:
            return Mark(MarkKind.CLAUSE, m.group().strip(), True)
        m = _TOP_CLAUSE_RE.match(line)
        if m and len(line) <= 30 and heading_text(line) and "，" not in line:
            return Mark(MarkKind.CLAUSE, m.group().strip(), False)
    for rx, kind, strong in (
        (_ITEM_RE, MarkKind.ITEM, False),
        (_NUMERAL_RE, MarkKind.NUMERAL, False),
        (_BRACKETED_RE, MarkKind.BRACKETED, False),
        (_ANNEX_RE, MarkKind.ANNEX, True),
        (_NOTE_RE, MarkKind.NOTE, False),
        (_BULLET_RE, MarkKind.BULLET, False),
        (_ADOPTION_RE, MarkKind.ADOPTION, False),
    ):
        m = rx.match(line)
        if m:
            return Mark(kind, m.group(), strong)
    m = _CAPTION_RE.match(line)
    if m and len(line) <= 40 and heading_text(line):
        return Mark(MarkKind.CAPTION, m.group(), False)
    return None


#: Marks whose paragraph is a heading when it is short and has no sentence punctuation.
HEADING_MARKS = frozenset(
    {MarkKind.PART, MarkKind.CLAUSE, MarkKind.ANNEX, MarkKind.NUMERAL, MarkKind.BRACKETED}
)
#: Marks that number headings only (a bracketed numeral may also number list items).
PURE_HEADING_MARKS = HEADING_MARKS - {MarkKind.BRACKETED}


def marked_kind(mark: Mark, text: str) -> ParagraphKind:
    """The kind of a paragraph whose first line carries ``mark`` and whose text is ``text``."""
    if mark.kind is MarkKind.CAPTION:
        return ParagraphKind.CAPTION
    if mark.kind in (MarkKind.ITEM, MarkKind.BULLET):
        return ParagraphKind.ITEM
    if mark.kind in HEADING_MARKS and heading_text(text):
        return ParagraphKind.HEADING
    if mark.kind is MarkKind.BRACKETED:
        return ParagraphKind.ITEM
    return ParagraphKind.BODY
