"""Folding text for search (concordance): one character in, one character out, so offsets found in the
folded text are offsets in the original.

Folded: traditional characters to simplified (OpenCC's character table, not its phrases, which may
change the length), full-width ASCII and the ideographic space to their half-width forms, letters to
lower case.
"""

from __future__ import annotations

from functools import lru_cache

from workbench.text.script import converter, traditional_chars


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    conv = converter("t2s")
    table: dict[int, str] = {}
    for ch in traditional_chars():
        simple = conv.convert(ch)
        if len(simple) == 1 and simple != ch:
            table[ord(ch)] = simple
    for o in range(0xFF01, 0xFF5F):
        table[o] = chr(o - 0xFEE0).lower()
    table[0x3000] = " "
    return table


def fold_for_search(text: str) -> str:
    """``text`` folded for search, with exactly as many characters as ``text``.

    Args:
        text: Any text.

    Returns:
        Simplified, half-width, lower-case text of the same length.
    """
    out = text.translate(_table())
    low = out.lower()
    if len(low) == len(out):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in out)


def search_tokens(folded: str) -> list[str]:
    """The index tokens of folded text: each letter or digit (``str.isalnum``) and each pair of neighbouring
    ones (other characters skipped), in order (repeats kept: the index does not mind them)."""
    chars = [c for c in folded if c.isalnum()]
    return chars + list(map(str.__add__, chars, chars[1:]))


def query_tokens(folded: str) -> list[str]:
    """The tokens a folded query needs every hit to hold: its pairs, or its one letter or digit."""
    tokens = list(dict.fromkeys(search_tokens(folded)))
    pairs = [t for t in tokens if len(t) == 2]
    return pairs or tokens


def find_spans(folded_text: str, folded_query: str) -> list[tuple[int, int]]:
    """Every non-overlapping ``(start, end)`` of ``folded_query`` in ``folded_text``."""
    spans: list[tuple[int, int]] = []
    if not folded_query:
        return spans
    start = folded_text.find(folded_query)
    while start >= 0:
        spans.append((start, start + len(folded_query)))
        start = folded_text.find(folded_query, start + len(folded_query))
    return spans
