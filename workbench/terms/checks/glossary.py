"""The glossary check: every term of the glossary found in the source rendered as the glossary says.

The rules are those of :func:`workbench.terms.qa.check_target` (renderings at word boundaries,
plural ``s`` allowed, forbidden renderings, one rendering serving repeated hits); this module only
turns its ``TermNote`` results into findings. The glossary is anything with a ``check(source,
target)`` method that returns ``TermNote`` objects: :class:`workbench.terms.context.GlossaryContext`,
the one way the workbench wires a glossary, in practice.
"""

from __future__ import annotations

from typing import Protocol

from workbench.records import TermNote
from workbench.terms.checks.finding import Check, Finding


class TermChecker(Protocol):
    """What the glossary check needs: the term notes of one translated segment."""

    def check(self, source: str, target: str | None) -> list[TermNote]:
        """One note per term hit of ``source``, with ``ok`` telling whether ``target`` honours it."""
        ...


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
