"""Finding term base entries in source text: Aho-Corasick over a normalised form of the text.

The text is normalised the same way as the entries: converted to simplified characters with OpenCC,
case- and width-folded, and with whitespace between two CJK characters removed (so a term broken
across lines, ``巾\\n帼``, still matches). A position map carries every match back to offsets in the
ORIGINAL text, also when the OpenCC conversion changes the length (possible with phrase
conversions such as ``tw2sp``: ``隨身碟`` -> ``U盘``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from workbench.terms.model import Entry, TermBase, fold_char, is_cjk
from workbench.text.script import converter, needs_t2s


@dataclass(frozen=True)
class Hit:
    """One term found in a text.

    Attributes:
        start: Offset of the first character in the text given to :meth:`Matcher.find`.
        end: Offset one past the last character.
        text: ``text[start:end]`` as it appears (may be traditional, or hold a line break).
        entry: The matched term base entry.
    """

    start: int
    end: int
    text: str
    entry: Entry


@dataclass
class Normalised:
    """A normalised text and, for each of its characters, the original span it came from.

    Attributes:
        text: The normalised text.
        starts: ``starts[k]``: original offset where normalised character ``k`` begins.
        ends: ``ends[k]``: original offset where normalised character ``k`` ends.
    """

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, k0: int, k1: int) -> tuple[int, int]:
        """Original ``(start, end)`` of normalised characters ``k0 .. k1-1``."""
        return self.starts[k0], self.ends[k1 - 1]


@lru_cache(maxsize=65536)
def _convert_char(ch: str, conversion: str) -> str:
    out = converter(conversion).convert(ch)
    return out if len(out) == 1 else ch


_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def _convert_aligned(text: str, conversion: str) -> tuple[str, list[int], list[int]]:
    """Convert ``text`` with OpenCC and map each converted character to an original span.

    When the conversion keeps the length (``t2s`` always does) the map is the identity. Otherwise the
    two strings are aligned with difflib: characters in equal blocks map one to one, and every
    character of a replaced block maps to the whole original block, so a match that starts or ends
    inside a rewritten phrase widens to the phrase rather than pointing at the wrong characters.
    """
    n = len(text)
    if conversion == "t2s" and not needs_t2s(text):
        idx = list(range(n))
        return text, idx, [i + 1 for i in idx]
    conv = converter(conversion).convert(text)
    if len(conv) == n:
        idx = list(range(n))
        return conv, idx, [i + 1 for i in idx]
    # Align against a character-by-character conversion of the original (same length as it), so
    # that only the phrases the converter rewrote differ and every other character aligns exactly.
    per_char = "".join(_convert_char(c, conversion) for c in text)
    starts: list[int] = []
    ends: list[int] = []
    sm = difflib.SequenceMatcher(None, per_char, conv, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            starts.extend(range(i1, i2))
            ends.extend(range(i1 + 1, i2 + 1))
        elif tag in ("replace", "insert"):
            starts.extend([i1] * (j2 - j1))
            ends.extend([max(i2, i1 + 1) if i2 > i1 else i1] * (j2 - j1))
        # "delete": original characters with no counterpart; they fall inside neighbouring spans.
    return conv, starts, ends


def normalise(text: str, conversion: str = "t2s", fold: bool = True) -> Normalised:
    """Normalise ``text`` for matching and keep the map back to original offsets.

    Args:
        text: The original text.
        conversion: OpenCC conversion to simplified (``t2s``, or e.g. ``tw2sp`` for Taiwan phrases).
        fold: Case- and width-fold (see :func:`workbench.terms.model.fold_char`).

    Returns:
        The normalised text with its offset map.
    """
    conv, starts, ends = _convert_aligned(text, conversion)
    out: list[str] = []
    o_starts: list[int] = []
    o_ends: list[int] = []
    n = len(conv)
    prev = ""  # last non-space character before folding
    k = 0
    while k < n:
        ch = conv[k]
        if ch in _INVISIBLE:  # zero-width characters and soft hyphens from PDF/OCR text
            k += 1
            continue
        if ch.isspace():
            j = k
            while j < n and conv[j].isspace():
                j += 1
            # Whitespace between two CJK characters is a line-break artefact: drop it; any other
            # run of whitespace becomes one space.
            if not (prev and j < n and is_cjk(prev) and is_cjk(conv[j])):
                out.append(" ")
                o_starts.append(starts[k])
                o_ends.append(ends[j - 1])
            k = j
            continue
        out.append(fold_char(ch) if fold else ch)
        o_starts.append(starts[k])
        o_ends.append(ends[k])
        prev = ch
        k += 1
    return Normalised("".join(out), o_starts, o_ends)


def _wordish(ch: str) -> bool:
    return ch.isalnum() and not is_cjk(ch)


class Matcher:
    """Finds term base entries in text, longest-leftmost, with offsets into the original text.

    Build once per term base (building is the expensive part; ``find`` is linear in the text plus the
    number of candidate matches).

    Args:
        termbase: The entries to look for.
        conversion: OpenCC conversion applied to texts before matching (entries always use ``t2s``).
    """

    def __init__(self, termbase: TermBase, conversion: str = "t2s") -> None:
        self.termbase = termbase
        self.conversion = conversion
        self._auto = ahocorasick.Automaton()
        keys: dict[str, list[tuple[Entry, str]]] = {}
        for entry in termbase:
            for key in entry.match_keys():
                # Case-sensitive entries are indexed folded too; the exact form is checked on a hit.
                if " " in key or not key.isalnum():
                    exact_key = normalise(key, "t2s", fold=False).text.strip()
                    folded_key = normalise(key, "t2s", fold=True).text.strip()
                else:  # plain word: already simplified; fold only if still needed
                    exact_key = key
                    folded_key = key if not entry.case_sensitive else "".join(map(fold_char, key))
                if folded_key:
                    keys.setdefault(folded_key, []).append((entry, exact_key))
        for key, cands in keys.items():
            self._auto.add_word(key, (len(key), tuple(cands)))
        self._empty = not keys
        if not self._empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """All non-overlapping term hits in ``text``, in text order.

        Selection rule: among overlapping candidates the higher ``priority`` wins; with equal
        priority the leftmost wins, and among those starting at the same place the longest
        (so 巾帼文明岗 wins over 巾帼). Latin-script sources match only at word boundaries.
        """
        if self._empty or not text:
            return []
        folded = normalise(text, self.conversion, fold=True)
        exact: str | None = None
        ntext = folded.text
        cands: list[tuple[int, int, int, Entry]] = []
        for end_idx, (length, entries) in self._auto.iter(ntext):
            k1 = end_idx + 1
            k0 = k1 - length
            for entry, key in entries:
                if entry.case_sensitive:
                    if exact is None:
                        exact = normalise(text, self.conversion, fold=False).text
                    if exact[k0:k1] != key:
                        continue
                if _wordish(key[0]) and k0 > 0 and _wordish(ntext[k0 - 1]):
                    continue
                if _wordish(key[-1]) and k1 < len(ntext) and _wordish(ntext[k1]):
                    continue
                cands.append((-entry.priority, k0, -(k1 - k0), entry))
                break
        if not cands:
            return []
        cands.sort(key=lambda c: (c[0], c[1], c[2]))
        taken: list[tuple[int, int, Entry]] = []
        occupied = bytearray(len(ntext))
        for _, k0, neg_len, entry in cands:
            k1 = k0 - neg_len
            if any(occupied[k0:k1]):
                continue
            occupied[k0:k1] = b"\x01" * (k1 - k0)
            taken.append((k0, k1, entry))
        taken.sort(key=lambda t: t[0])
        hits = []
        for k0, k1, entry in taken:
            s, e = folded.span(k0, k1)
            hits.append(Hit(s, e, text[s:e], entry))
        return hits
