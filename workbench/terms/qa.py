"""Glossary QA: turning hits into decoding constraints, and checking a translation against them.

Rules of :func:`check_target` (the same for a machine draft and a translator's final text):

* A hit is satisfied when its approved rendering or one of its alternatives occurs in the target:
  case-insensitively unless the entry is case sensitive, at word boundaries (``women`` does not match
  inside ``womenfolk``), with any run of whitespace matching any other, ``'`` matching ``’``, and a
  plural ``s``/``es`` allowed after a rendering that ends in a letter (``women's federations``).
* Repeated hits of one term: by default a single rendering satisfies every hit of that term in the
  segment. English routinely collapses a repeated Chinese term (``巾帼智慧和力量`` -> "women's wisdom and
  strength") or refers back with a pronoun, so demanding one rendering per hit would flag good
  translations. ``count=True`` makes the check strict: the k-th hit needs k distinct renderings.
* Another term's longer rendering does not satisfy a hit: an occurrence that lies inside an occurrence
  of a longer rendering of another term in the segment does not count ("women's" for 巾帼 inside
  "women's federation" for 妇联: the segment has both terms, the target renders only one).
* A forbidden rendering anywhere in the target (outside an allowed rendering that contains it) makes
  every hit of that term fail with ``forbidden: X``, even when an allowed rendering is also present.
* Offsets: ``TermNote.span`` is the hit in the source, ``TermNote.target_span`` the rendering found in
  the target (the forbidden one when the problem is ``forbidden: X``; None when ``missing``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from workbench.records import TermConstraint, TermNote
from workbench.terms.match import Hit
from workbench.terms.model import Entry


def constraints_for(hits: Sequence[Hit]) -> list[TermConstraint]:
    """One decoding constraint per distinct matched entry, in order of first appearance.

    ``allowed`` is the approved rendering followed by the alternatives; ``forbidden`` the entry's
    forbidden renderings; ``source`` the term as it appears in the segment.
    """
    seen: set[int] = set()
    out: list[TermConstraint] = []
    for h in hits:
        if id(h.entry) in seen:
            continue
        seen.add(id(h.entry))
        out.append(
            TermConstraint(
                source=h.text,
                allowed=h.entry.allowed,
                forbidden=h.entry.forbidden,
                case_sensitive=h.entry.case_sensitive,
            )
        )
    return out


@lru_cache(maxsize=65536)
def rendering_pattern(rendering: str, case_sensitive: bool) -> re.Pattern[str]:
    """Regex that finds ``rendering`` in English text under the rules in the module docstring."""
    parts: list[str] = []
    for ch in rendering.strip():
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in "'’":
            parts.append("['’]")
        elif ch in "-‐‑–":
            parts.append(r"[-‐‑–]")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    last = rendering.strip()[-1:]
    if last.isalpha():
        body += "(?:e?s)?"
    start = r"(?<!\w)" if rendering.strip()[:1].isalnum() else ""
    end = r"(?!\w)" if last.isalnum() else ""
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(start + body + end, flags)


def find_renderings(
    renderings: Sequence[str], target: str, case_sensitive: bool
) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences ``(start, end, rendering)`` of any of ``renderings`` in ``target``.

    Longer renderings are tried first, so "All-China Women's Federation" is one occurrence, not also
    a "Women's Federation".
    """
    found: list[tuple[int, int, str]] = []
    taken = bytearray(len(target))
    for r in sorted({r for r in renderings if r.strip()}, key=len, reverse=True):
        for m in rendering_pattern(r, case_sensitive).finditer(target):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append((m.start(), m.end(), r))
    found.sort()
    return found


def nested(span: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    """True when ``span`` lies inside one of ``others`` that is longer (another term's rendering)."""
    s, e = span
    return any(a <= s and e <= b and b - a > e - s for a, b in others)


def _forbidden_in(
    entry: Entry, target: str, allowed_spans: list[tuple[int, int, str]]
) -> tuple[int, int, str] | None:
    for s, e, r in find_renderings(entry.forbidden, target, entry.case_sensitive):
        if not any(a <= s and e <= b for a, b, _ in allowed_spans):
            return s, e, r
    return None


def check_target(hits: Sequence[Hit], target: str, *, count: bool = False) -> list[TermNote]:
    """Check a translation against the terms found in its source segment.

    Args:
        hits: The hits of :meth:`workbench.terms.Matcher.find` on the source segment.
        target: The English draft or final text.
        count: When True, n hits of one term need n renderings (see the module docstring).

    Returns:
        One :class:`~workbench.records.TermNote` per hit, in hit order: ``ok`` True, or False with
        ``problem`` ``missing`` or ``forbidden: X``; ``span`` (source offsets) and ``target_span``.
    """
    notes: list[TermNote] = []
    by_entry: dict[int, tuple[list[tuple[int, int, str]], tuple[int, int, str] | None]] = {}
    for h in hits:
        key = id(h.entry)
        if key not in by_entry:
            allowed = find_renderings(h.entry.allowed, target or "", h.entry.case_sensitive)
            by_entry[key] = (allowed, _forbidden_in(h.entry, target or "", allowed))
    # An occurrence inside another entry's longer rendering does not count (module docstring).
    found = {key: [(s, e) for s, e, _ in allowed] for key, (allowed, _) in by_entry.items()}
    for key, (allowed, forbidden) in by_entry.items():
        others = [span for k, spans in found.items() if k != key for span in spans]
        by_entry[key] = ([a for a in allowed if not nested((a[0], a[1]), others)], forbidden)
    used: dict[int, int] = {}
    for h in hits:
        key = id(h.entry)
        allowed, forbidden = by_entry[key]
        k = used.get(key, 0)
        used[key] = k + 1
        note = TermNote(source=h.text, target=h.entry.target, span=(h.start, h.end))
        if forbidden is not None:
            note.ok = False
            note.problem = f"forbidden: {target[forbidden[0] : forbidden[1]]}"
            note.target_span = (forbidden[0], forbidden[1])
        elif not allowed or (count and k >= len(allowed)):
            note.ok = False
            note.problem = "missing"
        else:
            a = allowed[min(k, len(allowed) - 1)]
            note.target_span = (a[0], a[1])
        notes.append(note)
    return notes
