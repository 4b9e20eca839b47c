"""Finding personal names from the structure and the language of news.

Cues, strongest first: bylines (``□ 乐丁``), datelines (``记者刘旭/向亮 发自南昌``), photo credits
(``（陈妮雅/摄）``), names CC-CEDICT lists (习近平), reporter credits (``记者X``), titles before or after a
name (``主席单迎庆``, ``习近平总书记``), speaker labels (``汪文斌：``) and speech verbs (``X说``).

A name is a known surname followed by one or two characters. Where a cue gives no end (``主任邹云燕难掩``)
the end is found from what may follow a name (说, 表示, 为 ...); when nothing tells, two given-name
characters are assumed and the confidence says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from workbench.terms.names.cedict import NameDictionary
from workbench.terms.names.cues import (
    CREDITS,
    FOLLOW_CHARS,
    FOLLOW_WORDS,
    NOT_NAMES,
    SPEECH_VERBS,
    TITLES_AFTER,
    TITLES_BEFORE,
)
from workbench.terms.names.found import Found
from workbench.terms.names.model import NameKind, Pattern
from workbench.terms.names.pinyin import all_han, is_han
from workbench.terms.names.surnames import surname_at

HIGH = 0.9
_SAY = frozenset("说称讲道")
GUESSED = 0.75
_SPLIT = re.compile(r"[\s、/，,：:；;]+")
_BOX = re.compile(r"^[□■◇◆○●◎☆★▲△]\s*")
_CAPTION = re.compile(r"[（(]\s*(?:记者\s*)?([^（）()]{2,30}?)\s*/?\s*(?:摄影|摄|供图)\s*[）)]")
_SLASH_CREDIT = re.compile(r"([\u4e00-\u9fff]{2,3})/(?:摄|文|图)")
_DATELINE_PEOPLE = re.compile(
    r"(?:记者|通讯员|实习生)\s*([\u4e00-\u9fff][\u4e00-\u9fff/、\s]*?)\s*(?=发自|报道|[）)]|$)"
)
_CREDIT_RE = re.compile("|".join(sorted(CREDITS, key=len, reverse=True)))
_TITLE_BEFORE_RE = re.compile("|".join(sorted(TITLES_BEFORE, key=len, reverse=True)))
_SPEAKER = re.compile(r"^([\u4e00-\u9fff]{2,4})[：:]")
_SPEECH = re.compile(
    r"(?:^|(?<=[，。！？；：、“”‘’「」（）()\s]))([\u4e00-\u9fff]{2,3})(?=" + "|".join(SPEECH_VERBS) + ")"
)


def _ends_here(text: str, k: int) -> bool:
    return k >= len(text) or not is_han(text[k])


def _follow_word(text: str, k: int) -> bool:
    return any(text.startswith(w, k) for w in FOLLOW_WORDS)


def name_at(text: str, i: int, words: NameDictionary) -> tuple[str, float, str] | None:
    """The personal name starting at ``text[i]``, its confidence and a reason when unsure.

    The name is a known surname plus one or two characters; its end is where a punctuation mark or a
    word that follows names (说, 表示, 为 ...) begins.
    """
    surname = surname_at(text, i)
    if surname is None:
        return None
    j = i + len(surname)
    if _ends_here(text, j):
        return None
    if _ends_here(text, j + 1) or _follow_word(text, j + 1):
        return text[i : j + 1], HIGH, ""
    if text[j + 1] in _SAY and (_ends_here(text, j + 2) or text[j + 2] in "：:，,"):
        return text[i : j + 1], HIGH, ""
    if _ends_here(text, j + 2) or _follow_word(text, j + 2) or text[j + 2] in FOLLOW_CHARS:
        return text[i : j + 2], HIGH, ""
    if words.is_word(text[i : j + 1]) and words.person(text[i : j + 2]) is None:
        return None  # 关于 of 总书记关于...: a word, not a surname and a given name
    if text[j + 1] in FOLLOW_CHARS:
        return text[i : j + 1], GUESSED, "where the name ends is guessed"
    return text[i : j + 2], GUESSED, "where the name ends is guessed"


def _plausible(name: str, words: NameDictionary) -> tuple[bool, str]:
    """Whether ``name`` can be a personal name, and a reason to doubt it."""
    if not all_han(name) or not 2 <= len(name) <= 4 or name in NOT_NAMES:
        return False, ""
    surname = surname_at(name, 0)
    if surname is None or len(name) - len(surname) not in (1, 2):
        return False, ""
    given = name[len(surname) :]
    if given in NOT_NAMES or any(name.endswith(t) for t in TITLES_BEFORE if len(t) > 1):
        return False, ""
    if words.is_word(name) and words.person(name) is None:
        return True, "also an everyday word"
    return True, ""


def _token_names(text: str, words: NameDictionary) -> Iterator[tuple[str, int]]:
    """Names among the tokens of a byline or credit list, with their offsets."""
    pos = 0
    for token in _SPLIT.split(text):
        start = text.find(token, pos)
        pos = start + len(token)
        ok, doubt = _plausible(token, words)
        if ok and not doubt and words.place(token) is None:
            yield token, start


def _people_list(
    text: str, offset: int, pattern: Pattern, par: int, words: NameDictionary
) -> Iterator[Found]:
    for name, start in _token_names(text, words):
        yield Found(name, NameKind.PERSON, pattern, par, offset + start, 0.95)


def find_persons(par: int, kind: str, text: str, words: NameDictionary) -> Iterator[Found]:
    """Every personal-name candidate in one paragraph (``kind`` is the ingest's paragraph kind)."""
    if kind == "byline":
        body = _BOX.sub("", text)
        m = _CREDIT_RE.match(body)
        rest = body[m.end() :] if m else body
        yield from _people_list(rest, len(text) - len(rest), Pattern.BYLINE, par, words)
        return
    if kind == "dateline":
        for m in _DATELINE_PEOPLE.finditer(text):
            yield from _people_list(m.group(1), m.start(1), Pattern.DATELINE, par, words)
    for m in _CAPTION.finditer(text):
        yield from _people_list(m.group(1), m.start(1), Pattern.CAPTION, par, words)
    for m in _SLASH_CREDIT.finditer(text):
        ok, doubt = _plausible(m.group(1), words)
        if ok and not doubt:
            yield Found(m.group(1), NameKind.PERSON, Pattern.CAPTION, par, m.start(1), 0.85)
    yield from _dictionary_persons(par, text, words)
    for pattern, regex in ((Pattern.CREDIT, _CREDIT_RE), (Pattern.TITLE, _TITLE_BEFORE_RE)):
        for m in regex.finditer(text):
            i = m.end()
            while i < len(text) and text[i] in " \u3000":
                i += 1
            if pattern is Pattern.TITLE and m.group(0) == "书记" and text[m.start() - 1 : m.start()] == "总":
                continue  # 总书记 follows the name
            got = name_at(text, i, words)
            if got is None:
                continue
            name, conf, reason = got
            ok, doubt = _plausible(name, words)
            if not ok:
                continue
            if doubt:
                conf, reason = min(conf, 0.5), doubt
            yield Found(name, NameKind.PERSON, pattern, par, i, conf, reason)
    m = _SPEAKER.match(text)
    if m:
        ok, doubt = _plausible(m.group(1), words)
        if ok and not doubt:
            yield Found(m.group(1), NameKind.PERSON, Pattern.SPEAKER, par, 0, 0.8)
    for m in _SPEECH.finditer(text):
        ok, doubt = _plausible(m.group(1), words)
        if ok and not doubt:
            yield Found(
                m.group(1),
                NameKind.PERSON,
                Pattern.SPEECH,
                par,
                m.start(1),
                0.7,
                "found only before a speech verb",
            )


def _dictionary_persons(par: int, text: str, words: NameDictionary) -> Iterator[Found]:
    """Names CC-CEDICT lists; those followed by a title count as title evidence too."""
    i = 0
    while i < len(text):
        for n in (4, 3, 2):
            name = text[i : i + n]
            if len(name) == n and words.person(name) is not None and not words.is_word(name):
                after = any(text.startswith(t, i + n) for t in TITLES_AFTER)
                pattern = Pattern.TITLE if after else Pattern.DICTIONARY
                yield Found(name, NameKind.PERSON, pattern, par, i, 0.95 if after else 0.9)
                i += n - 1
                break
        i += 1
