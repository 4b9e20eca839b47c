"""Plain data types shared by every layer: a source document, its paragraphs and segments."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ParagraphKind(str, Enum):
    """What a rebuilt paragraph is. The value is the string stored and printed (``"heading"``)."""

    HEADING = "heading"
    BYLINE = "byline"
    CAPTION = "caption"
    DATELINE = "dateline"
    MARKER = "marker"
    BODY = "body"
    ITEM = "item"  # a list item: （一）…； 1. … • …
    HEADER = "header"  # a running header repeated on every page of an OCR'd/PDF document
    FOOTER = "footer"  # a page number or running footer

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


# Paragraph kinds produced by the reconstruction, as strings.
KINDS = tuple(k.value for k in ParagraphKind)

#: Kinds kept and shown but not sent to machine translation by default (page furniture).
NOT_TRANSLATED = frozenset({ParagraphKind.HEADER, ParagraphKind.FOOTER})


def is_translated(kind: str) -> bool:
    """Whether paragraphs of ``kind`` are sent to MT and imported as segments to translate.

    Running headers, footers and page numbers are not: they are page furniture that the
    translated document does not repeat.
    """
    return kind not in NOT_TRANSLATED


@dataclass(frozen=True)
class Paragraph:
    """One rebuilt paragraph of the source.

    Attributes:
        index: 0-based position in the document.
        kind: One of ``KINDS`` (a ``ParagraphKind``).
        text: The paragraph in the original script, no newline inside.
        lines: ``(first, last)`` 1-based input line numbers it came from (for a Word file, the
            paragraph's position in the document; for a PDF, lines of the extracted page text).
        segments: Sentence segments as a CAT tool (OmegaT) cuts them; their
            concatenation equals ``text`` once whitespace is removed.
        reason: Why a paragraph starts here (the rule or source structure that broke before it).
        undoubled: True when a doubled title layer was undone.
    """

    index: int
    kind: str
    text: str
    lines: tuple[int, int]
    segments: tuple[str, ...]
    reason: str = ""
    undoubled: bool = False

    @property
    def translated(self) -> bool:
        """Whether the paragraph is sent to MT (see ``is_translated``)."""
        return is_translated(self.kind)


@dataclass(frozen=True)
class Document:
    """A decoded, cleaned and rebuilt source file.

    Attributes:
        path: Where it was read from (``""`` for in-memory text).
        encoding: The encoding it was decoded with (``"docx"``, ``"pdf"`` for those formats).
        script: ``"simplified"`` or ``"traditional"``.
        paragraphs: The rebuilt paragraphs in order.
        format: The input format it was read as (``text``, ``markdown``, ``docx``, ``pdf``).
    """

    path: str
    encoding: str
    script: str
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)
    format: str = "text"

    @property
    def title(self) -> str:
        """The first heading, else the first paragraph's text (may be empty)."""
        for p in self.paragraphs:
            if p.kind == "heading":
                return p.text
        return self.paragraphs[0].text if self.paragraphs else ""
