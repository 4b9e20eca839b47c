"""What one line of source text looks like: display width, sentence ends, stand-alone lines, joining.

Widths are display cells (CJK characters count 2, curly quotes 1 as they are usually squeezed).
These helpers hold no state; the layout, structure and paragraph modules build on them.
"""

from __future__ import annotations

import re

from workbench.text.model import ParagraphKind

# --- character classes -----------------------------------------------------------------

CLOSERS = "”’」』）)]\"'》〉】"
_TERMINAL_RE = re.compile(r"(?:[。！？!?.]|…|⋯)[" + re.escape(CLOSERS) + r"]*$")
# A clause ends at ；： too: list items and lead-ins of lists end a paragraph in clean text.
_CLAUSE_END_RE = re.compile(r"(?:[。！？!?；;：:]|…|⋯)[" + re.escape(CLOSERS) + r"]*$")
SENTENCE_PUNCT_RE = re.compile(r"[。！？；!?;]")
_WIDE_RE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6"
    "\u2026\u2014\u2015\u25a0-\u25ff\u3000"
    "\U00020000-\U0003fffd]"
)
_LATIN_END = re.compile(r"[A-Za-z0-9\u00c0-\u024f][,.;:!?%)\]\"']*$")
_LATIN_START = re.compile(r"^[(\[\"'A-Za-z0-9\u00c0-\u024f]")
FIRST_WORD = re.compile(r"[(\[A-Za-z0-9\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f.,%'’)\]-]*")
HANGING = set("，。、；：？！”’）」』")
# A line ending like this is inside a sentence: more of it follows.
OPEN_ENDS = ("，", "、", ",", "—", "（", "(", "“", "‘", "《")

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


def display_width(s: str) -> int:
    """Display cells of a string: CJK characters and full-width punctuation count 2."""
    return len(s) + len(_WIDE_RE.findall(s))


def ends_sentence(s: str) -> bool:
    """True when ``s`` ends with 。！？…… (or ASCII .?!) plus optional closing quotes/brackets."""
    return bool(_TERMINAL_RE.search(s))


def ends_clause(s: str) -> bool:
    """True when ``s`` ends a sentence or a clause that closes a paragraph in clean text (；：)."""
    return bool(_CLAUSE_END_RE.search(s))


def standalone_kind(line: str) -> ParagraphKind | None:
    """The kind of a line that always stands alone (marker, caption, byline), else None."""
    if _MARKER_RE.match(line):
        return ParagraphKind.MARKER
    if _CAPTION_RE.match(line):
        return ParagraphKind.CAPTION
    if _BYLINE_RE.match(line) and "。" not in line and "，" not in line:
        return ParagraphKind.BYLINE
    return None


def balanced(s: str) -> bool:
    """Whether quotes and brackets open and close as often in ``s``."""
    return all(s.count(o) == s.count(c) for o, c in ("“”", "「」", "『』", "（）", "()", "《》"))


def heading_text(joined: str) -> bool:
    """Short, no sentence punctuation, balanced, not ending open: text that can be a heading."""
    return (
        len(joined) <= 50
        and not ends_sentence(joined)
        and not SENTENCE_PUNCT_RE.search(joined)
        and balanced(joined)
        and not joined.endswith(("，", "、", "：", ",", ":"))
    )


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


# A number cut by a line end: digits (and a decimal or thousands separator) at the end of one line, digits
# (or a separator and digits) at the start of the next. Only in Chinese text: the number touches a CJK
# character, %, ‰ or the start of the line on one side (``在 2023`` / ``2024 年`` in English keeps its space).
_NUMBER_TAIL = re.compile(r"(?:^|(?P<before>.))(?:\d[\d,.]*\d|\d)(?P<sep>[,.]?)$")
_NUMBER_HEAD = re.compile(r"^(?P<sep>[,.]?)(?:\d[\d,.]*\d|\d)(?P<after>.?)")
_NUMBER_UNITS = frozenset("%‰％年月日")
_NUMBER_CONTEXT = re.compile(r"[%‰％\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def continues_number(prev: str, line: str) -> bool:
    """True when ``line`` goes on with a number that ``prev`` ends with: ``2`` + ``024年``, ``1,2`` +
    ``50户``, ``18.`` + ``5%``, ``10`` + ``%`` (such a line never starts a paragraph, and is joined without
    a space)."""
    tail = _NUMBER_TAIL.search(prev)
    if tail is not None and not tail["sep"] and line[:1] in _NUMBER_UNITS:
        return True  # ``10`` + ``%…``, ``2024`` + ``年…``
    head = _NUMBER_HEAD.match(line) if tail else None
    if tail is None or head is None or (tail["sep"] and head["sep"]):
        return False
    before, after = tail["before"] or "", head["after"]
    return not before or bool(_NUMBER_CONTEXT.match(before)) or bool(after and _NUMBER_CONTEXT.match(after))


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines: nothing between CJK, one space between Latin words or numbers, none inside a
    number cut by the line end (:func:`continues_number`)."""
    out: list[str] = []
    prev = ""
    for part in parts:
        if prev and _LATIN_END.search(prev) and _LATIN_START.match(part) and not continues_number(prev, part):
            out.append(" ")
        out.append(part)
        prev = part or prev
    return "".join(out)
