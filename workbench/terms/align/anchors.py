"""Lexical anchors: evidence that a Chinese sentence and an English one say the same thing.

Each Chinese sentence yields *features*, each with the English *keys* that would show it in a
translation and a weight:

* every CC-CEDICT word of two to four characters in it (proper nouns too: ``哈尔滨`` -> ``harbi``),
  keyed by the stems of its English glosses (lower case, stop words dropped, first five letters);
* numbers and dates in either numeral system (``二〇二三``, ``50余万``, ``三月``), keyed by value, matched
  with the English numbers, number words and months of ``terms.checks.numbers_en`` (weight 2);
* Latin-script tokens (``NASA``, ``COVID-19``) keyed by themselves (weight 2);
* person names in pinyin (a surname of ``terms.names.surnames`` and one or two characters after it):
  ``张伟`` -> ``zhang`` and ``wei``;
* the glossary's terms, keyed by their English renderings (weight 2);
* question marks, exclamation marks, quotes and brackets (weight 0.5).

An English sentence yields the keys it contains. ``DocumentAnchors`` indexes the English sentences by
the features they show, so the aligner can sum the weights a sentence pair shares.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick
import numpy as np

from workbench.terms.checks.numbers_en import find_numbers as en_numbers
from workbench.terms.checks.numbers_zh import find_numbers as zh_numbers
from workbench.terms.model import TermBase
from workbench.terms.names.pinyin import join_word, syllables
from workbench.terms.names.surnames import COMMON, COMPOUND, surname_at

STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "and",
        "or",
        "but",
        "not",
        "no",
        "nor",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "me",
        "him",
        "her",
        "them",
        "us",
        "my",
        "your",
        "his",
        "their",
        "our",
        "as",
        "than",
        "then",
        "so",
        "such",
        "also",
        "very",
        "can",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "should",
        "will",
        "would",
        "one",
        "ones",
        "sb",
        "sth",
        "something",
        "someone",
        "somebody",
        "etc",
        "used",
        "esp",
        "kind",
        "variant",
        "see",
        "old",
        "also",
        "abbr",
        "abbreviation",
        "surname",
        "person",
        "people",
        "thing",
        "things",
        "make",
        "made",
        "get",
        "way",
        "cl",
        "classifier",
        "pr",
        "lit",
        "fig",
    ]
)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|CL:.*|\|.*")
_ZH_PUNCT = {
    "？": "?",
    "?": "?",
    "！": "!",
    "!": "!",
    "“": "q",
    "”": "q",
    "「": "q",
    "」": "q",
    "《": "t",
    "（": "(",
    "(": "(",
}
_EN_PUNCT = {"?": "?", "!": "!", '"': "q", "“": "q", "”": "q", "(": "("}
MAX_WORD = 4
#: Keys shown by more features than this (in one document pair) are not used.
MAX_FANOUT = 40
_SURNAME_FIRST = frozenset(COMMON) | {c[0] for c in COMPOUND}


def stem(word: str) -> str:
    """A crude English stem: lower case, the first five letters (``development`` -> ``devel``)."""
    w = word.lower().replace("’", "'")
    w = w.split("'")[0]
    return w[:5]


def english_stems(text: str) -> set[str]:
    """Stems of the content words of an English text."""
    return {stem(w) for w in _WORD.findall(text) if len(w) > 1 and w.lower() not in STOP}


@lru_cache(maxsize=1)
def dictionary() -> dict[str, frozenset[str]]:
    """CC-CEDICT: simplified headword (2-4 characters) -> the stems of its English glosses."""
    from workbench.terms.cccedict import cedict

    out: dict[str, set[str]] = {}
    for e in cedict().get_entries():
        head = e["simplified"]
        if not 2 <= len(head) <= MAX_WORD or not all("\u4e00" <= c <= "\u9fff" for c in head):
            continue
        stems = out.setdefault(head, set())
        for d in e["definitions"]:
            stems |= english_stems(_PAREN.sub(" ", d))
    return {k: frozenset(v) for k, v in out.items() if v}


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over :func:`dictionary`'s headwords (every match in one C pass)."""
    auto = ahocorasick.Automaton()
    for word, stems in dictionary().items():
        auto.add_word(word, (word, stems))
    auto.make_automaton()
    return auto


