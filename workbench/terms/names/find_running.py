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
from functools import lru_cache

from workbench.terms.names.analyser import (
    FUNCTION_TAGS,
    PERSON_TAGS,
    PLACE_TAGS,
    VERB_TAGS,
    Segmentation,
    Token,
)
from workbench.terms.names.cedict import NameDictionary
from workbench.terms.names.cues import FOLLOW_CHARS, FOLLOW_WORDS, NOT_NAMES, TITLES_BEFORE
from workbench.terms.names.found import Found, occurrences
from workbench.terms.names.model import NameKind, Pattern
from workbench.terms.names.persons import FAMILY_ROLES
from workbench.terms.names.pinyin import all_han, is_han
from workbench.terms.names.places import GENERICS
from workbench.terms.names.surnames import COMMON, surname_at

#: Characters Chinese given names hardly use and transliterations of foreign names often do.
TRANSLITERATION = frozenset("斯尔夫蒂萨埃奥乌卡顿兹勒纳伊")
_ROLE = re.compile(
    "[" + "".join(sorted(COMMON)) + "](?:" + "|".join(sorted(FAMILY_ROLES, key=len, reverse=True)) + ")"
)
MAX_PART = 10
_COUNTRY = re.compile(r"^[^,]+, capital [A-Z]")  # Armenia, capital Yerevan
#: Function characters and others that end a transliterated name part (由瑞恩 is 由 + 瑞恩).
NOT_TRANSLITERATION = frozenset(
    "的了在和与及对到从向为是将把被给由自等同跟以或而并且也都就还又再很最更已之其此该各州长曾则因博士秀一二三四五六七八九十百千万零"
)
DOTS = ("·", "•", "・")
#: Tags of a word the analyser cut off a surname that can be the given name (小雨/nr, 建国/ns).
_GIVEN_TAGS = PERSON_TAGS | PLACE_TAGS | {"nz"}


def looks_foreign(name: str) -> bool:
    """True when ``name`` reads as a transliteration rather than a Chinese surname and given name."""
    return "·" in name or any(c in TRANSLITERATION for c in name)


def chinese_person(name: str, words: NameDictionary) -> bool:
    """Whether ``name`` can be a Chinese personal name that is not also an everyday word."""
    surname = surname_at(name, 0)
    return (
        surname is not None
        and len(name) - len(surname) in (1, 2)
        and all_han(name)
        and name not in NOT_NAMES
        and name[len(surname) :] not in NOT_NAMES
        and not words.is_word(name)
        and not words.is_proper(name)
        and not any(name.endswith(t) for t in TITLES_BEFORE)
        and not looks_foreign(name)
    )


def _candidates(text: str, seg: Segmentation) -> Iterator[tuple[str, int, str, bool]]:
    """``(word, start, tag, known)`` of the names the analyser tags, and of a surname it cut off its given name.

    jieba cuts 林小雨 as 林 + 小雨 and 周建国 as 周 + 建国 (the given names are words of its
    dictionary): a single-character surname followed by a one- or two-character content word is a
    candidate too.
    """
    tokens = seg.tokens
    dotted = any(d in text for d in DOTS)
    skip = -1
    for k, t in enumerate(tokens):
        if k == skip:
            continue
        if dotted and any(d in text[t.start - 1 : t.start] + text[t.end : t.end + 2] for d in DOTS):
            continue  # a part of an interpunct name: the whole name is found by its form
        if len(t.word) == 1 and t.word in COMMON and t.tag not in FUNCTION_TAGS and k + 1 < len(tokens):
            nxt = tokens[k + 1]
            if 1 <= len(nxt.word) <= 2 and all_han(nxt.word) and nxt.tag in _GIVEN_TAGS:
                yield t.word + nxt.word, t.start, "nr", False
                skip = k + 1
                continue
        if (
            (t.tag in PERSON_TAGS or t.tag in PLACE_TAGS)
            and len(t.word) >= 2
            and text[t.end : t.end + 1] not in ("岛州省市县区镇乡村")
        ):  # 纽埃 of 纽埃岛: part of a longer name
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
                yield Found(
                    word,
                    kind,
                    Pattern.RECURRING if kind is NameKind.PERSON else Pattern.ANALYSER_PLACE,
                    par,
                    start,
                    conf,
                    reason,
                    word if kind is NameKind.PLACE else "",
                )


