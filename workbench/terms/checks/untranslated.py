"""Targets that are not translations: missing or empty, equal to the source, Chinese left in them.

Rules:

* ``untranslated``: the unit has no target, or only whitespace. When this fires, no other check
  looks at the pair.
* ``same-as-source``: the target equals the source (edge whitespace ignored) and the source has a
  Chinese character. An all-Latin source copied unchanged (``WTO``, ``iPhone 15``) is not reported.
* ``cjk-in-target``: Chinese characters (CJK ideographs) in the target, one finding per run, and
  full-width punctuation (``，。：；！？（）《》【】``, U+3000–U+303F, U+FF00–U+FFEF), one finding per run.
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
    return [Finding(Check.SAME_AS_SOURCE, "the target is the source, untranslated", target_span=(0, len(target)))]


def check_cjk(source: str, target: str) -> list[Finding]:
    """``cjk-in-target``: runs of Chinese characters and of full-width punctuation in the target."""
    if same_as_source(source, target):
        return []
    findings = [
        Finding(Check.CJK, f"Chinese characters left in the target: {m.group()}", target_span=m.span())
        for m in _IDEOGRAPH.finditer(target)
    ]
    findings += [
        Finding(Check.CJK, f"full-width punctuation in the target: {m.group()}", target_span=m.span())
        for m in _FULL_WIDTH.finditer(target)
    ]
    findings.sort(key=lambda f: f.target_span or (0, 0))
    return findings
