"""Term bases: model, file formats, matching and QA.

Public API (what the MT, store, export and UI layers call)::

    tb = load_termbase(["glossary/womens-news.tsv"])     # WorkbenchError "FILE:LINE: ..."
    hits = Matcher(tb).find(segment)                    # [Hit(start, end, text, entry)]
    constraints_for(hits)                               # [TermConstraint] for the decoder
    check_target(hits, draft_or_final)                  # [TermNote] (ok / missing / forbidden: X)
    save_termbase(tb, "out.tbx", "tbx")                 # tsv | csv | tbx | omegat
"""

from __future__ import annotations

from workbench.terms.formats import FORMATS, detect_format, load_termbase, read_entries, save_termbase
from workbench.terms.match import Hit, Matcher
from workbench.terms.model import Conflict, Entry, TermBase
from workbench.terms.qa import check_target, constraints_for

__all__ = [
    "FORMATS",
    "Conflict",
    "Entry",
    "Hit",
    "Matcher",
    "TermBase",
    "check_target",
    "constraints_for",
    "detect_format",
    "load_termbase",
    "read_entries",
    "save_termbase",
]
