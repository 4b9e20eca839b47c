"""Word boundaries and part-of-speech tags from a Chinese lexical analyser (jieba), loaded on first use.

jieba (MIT licence, its dictionary of 349,000 words with their tags is part of the package, nothing is
downloaded) cuts a paragraph into words with its HMM for unknown words; each word takes the tag its
dictionary gives it, and a word the dictionary lacks (a new name, mostly) is tagged by jieba's
character-level tagger. That is jieba's own ``posseg`` result on known words at about twice its speed.

The tags used here (ICTCLAS set): ``nr`` personal name, ``nrt``/``nrfg`` transliterated or other
personal name, ``ns`` place name, ``nt`` organisation; function words and verbs (:data:`FUNCTION_TAGS`,
:data:`VERB_TAGS`) cannot start a place name.
"""

from __future__ import annotations

import logging
import threading
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Tags of words that never start a name: pronouns (这个, 我们), conjunctions (除非), prepositions,
#: auxiliaries (着, 了), adverbs, numerals and measure words, distinguishing words (整个), time
#: words, modal particles and interjections.
FUNCTION_TAGS = frozenset(
    {
        "r",
        "rr",
        "rz",
        "c",
        "p",
        "u",
        "uj",
        "ul",
        "uz",
        "ud",
        "ug",
        "uv",
        "d",
        "m",
        "mq",
        "q",
        "b",
        "t",
        "y",
        "e",
        "o",
        "zg",
    }
)
#: Verb tags (离开, 盯着 ...).
VERB_TAGS = frozenset({"v", "vd", "vg", "vi", "vq"})
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})
PLACE_TAGS = frozenset({"ns"})
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a paragraph: its text, its offset, its part-of-speech tag, and whether jieba's
    dictionary lists it (else the HMM found it: new words, mostly names)."""

    word: str
    start: int
    tag: str
    known: bool = False

    @property
    def end(self) -> int:
        """Offset one past the word."""
        return self.start + len(self.word)


class Segmentation:
    """The words of one paragraph, indexed by offset."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        end = tokens[-1].end if tokens else 0
        self._at = array("l", [0]) * end
        for k, t in enumerate(tokens):
            self._at[t.start : t.end] = array("l", [k]) * len(t.word)

    def token_at(self, i: int) -> Token | None:
        """The word covering offset ``i``."""
        return self.tokens[self._at[i]] if 0 <= i < len(self._at) else None

    def is_boundary(self, i: int) -> bool:
        """True when a word starts (or the paragraph ends) at offset ``i``."""
        t = self.token_at(i)
        return t is None or t.start == i

    def words_in(self, start: int, end: int) -> list[Token]:
        """The words overlapping ``start:end``, in order."""
        out: list[Token] = []
        i = start
        while i < end:
            t = self.token_at(i)
            if t is None:
                i += 1
                continue
            out.append(t)
            i = t.end
        return out

    def name_start(self, start: int, end: int) -> int:
        """Where a name ending at ``end`` can start at the earliest, from ``start`` on.

        The start moves to a word boundary, then past the last function word (这个, 我们, 除非, 整个,
        着 of 盯着) and the last verb of two or more characters followed by another word (离开 of
        离开狼村) inside ``start:end``.
        """
        words = self.words_in(start, end)
        first = 1 if words and words[0].start < start else 0
        for k in range(first, len(words)):
            w = words[k]
            if w.tag in FUNCTION_TAGS or (w.tag in VERB_TAGS and len(w.word) > 1 and k + 1 < len(words)):
                first = k + 1
        return words[first].start if first < len(words) else end

    def function_word_in(self, start: int, end: int) -> bool:
        """True when a function word (pronoun, auxiliary, conjunction ...) lies inside ``start:end``."""
        return any(
            w.tag in FUNCTION_TAGS or (w.tag in VERB_TAGS and len(w.word) > 1)
            for w in self.words_in(start, end)
            if w.start >= start and w.end <= end
        )


@lru_cache(maxsize=1)
def _jieba() -> tuple[Any, Any, dict[str, str]]:
    """jieba's tokenizer, its tagger and its word-tag table (the dictionary loads once, ~1-2 s)."""
    with _LOCK:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        return jieba.dt, jieba.posseg.dt, jieba.posseg.dt.word_tag_tab


@lru_cache(maxsize=65536)
def _tag_unknown(word: str) -> tuple[tuple[str, str], ...]:
    _, tagger, _ = _jieba()
    return tuple((p.word, p.flag) for p in tagger.cut(word))


def segment(text: str) -> Segmentation:
    """The words of ``text`` with their tags."""
    tokenizer, _, tags = _jieba()
    freq = tokenizer.FREQ
    tokens: list[Token] = []
    pos = 0
    for word in tokenizer.cut(text):
        tag = tags.get(word)
        if tag is not None or len(word) == 1:
            tokens.append(Token(word, pos, tag or "x", bool(freq.get(word))))
            pos += len(word)
            continue
        for part, flag in _tag_unknown(word):
            tokens.append(Token(part, pos, flag))
            pos += len(part)
    return Segmentation(tokens)


def transliterated_words() -> list[str]:
    """Words of three or more characters jieba's dictionary tags as transliterated names (``nrt``)."""
    _, _, tags = _jieba()
    return [w for w, t in tags.items() if t == "nrt" and len(w) >= 3]
