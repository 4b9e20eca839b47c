"""Names in running text, where no byline, title or speech verb stands around them.

The lexical analyser (:mod:`workbench.terms.names.analyser`) tags personal and place names; a tagged
word becomes a candidate when it recurs in the document (a name a story is about comes back), or when
CC-CEDICT lists it as a place or a foreign personal name. Besides:

* foreign names written with an interpunct (``唐纳德·特朗普``) are names by their form;
* a surname followed by a family role (``曾婆婆``, ``华叔``) is a personal name when it recurs or a
  word that follows names (说, 笑着 ...) comes after it.

Words CC-CEDICT lists as everyday words (体操, 顾问, which jieba's dictionary tags as names) and proper
nouns that are neither places nor personal names (countries, peoples) are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from workbench.terms.names.analyser import FUNCTION_TAGS, PERSON_TAGS, PLACE_TAGS, VERB_TAGS, Segmentation
from workbench.terms.names.cedict import NameDictionary
from workbench.terms.names.cues import FOLLOW_CHARS, FOLLOW_WORDS, NOT_NAMES, TITLES_BEFORE
from workbench.terms.names.found import Found
from workbench.terms.names.model import NameKind, Pattern
from workbench.terms.names.persons import FAMILY_ROLES
from workbench.terms.names.pinyin import all_han, is_han
from workbench.terms.names.places import GENERICS
from workbench.terms.names.surnames import COMMON, surname_at

#: Characters Chinese given names hardly use and transliterations of foreign names often do.
TRANSLITERATION = frozenset("斯尔夫蒂萨埃奥乌卡顿兹勒纳伊")
_ROLE = re.compile("[" + "".join(sorted(COMMON)) + "](?:" + "|".join(sorted(FAMILY_ROLES, key=len, reverse=True)) + ")")
_DOTTED = re.compile(r"[\u4e00-\u9fff]+(?:·[\u4e00-\u9fff]+)+")
MAX_PART = 6
#: Tags of a word the analyser cut off a surname that can be the given name (小雨/nr, 建国/ns).
_GIVEN_TAGS = PERSON_TAGS | PLACE_TAGS | {"nz"}


def looks_foreign(name: str) -> bool:
    """True when ``name`` reads as a transliteration rather than a Chinese surname and given name."""
    return "·" in name or any(c in TRANSLITERATION for c in name)


def chinese_person(name: str, words: NameDictionary) -> bool:
    """Whether ``name`` can be a Chinese personal name that is not also an everyday word."""
    surname = surname_at(name, 0)
    return (surname is not None and len(name) - len(surname) in (1, 2) and all_han(name)
            and name not in NOT_NAMES and name[len(surname):] not in NOT_NAMES and not words.is_word(name)
            and not words.is_proper(name) and not any(name.endswith(t) for t in TITLES_BEFORE)
            and not looks_foreign(name))


def _candidates(text: str, seg: Segmentation) -> Iterator[tuple[str, int, str, bool]]:
    """``(word, start, tag, known)`` of the names the analyser tags, and of a surname it cut off its given name.

    jieba cuts 林小雨 as 林 + 小雨 and 周建国 as 周 + 建国 (the given names are words of its
    dictionary): a single-character surname followed by a one- or two-character content word is a
    candidate too.
    """
    tokens = seg.tokens
    skip = -1
    for k, t in enumerate(tokens):
        if k == skip:
            continue
        if "·" in text[t.start - 1 : t.start] + text[t.end : t.end + 1]:
            continue  # a part of an interpunct name: the whole name is found by its form
        if len(t.word) == 1 and t.word in COMMON and t.tag not in FUNCTION_TAGS and k + 1 < len(tokens):
            nxt = tokens[k + 1]
            if 1 <= len(nxt.word) <= 2 and all_han(nxt.word) and nxt.tag in _GIVEN_TAGS:
                yield t.word + nxt.word, t.start, "nr", False
                skip = k + 1
                continue
        if (t.tag in PERSON_TAGS or t.tag in PLACE_TAGS) and len(t.word) >= 2:
            yield t.word, t.start, t.tag, t.known


def tagged_names(paragraphs: list[tuple[int, str, Segmentation]], words: NameDictionary) -> Iterator[Found]:
    """Personal and place names the analyser tags that recur, or that CC-CEDICT confirms."""
    found_in = [(par, list(_candidates(text, seg))) for par, text, seg in paragraphs]
    counts: Counter[str] = Counter(w for _, cands in found_in for w, _, _, _ in cands)
    for par, cands in found_in:
        for word, start, tag, known in cands:
            if words.is_word(word):
                continue
            found = _judge(word, tag, counts[word], words, known)
            if found is not None:
                kind, conf, reason = found
                yield Found(word, kind, Pattern.RECURRING if kind is NameKind.PERSON else Pattern.ANALYSER_PLACE,
                            par, start, conf, reason, word if kind is NameKind.PLACE else "")


def _judge(word: str, tag: str, count: int, words: NameDictionary, known: bool) -> tuple[NameKind, float, str] | None:
    """Kind and confidence of a tagged word seen ``count`` times, or None when it is not proposed.

    ``known``: jieba's dictionary lists the word, whose name tags are often wrong (文明, 高水平 are
    tagged ``nr`` there); a Chinese personal name the dictionary lists is left to the cues.
    """
    place = words.place(word)
    if place is not None and place.headword == word:
        if place.major or count > 1:
            return NameKind.PLACE, 0.9 if count > 1 else 0.85, ""
        return None
    if words.person(word) is not None:
        return None  # found as a CC-CEDICT name already
    if words.foreign_name(word) is not None:
        return NameKind.PERSON, 0.9 if count > 1 else 0.85, ""
    if words.is_proper(word) or any(word.endswith(g) for g in GENERICS) or not all_han(word):
        return None  # a country or a people; a place with its generic is found by its generic
    if count < 2:
        return None
    if tag in PERSON_TAGS and chinese_person(word, words) and tag != "nrt" and not known:
        return NameKind.PERSON, 0.9 if count > 2 else 0.85, ""
    if tag in PERSON_TAGS and looks_foreign(word) and len(word) >= 2:
        return NameKind.PERSON, 0.85, "a transliterated name the analyser tags"
    if tag in PLACE_TAGS:
        return NameKind.PLACE, 0.85 if count > 2 else 0.8, "a place name the analyser tags"
    return None


def dotted_names(par: int, text: str, seg: Segmentation, words: NameDictionary) -> Iterator[Found]:
    """Foreign personal names written with interpuncts (``萨拉·丹尼尔斯``)."""
    for m in _DOTTED.finditer(text):
        start, end = m.start(), m.end()
        first_dot, last_dot = text.index("·", start), text.rindex("·", start, end)
        begin = _part_edge(seg, words, first_dot, start, backwards=True)
        stop = _part_edge(seg, words, last_dot + 1, end, backwards=False)
        if first_dot - begin < 1 or stop - last_dot - 1 < 1:
            continue
        yield Found(text[begin:stop], NameKind.PERSON, Pattern.FOREIGN, par, begin, 0.9)


def _part_edge(seg: Segmentation, words: NameDictionary, at: int, limit: int, backwards: bool) -> int:
    """Where the name part next to an interpunct at ``at`` ends: words up to a function or everyday word."""
    edge = at
    while (edge > limit) if backwards else (edge < limit):
        t = seg.token_at(edge - 1 if backwards else edge)
        if t is None or t.tag in FUNCTION_TAGS or t.tag in VERB_TAGS or (len(t.word) > 1 and words.is_word(t.word)):
            break
        nxt = max(t.start, limit) if backwards else min(t.end, limit)
        if abs(at - nxt) > MAX_PART:
            break
        edge = nxt
    return edge


def family_roles(paragraphs: list[tuple[int, str, Segmentation]]) -> Iterator[Found]:
    """Surnames with a family role (曾婆婆, 华叔) that recur or are followed by a word that follows names."""
    hits: list[tuple[int, str, int, bool]] = []
    for par, text, seg in paragraphs:
        for m in _ROLE.finditer(text):
            s, e = m.start(), m.end()
            if not seg.is_boundary(s) or not seg.is_boundary(e) or (s > 0 and is_han(text[s - 1])
                                                                    and not seg.is_boundary(s)):
                continue
            cue = text[e : e + 1] in FOLLOW_CHARS or any(text.startswith(w, e) for w in FOLLOW_WORDS)
            hits.append((par, m.group(0), s, cue))
    counts = Counter(h[1] for h in hits)
    for par, name, s, cue in hits:
        if counts[name] > 1 or cue:
            yield Found(name, NameKind.PERSON, Pattern.FAMILY_ROLE, par, s, 0.9 if counts[name] > 1 else 0.85)
