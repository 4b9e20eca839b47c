"""A number found in a segment, as the numbers check compares it (see ``numbers.py`` for the rules)."""

from __future__ import annotations

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


def make(start: int, end: int, text: str, value: Fraction, extra: set[Fraction] | None = None,
         *, strong: bool = True, approximate: bool = False) -> Quantity:
    """Build a :class:`Quantity` whose acceptable values are ``value`` and ``extra``."""
    values = {value} | (extra or set())
    return Quantity(start, end, text, frozenset(values), value, strong, approximate)
