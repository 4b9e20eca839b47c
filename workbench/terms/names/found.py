"""One occurrence of a name candidate in a paragraph, before it is romanised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from workbench.terms.names.model import NameKind, Pattern


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
