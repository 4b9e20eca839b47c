"""Records of name proposals: what was found, how it is rendered, why, and how sure we are.

A :class:`NameProposal` is one source form (a person, a place or an organisation) with its proposed
English rendering, the evidence that it is a name (pattern and paragraph), a confidence in [0, 1] and
the reasons that lowered it. :meth:`NameProposal.to_entry` turns it into a term base entry, so a
proposal travels through the same constrained decoding and QA as a glossary term.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from workbench.terms.model import Entry

#: Default lowest confidence a proposal needs to be enforced by ``translate --names``.
DEFAULT_MIN_CONFIDENCE = 0.8
#: Places kept as the evidence of one proposal; a name found more often counts the others.
MAX_EVIDENCE = 20
#: Priority of name entries: below every glossary entry (default 0), so the glossary wins any overlap.
NAME_PRIORITY = -1


class NameKind(str, Enum):
    """What a proposal names."""

    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"


class Pattern(str, Enum):
    """The structure or language cue that found a name."""

    BYLINE = "byline"
    DATELINE = "dateline"
    DATELINE_PLACE = "dateline place"
    CAPTION = "caption"
    CREDIT = "reporter credit"
    TITLE = "title"
    SPEECH = "speech verb"
    SPEAKER = "speaker label"
    DICTIONARY = "CC-CEDICT name"
    GENERIC = "administrative generic"
    KNOWN_PLACE = "CC-CEDICT place"
    SPECIFIC = "specific name of a place found with its generic"
    ORGANISATION = "place + organisation"
    RECURRING = "recurring name the analyser tags"
    ANALYSER_PLACE = "place name the analyser tags, CC-CEDICT place"
    FOREIGN = "foreign name (interpunct or CC-CEDICT)"
    FAMILY_ROLE = "surname + family role"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where and how a name was found.

    Attributes:
        pattern: The cue that found it.
        paragraph: Index of the paragraph in the document (0-based, as in ``translate`` JSONL).
        excerpt: The text around the name (at most a few dozen characters).
        confidence: How sure the detection is that this is a name of that kind, in [0, 1].
        reason: Why the detection is unsure (empty when it is not).
    """

    pattern: Pattern
    paragraph: int
    excerpt: str
    confidence: float
    reason: str = ""

    def describe(self) -> str:
        """``pattern ¶N: excerpt``."""
        return f"{self.pattern.value} ¶{self.paragraph}: {self.excerpt}"


@dataclass(frozen=True)
class Rendering:
    """A proposed English form and how sure the romanisation is.

    Attributes:
        target: The proposed rendering.
        alternatives: Other acceptable renderings (another reading, a short form).
        confidence: Certainty of the rendering itself, in [0, 1].
        reasons: Why the confidence is below 1 (a polyphonic character, an unattested reading ...).
        basis: How the rendering was made (``GB/T 28039 pinyin``, ``CC-CEDICT`` ...).
    """

    target: str
    alternatives: tuple[str, ...] = ()
    confidence: float = 1.0
    reasons: tuple[str, ...] = ()
    basis: str = ""


@dataclass
class NameProposal:
    """One name found in a document, with its proposed rendering.

    Attributes:
        source: The name as written in the source.
        kind: Person, place or organisation.
        rendering: The proposed English form.
        evidence: Where it was found, strongest first after :meth:`finish` (at most
            :data:`MAX_EVIDENCE` places are kept).
        omitted: How many further places it was found at (not kept as evidence).
    """

    source: str
    kind: NameKind
    rendering: Rendering
    evidence: list[Evidence] = field(default_factory=list)
    omitted: int = 0

    @property
    def target(self) -> str:
        """The proposed rendering."""
        return self.rendering.target

    @property
    def confidence(self) -> float:
        """The lower of the detection's best evidence and the rendering's certainty."""
        detected = max((e.confidence for e in self.evidence), default=0.0)
        return round(min(detected, self.rendering.confidence), 2)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the confidence is not 1 (rendering reasons, then a weak detection)."""
        out = list(self.rendering.reasons)
        best = max(self.evidence, key=lambda e: e.confidence, default=None)
        if best is not None and best.confidence < self.rendering.confidence and best.confidence < 0.9:
            out.append(best.reason or f"found only by {best.pattern.value}")
        return tuple(out)

    def finish(self) -> None:
        """Sort the evidence strongest first, then in document order."""
        self.evidence.sort(key=lambda e: (-e.confidence, e.paragraph))

    def note(self) -> str:
        """The note written with the entry: kind, confidence, reasons, basis and evidence."""
        parts = [f"name proposal: {self.kind.value}", f"confidence {self.confidence:.2f}"]
        if self.reasons:
            parts.append("uncertain: " + "; ".join(self.reasons))
        if self.rendering.basis:
            parts.append(f"rendering: {self.rendering.basis}")
        shown = self.evidence[:3]
        parts.append("evidence: " + "; ".join(e.describe() for e in shown))
        more = len(self.evidence) - len(shown) + self.omitted
        if more > 0:
            parts[-1] += f" (+{more} more)"
        return " | ".join(p.replace("|", "/") for p in parts)

    def to_entry(self) -> Entry:
        """The term base entry enforcing this proposal (below glossary entries in priority)."""
        return Entry(
            source=self.source,
            target=self.target,
            alternatives=self.rendering.alternatives,
            note=self.note(),
            priority=NAME_PRIORITY,
        )

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``workbench names --format jsonl``."""
        return {
            "source": self.source,
            "target": self.target,
            "alternatives": list(self.rendering.alternatives),
            "kind": self.kind.value,
            "confidence": self.confidence,
            "reasons": list(self.reasons),
            "basis": self.rendering.basis,
            "evidence": [
                {
                    "pattern": e.pattern.value,
                    "paragraph": e.paragraph,
                    "excerpt": e.excerpt,
                    "confidence": e.confidence,
                    "reason": e.reason,
                }
                for e in self.evidence
            ],
            "more_evidence": self.omitted,
        }