def _judge(
    word: str, tag: str, count: int, words: NameDictionary, known: bool
) -> tuple[NameKind, float, str] | None:
    """Kind and confidence of a tagged word seen ``count`` times, or None when it is not proposed.

    ``known``: jieba's dictionary lists the word, whose name tags are often wrong (文明, 高水平 are
    tagged ``nr`` there); a Chinese personal name the dictionary lists is left to the cues.
    """
    place = words.place(word)
    if (
        place is not None
        and place.headword == word
        and not _COUNTRY.match(place.definition)
        and not (place.definition.endswith(("(name)", "surname)")))
    ):
        if place.major or place.is_exonym:
            return NameKind.PLACE, 0.9 if count > 1 else 0.85, ""
        return (
            (NameKind.PLACE, 0.75, "a minor place CC-CEDICT lists; the word may mean something else here")
            if count > 1
            else None
        )
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
        return NameKind.PLACE, 0.75, "a place name only the analyser tags"
    return None


def dotted_names(par: int, text: str, seg: Segmentation, words: NameDictionary) -> Iterator[Found]:
    """Foreign personal names written with interpuncts (``萨拉·丹尼尔斯``), found from each interpunct.

    A part is made of characters CC-CEDICT's foreign names use, up to a function word, a verb or an
    everyday word (主唱史蒂芬·泰勒 gives 史蒂芬·泰勒).
    """
    dot = _next_dot(text, 0)
    while dot >= 0:
        first = last = dot
        while True:  # the chain of parts joined by interpuncts: 林登·贝恩斯·约翰逊
            nxt = _next_dot(text, last + 1)
            middle = text[last + 1 : nxt]
            if (
                nxt < 0
                or len(middle) > MAX_PART
                or not middle
                or not all_han(middle)
                or any(c in NOT_TRANSLITERATION or c in "和与及" for c in middle)
            ):
                break
            last = nxt
        dot = _next_dot(text, last + 1)
        begin = _part_edge(text, seg, words, first, backwards=True)
        stop = _part_edge(text, seg, words, last + 1, backwards=False)
        name = text[begin:stop]
        translit = transliteration_chars(words)
        parts = _split_dots(name)
        if (
            begin < first
            and stop > last + 1
            and all(
                2 * sum(c in translit for c in part) >= len(part)
                and not NOT_TRANSLITERATION.intersection(part)
                for part in parts
            )
            and not any(
                len(t.word) > 1 and words.is_word(t.word) and t.tag not in PERSON_TAGS
                for t in seg.words_in(begin, stop)
                if t.start >= begin and t.end <= stop
            )
        ):  # 传情·中央大街
            yield Found(text[begin:stop], NameKind.PERSON, Pattern.FOREIGN, par, begin, 0.9)


def _next_dot(text: str, start: int) -> int:
    found = [i for i in (text.find(d, start) for d in DOTS) if i >= 0]
    return min(found) if found else -1


def _part_edge(text: str, seg: Segmentation, words: NameDictionary, at: int, backwards: bool) -> int:
    """Where the name part next to an interpunct at ``at`` ends.

    Characters of transliterations (:func:`transliteration_chars`) are taken up to a function
    character or a dictionary word that is not a name (主唱, 法律顾问, 表现).
    """
    translit = transliteration_chars(words)
    edge = at
    t = seg.token_at(at - 1 if backwards else at)
    if (
        t is not None
        and 1 < len(t.word) <= 4
        and all_han(t.word)
        and t.tag not in FUNCTION_TAGS
        and t.tag not in VERB_TAGS
    ):
        edge = t.start if backwards else t.end  # the analyser's word next to the interpunct: 鲍勃·迪伦
        while backwards and edge < at and text[edge] in NOT_TRANSLITERATION:
            edge += 1  # 由瑞恩 is 由 + 瑞恩
    while abs(edge - at) < MAX_PART:
        i = edge - 1 if backwards else edge
        if i < 0 or i >= len(text) or text[i] not in translit:
            break
        t = seg.token_at(i)
        if t is not None and len(t.word) > 1 and _common_word(t, words):
            break
        edge = i if backwards else i + 1
    return edge


def _common_word(t: Token, words: NameDictionary) -> bool:
    """A word of the dictionaries that is not a name (主唱, 法律顾问, 表现), or a function word."""
    return (
        words.is_word(t.word)
        or t.tag in FUNCTION_TAGS
        or t.tag in VERB_TAGS
        or (t.known and t.tag not in PERSON_TAGS and t.tag not in PLACE_TAGS and t.tag not in ("nz", "x"))
    )