@dataclass
class Feature:
    """One piece of evidence in a Chinese sentence: its English keys and weight."""

    keys: frozenset[str]
    weight: float


def _number_features(text: str) -> dict[str, Feature]:
    out: dict[str, Feature] = {}
    for q in zh_numbers(text):
        keys = frozenset(f"#{v}" for v in q.values)
        out[f"#{q.text}"] = Feature(keys, 2.0 if q.strong else 1.0)
    return out


@lru_cache(maxsize=65536)
def _pinyin_stem(text: str) -> str:
    """The stem of ``text`` written as one pinyin word (``锦涛`` -> ``jinta``)."""
    return stem(join_word(syllables(text)))


def _name_features(text: str) -> dict[str, Feature]:
    out: dict[str, Feature] = {}
    for i, ch in enumerate(text):
        if ch not in _SURNAME_FIRST:
            continue
        sur = surname_at(text, i)
        if not sur:
            continue
        for n in (1, 2):
            given = text[i + len(sur) : i + len(sur) + n]
            if len(given) != n or not all("\u4e00" <= c <= "\u9fff" for c in given):
                continue
            keys = frozenset({_pinyin_stem(sur), _pinyin_stem(given)})
            out[f"@{sur}{given}"] = Feature(keys, 0.5)
    return out


def zh_features(text: str, glossary: TermBase | None = None) -> dict[str, Feature]:
    """The features of one Chinese sentence, by name (a name occurs once per sentence)."""
    out: dict[str, Feature] = {}
    if _HAN.search(text):
        for _end, (w, stems) in _automaton().iter(text):
            out[w] = Feature(stems, 1.0)
    out.update(_number_features(text))
    for tok in _LATIN.findall(text):
        out["L" + tok.lower()] = Feature(frozenset({"L" + tok.lower()}), 2.0)
    out.update(_name_features(text))
    for ch in text:
        p = _ZH_PUNCT.get(ch)
        if p:
            out["P" + p] = Feature(frozenset({"P" + p}), 0.5)
    if glossary is not None:
        for entry in glossary:
            if entry.source and entry.source in text:
                keys = frozenset("G" + r.lower() for r in entry.allowed if r)
                if keys:
                    out["G" + entry.source] = Feature(keys, 2.0)
    return out


def en_keys(text: str, renderings: Sequence[str] = ()) -> set[str]:
    """The keys an English sentence shows (``renderings``: glossary renderings to look for)."""
    keys = english_stems(text)
    keys |= {"L" + t.lower() for t in _LATIN.findall(text)}
    for q in en_numbers(text):
        keys |= {f"#{v}" for v in q.values}
    keys |= {"P" + p for ch, p in _EN_PUNCT.items() if ch in text}
    if renderings:
        low = text.lower()
        keys |= {"G" + r for r in renderings if r in low}
    return keys


