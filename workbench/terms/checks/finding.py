"""What a QA check reports: the check names (an Enum) and one finding.

A check function sees one ``(source, target)`` pair, or a whole document for the consistency
checks, and returns :class:`Finding` objects without a location; the caller that read the units
from a file stamps ``file`` and ``unit`` on them with :meth:`Finding.located`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any


class Check(str, Enum):
    """The QA checks, by the name ``--checks`` and ``--ignore`` take."""

    NUMBERS = "numbers"
    UNTRANSLATED = "untranslated"
    SAME_AS_SOURCE = "same-as-source"
    CJK = "cjk-in-target"
    QUOTES = "quotes"
    BRACKETS = "brackets"
    SPACES = "spaces"
    END_PUNCTUATION = "end-punctuation"
    INCONSISTENT_TARGET = "inconsistent-target"
    INCONSISTENT_SOURCE = "inconsistent-source"
    GLOSSARY = "glossary"
    LENGTH = "length"
    FORCED_TERM = "forced-term"  # a warning: a term forced into the draft at a high cost (term ledger)
    SPELLING = "spelling"

    def __str__(self) -> str:
        return self.value


Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """One problem found by a check.

    Attributes:
        check: The check that found it.
        message: One line for the translator, e.g. ``50余万 (500000) is not in the target``.
        source_span: ``(start, end)`` in the source segment, when the problem has a place there.
        target_span: ``(start, end)`` in the target, when it has a place there.
        file: The file the unit came from (set by :meth:`located`).
        unit: Where in the file: the 1-based line for TSV and JSONL, the unit id otherwise.
        count: How many times the check found this in the unit (the same check and message are one
            finding: :func:`merge_findings`).
    """

    check: Check
    message: str
    source_span: Span | None = None
    target_span: Span | None = None
    file: str = ""
    unit: int | str | None = None
    count: int = 1

    @property
    def text(self) -> str:
        """The message as shown: ``message (×3)`` when found more than once in the unit."""
        return counted(self.message, self.count)

    def located(self, file: str, unit: int | str | None) -> Finding:
        """The same finding with its file and unit filled in."""
        return Finding(self.check, self.message, self.source_span, self.target_span, file, unit, self.count)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``file``, ``unit``, ``check``, ``message``, ``offsets`` (``source``/``target``)."""
        return {
            "file": self.file,
            "unit": self.unit,
            "check": self.check.value,
            "message": self.message,
            "count": self.count,
            "offsets": {
                "source": list(self.source_span) if self.source_span else None,
                "target": list(self.target_span) if self.target_span else None,
            },
        }


def counted(message: str, count: int) -> str:
    """``message``, with `` (×N)`` when it was found ``count`` > 1 times (every display of a finding)."""
    return f"{message} (×{count})" if count > 1 else message


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per check, message, file and unit, with the number of times it was found, in the order
    of first appearance (the spans are the first one's)."""
    merged: dict[tuple[Check, str, str, int | str | None], Finding] = {}
    for f in findings:
        key = (f.check, f.message, f.file, f.unit)
        first = merged.get(key)
        merged[key] = f if first is None else replace(first, count=first.count + f.count)
    return list(merged.values())
