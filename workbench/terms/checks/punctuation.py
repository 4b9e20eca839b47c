"""Quotes, brackets and end punctuation of a target compared with its source.

Rules:

* ``quotes``: double quotes in the target must pair up: ``“`` before ``”`` (a ``”`` with no open
  ``“`` is reported where it stands, an ``“`` never closed where it opens) and straight ``"`` an even
  number of times. A segment cut inside a quotation has an unbalanced source (``“……。`` then
  ``……。”``): when the source's double quotes (``“”「」『』"``) are unbalanced the same way, the
  target is not reported. Single quotes are not checked (``’`` is also the apostrophe).
* ``brackets``: ``()``, ``[]`` and ``{}`` in the target must nest; the first one that does not is
  reported. The source's ``（）()``, ``【】[]〔〕`` and ``{}`` excuse the same imbalance in the target
  (a list marker ``1）`` translated as ``1)``). ``《》`` become italics or quotes in English and are
  not compared.
* ``end-punctuation``: the last punctuation of each side (after closing quotes and brackets) is a
  question (``？?``, also ``?!``), a stop (``。.！!…;；`` and ``...``), a colon (``：:``), a comma
  (``，,、``) or nothing. A question translated as anything else (or a statement as a question) is
  reported, as is a stop, colon or question turned into nothing or into another kind, and a
  target that adds a stop to a source that has none (a heading). A trailing comma and no
  punctuation count as the same.
"""

from __future__ import annotations

from enum import Enum

from workbench.terms.checks.finding import Check, Finding

_CLOSERS = "”’\"'）)】]」』》〉"
_QUESTION, _STOP, _COLON, _COMMA = "？?", "。.！!…;；", "：:", "，,、"


def _quote_balance(text: str, opens: str, closes: str) -> tuple[int, int | None]:
    """``(open - close, position of the first problem)`` for curly quotes, plus straight ``"`` parity."""
    depth = 0
    problem: int | None = None
    last_open: list[int] = []
    for i, ch in enumerate(text):
        if ch in opens:
            depth += 1
            last_open.append(i)
        elif ch in closes:
            depth -= 1
            if last_open:
                last_open.pop()
            elif problem is None:
                problem = i
    if problem is None and last_open:
        problem = last_open[0]
    return depth, problem


def check_quotes(source: str, target: str) -> list[Finding]:
    """``quotes`` (see the module docstring)."""
    t_depth, t_pos = _quote_balance(target, "“", "”")
    straight = [i for i, ch in enumerate(target) if ch == '"']
    s_depth, _ = _quote_balance(source, "“「『", "”」』")
    s_straight = source.count('"') + source.count("＂")
    findings: list[Finding] = []
    if t_pos is not None and t_depth != s_depth:
        what = "an opening “ is never closed" if target[t_pos] == "“" else "a closing ” has no opening “"
        findings.append(Finding(Check.QUOTES, f"unbalanced quotes: {what}", target_span=(t_pos, t_pos + 1)))
    if len(straight) % 2 and not (s_straight % 2 or s_depth):
        findings.append(
            Finding(
                Check.QUOTES,
                'unbalanced quotes: an odd number of "',
                target_span=(straight[-1], straight[-1] + 1),
            )
        )
    return findings


_FAMILIES = (("(", ")", "（(", "）)"), ("[", "]", "【[〔", "】]〕"), ("{", "}", "{｛", "}｝"))


def _bracket_depth(text: str, opens: str, closes: str) -> int:
    return sum(text.count(c) for c in opens) - sum(text.count(c) for c in closes)


def check_brackets(source: str, target: str) -> list[Finding]:
    """``brackets`` (see the module docstring)."""
    stack: list[tuple[str, int]] = []
    problem: tuple[int, str] | None = None
    pairs = {close: open_ for open_, close, _, _ in _FAMILIES}
    opens = {open_ for open_, _, _, _ in _FAMILIES}
    for i, ch in enumerate(target):
        if ch in opens:
            stack.append((ch, i))
        elif ch in pairs:
            if stack and stack[-1][0] == pairs[ch]:
                stack.pop()
            elif problem is None:
                problem = (i, f"unbalanced brackets: {ch} has no matching {pairs[ch]}")
    if problem is None and stack:
        ch, i = stack[0]
        problem = (i, f"unbalanced brackets: {ch} is never closed")
    if problem is None:
        return []
    for open_, close, s_opens, s_closes in _FAMILIES:
        if target[problem[0]] in (open_, close):
            same = _bracket_depth(source, s_opens, s_closes) == _bracket_depth(target, open_, close) != 0
            if same:
                return []
    return [Finding(Check.BRACKETS, problem[1], target_span=(problem[0], problem[0] + 1))]


class EndKind(str, Enum):
    """How a segment ends."""

    QUESTION = "a question mark"
    STOP = "a full stop"
    COLON = "a colon"
    COMMA = "a comma"
    NONE = "no punctuation"


def end_kind(text: str) -> tuple[EndKind, int]:
    """The kind of the final punctuation of ``text`` and its offset (``len(text)`` for none)."""
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        t = t[:-1].rstrip()
    end = len(t)
    run = ""
    while t and t[-1] in _QUESTION + _STOP + _COLON + _COMMA:
        run = t[-1] + run
        t = t[:-1]
    if not run:
        return EndKind.NONE, end
    start = end - len(run)
    if any(c in _QUESTION for c in run):
        return EndKind.QUESTION, start
    last = run[-1]
    if last in _STOP:
        return EndKind.STOP, start
    if last in _COLON:
        return EndKind.COLON, start
    return EndKind.COMMA, start


def check_end_punctuation(source: str, target: str) -> list[Finding]:
    """``end-punctuation`` (see the module docstring)."""
    s_kind, _ = end_kind(source)
    t_kind, t_pos = end_kind(target)
    quiet = {EndKind.NONE, EndKind.COMMA}
    if s_kind == t_kind or (s_kind in quiet and t_kind in quiet):
        return []
    span = (t_pos, max(t_pos + 1, len(target.rstrip()))) if t_kind != EndKind.NONE else None
    message = f"the source ends with {s_kind.value}, the target with {t_kind.value}"
    return [Finding(Check.END_PUNCTUATION, message, target_span=span)]