class DocumentAnchors:
    """The anchors of a document pair, indexed for the aligner.

    Build it with :meth:`build` from sentences, or from features and keys already found (the
    paragraph pass unites its sentences').

    Attributes:
        zh_size: Per Chinese unit, the summed weight of its features.
        en_size: Per English unit, the summed weight of its keys that some Chinese feature of the document has.
    """

    def __init__(self, zh_feats: Sequence[dict[str, Feature]], en_keyss: Sequence[set[str]]) -> None:
        ids: dict[str, int] = {}
        by_key: dict[str, set[int]] = {}
        self._rows: list[tuple[np.ndarray, np.ndarray]] = []
        key_weight: dict[str, float] = {}
        for fs in zh_feats:
            row_ids, row_w = [], []
            for name, f in fs.items():
                fid = ids.get(name)
                if fid is None:
                    fid = ids[name] = len(ids)
                    for k in f.keys:
                        by_key.setdefault(k, set()).add(fid)
                        key_weight[k] = max(key_weight.get(k, 0.0), f.weight)
                row_ids.append(fid)
                row_w.append(f.weight)
            self._rows.append((np.array(row_ids, dtype=np.int64), np.array(row_w)))
        self.zh_size = np.array([float(w.sum()) for _, w in self._rows])
        # A key that many different features share (a common gloss word) is no evidence of a pair.
        by_key = {k: fids for k, fids in by_key.items() if len(fids) <= MAX_FANOUT}
        postings: dict[int, list[int]] = {}
        en_size = []
        for j, keys in enumerate(en_keyss):
            shown: set[int] = set()
            hits = 0.0
            for k in keys:
                fids = by_key.get(k)
                if fids:
                    hits += key_weight[k]
                    shown |= fids
            en_size.append(hits)
            for fid in shown:
                postings.setdefault(fid, []).append(j)
        self.en_size = np.array(en_size)
        self._post = {f: np.array(js, dtype=np.int64) for f, js in postings.items()}

    @classmethod
    def build(
        cls, zh: Sequence[str], en: Sequence[str], glossary: TermBase | None = None
    ) -> tuple[DocumentAnchors, list[dict[str, Feature]], list[set[str]]]:
        """Anchors of sentences; also the features and keys found (for :meth:`united`)."""
        memo: dict[str, dict[str, Feature]] = {}
        feats = []
        for s in zh:
            f = memo.get(s)
            if f is None:
                f = memo[s] = zh_features(s, glossary)
            feats.append(f)
        renderings = sorted(
            {k[1:] for fs in memo.values() for f in fs.values() for k in f.keys if k[0] == "G"}
        )
        keys = [en_keys(s, renderings) for s in en]
        return cls(feats, keys), feats, keys

    @classmethod
    def united(
        cls,
        feats: Sequence[dict[str, Feature]],
        keys: Sequence[set[str]],
        zh_groups: Sequence[int],
        en_groups: Sequence[int],
    ) -> DocumentAnchors:
        """Anchors of groups of consecutive units (paragraphs), ``*_groups`` giving their sizes."""
        zf, ek, k = [], [], 0
        for size in zh_groups:
            merged: dict[str, Feature] = {}
            for f in feats[k : k + size]:
                merged.update(f)
            zf.append(merged)
            k += size
        k = 0
        for size in en_groups:
            ek.append(set().union(*keys[k : k + size]))
            k += size
        return cls(zf, ek)

    def shared(self, i: int, lo: int, hi: int) -> np.ndarray:
        """Weights Chinese sentence ``i`` shares with each English sentence ``lo .. hi - 1``."""
        out = np.zeros(max(hi - lo, 0))
        fids, ws = self._rows[i]
        for fid, w in zip(fids.tolist(), ws.tolist(), strict=True):
            p = self._post.get(fid)
            if p is None:
                continue
            a, b = np.searchsorted(p, (lo, hi))
            if b > a:
                out[p[a:b] - lo] += w
        return out

    def slice(self, z0: int, z1: int, e0: int, e1: int) -> AnchorSlice:
        """The anchors of Chinese sentences ``z0 .. z1 - 1`` against English ``e0 .. e1 - 1``."""
        return AnchorSlice(self, z0, z1, e0, e1)


class AnchorSlice:
    """A window of :class:`DocumentAnchors` with its own numbering from 0 (same interface)."""

    def __init__(self, parent: DocumentAnchors, z0: int, z1: int, e0: int, e1: int) -> None:
        self._parent, self._z0, self._e0, self._e1 = parent, z0, e0, e1
        self.zh_size = parent.zh_size[z0:z1]
        self.en_size = parent.en_size[e0:e1]

    def shared(self, i: int, lo: int, hi: int) -> np.ndarray:
        """As :meth:`DocumentAnchors.shared`, in the window's numbering."""
        return self._parent.shared(i + self._z0, lo + self._e0, min(hi + self._e0, self._e1))
