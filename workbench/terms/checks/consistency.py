"""Consistency across a document (or all the files checked together), as CAT QA tools check it.

Rules:

* ``inconsistent-target``: units with the same source (edge whitespace ignored, runs of whitespace
  as one space) but different targets. Every unit of such a group is reported, naming the others.
* ``inconsistent-source``: units with the same target (compared the same way) but different
  sources.
* Units without a target take no part. Case and punctuation count: ``Women's Home`` and ``women's
  home`` are different targets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import islice
from typing import Protocol

from workbench.terms.checks.finding import Check, Finding


class Pair(Protocol):
    """A unit as the document checks see it (read-only, so frozen dataclasses qualify)."""

    @property
    def source(self) -> str: ...
    @property
    def target(self) -> str | None: ...
    @property
    def file(self) -> str: ...
    @property
    def unit(self) -> int | str | None: ...


def _norm(text: str) -> str:
    return " ".join(text.split())


def _where(pair: Pair, file: str) -> str:
    return f"{pair.unit}" if pair.file == file else f"{pair.file}:{pair.unit}"


def _groups(pairs: Sequence[Pair], key: str, other: str, check: Check, what: str) -> list[Finding]:
    by_key: dict[str, list[Pair]] = {}
    for p in pairs:
        if p.target is None or not p.target.strip() or not p.source.strip():
            continue
        by_key.setdefault(_norm(getattr(p, key)), []).append(p)
    findings: list[Finding] = []
    for members in by_key.values():
        norms = [_norm(getattr(p, other)) for p in members]
        variants = Counter(norms)
        if len(variants) < 2:
            continue
        # The first units of another variant, found once per variant: linear in the group, however large.
        shown: dict[str, list[Pair]] = {}
        for p, v in zip(members, norms, strict=True):
            if v not in shown:
                shown[v] = list(islice((q for q, w in zip(members, norms, strict=True) if w != v), 5))
            n_others = len(members) - variants[v]
            names = ", ".join(_where(q, p.file) for q in shown[v]) + (" …" if n_others > 5 else "")
            message = f"the same {key} as unit {names} with a different {what} ({len(variants)} variants)"
            findings.append(Finding(check, message, file=p.file, unit=p.unit))
    return findings


def check_consistency(pairs: Sequence[Pair], checks: frozenset[Check]) -> list[Finding]:
    """``inconsistent-target`` and ``inconsistent-source`` findings over all ``pairs``, located."""
    findings: list[Finding] = []
    if Check.INCONSISTENT_TARGET in checks:
        findings += _groups(pairs, "source", "target", Check.INCONSISTENT_TARGET, "translation")
    if Check.INCONSISTENT_SOURCE in checks:
        findings += _groups(pairs, "target", "source", Check.INCONSISTENT_SOURCE, "source")
    return findings
