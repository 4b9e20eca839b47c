"""The term base: entries (one source concept and its English renderings) and their collection.

An :class:`Entry` carries an approved English rendering, allowed alternatives and forbidden
renderings. A :class:`TermBase` merges entries from several files, keeps exact duplicates once,
and reports *conflicts* (one source form with two different approved renderings) instead of
silently picking one.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from workbench.errors import WorkbenchError
from workbench.safexml import xml_clean
from workbench.text.script import to_simplified as simplified
from workbench.text.script import to_traditional as traditional


def fold_char(ch: str) -> str:
    """Case- and width-fold one character, always returning exactly one character.

    Full-width ASCII (``Ｇ``) becomes ASCII; letters are lower-cased unless lower-casing would change
    the length (``İ``), so offsets stay aligned.
    """
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        ch = chr(o - 0xFEE0)
    low = ch.lower()
    return low if len(low) == 1 else ch


def fold(text: str) -> str:
    """Apply :func:`fold_char` to every character (length preserving)."""
    return "".join(fold_char(c) for c in text)


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs and CJK punctuation/full-width forms (no spaces between words)."""
    if not ch:
        return False
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
        or unicodedata.name(ch, "").startswith("CJK")
    )


def _clean(value: str) -> str:
    """Collapse whitespace; characters XML cannot carry become a space as in every writer
    (``workbench.safexml.xml_clean``), other control characters are dropped."""
    value = xml_clean(value)
    if any(unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff" for c in value):
        value = "".join(
            " " if c.isspace() else c
            for c in value
            if c.isspace() or not (unicodedata.category(c) in ("Cc", "Cs") or c in "\ufffe\uffff")
        )
    return " ".join(value.split())


@dataclass(frozen=True)
class Entry:
    """One term: a Chinese source concept and how it must be rendered in English.

    Attributes:
        source: The source term (simplified or traditional; matched through its simplified form).
        target: The approved English rendering (placed first in constraints).
        variants: Other source spellings of the same concept (traditional forms need not be listed:
            matching converts text and entries to simplified characters).
        alternatives: Other acceptable English renderings.
        forbidden: English renderings that must not appear in a translation of this term.
        note: Usage and evidence (free text; runs of whitespace become one space).
        case_sensitive: When True, Latin-script sources match only with the same case and English
            renderings are checked case-sensitively.
        priority: Higher wins when two matches overlap (default 0: plain longest-leftmost).
        location: ``FILE:LINE`` where the entry was read (not part of equality or the digest).
    """

    source: str
    target: str
    variants: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    case_sensitive: bool = False
    priority: int = 0
    location: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        src = _clean(self.source)
        tgt = _clean(self.target)
        if not src:
            raise ValueError("empty source term")
        if not tgt:
            raise ValueError(f"empty target for source term {src!r}")
        object.__setattr__(self, "source", src)
        object.__setattr__(self, "target", tgt)
        object.__setattr__(self, "variants", _dedupe(self.variants, exclude=(src,)))
        object.__setattr__(self, "alternatives", _dedupe(self.alternatives, exclude=(tgt,)))
        object.__setattr__(self, "forbidden", _dedupe(self.forbidden))
        object.__setattr__(self, "note", _clean(self.note))
        clash = set(map(str.casefold, self.allowed)) & set(map(str.casefold, self.forbidden))
        if clash:
            raise ValueError(f"{src!r}: rendering both allowed and forbidden: {sorted(clash)[0]!r}")

    @property
    def allowed(self) -> tuple[str, ...]:
        """The approved rendering followed by the alternatives."""
        return (self.target, *self.alternatives)

    @property
    def sources(self) -> tuple[str, ...]:
        """The source term followed by its variants."""
        return (self.source, *self.variants)

    def match_keys(self) -> tuple[str, ...]:
        """Normalised forms the matcher looks for: simplified, and case-folded unless case sensitive."""
        cached: tuple[str, ...] | None = self.__dict__.get("_keys")
        if cached is not None:
            return cached
        keys: list[str] = []
        for s in self.sources:
            k = simplified(s)
            if not self.case_sensitive:
                k = fold(k)
            if k not in keys:
                keys.append(k)
        result = tuple(keys)
        self.__dict__["_keys"] = result  # frozen dataclass: memoise outside the fields
        return result

    def traditional_forms(self) -> tuple[str, ...]:
        """Traditional spellings of the sources found through OpenCC (those that differ)."""
        out: list[str] = []
        for s in self.sources:
            t = traditional(s)
            if t not in self.sources and t not in out:
                out.append(t)
        return tuple(out)

    def to_dict(self) -> dict[str, object]:
        """Plain-data form (``location`` left out)."""
        return {
            "source": self.source,
            "target": self.target,
            "variants": list(self.variants),
            "alternatives": list(self.alternatives),
            "forbidden": list(self.forbidden),
            "note": self.note,
            "case_sensitive": self.case_sensitive,
            "priority": self.priority,
        }


def _dedupe(values: Iterable[str], exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        v = _clean(v)
        if v and v not in out and v not in exclude:
            out.append(v)
    return tuple(out)


@dataclass(frozen=True)
class Conflict:
    """One source form that two entries render differently.

    Attributes:
        key: The normalised source form both entries match.
        first: The entry read first.
        second: The entry that disagrees with it.
    """

    key: str
    first: Entry
    second: Entry

    def message(self) -> str:
        """One line naming both locations and both renderings."""
        a = self.first.location or "?"
        b = self.second.location or "?"
        return (
            f"{b}: conflicting entry for {self.second.source!r}: {self.second.target!r} "
            f"(also {self.first.source!r} -> {self.first.target!r} at {a})"
        )


class TermBase:
    """An ordered collection of entries with conflict detection.

    Exact duplicates (same source and every field the same) are kept once. Two entries whose source
    forms (source or variants, after simplified conversion and case folding) coincide but whose
    approved renderings differ are a :class:`Conflict`; entries that agree on the approved rendering
    but differ elsewhere are also reported, because merging them would silently change one of them.

    Args:
        entries: The entries in reading order.
        sources: Descriptions of where they came from (file names), for display.
    """

    def __init__(self, entries: Iterable[Entry] = (), sources: Iterable[str] = ()) -> None:
        self.entries: list[Entry] = []
        self.conflicts: list[Conflict] = []
        self.sources: list[str] = list(sources)
        self._by_key: dict[str, Entry] = {}
        for e in entries:
            self.add(e)

    def add(self, entry: Entry) -> bool:
        """Add ``entry``; returns False when it was a duplicate, merged, or conflicting.

        An entry with the same approved rendering as an earlier one for the same source is merged
        into it (variants, alternatives and forbidden renderings united, notes joined); a different
        approved rendering is recorded in :attr:`conflicts`.
        """
        found: list[tuple[str, Entry]] = []
        for key in entry.match_keys():
            prev = self._by_key.get(key) or self._by_key.get(fold(key))
            if prev is not None and all(prev is not p for _, p in found):
                found.append((key, prev))
        for key, prev in found:
            if prev != entry and (prev.target != entry.target or prev.case_sensitive != entry.case_sensitive):
                self.conflicts.append(Conflict(key, prev, entry))
                return False
        if not found:
            for key in entry.match_keys():
                self._by_key[key] = entry
            self.entries.append(entry)
            return True
        key, prev = found[0]
        if prev == entry:
            return False
        try:
            merged = replace(
                prev,
                variants=(*prev.variants, entry.source, *entry.variants),
                alternatives=prev.alternatives + entry.alternatives,
                forbidden=prev.forbidden + entry.forbidden,
                note=prev.note if entry.note in prev.note else f"{prev.note} | {entry.note}".strip(" |"),
                priority=max(prev.priority, entry.priority),
            )
        except ValueError:
            self.conflicts.append(Conflict(key, prev, entry))
            return False
        self.entries[self.entries.index(prev)] = merged
        for k, v in list(self._by_key.items()):
            if v is prev:
                self._by_key[k] = merged
        for k in merged.match_keys():
            self._by_key.setdefault(k, merged)
        return False

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def lookup(self, source: str) -> Entry | None:
        """The entry whose source or variant is ``source`` (any script, any case), or None."""
        k = simplified(source)
        return self._by_key.get(k) or self._by_key.get(fold(k))

    def check(self) -> None:
        """Raise :class:`WorkbenchError` listing every conflict (first on the line, count after)."""
        if self.conflicts:
            msg = self.conflicts[0].message()
            if len(self.conflicts) > 1:
                msg += f" (and {len(self.conflicts) - 1} more conflict(s))"
            raise WorkbenchError(msg)

    def digest(self) -> str:
        """A stable SHA-256 over the entries (order-independent, locations ignored), 16 hex digits."""
        rows = sorted(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in self.entries)
        h = hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()
        return h[:16]

    def describe(self) -> str:
        """Short description for records: files, entry count and digest."""
        names = ",".join(self.sources) if self.sources else "in-memory"
        return f"{names} ({len(self.entries)} entries, sha256:{self.digest()})"
