"""Name proposals as term base entries: written as extended TSV or JSONL, added under a glossary.

:func:`with_names` is the one way the drafting commands add names: proposals at or above the
threshold become entries of priority -1, after the glossary's entries. A name never overrides the
glossary: a proposal whose source the glossary already has is left out, and wherever a glossary term
and a name overlap in a segment the glossary term wins (higher priority).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import WorkbenchError
from workbench.terms.formats import dumps
from workbench.terms.model import TermBase
from workbench.terms.names.model import DEFAULT_MIN_CONFIDENCE, NameProposal


def check_min_confidence(value: float) -> float:
    """``value`` when it is a confidence in [0, 1]; else a one-line error."""
    if not 0.0 <= value <= 1.0:
        raise WorkbenchError(f"a name confidence threshold must be between 0 and 1, not {value}")
    return value


@dataclass
class NamesAdded:
    """What :func:`with_names` did.

    Attributes:
        termbase: The glossary's entries followed by the accepted names.
        added: Proposals now enforced.
        below: Proposals under the threshold (not enforced).
        glossary_wins: Proposals left out because the glossary has the same source.
    """

    termbase: TermBase
    added: list[NameProposal] = field(default_factory=list)
    below: list[NameProposal] = field(default_factory=list)
    glossary_wins: list[NameProposal] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        return (
            f"names: {len(self.added)} enforced, {len(self.below)} below the confidence threshold, "
            f"{len(self.glossary_wins)} left to the glossary"
        )


def with_names(
    glossary: TermBase | None,
    proposals: Iterable[NameProposal],
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> NamesAdded:
    """A term base holding the glossary's entries and the accepted name proposals.

    Args:
        glossary: The loaded glossary (its entries come first and always win), or None.
        proposals: Name proposals (``propose_names`` of each document).
        min_confidence: Lowest confidence enforced.

    Returns:
        The merged term base and the lists of what was added and left out.
    """
    check_min_confidence(min_confidence)
    entries = list(glossary) if glossary is not None else []
    sources = [*(glossary.sources if glossary is not None else []), "names"]
    tb = TermBase(entries, sources=sources)
    report = NamesAdded(tb)
    seen: set[str] = set()
    for p in proposals:
        if p.source in seen:
            continue
        seen.add(p.source)
        if glossary is not None and glossary.lookup(p.source) is not None:
            report.glossary_wins.append(p)
        elif p.confidence < min_confidence:
            report.below.append(p)
        else:
            before = len(tb.conflicts)
            if tb.add(p.to_entry()):
                report.added.append(p)
            elif len(tb.conflicts) > before:
                del tb.conflicts[before:]  # the same name in another script or case: the first one stays
                report.glossary_wins.append(p)
    return report


def merge_proposals(groups: Sequence[Sequence[NameProposal]]) -> list[NameProposal]:
    """Proposals of several documents as one list (the first proposal of a source keeps its rendering)."""
    out: dict[str, NameProposal] = {}
    for group in groups:
        for p in group:
            if p.source in out:
                out[p.source].evidence.extend(p.evidence)
                out[p.source].omitted += p.omitted
            else:
                out[p.source] = p
    return list(out.values())


def proposals_tsv(proposals: Iterable[NameProposal]) -> bytes:
    """The glossary's extended TSV of the proposals (edit it, then pass it to ``--glossary``)."""
    return dumps([p.to_entry() for p in proposals], "tsv")


def proposals_jsonl(proposals: Iterable[NameProposal]) -> bytes:
    """One JSON object per proposal: source, target, kind, confidence, evidence ..."""
    rows: list[dict[str, Any]] = [p.to_dict() for p in proposals]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
