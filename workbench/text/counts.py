"""The counts translators are paid and planned by: Han characters, characters without spaces, English
words. Each is defined so that a person can check it by hand (docs/how-to/cat-tools.md, "Counts")."""

from __future__ import annotations

import re

#: The Unicode blocks of Han ideographs: CJK Unified Ideographs and Extensions A-H, the compatibility
#: ideographs and their supplement. Chinese punctuation, full-width letters and digits are not Han.
HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EE5F),
    (0x2F800, 0x2FA1F),
    (0x30000, 0x323AF),
)
#: An English word: letters or digits, with inner apostrophes or hyphens (``women's``, ``well-being``,
#: ``2023``, ``3.5`` count one each).
_WORD = re.compile(r"[^\W_]+(?:[’'.,\-][^\W_]+)*")
# Counting runs in C (a 20-million-character segment is counted in well under a second): what is not
# Han, or is whitespace, is removed and the rest measured.
_NOT_HAN = re.compile("[^" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES) + "]+")
_SPACE = re.compile(r"\s+")  # for str patterns, ``\s`` is exactly ``str.isspace``


def is_han(ch: str) -> bool:
    """True for a Han ideograph (see :data:`HAN_RANGES`)."""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in HAN_RANGES)


def han_characters(text: str) -> int:
    """The number of Han ideographs in ``text``."""
    return len(_NOT_HAN.sub("", text))


def characters(text: str) -> int:
    """The number of characters that are not whitespace (punctuation, digits, Latin letters included)."""
    return len(_SPACE.sub("", text))


def english_words(text: str | None) -> int:
    """The number of English words in ``text`` (0 for None): runs of letters and digits, joined by an
    inner apostrophe, hyphen, full stop or comma (``women's``, ``well-being``, ``3.5``, ``10,000``)."""
    return len(_WORD.findall(text)) if text else 0
