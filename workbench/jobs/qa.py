"""QA of bilingual files: read every file, run the selected checks, report the findings.

The glossary for the ``glossary`` check is ``--glossary`` when given; otherwise a project file
brings its own (the one recorded by ``translate --glossary``). Consistency is checked across all
the files of one run, as a CAT tool checks a whole project. A unit whose source is longer than the
shared segment cap (:data:`workbench.safe_read.MAX_SEGMENT_CHARS`), or whose target is longer than a
capped segment's translation can be (:data:`workbench.safe_read.MAX_TARGET_CHARS`), is no sentence: it is left
out of every check, and a note names it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.formats.bilingual import BilingualFormat, BilingualUnit, detect_format, read_bilingual
from workbench.safe_read import MAX_SEGMENT_CHARS, MAX_TARGET_CHARS, cap_note, over_cap
from workbench.terms.checks import (
    DOCUMENT_CHECKS,
    Check,
    Finding,
    TermChecker,
    check_consistency,
    check_units,
)
from workbench.terms.context import GlossaryContext

#: At most this many over-long units are named one by one; the rest are counted.
NAMED_NOTES = 5


@dataclass
class QAReport:
    """What one QA run found.

    Attributes:
        findings: Located findings, file by file in unit order, consistency findings last.
        units: Units read, per file.
        checks: The checks that ran.
        notes: What was left out and why (units over the segment cap), for standard error.
    """

    findings: list[Finding] = field(default_factory=list)
    units: dict[str, int] = field(default_factory=dict)
    checks: frozenset[Check] = frozenset()
    notes: list[str] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        """Findings per check name."""
        return Counter(f.check.value for f in self.findings)

    def summary(self) -> str:
        """One line: findings per check, units and files."""
        n_units = sum(self.units.values())
        files = len(self.units)
        where = f"{n_units} unit{'s' * (n_units != 1)} of {files} file{'s' * (files != 1)}"
        if not self.findings:
            return f"no findings in {where}"
        per = ", ".join(f"{name} {n}" for name, n in sorted(self.counts().items()))
        return f"{len(self.findings)} finding{'s' * (len(self.findings) != 1)} in {where} ({per})"


def _within_cap(units: list[BilingualUnit], notes: list[str]) -> list[BilingualUnit]:
    """``units`` less those with a side over the segment cap; each left out gets a note (a few named)."""
    kept: list[BilingualUnit] = []
    over = 0
    for u in units:
        past = over_cap(u.source, u.target)
        if past is None:
            kept.append(u)
            continue
        over += 1
        if over <= NAMED_NOTES:
            side, length = past
            cap = MAX_SEGMENT_CHARS if side == "source" else MAX_TARGET_CHARS
            notes.append(cap_note(f"{u.file}:{u.unit}: the {side}", length, "not checked", cap=cap))
    if over > NAMED_NOTES:
        notes.append(f"{over - NAMED_NOTES} more units of {units[0].file} over the segment cap not checked")
    return kept


def _project_checker(path: Path) -> TermChecker | None:
    from workbench.store.project import Project

    with Project.open(path, readonly=True) as project:
        glossary = project.glossary()
    return glossary if glossary else None


def run_qa(
    paths: Sequence[str | os.PathLike[str]],
    *,
    checks: Iterable[Check],
    glossary: Sequence[str | os.PathLike[str]] | None = None,
) -> QAReport:
    """Check bilingual files.

    Args:
        paths: Projects, TMX, XLIFF, TSV or JSONL files (:mod:`workbench.formats.bilingual`).
        checks: The checks to run (:func:`workbench.terms.checks.select_checks`).
        glossary: Term base files for the ``glossary`` check; default a project's own glossary.

    Raises:
        WorkbenchError: An unreadable or malformed file or glossary (one line).
    """
    wanted = frozenset(checks)
    given: TermChecker | None = GlossaryContext.load(list(glossary)) if glossary else None
    report = QAReport(checks=wanted)
    every: list[BilingualUnit] = []
    for path in paths:
        p = Path(path)
        fmt = detect_format(p)
        units = _within_cap(read_bilingual(p, fmt), report.notes)
        checker = given
        if checker is None and fmt is BilingualFormat.PROJECT and Check.GLOSSARY in wanted:
            checker = _project_checker(p)
        report.findings += check_units(units, checks=wanted - DOCUMENT_CHECKS, glossary=checker)
        report.units[str(p)] = len(units)
        every += units
    report.findings += check_consistency(every, wanted & DOCUMENT_CHECKS)
    return report
