"""Term candidates mined from parallel sentences (``workbench glossary mine``).

1. **Chinese candidates**: character n-grams (2-10 Han characters) found in at least ``min_count`` pairs
   whose boundaries are free: the characters seen just before (and after) them vary (branching entropy
   of at least :data:`MIN_ENTROPY` bits, a sentence edge or punctuation counting as its own neighbour),
   and they neither start nor end with a function character (的, 了, 和 ...). An n-gram that is nearly
   always part of one longer candidate gives way to it.
2. **English renderings**: every English word n-gram (1-5 words, not starting or ending with a stop
   word) of the pairs is a possible rendering; a candidate's rendering is the n-gram with the highest
   Dice coefficient ``2 c(t, e) / (c(t) + c(e))`` over pair counts (a Dice phrase aligner, chosen over
   plain co-occurrence counts by ``bench/bench_mine.py``). Its surface form is the one seen most.
3. **Checks**: consistency (share of the candidate's pairs whose English has the top rendering), two
   example pairs, the glossary's verdict (``new``, ``agrees``, ``differs``) and, for names, whether the
   rendering is the pinyin of ``terms.names`` (``ok`` or the pinyin form).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum

from workbench.terms.model import Entry, TermBase

MAX_ZH = 10
MAX_EN = 5
#: Least branching entropy (bits) on each side of a candidate.
MIN_ENTROPY = 1.0
#: Characters a term does not start with / end with.
_NO_START = frozenset("的了和与及或是在也都就而被把对从向将于以为之其这那个些一不有")
_NO_END = frozenset("的了和与及或是在也都就而被把对从向将于以为之其这那个些一不有着过地得")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_EN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Za-z0-9]")
EN_STOP = frozenset(
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
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
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
        "his",
        "her",
        "their",
        "our",
        "my",
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
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "how",
        "there",
        "here",
        "said",
        "says",
        "one",
        "all",
        "any",
        "some",
        "more",
        "most",
        "other",
        "into",
        "over",
        "about",
        "after",
        "before",
        "between",
        "up",
        "out",
        "if",
        "s",
    ]
)


class Scorer(str, Enum):
    """How a candidate's English rendering is chosen among the n-grams of its pairs."""

    DICE = "dice"  # highest Dice coefficient (the default)
    COUNT = "count"  # most pairs in common (the benchmark's comparison)

    def __str__(self) -> str:
        return self.value


class GlossaryVerdict(str, Enum):
    """What the glossary says about a candidate."""

    NEW = "new"
    AGREES = "agrees"
    DIFFERS = "differs"

    def __str__(self) -> str:
        return self.value


@dataclass
class Candidate:
    """One mined term.

    Attributes:
        source: The Chinese term.
        target: Its top English rendering.
        count: Pairs whose Chinese has the term.
        consistency: Share of those pairs whose English has ``target``.
        dice: Dice coefficient of ``source`` and ``target``.
        others: Other renderings seen (with their counts), best first.
        examples: Up to two ``(zh, en)`` pairs using the term and ``target``.
        glossary: The glossary's verdict; ``glossary_target`` its approved rendering when it differs.
        pinyin: For a name: ``ok`` or the pinyin form it should have; empty otherwise.
    """

    source: str
    target: str
    count: int
    consistency: float
    dice: float
    others: list[tuple[str, int]] = field(default_factory=list)
    examples: list[tuple[str, str]] = field(default_factory=list)
    glossary: GlossaryVerdict = GlossaryVerdict.NEW
    glossary_target: str = ""
    pinyin: str = ""

    def note(self) -> str:
        """The evidence as one line (the ``note`` of the candidate TSV)."""
        parts = [f"count={self.count}", f"consistency={self.consistency:.2f}", f"glossary={self.glossary}"]
        if self.glossary_target:
            parts[-1] += f" ({self.glossary_target})"
        if self.pinyin:
            parts.append(f"pinyin={self.pinyin}")
        parts += [f"e.g. {z} = {e}" for z, e in self.examples]
        return "; ".join(parts)

    def entry(self) -> Entry:
        """The candidate as a glossary entry (the evidence in its note)."""
        return Entry(self.source, self.target, note=self.note())


def _entropy(counter: Counter[str]) -> float:
    total = sum(counter.values())
    return -sum(c / total * math.log2(c / total) for c in counter.values()) if total else 0.0


