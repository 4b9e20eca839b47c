"""Names of people, places and organisations in Hanyu Pinyin, proposed from a document.

Public API (what the commands call)::

    proposals = propose_names(document)                  # [NameProposal] with evidence and confidence
    proposals_tsv(proposals) / proposals_jsonl(proposals)  # bytes: the glossary's TSV, or JSON lines
    added = with_names(glossary_termbase, proposals, 0.8)  # glossary entries + accepted names
    person_name("单迎庆").target                           # "Shan Yingqing"
    place_name("吉安", "市").target                         # "Ji'an City"

Modules: ``pinyin`` (orthography), ``surnames`` (tables), ``cedict`` (CC-CEDICT proper nouns),
``persons`` / ``places`` (romanisation), ``cues`` / ``find_persons`` / ``find_places`` (detection),
``propose`` (from a document to proposals), ``termbase`` (entries, output, merging under a glossary).
"""

from __future__ import annotations

from workbench.terms.names.model import (
    DEFAULT_MIN_CONFIDENCE,
    Evidence,
    NameKind,
    NameProposal,
    Pattern,
    Rendering,
)
from workbench.terms.names.persons import person_name
from workbench.terms.names.places import place_name, specific_name
from workbench.terms.names.propose import propose_names
from workbench.terms.names.termbase import (
    NamesAdded,
    check_min_confidence,
    merge_proposals,
    proposals_jsonl,
    proposals_tsv,
    with_names,
)

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "Evidence",
    "NameKind",
    "NameProposal",
    "NamesAdded",
    "Pattern",
    "Rendering",
    "check_min_confidence",
    "merge_proposals",
    "person_name",
    "place_name",
    "proposals_jsonl",
    "proposals_tsv",
    "propose_names",
    "specific_name",
    "with_names",
]
