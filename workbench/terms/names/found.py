"""One occurrence of a name candidate in a paragraph, before it is romanised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from workbench.safe_read import MAX_SEGMENT_CHARS
from workbench.terms.names.model import NameKind, Pattern
from workbench.text.model import Paragraph
from workbench.text.segments import split_long


@dataclass(frozen=True, slots=True)
class Found:
    """A name found at ``start:end`` of paragraph ``paragraph``.

    Attributes:
        source: The name as written.
        kind: Person, place or organisation.
        pattern: The cue that found it.
        paragraph: Paragraph index.
        start: Offset in the paragraph text.
        confidence: Detection confidence in [0, 1].
        reason: Why the detection is unsure (empty when it is not).
        specific: For a place or an organisation: the specific name (沭阳 of 沭阳县妇联).
        generic: The administrative generic (县), empty for a bare name.
        suffix: For an organisation: what follows the place (妇联).
    """

    source: str
    kind: NameKind
    pattern: Pattern
    paragraph: int
    start: int
    confidence: float
    reason: str = ""
    specific: str = ""
    generic: str = ""
    suffix: str = ""

    @property
    def end(self) -> int:
        """Offset one past the name."""
        return self.start + len(self.source)


def excerpt(text: str, start: int, end: int, width: int = 10) -> str:
    """The name with up to ``width`` characters of context on each side, on one line."""
    left = "…" if start > width else ""
    right = "…" if end + width < len(text) else ""
    return left + " ".join(text[max(0, start - width) : end + width].split()) + right


def occurrences(
    paragraphs: Iterable[tuple[int, str]], forms: Iterable[str]
) -> Iterator[tuple[int, int, str]]:
    """``(paragraph, start, form)`` of every occurrence of the forms: one pass over each paragraph.

    An Aho-Corasick automaton finds them all at once, so the work does not grow with the number of
    forms times the number of paragraphs.
    """
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form in forms:
        automaton.add_word(form, form)
    if len(automaton) == 0:
        return
    automaton.make_automaton()
    for par, text in paragraphs:
        for end, form in automaton.iter(text):
            yield par, end - len(form) + 1, form


def bounded_paragraphs(
    paragraphs: Sequence[Paragraph],
) -> tuple[list[Paragraph], dict[int, tuple[int, int]]]:
    """The paragraphs to analyse, each one longer than the segment cap cut into pieces.

    A paragraph over :data:`workbench.safe_read.MAX_SEGMENT_CHARS` characters is cut where the
    segmenter cuts a runaway segment (clause punctuation, else spaces, else between characters), so
    the analyser's work and memory per piece stay bounded; the pieces concatenate back to it.

    Returns:
        The pieces, numbered in order, and for each piece's number the index of its paragraph and
        the piece's offset in it (for :func:`placed`).
    """
    parts: list[Paragraph] = []
    origin: dict[int, tuple[int, int]] = {}
    for p in paragraphs:
        pieces = [p.text] if len(p.text) <= MAX_SEGMENT_CHARS else split_long(p.text, len, MAX_SEGMENT_CHARS)
        offset = 0
        for piece in pieces:
            origin[len(parts)] = (p.index, offset)
            parts.append(replace(p, index=len(parts), text=piece))
            offset += len(piece)
    return parts, origin


def placed(found: Found, origin: dict[int, tuple[int, int]]) -> Found:
    """``found`` (in a piece of :func:`bounded_paragraphs`) in its paragraph's own numbering and offsets."""
    index, offset = origin[found.paragraph]
    if index == found.paragraph and offset == 0:
        return found
    return replace(found, paragraph=index, start=found.start + offset)
