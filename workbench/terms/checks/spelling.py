"""The ``spelling`` QA check: English words of a translation that the Hunspell dictionary does not know.

The dictionaries are Hunspell's ``en_US`` and ``en_GB`` (a word either knows is correct, since English
news from China mixes both spellings; ``$WORKBENCH_SPELLING=en_US`` or ``en_GB`` keeps one), the Debian
packages ``hunspell-en-us``/``hunspell-en-gb``, read through pyenchant (the maintained binding of the Enchant
library, whose Hunspell provider loads the dictionary in a fraction of a second and checks a word in
microseconds; docs/how-to/cat-tools.md says why it was chosen). Never flagged:

* words of the glossary's renderings (every glossary loaded in the process registers them, see
  :func:`accept_words`), so accepted names and terms are never misspellings;
* capitalised words that are Hanyu Pinyin (``Kaizhou``, ``Xi'an``): names of people and places;
* words of the user's word list (``workbench.settings.user_words``; :func:`add_word` adds one);
* words written in capitals (``ACWF``) or holding digits (``G20``), as word processors ignore them.

Without the dictionary the check reports nothing and :func:`available` says why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from workbench.terms.checks.finding import Check, Finding

#: An English word: letters with inner apostrophes (``women's``, ``don't``); hyphenated words are checked
#: part by part.
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’][A-Za-z\u00c0-\u024f]+)*")
#: Letters and digits glued together (``G20``, ``COVID-19``'s ``COVID``): not checked.
_WITH_DIGITS = re.compile(r"\b[A-Za-z]*\d[\w'’]*")
#: Whitespace-separated tokens: a URL or an e-mail address among them is not checked (:func:`_is_link`).
_TOKEN = re.compile(r"\S+")
#: Letters beyond which a "word" is reported unknown without asking the dictionary.
LONGEST_WORD = 64
#: Toneless Hanyu Pinyin syllables (from pypinyin's dictionary; ü written v).
_SYLLABLES = """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can
cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan
chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian
diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou
fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao
he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong
jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la
lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv
lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne
nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan
pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu
qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen
seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si
song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong tou tu tuan tui
tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan
xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
zi zong zou zu zuan zui zun zuo
"""
PINYIN_SYLLABLES = frozenset(_SYLLABLES.split())
_accepted: set[str] = set()


def _pinyin_parse(word: str) -> bool:
    """True when ``word`` (lower case, apostrophes allowed) is a sequence of pinyin syllables."""
    parts = word.replace("ü", "v").split("'")
    return all(_syllables(p) for p in parts)


@lru_cache(maxsize=4096)
def _syllables(text: str) -> bool:
    if not text:
        return False
    reach = [True] + [False] * len(text)
    for i in range(len(text)):
        if reach[i]:
            for n in range(1, 7):
                if i + n <= len(text) and text[i : i + n] in PINYIN_SYLLABLES:
                    reach[i + n] = True
    return reach[len(text)]


def is_pinyin_name(word: str) -> bool:
    """True for a capitalised word made of pinyin syllables (``Kaizhou``, ``Xi'an``, ``Lü``)."""
    return word[:1].isupper() and word[1:].islower() and _pinyin_parse(word.lower().replace("’", "'"))


def accept_words(texts: Iterable[str]) -> None:
    """Never flag the words of ``texts`` (a glossary's renderings, accepted names)."""
    for text in texts:
        for m in _WORD.finditer(text):
            _accepted.add(m.group().replace("’", "'"))


def accepted_words() -> frozenset[str]:
    """The words accepted in this process (glossary renderings, names, words added): never flagged."""
    return frozenset(_accepted)


def user_words() -> frozenset[str]:
    """The user's word list (read again when its file changes): never flagged."""
    return _user_words()


def add_word(word: str) -> None:
    """Add ``word`` to the user's word list (kept in the settings folder) and accept it from now on."""
    from workbench.settings import add_user_word

    add_user_word(word)
    _accepted.add(word.strip())


def language() -> str:
    """The dictionaries used, ``+``-joined: ``$WORKBENCH_SPELLING`` (comma-separated), default ``en_US+en_GB``."""
    names = os.environ.get("WORKBENCH_SPELLING", "en_US,en_GB").replace("-", "_").split(",")
    return "+".join(n.strip() for n in names if n.strip()) or "en_US"


@lru_cache(maxsize=4)
def _dictionary(langs: str) -> list[Any] | None:
    try:
        import enchant

        return [enchant.Dict(lang) for lang in langs.split("+")]
    except Exception:  # the library or a dictionary is missing: available() says which
        return None


def available() -> str:
    """ "" when spell checking works, else why not (one line)."""
    try:
        import enchant
    except Exception as exc:  # ImportError, or enchant's own error when libenchant is missing
        return f"spell checking needs pyenchant and libenchant-2 ({exc})"
    missing = [lang for lang in language().split("+") if not enchant.dict_exists(lang)]
    if missing:
        return f"no {missing[0]} Hunspell dictionary: apt-get install hunspell-en-us hunspell-en-gb"
    return ""


def _user_words() -> frozenset[str]:
    """The user's word list, read again whenever the file (or the settings folder) changes."""
    from workbench.settings import word_list_path

    path = word_list_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _read_user_words(str(path), stamp)


@lru_cache(maxsize=4)
def _read_user_words(path: str, stamp: int) -> frozenset[str]:
    from workbench.settings import user_words

    return frozenset(user_words())


def _known(word: str, user: frozenset[str], langs: str) -> bool:
    if word in _accepted or word in user or word.lower() in _accepted:
        return True
    return _in_dictionary(word, langs)


@lru_cache(maxsize=65536)
def _in_dictionary(word: str, langs: str) -> bool:
    """Capitals, pinyin names and the dictionaries (cached: a translation repeats its words)."""
    if (word.isupper() and len(word) > 1) or is_pinyin_name(word):
        return True
    if len(word) > LONGEST_WORD:  # no dictionary word is that long, and Hunspell's time grows faster than it
        return False
    dictionaries = _dictionary(langs) or []
    stem = word[:-2] if word.endswith("'s") else word
    return any(d.check(word) or d.check(stem) for d in dictionaries)


def misspelled(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of ``text`` the dictionary does not know (nothing without one)."""
    langs = language()
    if _dictionary(langs) is None or not text:
        return []
    skip = _skipped_spans(text)
    user = _user_words()
    out = []
    k = 0
    for m in _WORD.finditer(text):
        while k < len(skip) and skip[k][1] <= m.start():
            k += 1
        if k < len(skip) and skip[k][0] <= m.start():
            continue
        if not _known(m.group().replace("’", "'"), user, langs):
            out.append((m.start(), m.end()))
    return out


def _is_link(token: str) -> bool:
    """A URL or an e-mail address (checked per whitespace-separated token: linear in the text)."""
    if "://" in token or token.startswith("www."):
        return True
    at = token.find("@")
    return at > 0 and "." in token[at + 1 :]


def _skipped_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` spans that are not checked: links and words glued to digits."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text) if _is_link(m.group())]
    spans += [(m.start(), m.end()) for m in _WITH_DIGITS.finditer(text)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def check_spelling(source: str, target: str) -> list[Finding]:
    """``spelling``: one finding per unknown word of the target."""
    return [
        Finding(
            Check.SPELLING, f"{target[a:b]!r} is not in the dictionary ({language()})", target_span=(a, b)
        )
        for a, b in misspelled(target)
    ]
