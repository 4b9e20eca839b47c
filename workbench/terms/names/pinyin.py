"""Hanyu Pinyin for names: readings from pypinyin, written by the national orthography.

* GB/T 16159-2012: the syllables of one word are written together; an apostrophe goes before a
  syllable that starts with a, o or e when it is not the first of the word (``Xi'an``, ``Fo'an``,
  ``Tian'anmen``); ü is kept (``Lü``) and tone marks are dropped, as English-language news does.
* GB/T 28039-2011: a word of a name starts with a capital letter.

Readings come from pypinyin (MIT), which resolves many polyphonic characters from its phrase
dictionary; :func:`readings` lists a character's distinct readings without tones, so a character
whose readings differ only in tone (燕 yàn/yān) counts as having one reading.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_VOWEL_START = ("a", "o", "e")


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    return bool(ch) and bool(_HAN_RE.fullmatch(ch))


def all_han(text: str) -> bool:
    """True when ``text`` is non-empty and every character is a CJK ideograph."""
    return bool(text) and all(is_han(c) for c in text)


@lru_cache(maxsize=8192)
def readings(ch: str) -> tuple[str, ...]:
    """The distinct toneless readings of one character, most common first (``("le", "yue")`` for 乐)."""
    out: list[str] = []
    for r in pinyin(ch, style=Style.NORMAL, heteronym=True, v_to_u=True)[0]:
        if r and r not in out and r.isalpha():
            out.append(r)
    return tuple(out)


def syllables(text: str) -> list[str]:
    """Toneless syllables of ``text`` read as one phrase (pypinyin's phrase dictionary decides)."""
    return [s for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=True) if s]


def from_numbered(numbered: str) -> list[str]:
    """Syllables of a CC-CEDICT pinyin string (``"Ji2 an1"`` -> ``["ji", "an"]``, ``u:`` -> ``ü``)."""
    out = []
    for token in numbered.split():
        s = token.rstrip("012345").lower().replace("u:", "ü").replace("v", "ü")
        if s.isalpha():
            out.append(s)
    return out


def join_word(sylls: list[str] | tuple[str, ...]) -> str:
    """One word of pinyin: syllables joined, apostrophe before a/o/e, first letter capitalised."""
    word = ""
    for i, s in enumerate(sylls):
        s = s.lower()
        if i and s.startswith(_VOWEL_START):
            word += "'"
        word += s
    return word[:1].upper() + word[1:]


def plain(text: str) -> str:
    """Lower case letters only (ü as u): for comparing renderings that differ in style only."""
    text = text.lower().replace("ü", "u").replace("ǚ", "u")
    return "".join(c for c in text if c.isalpha() and c.isascii())


def without_umlaut(text: str) -> str:
    """``Lü`` -> ``Lu`` (the form most English-language media print)."""
    return text.replace("ü", "u").replace("Ü", "U")


def yu_form(text: str) -> str:
    """``Lü`` -> ``Lyu``, ``Nü`` -> ``Nyu`` (the form of passports since 2012)."""
    return re.sub(r"([LlNn])ü", lambda m: m.group(1) + "yu", text).replace("ü", "u")
