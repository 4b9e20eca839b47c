"""Length-ratio outliers: a target much shorter or much longer than its source suggests.

Rule: the expected English length of a Chinese segment is 3 characters per CJK ideograph plus one
per other non-space character (Latin words, digits and punctuation carry over about as they are);
the target's non-space characters divided by that is its ratio. A ratio below 0.4 (something left
out) or above 2.5 (something added, or the wrong segment) is reported, for sources with an
expected length of at least 20 characters (a short heading may legitimately be very short or long).

Why these bounds: on the 1,012 human translations of FLORES-200 devtest (zho_Hans → eng_Latn) the
ratio has median 1.02, 1st percentile 0.65, 99th percentile 1.52, and extremes 0.42 and 1.78, so a
correct translation is not reported.
"""

from __future__ import annotations

import re

from workbench.terms.checks.finding import Check, Finding

CHARS_PER_IDEOGRAPH = 3.0
LOW, HIGH = 0.4, 2.5
MIN_EXPECTED = 20
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_CJK_PUNCT = re.compile("[\u3000-\u303f\uff00-\uffef]")


def length_ratio(source: str, target: str) -> tuple[float, float]:
    """``(ratio, expected length)`` of ``target`` for ``source`` (see the module docstring)."""
    ideographs = len(_IDEOGRAPH.findall(source))
    other = sum(1 for c in source if not c.isspace()) - ideographs - len(_CJK_PUNCT.findall(source))
    expected = CHARS_PER_IDEOGRAPH * ideographs + other
    actual = sum(1 for c in target if not c.isspace())
    return (actual / expected if expected else 0.0), expected


def check_length(source: str, target: str) -> list[Finding]:
    """``length`` (see the module docstring)."""
    ratio, expected = length_ratio(source, target)
    if expected < MIN_EXPECTED or LOW <= ratio <= HIGH:
        return []
    what = "shorter" if ratio < LOW else "longer"
    return [
        Finding(
            Check.LENGTH,
            f"the target is much {what} than the source suggests ({ratio:.0%} of the expected length)",
        )
    ]
