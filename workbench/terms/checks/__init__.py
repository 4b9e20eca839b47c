"""CAT-style QA checks of translated segments: numbers, untranslated text, punctuation, spaces,
consistency, glossary terms and length. Pure functions; each module documents its rules.

Public API::

    check_pair(source, target, checks=ALL_CHECKS, glossary=None)   # [Finding] for one segment
    check_units(units, checks=..., glossary=...)                   # all units + consistency
    check_consistency(units, checks)                               # the document-level pass only
    attach_qa(record)                                              # a DocumentRecord's segments' qa notes
    pair_findings(source, target); settings_key()                  # what a project caches, and its key
    select_checks("numbers,quotes", ignore="length")               # frozenset[Check]
    glossary=GlossaryContext.load([...])                           # workbench.terms.context
"""

from __future__ import annotations

from workbench.terms.checks.consistency import check_consistency
from workbench.terms.checks.document import (
    RECORD_CHECKS,
    attach_qa,
    check_document,
    pair_findings,
    settings_key,
    unit_name,
)
from workbench.terms.checks.finding import Check, Finding
from workbench.terms.checks.glossary import TermChecker
from workbench.terms.checks.registry import (
    ALL_CHECKS,
    DOCUMENT_CHECKS,
    PAIR_CHECKS,
    check_pair,
    check_units,
    parse_check_names,
    select_checks,
)

__all__ = [
    "ALL_CHECKS",
    "DOCUMENT_CHECKS",
    "PAIR_CHECKS",
    "RECORD_CHECKS",
    "Check",
    "Finding",
    "TermChecker",
    "attach_qa",
    "check_consistency",
    "check_document",
    "check_pair",
    "check_units",
    "pair_findings",
    "parse_check_names",
    "select_checks",
    "settings_key",
    "unit_name",
]
