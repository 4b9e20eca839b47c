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


def compare(source: list[Quantity], target: list[Quantity]) -> list[Finding]:
    """Findings for numbers of ``source`` missing in ``target`` and digits of ``target`` not in ``source``."""
    findings: list[Finding] = []
    used = [False] * len(target)
    # Numbers with fewer acceptable values first, so 15时 {15, 3} does not take the only "3" from a 3.
    for q in sorted((q for q in source if q.strong), key=lambda q: (len(q.values), q.start)):
        match = next((k for k, t in enumerate(target) if not used[k] and q.values & t.values), None)
        if match is not None:
            used[match] = True
            continue
        times = sum(1 for other in source if other.strong and other.value == q.value)
        if times > 1 and any(q.values & t.values for t in target):
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
                Finding(Check.NUMBERS, f"number {q.text} in the target is not in the source", target_span=(q.start, q.end))
            )
    findings.sort(key=lambda f: (f.source_span is None, f.source_span or f.target_span or (0, 0)))
    return findings


def check_numbers(source: str, target: str) -> list[Finding]:
    """Numbers and dates of a Chinese ``source`` against an English ``target`` (module docstring)."""
    return compare(chinese_numbers(source), english_numbers(target))
