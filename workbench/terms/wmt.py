"""Per-segment term lists in the WMT23 terminology format, and WMT's term success figure.

A term-list file has one line per segment: a JSON list of objects, each with a Chinese and an English
key (``zh``/``en``, or ``src``/``tgt``); an empty line or ``[]`` is a segment without terms.

Term success (``docs/how-to/terminology.md``): every term of every segment's list counts once. *Raw*: the
term's English matches the hypothesis as a regular expression made of the escaped term between word
boundaries, case-insensitively. *Lemmatized*: the hypothesis and the term are cut into words and
lower-cased lemmas (simplemma, English), and the term's lemma sequence appears as a contiguous run in
the hypothesis'. A raw match is always counted as a lemmatized one too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from workbench.errors import WorkbenchError
from workbench.records import TermConstraint

_KEYS = (("zh", "en"), ("src", "tgt"))
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class ListedTerm:
    """One term of a segment's own list."""

    source: str
    target: str


def parse_term_line(line: str, where: str) -> list[ListedTerm]:
    """The terms of one line of a term-list file.

    Raises:
        WorkbenchError: not a JSON list of objects with zh/en or src/tgt strings (``where`` names the line).
    """
    if not line.strip():
        return []
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise WorkbenchError(f"{where}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise WorkbenchError(f"{where}: not a JSON list of terms (nested too deeply)") from None
    if not isinstance(data, list):
        raise WorkbenchError(f"{where}: a JSON list of terms expected")
    out = []
    for item in data:
        pair = None
        if isinstance(item, dict):
            pair = next(((item[a], item[b]) for a, b in _KEYS if a in item and b in item), None)
        if pair is None or not all(isinstance(x, str) and x.strip() for x in pair):
            raise WorkbenchError(
                f'{where}: each term must be an object with "zh" and "en" (or "src" and "tgt") strings'
            )
        out.append(ListedTerm(pair[0].strip(), pair[1].strip()))
    return out


def parse_term_lists(
    lines: Sequence[str], name: str, n_segments: int | None = None
) -> list[list[ListedTerm]]:
    """Every line's term list (``lines``: the file's lines, ``name``: the file, for errors); with
    ``n_segments``, there must be exactly that many lines.

    Raises:
        WorkbenchError: a bad line, or a line count that differs from ``n_segments``.
    """
    lists = [parse_term_line(line, f"{name}:{n}") for n, line in enumerate(lines, start=1)]
    if n_segments is not None and len(lists) != n_segments:
        raise WorkbenchError(
            f"{name}: {len(lists)} term lists for {n_segments} segments (one line per segment)"
        )
    return lists


def constraints_for_line(source: str, terms: Sequence[ListedTerm]) -> list[TermConstraint]:
    """The constraints of one segment's own terms: those whose Chinese is in the segment."""
    out: dict[str, TermConstraint] = {}
    for t in terms:
        if t.source in source and t.source not in out:
            out[t.source] = TermConstraint(t.source, (t.target,))
    return list(out.values())


def merge_constraints(
    own: Sequence[TermConstraint], glossary: Sequence[TermConstraint]
) -> list[TermConstraint]:
    """A segment's own terms first; a glossary hit of the same source, or inside one, gives way to them."""
    kept = [g for g in glossary if not any(g.source in o.source or o.source in g.source for o in own)]
    return [*own, *kept]


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word.lower(), lang="en").lower()


def lemmas(text: str) -> list[str]:
    """Lower-cased English lemmas of the words of ``text``."""
    return [_lemma(w) for w in _WORD.findall(text)]


def raw_match(term: str, hypothesis: str) -> bool:
    """The term as an escaped, case-insensitive regular expression between word boundaries."""
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", hypothesis, flags=re.IGNORECASE) is not None


def lemma_match(term: str, hypothesis: str) -> bool:
    """The term's lemma sequence is a contiguous run of the hypothesis' lemmas."""
    want, have = lemmas(term), lemmas(hypothesis)
    if not want:
        return False
    n = len(want)
    return any(have[i : i + n] == want for i in range(len(have) - n + 1))


@dataclass
class WmtTermScores:
    """WMT23 term success of one system: terms listed, matched raw and matched lemmatized."""

    terms: int = 0
    raw: int = 0
    lemmatized: int = 0
    missed: list[tuple[int, str]] = field(default_factory=list)  # (segment, English term) not matched raw

    @property
    def raw_rate(self) -> float | None:
        """Raw term success, None without terms."""
        return self.raw / self.terms if self.terms else None

    @property
    def lemma_rate(self) -> float | None:
        """Lemmatized term success, None without terms."""
        return self.lemmatized / self.terms if self.terms else None


def wmt_term_success(hypotheses: Sequence[str], term_lists: Sequence[Sequence[ListedTerm]]) -> WmtTermScores:
    """Term success of ``hypotheses`` against each segment's own list (module docstring).

    Raises:
        WorkbenchError: a different number of hypotheses and term lists.
    """
    if len(hypotheses) != len(term_lists):
        raise WorkbenchError(f"{len(hypotheses)} hypotheses but {len(term_lists)} term lists")
    scores = WmtTermScores()
    for i, (hyp, terms) in enumerate(zip(hypotheses, term_lists, strict=True)):
        for t in terms:
            scores.terms += 1
            raw = raw_match(t.target, hyp or "")
            scores.raw += raw
            scores.lemmatized += raw or lemma_match(t.target, hyp or "")
            if not raw:
                scores.missed.append((i, t.target))
    return scores
