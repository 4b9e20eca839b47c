"""Traditional vs simplified Chinese: detection per document and conversion (OpenCC).

The original text is always kept; the simplified form is for term matching and,
on request (``--to-simplified``), for MT input.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

# Detection looks at this many characters from the start of the text: enough for
# a stable vote, and keeps a 20 MB file fast.
_SAMPLE_CHARS = 200_000


@lru_cache(maxsize=4)
def converter(config: str = "t2s") -> Any:
    """The cached OpenCC converter for ``config`` (``t2s``: traditional to simplified; ``s2t``: back)."""
    from opencc import OpenCC

    return OpenCC(config)


@lru_cache(maxsize=1)
def traditional_chars() -> frozenset[str]:
    """Every character that OpenCC ``t2s`` may change: a text without any is left as it is."""
    import os

    import opencc

    folder = os.path.join(os.path.dirname(opencc.__file__), "dictionary")
    chars: set[str] = set()
    for name in ("TSCharacters.txt", "TSPhrases.txt"):
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            for line in fh:
                key, _, value = line.rstrip("\n").partition("\t")
                value = value.split(" ")[0]
                if len(key) != len(value):
                    chars.update(key)
                else:
                    chars.update(k for k, v in zip(key, value, strict=True) if k != v)
    return frozenset(chars)


def needs_t2s(text: str) -> bool:
    """False when OpenCC ``t2s`` would certainly leave ``text`` unchanged (the common, fast case)."""
    return not traditional_chars().isdisjoint(text)


def to_simplified(text: str) -> str:
    """Convert traditional characters and phrases to simplified (OpenCC ``t2s``).

    Args:
        text: Any Chinese text; simplified text passes through unchanged (and fast).

    Returns:
        The simplified form.
    """
    if not needs_t2s(text):
        return text
    return str(converter("t2s").convert(text))


def to_traditional(text: str) -> str:
    """Convert simplified text to traditional (OpenCC ``s2t``)."""
    return str(converter("s2t").convert(text))


def script_votes(text: str) -> tuple[int, int]:
    """Count characters that only exist in one script.

    Returns:
        ``(traditional, simplified)``: occurrences of characters that OpenCC
        changes when converting to simplified (and not the other way), and of
        characters it changes when converting to traditional.
    """
    counts = Counter(
        c for c in text[:_SAMPLE_CHARS] if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"
    )
    t2s, s2t = converter("t2s"), converter("s2t")
    trad = simp = 0
    for ch, n in counts.items():
        as_simp = t2s.convert(ch)
        as_trad = s2t.convert(ch)
        if as_simp != ch and as_trad == ch:
            trad += n
        elif as_trad != ch and as_simp == ch:
            simp += n
    return trad, simp


def detect_script(text: str) -> str:
    """Tell whether a document is written in traditional or simplified characters.

    Args:
        text: The document (only its first 200,000 characters are looked at).

    Returns:
        ``"traditional"`` when traditional-only characters outnumber
        simplified-only ones, else ``"simplified"`` (also for text with no
        distinguishing characters).
    """
    trad, simp = script_votes(text)
    return "traditional" if trad > simp else "simplified"
