"""Neutral records of a translated document, shared by the store, the exports, the CLI and the UI.

The store fills them from SQLite; the batch CLI fills them in memory; the exporters only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("new", "drafted", "edited", "approved", "tm-exact")


@dataclass
class TermNote:
    """A glossary term found in a segment and whether the target honours it.

    Attributes:
        source: The source term as found.
        target: The approved rendering.
        ok: True when the target text satisfies the term.
        problem: Empty when ok; else e.g. ``missing`` or ``forbidden: <rendering>``.
        span: ``(start, end)`` of the term in the source segment, when known.
        target_span: ``(start, end)`` in the target of the rendering found (the forbidden one when
            ``problem`` is ``forbidden: ...``); None when missing or unknown.
    """

    source: str
    target: str
    ok: bool = True
    problem: str = ""
    span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None


@dataclass
class SegmentRecord:
    """One sentence segment with its draft and final translation."""

    paragraph: int
    index: int
    source: str
    draft: str | None = None
    final: str | None = None
    status: str = "new"
    origin: str | None = None  # "mt", "tm" or "human"
    signature: str | None = None  # engine signature string of the draft
    terms: list[TermNote] = field(default_factory=list)
    updated: str | None = None  # ISO 8601 UTC timestamp of the last change

    @property
    def target(self) -> str | None:
        """The best available translation: the final text, else the draft."""
        return self.final if self.final else self.draft


@dataclass
class ParagraphRecord:
    """One rebuilt source paragraph and its segments."""

    index: int
    kind: str
    text: str
    lines: tuple[int, int]
    segments: list[SegmentRecord] = field(default_factory=list)


@dataclass
class DocumentRecord:
    """A whole document ready for export."""

    name: str
    source_path: str = ""
    script: str = "simplified"
    src_lang: str = "zh-CN"
    tgt_lang: str = "en-US"
    paragraphs: list[ParagraphRecord] = field(default_factory=list)
    glossary: str = ""  # description/hash of the glossary used
    signature: str = ""  # engine signature of the run

    def segments(self) -> list[SegmentRecord]:
        """All segments in document order."""
        return [s for p in self.paragraphs for s in p.segments]