def chinese_candidates(sources: Sequence[str], min_count: int = 3) -> dict[str, list[int]]:
    """Recurring Chinese n-grams with free boundaries -> the indices of the pairs that have them."""
    where: dict[str, list[int]] = defaultdict(list)
    for k, text in enumerate(sources):
        seen: set[str] = set()
        for run in _HAN.findall(text):
            for n in range(2, MAX_ZH + 1):
                for i in range(len(run) - n + 1):
                    seen.add(run[i : i + n])
        for g in seen:
            where[g].append(k)
    frequent = {
        g: ks
        for g, ks in where.items()
        if len(ks) >= min_count and g[0] not in _NO_START and g[-1] not in _NO_END
    }
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for g, ks in frequent.items():
        for k in ks:
            text = sources[k]
            for m in re.finditer(re.escape(g), text):
                a, b = m.start(), m.end()
                left[g][text[a - 1] if a and _HAN.match(text[a - 1]) else f"#{k}:{a}"] += 1
                right[g][text[b] if b < len(text) and _HAN.match(text[b]) else f"#{k}:{b}"] += 1
    good = {g: ks for g, ks in frequent.items() if min(_entropy(left[g]), _entropy(right[g])) >= MIN_ENTROPY}
    # A candidate nearly always inside one longer candidate gives way to it.
    out = {}
    for g, ks in good.items():
        longer = [
            h
            for h in (*(g + c for c in right[g] if len(c) == 1), *(c + g for c in left[g] if len(c) == 1))
            if h in good
        ]
        if not any(len(good[h]) >= 0.8 * len(ks) for h in longer):
            out[g] = ks
    return out


def english_ngrams(text: str) -> Iterator[tuple[str, str]]:
    """``(lower-case key, surface form)`` of the word n-grams of ``text`` that may be a rendering."""
    spans = [m.span() for m in _EN_WORD.finditer(text)]
    low = [text[a:b].lower() for a, b in spans]
    for n in range(1, MAX_EN + 1):
        for i in range(len(spans) - n + 1):
            if low[i] in EN_STOP or low[i + n - 1] in EN_STOP or (n == 1 and len(low[i]) < 3):
                continue
            yield " ".join(low[i : i + n]), text[spans[i][0] : spans[i + n - 1][1]]


def _names_check(source: str, target: str) -> str:
    """``ok``, the pinyin form, or empty when ``source`` is not a name or ``target`` not capitalised."""
    from workbench.terms.names.cedict import name_dictionary
    from workbench.terms.names.persons import person_name
    from workbench.terms.names.pinyin import plain
    from workbench.terms.names.surnames import surname_at

    if not target[:1].isupper() or not 2 <= len(source) <= 4 or surname_at(source, 0) is None:
        return ""
    if name_dictionary().is_word(source):
        return ""  # an everyday word (党建 Party building), not a name
    try:
        r = person_name(source)
    except ValueError:
        return ""
    forms = {plain(r.target), *(plain(a) for a in r.alternatives)}
    if plain(target) in forms:
        return "ok"
    return f"differs ({r.target})" if len(target.split()) == 2 and r.confidence >= 0.5 else ""


def mine(
    pairs: Sequence[tuple[str, str]],
    min_count: int = 3,
    glossary: TermBase | None = None,
    scorer: Scorer = Scorer.DICE,
) -> list[Candidate]:
    """Term candidates of parallel sentences, best first (highest Dice, then most pairs).

    Args:
        pairs: ``(Chinese, English)`` sentence pairs.
        min_count: Fewest pairs a candidate must occur in.
        glossary: Term base to compare the candidates with.
        scorer: Dice (default) or plain co-occurrence counts (for the benchmark).
    """
    sources = [z for z, _ in pairs]
    cands = chinese_candidates(sources, min_count)
    en_keys: list[dict[str, str]] = [dict(english_ngrams(e)) for _, e in pairs]
    df: Counter[str] = Counter()
    for keys in en_keys:
        df.update(keys.keys())
    out = []
    for g, ks in cands.items():
        co: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = defaultdict(Counter)
        for k in ks:
            for key, form in en_keys[k].items():
                co[key] += 1
                surface[key][form] += 1
        if not co:
            continue
        if scorer is Scorer.COUNT:
            best = max(co, key=lambda e: (co[e], len(e)))
        else:
            best = max(co, key=lambda e: (2 * co[e] / (len(ks) + df[e]), co[e], len(e)))
        dice = 2 * co[best] / (len(ks) + df[best])
        target = surface[best].most_common(1)[0][0]
        cand = Candidate(g, target, len(ks), co[best] / len(ks), round(dice, 4))
        cand.others = [(surface[e].most_common(1)[0][0], c) for e, c in co.most_common(4) if e != best][:3]
        cand.examples = [pairs[k] for k in ks if best in en_keys[k]][:2]
        cand.pinyin = _names_check(g, target)
        if glossary is not None:
            entry = glossary.lookup(g)
            if entry is not None:
                ok = target.casefold() in {a.casefold() for a in entry.allowed}
                cand.glossary = GlossaryVerdict.AGREES if ok else GlossaryVerdict.DIFFERS
                cand.glossary_target = "" if ok else entry.target
        out.append(cand)
    out.sort(key=lambda c: (-c.dice, -c.count, c.source))
    return out
