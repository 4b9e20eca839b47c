"""Traditional vs simplified Chinese: detection per document and conversion (OpenCC).

The original text is always kept; the simplified form is for term matching and,
on request (``--to-simplified``), for MT input.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

# Detection looks at this many characters from the start of the text: enough for
# a stable vote, and keeps a 20 MB file fast.
_SAMPLE_CHARS = 200_000


@lru_cache(maxsize=2)
def _converter(config: str):
    from opencc import OpenCC

    return OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert traditional characters and phrases to simplified (OpenCC ``t2s``).

    Args:
        text: Any Chinese text; simplified text passes through unchanged.

    Returns:
        The simplified form.
    """
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """Convert simplified text to traditional (OpenCC ``s2t``)."""
    return _converter("s2t").convert(text)


def script_votes(text: str) -> tuple[int, int]:
    """Count characters that only exist in one script.

    Returns:
        ``(traditional, simplified)``: occurrences of characters that OpenCC
        changes when converting to simplified (and not the other way), and of
        characters it changes when converting to traditional.
    """
    counts = Counter(c for c in text[:_SAMPLE_CHARS] if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    t2s, s2t = _converter("t2s"), _converter("s2t")
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
