"""Targets that are not translations: missing or empty, equal to the source, Chinese left in them.

Rules:

* ``untranslated``: the unit has no target, or only whitespace. When this fires, no other check
  looks at the pair.
* ``same-as-source``: the target equals the source (edge whitespace ignored) and the source has a
  Chinese character. An all-Latin source copied unchanged (``WTO``, ``iPhone 15``) is not reported.
* ``cjk-in-target``: Chinese characters (CJK ideographs) in the target, and full-width punctuation
  (``，。：；！？（）《》【】``, U+3000–U+303F, U+FF00–U+FFEF): one finding for each of the two per unit,
  naming the runs found (up to five) and pointing at the first.
  Not reported when ``same-as-source`` already fires for the pair (nor is anything else: the
  target is not a translation).
"""

from __future__ import annotations

import re

from workbench.terms.checks.finding import Check, Finding

_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")
_FULL_WIDTH = re.compile("[\u3001-\u303f\uff01-\uff60\uffe0-\uffee]+")


def has_chinese(text: str) -> bool:
    """True when ``text`` holds a CJK ideograph."""
    return bool(_IDEOGRAPH.search(text))


def is_untranslated(target: str | None) -> bool:
    """No target, or only whitespace."""
    return target is None or not target.strip()


def check_untranslated(source: str, target: str | None) -> list[Finding]:
    """``untranslated`` for a missing or blank target (see the module docstring)."""
    if not is_untranslated(target) or not source.strip():
        return []
    message = "no translation" if target is None else "the target is empty"
    return [Finding(Check.UNTRANSLATED, message, source_span=(0, len(source)))]


def same_as_source(source: str, target: str) -> bool:
    """The target is the Chinese source copied unchanged."""
    return source.strip() == target.strip() and has_chinese(source)


def check_same_as_source(source: str, target: str) -> list[Finding]:
    """``same-as-source`` (see the module docstring)."""
    if not same_as_source(source, target):
        return []
    return [
        Finding(Check.SAME_AS_SOURCE, "the target is the source, untranslated", target_span=(0, len(target)))
    ]


def _runs(check: Check, what: str, runs: list[re.Match[str]]) -> list[Finding]:
    if not runs:
        return []
    shown = ", ".join(m.group() for m in runs[:5]) + (" …" if len(runs) > 5 else "")
    places = f" ({len(runs)} places)" if len(runs) > 1 else ""
    return [Finding(check, f"{what} left in the target: {shown}{places}", target_span=runs[0].span())]


def check_cjk(source: str, target: str) -> list[Finding]:
    """``cjk-in-target``: Chinese characters, and full-width punctuation, left in the target."""
    if same_as_source(source, target):
        return []
    return _runs(Check.CJK, "Chinese characters", list(_IDEOGRAPH.finditer(target))) + _runs(
        Check.CJK, "full-width punctuation", list(_FULL_WIDTH.finditer(target))
    )
