"""Sentence segmentation exactly as OmegaT's default SRX rules cut Chinese.

OmegaT (3.6, the Debian package) applies, for a ``zh-*`` source language, the
rules of every matching language map in order: Chinese, Default, Text, HTML.
Earlier rules win over later ones at the same position. This module holds a
transcription of those rules (Java regular expressions rewritten for Python's
``re``: Java's ``\\s`` is ASCII-only, ``.`` stops at line terminators,
``\\p{Lu}`` is spelled out) and OmegaT's break algorithm:

* no break after 。？！— when a closing quote/bracket, ？ or — follows;
* no break after 、 , . ． (so an ASCII full stop never breaks Chinese text);
* a break after 。？！ before any other character;
* ``...`` before whitespace and a non-capital: no break (Default);
* a break after a run of ASCII ``.?!`` followed by whitespace (Default; ``.``
  is vetoed by the Chinese rule above);
* a break after a leading number like ``12 `` or ``1.2. `` before a capital;
* a break after a newline followed by spaces (Text), and after ``<brN>`` (HTML).

One departure: a segment over :data:`MAX_SEGMENT_CHARS` characters is cut further by
:func:`split_long`, the splitter the MT engines use for their 512-token window.

OmegaT first strips the paragraph's ends of Java whitespace and NO-BREAK
SPACE. Each piece is then trimmed as Java's ``Character.isWhitespace`` does
(U+3000 is stripped, NO-BREAK SPACE inside a paragraph is kept), a
whitespace-only tail is glued to the previous segment, and empty segments are
dropped (all measured with OmegaT 3.6). The test suite compares the
result with the real OmegaT, segment for segment.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# Segments longer than the shared cap (far beyond any real sentence) are cut at clause punctuation,
# else at spaces, else between characters, so that one runaway line cannot become one segment of
# millions of tokens. OmegaT would keep such a line whole.
from workbench.safe_read import MAX_SEGMENT_CHARS

# Split after these, strongest first: sentence ends, then clause marks, then any comma-like mark.
_SPLIT_LEVELS = (
    re.compile(r"(?<=[。！？!?；;])"),
    re.compile(r"(?<=[，,：:])"),
    re.compile(r"(?<=[、\s])"),
)


def _lu_class() -> str:
    """A character class body listing every Unicode uppercase letter (``\\p{Lu}``)."""
    ranges: list[tuple[int, int]] = []
    # No uppercase letter lies above U+1EFFF (Unicode 15); scanning less keeps start-up fast.
    for cp in range(0x1F000):
        if unicodedata.category(chr(cp)) == "Lu":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = []
    for a, b in ranges:
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
    return "".join(parts)


# Java's \s without UNICODE_CHARACTER_CLASS.
_JS = r"[ \t\n\x0b\f\r]"
# Java's '.' without DOTALL.
_JAVA_EOL = "\n\r\x85\u2028\u2029"
_JDOT = r"[^\n\r\x85\u2028\u2029]"


@dataclass(frozen=True)
class SrxRule:
    """One SRX rule: a break (or no-break) position between two patterns."""

    brk: bool
    before: str
    after: str
    name: str


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[SrxRule, re.Pattern[str], re.Pattern[str]], ...]:
    lu = _lu_class()
    rules = (
        # Chinese
        SrxRule(False, r"[。？！—]", r"[’”\"」）』？—]", "zh: no break before closing quote/bracket"),
        SrxRule(False, r"[、,.．]", _JDOT, "zh: no break after 、 , . ．"),
        SrxRule(True, r"[。？！]", _JDOT, "zh: break after 。？！"),
        # Default
        SrxRule(False, r"\.\.\.", _JS + r"+[^" + lu + r"\n\r\x85\u2028\u2029]", "default: ... exception"),
        SrxRule(True, r"^" + _JS + r"*\d+[\d.)\]]+" + _JS + "+", "[" + lu + "]", "default: numbered header"),
        SrxRule(True, r"[.?!]+", _JS, "default: .?! before whitespace"),
        # Text
        SrxRule(True, r"\n", r" +", "text: newline before indent"),
        # HTML
        SrxRule(True, r"<br\d+/?>", _JDOT, "html: <br>"),
    )
    return tuple((r, re.compile(r.before), re.compile(r.after)) for r in rules)


def _rule_breaks(text: str, before: re.Pattern[str], after: re.Pattern[str]) -> list[int]:
    """Positions where ``before`` ends and ``after`` starts (OmegaT's getBreaks).

    Both patterns are scanned left to right without overlap, as Java's
    ``Matcher.find`` does; an ``after`` match is only usable once.
    """
    if after.pattern == _JDOT:
        # "Any character but a line terminator" matches at every such position: no need
        # to list them (a 20 MB file would make millions of match objects).
        n = len(text)
        return [e for e in (m.end() for m in before.finditer(text)) if e < n and text[e] not in _JAVA_EOL]
    afters = [m.start() for m in after.finditer(text)]
    if not afters:
        return []
    out: list[int] = []
    k = 0
    for m in before.finditer(text):
        end = m.end()
        while afters[k] < end:
            k += 1
            if k == len(afters):
                return out
        if afters[k] == end:
            out.append(end)
    return out


def break_positions(text: str) -> list[int]:
    """Character offsets where OmegaT would cut ``text`` (one paragraph)."""
    breaks: set[int] = set()
    vetoes: set[int] = set()
    for rule, before, after in reversed(_rules()):
        found = _rule_breaks(text, before, after)
        if rule.brk:
            breaks.update(found)
            vetoes.difference_update(found)
        else:
            vetoes.update(found)
            breaks.difference_update(found)
    return sorted(breaks - vetoes)


def _java_strip(s: str) -> str:
    """Strip what Java's ``Character.isWhitespace`` calls whitespace (not NBSP)."""
    return s.strip(_JAVA_WS)


# Character.isWhitespace: Unicode space separators except the no-break ones,
# plus TAB, LF, VT, FF, CR and the four information separators.
_JAVA_WS = "".join(
    chr(c)
    for c in range(0x3001)
    if (unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp") and chr(c) not in "\u00a0\u2007\u202f")
    or c in (9, 10, 11, 12, 13, 0x1C, 0x1D, 0x1E, 0x1F)
)


def split_segments(text: str) -> list[str]:
    """Cut one paragraph into sentence segments the way OmegaT does for Chinese.

    Args:
        text: One paragraph (no empty line inside).

    Returns:
        The trimmed, non-empty segments in order, none over :data:`MAX_SEGMENT_CHARS`
        characters. Their concatenation equals ``text`` once whitespace is removed.
    """
    text = text.strip(_JAVA_WS + "\u00a0")
    pieces: list[str] = []
    prev = 0
    for pos in break_positions(text):
        pieces.append(text[prev:pos])
        prev = pos
    tail = text[prev:]
    if pieces and not _java_strip(tail):
        pieces[-1] += tail
    else:
        pieces.append(tail)
    return [b for s in (_java_strip(p) for p in pieces) if s for b in bound_length(s)]


def split_long(text: str, n_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` units, at clause punctuation where possible.

    The pieces concatenate back to ``text`` exactly: nothing is dropped. Only when a stretch has no
    punctuation at all is it cut between characters. The MT engines count tokens (their 512-position
    window); the segmenter counts characters (:data:`MAX_SEGMENT_CHARS`).

    Args:
        text: The source segment.
        n_tokens: Measures a string (source tokens as the model's tokenizer counts them, or ``len``).
        limit: Maximum size per piece.
    """
    if n_tokens(text) <= limit:
        return [text]
    for level in _SPLIT_LEVELS:
        parts = [p for p in level.split(text) if p]
        if len(parts) > 1:
            return _pack(parts, n_tokens, limit)
    mid = len(text) // 2  # no punctuation at all: halve between characters
    return split_long(text[:mid], n_tokens, limit) + split_long(text[mid:], n_tokens, limit)


def _pack(parts: list[str], n_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Greedily join consecutive parts while they fit, splitting any part that alone is too long."""
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = current + part
        if current and n_tokens(candidate) > limit:
            out.append(current)
            current = part
        else:
            current = candidate
    if current:
        out.append(current)
    result: list[str] = []
    for piece in out:
        result += split_long(piece, n_tokens, limit) if n_tokens(piece) > limit else [piece]
    return result


def bound_length(segment: str, limit: int = MAX_SEGMENT_CHARS) -> list[str]:
    """``segment`` itself, or its trimmed pieces of at most ``limit`` characters when it is longer."""
    if len(segment) <= limit:
        return [segment]
    return [s for s in (_java_strip(p) for p in split_long(segment, len, limit)) if s]
