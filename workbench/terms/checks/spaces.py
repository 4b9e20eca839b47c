"""Spaces in the target: doubled spaces, and spaces at its edges that the source does not have.

Rules: a run of two or more spaces or tabs (NO-BREAK SPACE included) inside the target is one
finding; whitespace at the start or end of the target is one finding per edge, unless the source
has whitespace at the same edge (a TMX unit that keeps a trailing space on both sides).
"""

from __future__ import annotations

import re

from workbench.terms.checks.finding import Check, Finding

_DOUBLED = re.compile("[ \t\u00a0\u3000]{2,}")


def check_spaces(source: str, target: str) -> list[Finding]:
    """``spaces`` (see the module docstring)."""
    findings: list[Finding] = []
    body_start = len(target) - len(target.lstrip())
    body_end = len(target.rstrip())
    if body_start and not source[:1].isspace():
        findings.append(Finding(Check.SPACES, "the target starts with a space", target_span=(0, body_start)))
    for m in _DOUBLED.finditer(target, body_start, body_end):
        findings.append(Finding(Check.SPACES, "doubled space in the target", target_span=m.span()))
    if body_end < len(target) and not source[-1:].isspace():
        findings.append(
            Finding(Check.SPACES, "the target ends with a space", target_span=(body_end, len(target)))
        )
    return findings
