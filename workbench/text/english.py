"""English sentence splitting (for aligning English documents with Chinese ones).

Rules in the manner of OmegaT's English SRX set, extended where it measured better: a sentence ends
after ``.``, ``?``, ``!`` or ``…`` (closing quotes and brackets go with it) that is followed by
whitespace and then something that can start a sentence (an upper-case letter, a digit, an opening
quote or bracket). It does not end after

* a known abbreviation (``Mr.``, ``Dr.``, ``e.g.``, ``U.S.``, ``Jan.``, ``No.``, ``approx.`` ...),
  unless the abbreviation is one that often ends a sentence (``etc.``, ``Inc.``, ``U.S.``) and the next
  word is a common sentence opener;
* a single capital letter (an initial: ``J. R. R. Tolkien``) or a run of dotted letters (``a.m.``);
* a number's point (``3.5``, no whitespace after it) or a list number at the start (``1. Item``);
* a ``?``/``!`` inside quotes that the sentence goes on after (``"Why?" he asked.``: the next word is
  lower-case).

Measured once against pysbd 0.3.4 (installed apart, not a dependency) on FLORES-200 devtest English
joined into paragraphs (see ``docs/how-to/align.md``): about as accurate and over ten times faster, so it is the
one used.
"""

from __future__ import annotations

import re

#: Abbreviations after which a full stop does not end a sentence (lower-case, without the final dot).
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "rev",
        "hon",
        "messrs",
        "mme",
        "vs",
        "v",
        "cf",
        "al",
        "approx",
        "ca",
        "est",
        "dept",
        "univ",
        "assn",
        "bros",
        "corp",
        "co",
        "ltd",
        "inc",
        "plc",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "p",
        "fig",
        "figs",
        "eq",
        "ed",
        "eds",
        "art",
        "arts",
        "sec",
        "ch",
        "chap",
        "para",
        "op",
        "cit",
        "ibid",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "d.c",
        "etc",
    ]
)
#: Abbreviations that often end a sentence: the split happens when the next word opens one.
ENDING_ABBREVIATIONS = frozenset(
    {"etc", "inc", "ltd", "co", "corp", "plc", "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m"}
)
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "there",
        "here",
        "in",
        "on",
        "at",
        "for",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "however",
        "meanwhile",
        "then",
        "when",
        "while",
        "if",
        "as",
        "after",
        "before",
        "since",
        "during",
        "his",
        "her",
        "their",
        "our",
        "my",
        "what",
        "who",
        "how",
        "why",
        "where",
        "which",
        "many",
        "most",
        "some",
        "one",
        "two",
        "three",
        "both",
        "each",
        "all",
        "no",
        "not",
    ]
)

_CANDIDATE = re.compile(r"([.?!…]+|\.\.\.)([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[\w])")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]?([\w'’-]+)")


def _abbreviation(before: str) -> str | None:
    """The abbreviation (lower-case, final dot removed) that ``before`` ends with, if any."""
    m = _WORD_BEFORE.search(before)
    if not m:
        return None
    word = m.group(1).lstrip("'’-(").rstrip(".")
    low = word.lower()
    if low in ABBREVIATIONS:
        return low
    if len(word) == 1 and word.isalpha() and word.isupper():
        return low  # an initial
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return low  # a.m, U.S.A
    return None


def _breaks_here(text: str, m: re.Match[str]) -> bool:
    """Whether the candidate break ``m`` (punctuation, closers, whitespace) ends a sentence."""
    punct = m.group(1)
    nxt = _NEXT_WORD.match(text, m.end())
    next_word = nxt.group(1) if nxt else ""
    if not next_word:
        return False
    starts_upper = next_word[0].isupper() or next_word[0].isdigit()
    if punct != ".":
        # ?, !, …: a quoted question the sentence goes on after ("Why?" he asked) has a lower-case next word.
        return starts_upper or not next_word[0].isalpha()
    abbr = _abbreviation(text[: m.start(1)])
    if abbr is not None:
        return abbr in ENDING_ABBREVIATIONS and next_word.lower() in _OPENERS and next_word[0].isupper()
    before = text[: m.start(1)].rstrip()
    if re.fullmatch(r"\s*\d{1,2}", before):
        return False  # "1. Item" at the start of a paragraph
    return starts_upper


def split_english(text: str) -> list[str]:
    """Split an English paragraph into sentences (whitespace between them dropped, none inside changed).

    Args:
        text: One paragraph (newlines are treated as spaces).

    Returns:
        The sentences in order; their concatenation with the dropped whitespace restored is ``text``.
        An empty or blank text gives an empty list.
    """
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        if _breaks_here(text, m):
            piece = text[start : m.start(3)].strip()
            if piece:
                out.append(piece)
            start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
