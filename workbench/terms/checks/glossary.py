"""The glossary check: every term of the glossary found in the source rendered as the glossary says.

The rules are those of :func:`workbench.terms.qa.check_target` (renderings at word boundaries,
plural ``s`` allowed, forbidden renderings, one rendering serving repeated hits); this module only
turns its ``TermNote`` results into findings. Anything with a ``check(source, target)`` method that
returns ``TermNote`` objects can serve as the glossary (:class:`TermBaseChecker` here, or the
glossary context the drafting jobs use).
"""

from __future__ import annotations

from typing import Protocol

from workbench.records import TermNote
from workbench.terms.checks.finding import Check, Finding
from workbench.terms.match import Matcher
from workbench.terms.model import TermBase
from workbench.terms.qa import check_target


class TermChecker(Protocol):
    """What the glossary check needs: the term notes of one translated segment."""

    def check(self, source: str, target: str) -> list[TermNote]:
        """One note per term hit of ``source``, with ``ok`` telling whether ``target`` honours it."""
        ...


class TermBaseChecker:
    """A :class:`TermChecker` over a loaded term base (hits cached per source segment).

    Args:
        termbase: From :func:`workbench.terms.load_termbase`.
    """

    def __init__(self, termbase: TermBase) -> None:
        self.termbase = termbase
        self._matcher = Matcher(termbase)
        self._hits: dict[str, list] = {}

    def hits(self, source: str) -> list:
        """The glossary's hits in ``source``."""
        if source not in self._hits:
            self._hits[source] = self._matcher.find(source)
        return self._hits[source]

    def check(self, source: str, target: str) -> list[TermNote]:
        """Term notes of ``target`` (see :func:`workbench.terms.qa.check_target`)."""
        hits = self.hits(source)
        return list(check_target(hits, target)) if hits else []


def check_glossary(source: str, target: str, glossary: TermChecker | None) -> list[Finding]:
    """``glossary``: one finding per term hit the target does not honour."""
    if glossary is None:
        return []
    findings = []
    for note in glossary.check(source, target):
        if note.ok:
            continue
        problem = note.problem or "missing"
        message = f"{note.source} → {note.target}: {problem}"
        findings.append(Finding(Check.GLOSSARY, message, source_span=note.span, target_span=note.target_span))
    return findings
