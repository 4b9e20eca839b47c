"""Which checks exist and how to run them: on one pair, or on a whole set of units.

:func:`check_pair` runs the per-segment checks on one ``(source, target)`` pair (what an editor
panel calls as the translator types); :func:`check_units` runs them on every unit and adds the
consistency checks, which need all units at once. ``--checks``/``--ignore`` lists are parsed by
:func:`select_checks`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from workbench.errors import WorkbenchError
from workbench.records import TermNote
from workbench.terms.checks.consistency import Pair, check_consistency
from workbench.terms.checks.finding import Check, Finding, merge_findings
from workbench.terms.checks.glossary import TermChecker, check_glossary
from workbench.terms.checks.length import check_length
from workbench.terms.checks.numbers import check_numbers
from workbench.terms.checks.punctuation import check_brackets, check_end_punctuation, check_quotes
from workbench.terms.checks.spaces import check_spaces
from workbench.terms.checks.spelling import check_spelling
from workbench.terms.checks.untranslated import (
    check_cjk,
    check_same_as_source,
    check_untranslated,
    is_untranslated,
    same_as_source,
)

PairCheck = Callable[[str, str], list[Finding]]

#: The checks that look at one translated pair, in the order their findings are listed.
PAIR_CHECKS: dict[Check, PairCheck] = {
    Check.SAME_AS_SOURCE: check_same_as_source,
    Check.CJK: check_cjk,
    Check.NUMBERS: check_numbers,
    Check.QUOTES: check_quotes,
    Check.BRACKETS: check_brackets,
    Check.SPACES: check_spaces,
    Check.END_PUNCTUATION: check_end_punctuation,
    Check.LENGTH: check_length,
    Check.SPELLING: check_spelling,
}
#: The checks that need every unit at once.
DOCUMENT_CHECKS = frozenset({Check.INCONSISTENT_TARGET, Check.INCONSISTENT_SOURCE})
ALL_CHECKS = frozenset(Check)


def parse_check_names(text: str) -> frozenset[Check]:
    """``"numbers,quotes"`` -> the checks; WorkbenchError naming the known ones for an unknown name."""
    out: set[Check] = set()
    for name in (n.strip().lower() for n in text.split(",")):
        if not name:
            continue
        try:
            out.add(Check(name))
        except ValueError:
            known = ", ".join(c.value for c in Check)
            raise WorkbenchError(f"unknown QA check {name!r}; choose from {known}") from None
    return frozenset(out)


def select_checks(checks: str | None = None, ignore: str | None = None) -> frozenset[Check]:
    """The checks to run: ``checks`` (default all) less ``ignore`` (comma-separated names)."""
    chosen = parse_check_names(checks) if checks else ALL_CHECKS
    if ignore:
        chosen -= parse_check_names(ignore)
    return frozenset(chosen)


def forced_term_findings(notes: Sequence[TermNote]) -> list[Finding]:
    """``forced-term`` warnings for the hits of one unit forced in above the cost threshold
    (:mod:`workbench.terms.ledger`); needs the unit's ledger (``how``/``cost`` of its terms)."""
    from workbench.terms.ledger import forced_notes

    return [Finding(Check.FORCED_TERM, n.message, None, n.target_span) for n in forced_notes(notes)]


def check_pair(
    source: str,
    target: str | None,
    *,
    checks: Iterable[Check] = ALL_CHECKS,
    glossary: TermChecker | None = None,
) -> list[Finding]:
    """Run the per-segment checks on one pair.

    Args:
        source: The Chinese source segment.
        target: Its English translation; None when it has none.
        checks: Which checks to run (document checks in it are ignored here).
        glossary: Term checker for the ``glossary`` check (skipped without one).

    Returns:
        Findings without file or unit, in the order of :data:`PAIR_CHECKS` (glossary last), the same check
        and message found twice being one finding with its ``count`` (:func:`merge_findings`). An
        untranslated pair gets only its ``untranslated`` finding, a target that is the source
        copied only its ``same-as-source`` finding.
    """
    wanted = frozenset(checks)
    if is_untranslated(target):
        return check_untranslated(source, target) if Check.UNTRANSLATED in wanted else []
    assert target is not None
    if same_as_source(source, target):
        return check_same_as_source(source, target) if Check.SAME_AS_SOURCE in wanted else []
    findings: list[Finding] = []
    for check, run in PAIR_CHECKS.items():
        if check in wanted:
            findings += run(source, target)
    if Check.GLOSSARY in wanted:
        findings += check_glossary(source, target, glossary)
    return merge_findings(findings)


def check_units(
    units: Sequence[Pair],
    *,
    checks: Iterable[Check] = ALL_CHECKS,
    glossary: TermChecker | None = None,
) -> list[Finding]:
    """Run every selected check on ``units`` (one or more files read together).

    Args:
        units: Objects with ``source``, ``target`` (None: untranslated), ``file`` and ``unit``.
        checks: Which checks to run.
        glossary: Term checker for the ``glossary`` check.

    Returns:
        Located findings: per unit in unit order, then the consistency findings.
    """
    wanted = frozenset(checks)
    findings: list[Finding] = []
    for u in units:
        findings += [
            f.located(u.file, u.unit)
            for f in check_pair(u.source, u.target, checks=wanted, glossary=glossary)
        ]
        if Check.FORCED_TERM in wanted:
            findings += [f.located(u.file, u.unit) for f in forced_term_findings(getattr(u, "terms", ()))]
    findings += check_consistency(units, wanted & DOCUMENT_CHECKS)
    return merge_findings(findings)
