"""Finding place and organisation names: administrative generics, CC-CEDICT places, datelines.

* A place ends in an administrative generic (省 自治区 市 区 县 镇 乡 街道 村 ...). Its specific
  name is the longest CC-CEDICT place ending right before the generic; failing that, the Chinese
  characters back to a stop (punctuation, a function word, the end of the previous place in a chain
  such as 江苏省宿迁市沭阳县, or an everyday verb such as 走进). A province or autonomous region must be
  one CC-CEDICT knows (the list is closed); other generics accept a two- or three-character specific.
* Words that end in a generic character but are not places (城市, 社区 of 城乡社区, 全省, 家乡,
  市场 ...) are left out.
* A place directly followed by an organisation (妇联, 纪委, 人民政府 ...) is also an organisation.
* Province-level and city names CC-CEDICT lists are found without a generic too (江苏, 南昌), as is
  the place after 发自 in a dateline.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.terms.names.analyser import Segmentation
from workbench.terms.names.cedict import NameDictionary
from workbench.terms.names.cues import (
    DETERMINERS,
    NOT_AFTER_GENERIC,
    NOT_PLACE_WORDS,
    PLACE_STOPS,
    VERBS_BEFORE_PLACES,
)
from workbench.terms.names.found import Found
from workbench.terms.names.model import NameKind, Pattern
from workbench.terms.names.pinyin import is_han
from workbench.terms.names.places import GENERICS, ORGANISATIONS, split_ethnic

_BY_LENGTH = sorted(GENERICS, key=len, reverse=True)
_ORGS = sorted(ORGANISATIONS, key=len, reverse=True)
_GENERIC_CHARS = frozenset(gen[0] for gen in GENERICS)
_CLOSED = frozenset({"省", "自治区", "特别行政区"})
MAX_SPECIFIC = 8  # 黔东南苗族侗族 (autonomous areas carry their ethnic groups)


def _generic_at(text: str, g: int) -> str | None:
    for gen in _BY_LENGTH:
        if text.startswith(gen, g):
            return gen
    return None


def _specific_before(
    text: str, g: int, generic: str, floor: int, words: NameDictionary, seg: Segmentation
) -> tuple[str, float, str] | None:
    """The specific name ending at ``g`` (not before ``floor``), its confidence and a doubt.

    A specific CC-CEDICT does not know starts where the analyser's words allow: at a word boundary,
    after any demonstrative, pronoun, conjunction or verb (这个狼村, 我们狼村, 离开狼村, 除非市政府).
    """
    autonomous = generic.startswith("自治")
    longest = MAX_SPECIFIC if autonomous else 5
    for n in range(min(longest, g - floor), 0, -1):
        spec = text[g - n : g]
        base = split_ethnic(spec)[0] if autonomous else spec
        if not all(is_han(c) for c in spec):
            continue
        known = n > 1 and words.place(base) is not None and not words.is_word(base)
        if known or words.place(spec + generic) is not None:
            if autonomous and base == spec and generic == "自治区" and words.place(spec) is None:
                continue
            return spec, 0.95, ""
    if generic in _CLOSED:
        return None
    k = g
    while k > floor and g - k < MAX_SPECIFIC and is_han(text[k - 1]) and text[k - 1] not in PLACE_STOPS:
        k -= 1
    k = max(k, seg.name_start(k, g))
    run = text[k:g]
    if autonomous:
        base, groups = split_ethnic(run)
        if groups and 2 <= len(base) <= 3:
            return run, 0.85, ""
        return None
    if len(run) in (2, 3):
        if words.is_word(run):
            return run, 0.5, "the specific name is also an everyday word"
        return run, 0.85 if len(run) == 2 else 0.8, ""
    if len(run) >= 4:
        for verb_len in (2, 3):
            head = run[: len(run) - 2] if verb_len == 2 else run[: len(run) - 3]
            if head[-2:] in VERBS_BEFORE_PLACES or (len(head) >= 2 and words.is_word(head[-2:])):
                spec = run[-2:] if verb_len == 2 else run[-3:]
                if not words.is_word(spec):
                    return spec, 0.75, "where the place name starts is guessed"
    return None


def find_places(
    par: int, text: str, words: NameDictionary, taken: list[tuple[int, int]], seg: Segmentation
) -> Iterator[Found]:
    """Every place and organisation candidate in one paragraph.

    Args:
        par: Paragraph index.
        text: Paragraph text.
        words: The CC-CEDICT name dictionary.
        taken: ``(start, end)`` spans of personal names found in this paragraph (places inside
            them are not places: 王长春 is not 长春).
        seg: The analyser's words of ``text``.
    """
    covered = bytearray(len(text) + 1)
    for s, e in taken:
        covered[s:e] = b"\x01" * (e - s)
    floor = 0
    g = 1
    while g < len(text):
        generic = _generic_at(text, g) if text[g] in _GENERIC_CHARS else None
        if generic is None or covered[g]:
            g += 1
            continue
        before = text[g - 1 : g + 1]
        blocked = text[g : g + len(generic) + 1] in NOT_AFTER_GENERIC or (
            len(generic) == 1 and (before in NOT_PLACE_WORDS or text[g - 1] in DETERMINERS)
        )
        found = None if blocked else _specific_before(text, g, generic, floor, words, seg)
        if found is None:
            g += len(generic)
            continue
        spec, conf, reason = found
        start = g - len(spec)
        end = g + len(generic)
        source = spec + generic
        yield Found(source, NameKind.PLACE, Pattern.GENERIC, par, start, conf, reason, spec, generic)
        for org in _ORGS:
            if text.startswith(org, end):
                yield Found(
                    source + org,
                    NameKind.ORGANISATION,
                    Pattern.ORGANISATION,
                    par,
                    start,
                    min(conf, 0.85),
                    reason,
                    spec,
                    generic,
                    org,
                )
                break
        floor = end
        covered[start:end] = b"\x01" * (end - start)
        g = end
    yield from _bare_places(par, text, words, covered, seg)


def _bare_places(
    par: int, text: str, words: NameDictionary, covered: bytearray, seg: Segmentation
) -> Iterator[Found]:
    """Province-level and city names CC-CEDICT lists, written without a generic, as whole words.

    A name must start and end where the analyser's words do (新民 of 新民主党, 尼斯 of 吉尼斯 are not).
    """
    dateline_at = text.find("发自")
    skip_to = 0
    for token in seg.tokens:
        i = token.start
        if i < skip_to or not is_han(token.word[0]):
            continue
        hit = None
        for n in (5, 4, 3, 2):
            name = text[i : i + n]
            place = words.place(name) if len(name) == n and seg.is_boundary(i + n) else None
            if place is not None and place.major and not words.is_word(name) and place.headword == name:
                hit = name
                break
        if hit is None or any(covered[i : i + len(hit)]):
            continue
        pattern = Pattern.DATELINE_PLACE if dateline_at >= 0 and i == dateline_at + 2 else Pattern.KNOWN_PLACE
        yield Found(hit, NameKind.PLACE, pattern, par, i, 0.9, "", hit, "")
        skip_to = i + len(hit)
