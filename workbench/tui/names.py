"""The document's proposed names in the editor: which are still open for review, in which segment, and
what accepting or rejecting one does. No Textual import: domain glue tested like the core.

Proposals come from :func:`workbench.terms.names.propose_names` (run off the UI thread) and follow the
rules of :func:`workbench.terms.names.with_names`: a name whose source the glossary has is not proposed,
and where a proposal and a glossary term overlap in a segment the glossary term is shown. An accepted
name becomes an entry of the project's own glossary file; a rejected one is remembered in the project's
metadata so it is not proposed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.terms.match import Matcher
from workbench.terms.names import NameProposal, propose_names, with_names
from workbench.terms.names.model import NAME_PRIORITY


@dataclass(frozen=True)
class ParagraphText:
    """What name detection reads of a paragraph (a copy, safe to hand to a worker thread)."""

    index: int
    kind: str
    text: str


@dataclass(frozen=True)
class DocumentText:
    """The paragraphs of the open document, as :func:`propose_names` reads them."""

    paragraphs: tuple[ParagraphText, ...]


def document_text(record: Any) -> DocumentText:
    """Copy the paragraphs of a ``DocumentRecord`` (on the UI thread, before a worker reads them)."""
    return DocumentText(tuple(ParagraphText(p.index, p.kind, p.text) for p in record.paragraphs))


def find_names(document: DocumentText) -> list[NameProposal]:
    """Every name the document proposes (slow the first time: CC-CEDICT is indexed; run it in a thread)."""
    return propose_names(document)


def accepted_note(proposal: NameProposal) -> str:
    """The note written with an accepted name in the project glossary."""
    return f"name accepted in the workbench UI | {proposal.note()}"


@dataclass(frozen=True)
class SegmentName:
    """A proposal found in a segment's source (character offsets) that the translator can act on."""

    proposal: NameProposal
    start: int
    end: int


class NameReview:
    """The proposals of one document and what is left of them for review.

    Args:
        proposals: What :func:`find_names` returned for the document.
        rejected: Sources rejected in the project (``Project.rejected_names``).
    """

    def __init__(self, proposals: Sequence[NameProposal], rejected: set[str]) -> None:
        self.proposals = list(proposals)
        self.rejected = set(rejected)
        self._glossary: Any = None
        self._stale = True
        self._matcher: Matcher | None = None
        self._open: dict[str, NameProposal] = {}
        self._found: dict[str, list[SegmentName]] = {}

    def reject(self, source: str) -> None:
        """Leave ``source`` out from now on (the caller also records it with ``Project.reject_name``)."""
        self.rejected.add(source)
        self._stale = True

    def set_rejected(self, rejected: set[str]) -> None:
        """Take the project's rejected sources as they are now (after an undo or redo)."""
        if rejected != self.rejected:
            self.rejected = set(rejected)
            self._stale = True

    def open_proposals(self, glossary: Any) -> list[NameProposal]:
        """Proposals neither rejected nor given by the glossary (a ``GlossaryContext``), in document order."""
        self._prepare(glossary)
        return list(self._open.values())

    def in_segment(self, glossary: Any, source: str) -> list[SegmentName]:
        """The open proposals in a segment's ``source``, in text order; a glossary term wins any overlap."""
        self._prepare(glossary)
        found = self._found.get(source)
        if found is None:
            found = []
            if self._matcher is not None:
                for hit in self._matcher.find(source):
                    proposal = self._open.get(hit.entry.source)
                    if hit.entry.priority == NAME_PRIORITY and proposal is not None:
                        found.append(SegmentName(proposal, hit.start, hit.end))
            self._found[source] = found
        return found

    def _prepare(self, glossary: Any) -> None:
        # The session replaces its glossary object whenever it reloads it (a term added, a name accepted).
        if glossary is self._glossary and not self._stale:
            return
        candidates = [p for p in self.proposals if p.source not in self.rejected]
        added = with_names(glossary.termbase, candidates, 0.0)
        self._open = {p.source: p for p in added.added}
        self._matcher = Matcher(added.termbase) if self._open else None
        self._found = {}
        self._glossary, self._stale = glossary, False
