"""Numbers in English text: digits, number words, scales, ordinals, months, decades.

What :func:`find_numbers` reports (``numbers.py`` compares them with the source's):

* Digits (full-width too) with thousands separators and decimals (``500,000``, ``1.2``), ordinal
  suffixes (``21st``), ``%``, a decade ``s`` (``1990s``; ``'90s`` is also 1990), and a scale word
  after them: ``1.2 million``, ``120 million``, ``2.5bn``, ``5k`` (also 5), ``5m`` (5 million or 5
  metres). ``HH:MM``: the hour also as H±12; minutes ``00`` need not be in the source.
* Number words: cardinals and ordinals (``twenty-one``, ``twenty-first``, ``one hundred and five``,
  ``a million``, ``half a million``, ``500 thousand``), ``dozen``, ``decade`` (10), ``both``, ``twice``,
  ``double``, ``pair``, ``couple`` (2), ``triple``, ``N-fold``, decades (``nineties``).
* Month names and abbreviations with their number (``December`` / ``Dec.`` = 12), capitalised;
  ``May`` and ``March`` only when a digit is next to them.

Digits are *strong*: a digit number that matches nothing in the source is reported as extra.
Words and months are *weak*: they satisfy a source number of the same value but are never
reported (``one``, ``first`` and ``second`` turn up in translations of text with no numeral).
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

from workbench.terms.checks.quantity import Quantity, fold_digits, make, time_numbers

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
ORDINAL = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
SCALE = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
SCALE_ORDINAL = {"hundredth": 100, "thousandth": 1000, "millionth": 10**6, "billionth": 10**9}
OTHER: dict[str, int | Fraction] = {
    "dozen": 12, "dozens": 12, "decade": 10, "decades": 10, "both": 2, "twice": 2, "double": 2,
    "doubled": 2, "pair": 2, "couple": 2, "twin": 2, "twins": 2, "dual": 2, "triple": 3, "tripled": 3,
    "thrice": 3, "quadruple": 4, "once": 1, "single": 1, "half": Fraction(1, 2), "hundreds": 100,
    "thousands": 1000, "millions": 10**6, "billions": 10**9, "twenties": 20, "thirties": 30,
    "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_SUFFIX_SCALE = {"k": 1000, "m": 10**6, "mn": 10**6, "bn": 10**9, "b": 10**9, "tn": 10**12}

_DIGITS = re.compile(
    r"(?<![\d.])(?P<apos>['’])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<suffix>st|nd|rd|th|s)?(?P<pct>\s?%|\s?per\s?cent|\s?percent)?"
    r"(?:(?P<sep>\s|-)?(?P<scale>hundred|thousand|million|billion|trillion)\b|(?P<short>k|mn|m|bn|b|tn)\b)?"
)
_WORD = re.compile(r"[A-Za-z]+")
_NUMBER_WORDS = set(SMALL) | set(ORDINAL) | set(SCALE) | set(SCALE_ORDINAL) | set(OTHER) | {"a", "an"}
_FOLD = re.compile(r"\b(?P<n>\w+)-fold\b", re.IGNORECASE)  # \b first: linear on a long word


def _word_numbers(text: str, taken: bytearray) -> list[Quantity]:
    """Runs of number words (``twenty-one``, ``one hundred and five``, ``half a million``)."""
    out: list[Quantity] = []
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        s, e, w = words[i]
        if w not in _NUMBER_WORDS and _plural_number(w) is not None and not any(taken[s:e]):
            out.append(make(s, e, text[s:e], Fraction(_plural_number(w) or 0), strong=False))
            i += 1
            continue
        if any(taken[s:e]) or w not in _NUMBER_WORDS or w in ("a", "an"):
            # "a"/"an" count only before a scale word: a million, a hundred.
            if (
                w in ("a", "an")
                and i + 1 < len(words)
                and words[i + 1][2] in (*SCALE, "dozen")
                and _joined(text, e, words[i + 1][0])
            ):
                pass
            else:
                i += 1
                continue
        j = i
        run = [w]
        while j + 1 < len(words) and _joined(text, words[j][1], words[j + 1][0]):
            nxt = words[j + 1][2]
            if nxt == "and" and j + 2 < len(words) and words[j + 2][2] in SMALL and run[-1] in (*SCALE, "a"):
                run.append(nxt)
                j += 1
                continue
            if (
                nxt in SMALL
                or nxt in ORDINAL
                or nxt in SCALE
                or nxt in SCALE_ORDINAL
                or (nxt in ("a", "an") and run == ["half"])
            ):
                run.append(nxt)
                j += 1
                continue
            break
        value = _words_value(run)
        start, end = s, words[j][1]
        if value is not None:
            out.append(make(start, end, text[start:end], value, strong=False))
        i = j + 1
    return out


def _plural_number(word: str) -> int | None:
    """``fours`` 4, ``sixes`` 6, ``tens`` 10, ``thirds`` 3 (cricket, "tens of", "divided into thirds")."""
    for stem in (word[:-1], word[:-2]):
        if word.endswith("s") and (stem in SMALL or stem in ORDINAL):
            return SMALL.get(stem) or ORDINAL[stem]
    return None


def _joined(text: str, end: int, start: int) -> bool:
    """Two words belong to one number when only a space or a hyphen separates them."""
    return text[end:start] in (" ", "-", "‐", "‑")


def _words_value(run: list[str]) -> Fraction | None:
    if len(run) == 1 and run[0] in OTHER:
        return Fraction(OTHER[run[0]])
    if run[0] == "half" and len(run) >= 3 and run[1] in ("a", "an") and run[2] in SCALE:
        return Fraction(SCALE[run[2]], 2)
    total: int | Fraction = 0
    current: int | Fraction = 0
    seen = False
    for w in run:
        if w in ("and", "half"):
            continue
        if w in ("a", "an"):
            current = 1
            continue
        if w in SMALL or w in ORDINAL:
            current += SMALL.get(w, ORDINAL.get(w, 0))
            seen = True
        elif w in SCALE or w in SCALE_ORDINAL:
            scale = SCALE.get(w) or SCALE_ORDINAL[w]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            seen = True
        elif w in OTHER:
            current += OTHER[w]
            seen = True
    return Fraction(total + current) if seen else None


def _months(text: str, taken: bytearray) -> list[Quantity]:
    out: list[Quantity] = []
    for m in re.finditer(r"\b([A-Z][a-z]+)(\.)?", text):
        name = m.group(1).lower()
        if name not in MONTHS or any(taken[m.start() : m.end()]):
            continue
        short = len(name) <= 4 and name not in ("may", "june", "july")
        near_digit = bool(
            re.match(r"\s+\d", text[m.end() :]) or re.search(r"\d(?:st|nd|rd|th)?\s+$", text[: m.start()])
        )
        if short and not (m.group(2) or near_digit):
            continue  # "Jan", "Mar" as names or words, unless "Jan." or "Jan 5"
        if (
            name in ("may", "march")
            and not near_digit
            and re.search(r"(^|[.!?:;\"“]\s*)$", text[: m.start()])
        ):
            continue  # "May I …" / "March on": at the start of a sentence only a digit makes it a month
        end = m.end() if short else m.end(1)
        out.append(make(m.start(), end, text[m.start() : end], Fraction(MONTHS[name]), strong=False))
    return out


_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|or|and)\s*")


def _shared_scales(text: str, numbers: list[Quantity]) -> None:
    """``4.2-3.9 million``, ``two or three thousand``: the first number of a range takes the scale too."""
    for k in range(len(numbers) - 2, -1, -1):
        first, second = numbers[k], numbers[k + 1]
        raw = second.text.split()[0].split("-")[0].replace(",", "")
        if not _RANGE_JOIN.fullmatch(text[first.end : second.start]) or not re.fullmatch(r"\d+(\.\d+)?", raw):
            continue
        factor = second.value / Fraction(raw) if Fraction(raw) else 1
        if factor > 1 and first.value == Fraction(
            first.text.replace(",", "") if first.text.replace(",", "").replace(".", "", 1).isdigit() else 0
        ):
            numbers[k] = replace(first, values=first.values | {first.value * factor})


_ROMAN = re.compile(r"\b(?=[MDCLXVI]{2,}\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(text: str, taken: bytearray) -> list[Quantity]:
    """Roman numerals of two or more letters (``Louis XVI``, ``World War II``), weak."""
    out: list[Quantity] = []
    for m in _ROMAN.finditer(text):
        if not m.group() or any(taken[m.start() : m.end()]):
            continue
        digits = [_ROMAN_VALUES[c] for c in m.group()]
        value = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
        out.append(make(m.start(), m.end(), m.group(), Fraction(value), strong=False))
    return out


def find_numbers(text: str) -> list[Quantity]:
    """Every number in an English segment, in text order (see the module docstring)."""
    folded = fold_digits(text)
    taken = bytearray(len(folded))
    out: list[Quantity] = []
    out += time_numbers(text, folded, taken)
    for m in _FOLD.finditer(folded):
        word = m.group("n").lower()
        count = SMALL.get(word) or (int(word) if word.isdigit() else None)
        if count:
            out.append(
                make(m.start(), m.end(), text[m.start() : m.end()], Fraction(count), strong=word.isdigit())
            )
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _DIGITS.finditer(folded):
        if any(taken[m.start() : m.end()]):
            continue
        value = Fraction(m.group("num").replace(",", ""))
        extra: set[Fraction] = set()
        if m.group("apos") and m.group("suffix") == "s" and value < 100:
            extra = {1900 + value, 2000 + value}
        if m.group("scale"):
            value *= SCALE[m.group("scale")]
        elif m.group("short"):
            factor = _SUFFIX_SCALE[m.group("short")]
            if m.group("short") in ("k", "m", "b"):
                extra.add(value)  # 5m may be five metres, 5k a 5 km run
            value *= factor
        out.append(make(m.start(), m.end(), text[m.start() : m.end()], value, extra))
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    _shared_scales(folded, out)
    out += _months(folded, taken)
    out += _roman(folded, taken)
    out += _word_numbers(folded, taken)
    out.sort(key=lambda q: q.start)
    return out
