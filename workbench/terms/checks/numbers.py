"""The numbers check: every number of the source in the target, and no number in the target that
the source does not have.

Rules (what counts as a number on each side is in ``numbers_zh.py`` and ``numbers_en.py``):

* Numbers are compared by value, not by spelling: ``50余万`` matches ``500,000``, ``0.5 million`` and
  ``half a million``; ``1.2亿`` matches ``120 million``; ``12月8日`` matches ``December 8``, ``8 December``
  and ``Dec. 8`` (a month name stands for its number); ``第二十一次`` matches ``21st`` and
  ``twenty-first``; ``15时`` matches ``3 p.m.``; ``90年代`` matches ``1990s``.
* *Missing*: a strong source number left without a counterpart in the target. Each target number
  serves one source number, so a source that gives ``12`` twice (``12月12日``) needs two in the
  target (``December 12``: the month name is one). Source numbers with fewer possible values are
  matched first.
* *Extra*: a digit number in the target, left unmatched, whose value is not among the values of
  any source number, weak ones included (``三八`` covers ``March 8``; ``一个`` covers ``one``). Number words in
  the target are never reported: English adds ``one``, ``first`` and ``both`` freely.
* Offsets: a missing number points at the source, an extra one at the target.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set
from fractions import Fraction

from workbench.terms.checks.finding import Check, Finding
from workbench.terms.checks.numbers_en import find_numbers as english_numbers
from workbench.terms.checks.numbers_zh import find_numbers as chinese_numbers
from workbench.terms.checks.quantity import Quantity, format_value


def _describe(q: Quantity) -> str:
    shown = format_value(q.value)
    if q.approximate:
        shown = f"more than {shown}"
    return q.text if q.text.replace(",", "") == shown.replace(",", "") else f"{q.text} ({shown})"


class _TargetIndex:
    """The target numbers by value, each list in target order, so matching is linear in the numbers."""

    def __init__(self, target: list[Quantity]) -> None:
        self.used = [False] * len(target)
        self.by_value: dict[Fraction, list[int]] = {}
        for k, t in enumerate(target):
            for v in t.values:
                self.by_value.setdefault(v, []).append(k)
        self._next: dict[Fraction, int] = {}

    def first_unused(self, values: Set[Fraction]) -> int | None:
        """The first unused target number holding one of ``values`` (skipped entries never come back)."""
        best = None
        for v in values:
            ks = self.by_value.get(v)
            if not ks:
                continue
            i = self._next.get(v, 0)
            while i < len(ks) and self.used[ks[i]]:
                i += 1
            self._next[v] = i
            if i < len(ks) and (best is None or ks[i] < best):
                best = ks[i]
        return best


def compare(source: list[Quantity], target: list[Quantity]) -> list[Finding]:
    """Findings for numbers of ``source`` missing in ``target`` and digits of ``target`` not in ``source``."""
    findings: list[Finding] = []
    index = _TargetIndex(target)
    used = index.used
    strong_counts: Counter[Fraction] | None = None  # built only when a number is missing
    # Numbers with fewer acceptable values first, so 15时 {15, 3} does not take the only "3" from a 3.
    for q in sorted((q for q in source if q.strong), key=lambda q: (len(q.values), q.start)):
        match = index.first_unused(q.values)
        if match is not None:
            used[match] = True
            continue
        if strong_counts is None:
            strong_counts = Counter(q.value for q in source if q.strong)
        times = strong_counts[q.value]
        if times > 1 and any(v in index.by_value for v in q.values):
            message = f"number {_describe(q)} is {times} times in the source, fewer in the target"
        else:
            message = f"number {_describe(q)} of the source is not in the target"
        findings.append(Finding(Check.NUMBERS, message, source_span=(q.start, q.end)))
    source_values: set[Fraction] = set()
    for q in source:
        source_values |= q.values
    for k, q in enumerate(target):
        if q.strong and not used[k] and not q.values & source_values:
            findings.append(
                Finding(
                    Check.NUMBERS,
                    f"number {q.text} in the target is not in the source",
                    target_span=(q.start, q.end),
                )
            )
    findings.sort(key=lambda f: (f.source_span is None, f.source_span or f.target_span or (0, 0)))
    return findings


#: Longer runs of digits (and digit-group commas) are no quantity (an ID card has 18 digits): they are
#: compared as text, so a 100,000-digit "number" costs linear time and never meets Python's
#: integer-string limit.
MAX_NUMBER_DIGITS = 40
_LONG_NUMBER = re.compile(rf"[0-9０-９][0-9０-９,，]{{{MAX_NUMBER_DIGITS},}}")


_ASCII_DIGITS = {0xFF10 + i: str(i) for i in range(10)} | {ord(","): None, ord("，"): None}


def _long_numbers(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with its over-long digit runs blanked (offsets kept), and those runs (ASCII digits only)."""
    runs = [(m.start(), m.end(), m.group().translate(_ASCII_DIGITS)) for m in _LONG_NUMBER.finditer(text)]
    if runs:
        text = _LONG_NUMBER.sub(lambda m: " " * len(m.group()), text)
    return text, runs


def _shown(digits: str) -> str:
    return f"{digits[:12]}… ({len(digits)} digits)"


def check_numbers(source: str, target: str) -> list[Finding]:
    """Numbers and dates of a Chinese ``source`` against an English ``target`` (module docstring)."""
    source, long_source = _long_numbers(source)
    target, long_target = _long_numbers(target)
    findings = compare(chinese_numbers(source), english_numbers(target))
    if long_source or long_target:
        in_target = {digits for _, _, digits in long_target}
        in_source = {digits for _, _, digits in long_source}
        findings += [
            Finding(
                Check.NUMBERS, f"number {_shown(d)} of the source is not in the target", source_span=(s, e)
            )
            for s, e, d in long_source
            if d not in in_target
        ]
        findings += [
            Finding(
                Check.NUMBERS, f"number {_shown(d)} in the target is not in the source", target_span=(s, e)
            )
            for s, e, d in long_target
            if d not in in_source
        ]
    return findings