@lru_cache(maxsize=1)
def transliteration_chars(words: NameDictionary) -> frozenset[str]:
    """Characters of foreign names: in two of CC-CEDICT's or ten of jieba's transliterated names."""
    from workbench.terms.names.analyser import transliterated_words

    counts: Counter[str] = Counter()
    for word in transliterated_words():
        counts.update(set(word))
    chars = words.transliteration | {ch for ch, n in counts.items() if n >= 10}
    return frozenset(chars - NOT_TRANSLITERATION)


def name_parts(
    paragraphs: list[tuple[int, str, Segmentation]], named: list[Found], words: NameDictionary
) -> Iterator[Found]:
    """The short form of a name written alone elsewhere, as a word of its own.

    The parts of an interpunct name (高斯林 after 瑞恩·高斯林) are personal names; the specific of a
    state abroad (塔斯马尼亚 of 塔斯马尼亚州) is the place.
    """
    forms: dict[str, NameKind] = {}
    for f in named:
        if f.pattern is Pattern.FOREIGN:
            forms.update((part, NameKind.PERSON) for part in _split_dots(f.source) if len(part) >= 2)
        elif f.kind is NameKind.PLACE and len(f.specific) >= 2 and f.specific != f.source:
            forms[f.specific] = NameKind.PLACE
    inside: dict[int, set[int]] = {}
    for f in named:
        inside.setdefault(f.paragraph, set()).update(range(f.start, f.end))
    translit = transliteration_chars(words)
    segs = {par: (text, seg) for par, text, seg in paragraphs}
    for par, at, form in occurrences(((par, text) for par, text, _ in paragraphs), forms):
        text, seg = segs[par]
        kind, end = forms[form], at + len(form)
        before, after = text[at - 1 : at], text[end : end + 1]
        alone = kind is NameKind.PLACE or (before not in translit and after not in translit)  # not 约翰内斯堡
        if (
            alone
            and (
                seg.is_boundary(at)
                or seg.is_boundary(end)
                or not is_han(before or "。")
                or after in NOT_TRANSLITERATION
                or before in NOT_TRANSLITERATION
            )
            and at not in inside.get(par, ())
        ):
            yield Found(
                form,
                kind,
                Pattern.FOREIGN if kind is NameKind.PERSON else Pattern.ANALYSER_PLACE,
                par,
                at,
                0.85,
                "",
                form if kind is NameKind.PLACE else "",
            )


def _split_dots(name: str) -> list[str]:
    for d in DOTS[1:]:
        name = name.replace(d, DOTS[0])
    return name.split(DOTS[0])


def foreign_states(par: int, text: str, seg: Segmentation, words: NameDictionary) -> Iterator[Found]:
    """States and provinces abroad written with 州 (俄亥俄州 Ohio, 加州 California) that CC-CEDICT names."""
    at = text.find("州")
    while at > 0:
        if not seg.is_boundary(at + 1):  # 加利福尼亚州长: 州长 is the governor
            at = text.find("州", at + 1)
            continue
        for n in range(min(MAX_PART, at), 0, -1):
            spec = text[at - n : at]
            if not all_han(spec) or words.place(spec + "州") is not None or words.place(spec) is not None:
                continue
            english = words.proper_english.get(spec + "州") or (
                words.proper_english.get(spec) if n > 1 else None
            )
            if english:
                yield Found(
                    spec + "州", NameKind.PLACE, Pattern.ANALYSER_PLACE, par, at - n, 0.9, "", spec, ""
                )
                break
        at = text.find("州", at + 1)


def family_roles(paragraphs: list[tuple[int, str, Segmentation]]) -> Iterator[Found]:
    """Surnames with a family role (曾婆婆, 华叔) that recur or are followed by a word that follows names."""
    hits: list[tuple[int, str, int, bool]] = []
    for par, text, seg in paragraphs:
        for m in _ROLE.finditer(text):
            s, e = m.start(), m.end()
            if (
                not seg.is_boundary(s)
                or not seg.is_boundary(e)
                or (s > 0 and is_han(text[s - 1]) and not seg.is_boundary(s))
            ):
                continue
            cue = text[e : e + 1] in FOLLOW_CHARS or any(text.startswith(w, e) for w in FOLLOW_WORDS)
            hits.append((par, m.group(0), s, cue))
    counts = Counter(h[1] for h in hits)
    for par, name, s, cue in hits:
        if counts[name] > 1 or cue:
            yield Found(name, NameKind.PERSON, Pattern.FAMILY_ROLE, par, s, 0.9 if counts[name] > 1 else 0.85)
