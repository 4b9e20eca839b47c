"""A number found in a segment, as the numbers check compares it (see ``numbers.py`` for the rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

# Full-width digits, point and percent sign, mapped one character to one (offsets stay valid).
_WIDTH = {chr(0xFF10 + d): str(d) for d in range(10)} | {"．": ".", "％": "%"}


def fold_digits(text: str) -> str:
    """``text`` with full-width digits, ``．`` and ``％`` made ASCII; same length as ``text``."""
    if not any(c in _WIDTH for c in text):
        return text
    return "".join(_WIDTH.get(c, c) for c in text)


@dataclass(frozen=True)
class Quantity:
    """One number in a text.

    Attributes:
        start: Offset of its first character.
        end: Offset one past its last character.
        text: The text as written (``50余万``, ``twenty-first``, ``Dec.``).
        values: Every value a correct counterpart may have: ``50余万`` -> {500000}; ``15时`` -> {15, 3};
            ``90年代`` -> {90, 1990, 2090}. The first listed in ``value`` is the one messages show.
        value: The value the number stands for.
        strong: In a source, True when a translation must carry it (Arabic digits, multi-character
            Chinese numerals, a numeral with a classifier); in a target, True for digits (a number
            word such as ``one`` or ``second`` only ever satisfies a source number).
        approximate: ``余``/``多``/``来``/``几``: "more than", "some".
    """

    start: int
    end: int
    text: str
    values: frozenset[Fraction]
    value: Fraction
    strong: bool = True
    approximate: bool = False

    def shown(self) -> str:
        """The value as a reader writes it: ``500,000``, ``1.5``, ``2023``."""
        return format_value(self.value)


def format_value(value: Fraction) -> str:
    """``Fraction`` as plain text: integers with thousands separators from 10,000 on (years stay 2023)."""
    if value.denominator == 1:
        n = int(value)
        return f"{n:,}" if abs(n) >= 10000 else str(n)
    as_float = float(value)
    text = f"{as_float:.6f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == value else f"{value.numerator}/{value.denominator}"


def make(
    start: int,
    end: int,
    text: str,
    value: Fraction,
    extra: set[Fraction] | None = None,
    *,
    strong: bool = True,
    approximate: bool = False,
) -> Quantity:
    """Build a :class:`Quantity` whose acceptable values are ``value`` and ``extra``."""
    values = {value} | (extra or set())
    return Quantity(start, end, text, frozenset(values), value, strong, approximate)


_TIME = re.compile(r"(?<![\d.])(\d{1,2}):(\d{2})(?!\d)")


def time_numbers(text: str, folded: str, taken: bytearray) -> list[Quantity]:
    """``HH:MM`` in ``folded`` (``text`` with digits folded): the hour, also as H±12, and the minutes
    (``00`` weak: "10 a.m." has none). Marks what it reads in ``taken``."""
    out: list[Quantity] = []
    for m in _TIME.finditer(folded):
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour > 24 or minute > 59:
            continue
        hours = {Fraction(hour + 12)} if 0 < hour < 12 else {Fraction(hour - 12)} if hour > 12 else set()
        out.append(make(m.start(1), m.end(1), text[m.start(1) : m.end(1)], Fraction(hour), hours))
        out.append(
            make(m.start(2), m.end(2), text[m.start(2) : m.end(2)], Fraction(minute), strong=minute != 0)
        )
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return out
