"""Plain data types shared by every layer: a source document, its paragraphs and segments."""

from __future__ import annotations

from dataclasses import dataclass, field

# Paragraph kinds produced by the reconstruction.
KINDS = ("heading", "byline", "caption", "dateline", "marker", "body")


@dataclass(frozen=True)
class Paragraph:
    """One rebuilt paragraph of the source.

    Attributes:
        index: 0-based position in the document.
        kind: One of ``KINDS``.
        text: The paragraph in the original script, no newline inside.
        lines: ``(first, last)`` 1-based input line numbers it came from.
        segments: Sentence segments as a CAT tool (OmegaT) cuts them; their
            concatenation equals ``text`` once whitespace is removed.
    """

    index: int
    kind: str
    text: str
    lines: tuple[int, int]
    segments: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A decoded, cleaned and rebuilt source file.

    Attributes:
        path: Where it was read from (``""`` for in-memory text).
        encoding: The encoding it was decoded with.
        script: ``"simplified"`` or ``"traditional"``.
        paragraphs: The rebuilt paragraphs in order.
    """

    path: str
    encoding: str
    script: str
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """The first heading, else the first paragraph's text (may be empty)."""
        for p in self.paragraphs:
            if p.kind == "heading":
                return p.text
        return self.paragraphs[0].text if self.paragraphs else ""
