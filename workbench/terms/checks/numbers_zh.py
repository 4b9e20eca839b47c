"""Numbers in Chinese text: Arabic and full-width digits, Chinese numerals, 万/亿 scaling, approximations.

What :func:`find_numbers` reports (the numbers check in ``numbers.py`` decides what must be in a
translation):

* Arabic digits, full-width digits too, with thousands separators and decimals: ``1,234.5``, ``１２``.
  A ``%``/``‰`` after them belongs to the number. ``HH:MM`` is a time: the hour may also appear as
  ``H-12`` or ``H+12`` (``15:00`` -> 3 p.m.); minutes ``00`` need not appear.
* Chinese numerals, positional (``十二``, ``二十一``, ``一百零五``, ``三千五`` = 3500) and digit by digit
  (``二〇二三``); financial forms (``壹贰叁``); ``点`` as decimal point (``三点五``).
* Scaling after a number: ``万`` (10⁴), ``亿`` (10⁸) and their combinations with ``十百千``
  (``50余万`` = 500,000, ``1.2亿`` = 120,000,000, ``5千万`` = 50,000,000).
* Approximations ``余 多 来`` after a number (``50余万人`` "more than 500,000"), ``几/数/上`` before one
  (``几十`` "dozens"): the value is kept, and a numeral made vague by ``几/数/上`` is not required.
* ``第N`` ordinals, ``百分之N`` percentages, ``N分之M`` fractions (value M/N, and N and M themselves),
  ``N成`` (tenths: also N×10 percent), ``N年代`` decades (also 1900+N and 2000+N), ``N世纪``
  centuries (also the hundreds: 20世纪 -> 1900s), ``N时/N点`` hours (also N±12).

Which Chinese numerals are *strong* (a translation must carry them): numerals of two or more
characters (``十二``, ``二十一``, ``二〇二三``), except digit strings of two or three characters without
``〇`` that are usually names or vague pairs (``三八`` in 三八红旗手, ``七八个`` "seven or eight"), and a
single numeral (``三``, ``十``) only when followed by a classifier or unit (``三个``, ``十年``) or
preceded by ``第``. Alone, ``一`` (``一个`` is "a"), ``两`` (``两位摄影师`` is often just
"the photographers") and the financial forms (``伍``, ``陆`` in names and 大陆) are never required, nor is a
numeral starting with ``百/千/万/亿`` (``百姓`` "the people", ``千万`` "by all means", ``万一``); ``十分``
is "very". Weak numerals still count as present when the target has a number with their value.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

from workbench.terms.checks.quantity import Quantity, fold_digits, make, time_numbers

DIGITS = {
    "〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
UNITS = {"十": 10, "拾": 10, "廿": 20, "卅": 30, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN = "".join(DIGITS) + "".join(UNITS) + "".join(BIG)
_DIGIT_CHARS = "".join(DIGITS)
_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TOKEN = re.compile(
    rf"(?P<pre>第|百分之|千分之)?(?P<num>{_ARABIC}|[{_CN}]+(?:点[{_DIGIT_CHARS}]+)?)"
    rf"(?:\s?(?P<approx>余|多|来))?(?:\s?(?P<scale>[十百千万亿萬億]+))?(?P<approx2>余|多)?(?:\s?(?P<pct>%|‰))?"
)
_FRACTION = re.compile(rf"(?P<den>{_ARABIC}|[{_CN}]+)分之(?P<num>{_ARABIC}|[{_CN}]+)")
# A single numeral followed by one of these counts something (三个, 两名, 十年, 五大).
_CLASSIFIERS = frozenset(
    "个個名位次届屆年岁歲月日号號天周条條项項家所种種件只座张張本辆輛架艘倍成米元块塊角人国國省市县縣"
    "场場轮輪批组組期部篇份层層楼樓级級类類股支队隊台套颗顆片段句声聲口户戶间間栋棟枚趟遍回秒分时時点點"
    "克吨噸亩畝度季代任例起头頭匹双雙对對副辈輩门門道员員款首集章节節区區镇鎮村"
)
_CLASSIFIER_WORDS = (
    "小时",
    "公里",
    "千米",
    "公斤",
    "平方",
    "立方",
    "英里",
    "英尺",
    "美元",
    "欧元",
    "英镑",
    "周岁",
)
# Alone these are words more often than numbers: 一个 "a", 两位 "the (two)", 伍/陆 in names, 大陆 "mainland".
_NEVER_ALONE = frozenset("一壹〇零两兩俩倆贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_VAGUE_BEFORE = frozenset("几幾数數上好")
_NOT_NUMBERS = re.compile(r"十分(?!钟|鐘)")  # 十分 "very" (十分钟 is ten minutes)


def parse_chinese(run: str) -> Fraction | None:
    """The value of a Chinese numeral (``二十一`` 21, ``二〇二三`` 2023, ``三点五`` 3.5); None if malformed."""
    if "点" in run:
        whole, _, frac = run.partition("点")
        base = parse_chinese(whole) if whole else None
        if base is None or base.denominator != 1 or not frac or any(c not in DIGITS for c in frac):
            return None
        return Fraction(f"{int(base)}." + "".join(str(DIGITS[c]) for c in frac))
    if all(c in DIGITS for c in run):
        return Fraction(int("".join(str(DIGITS[c]) for c in run)))
    total = section = 0
    number: int | None = None
    last_unit = 0
    prev = ""
    for ch in run:
        if ch in DIGITS:
            if number not in (None, 0) and DIGITS[ch] != 0:
                return None  # 二三十: a vague range, not one number
            number = DIGITS[ch]
        elif ch in UNITS:
            if ch in "廿卅" and number is not None:
                return None
            section += (1 if number is None or ch in "廿卅" else number) * UNITS[ch]
            number, last_unit = None, UNITS[ch]
        else:
            section += number or 0
            number = None
            if section == 0 and total == 0:
                return None
            total = (total + section) * BIG[ch] if BIG[ch] == 10**8 else total + section * BIG[ch]
            section, last_unit = 0, BIG[ch]
        prev = ch
    if number:
        # 三千五 = 3500, 一万五 = 15000: a digit straight after a unit of 100 or more scales down one place.
        if (
            prev in DIGITS
            and len(run) >= 3
            and run[-2] not in "〇零"
            and run[-2] not in DIGITS
            and last_unit >= 100
        ):
            number *= last_unit // 10
        section += number
    return Fraction(total + section)


def _split_valid(run: str) -> list[tuple[int, int, Fraction]]:
    """Greedy longest valid prefixes of a malformed run: ``十三五`` -> 十三 (13), 五 (5)."""
    out: list[tuple[int, int, Fraction]] = []
    i = 0
    while i < len(run):
        for j in range(len(run), i, -1):
            value = parse_chinese(run[i:j])
            if value is not None:
                out.append((i, j, value))
                i = j
                break
        else:
            i += 1
    return out


def _arabic(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


def _scale(scale: str) -> int:
    factor = 1
    for ch in scale:
        factor *= BIG.get(ch) or UNITS[ch]
    return factor


def _after_is_classifier(after: str) -> bool:
    return bool(after) and (after[0] in _CLASSIFIERS or after.startswith(_CLASSIFIER_WORDS))


def _strong_chinese(run: str, pre: str, before: str, after: str) -> bool:
    """Whether a Chinese numeral must appear in a translation (rules in the module docstring)."""
    if before in _VAGUE_BEFORE or after.startswith(("几", "幾")):
        return False
    if run[0] in "百佰千仟万萬亿億":
        return False
    if all(c in DIGITS for c in run) and len(run) >= 2:
        return any(c in "〇零" for c in run) or (len(run) == 4 and after.startswith("年"))
    if len(run) == 1:
        if run in _NEVER_ALONE:
            return False
        return pre == "第" or _after_is_classifier(after)
    return True


def _context_values(value: Fraction, after: str, num: str) -> set[Fraction]:
    """Other values the number may take in English, read from what follows it."""
    extra: set[Fraction] = set()
    if after.startswith("年代") and value < 100:
        extra |= {1900 + value, 2000 + value}
    elif after.startswith("世纪") and value.denominator == 1 and 1 <= value <= 30:
        extra.add((value - 1) * 100)
    elif after[:1] in ("时", "時") or (after[:1] in ("点", "點") and not num.endswith("点")):
        if 12 < value <= 24:
            extra.add(value - 12)
        elif 0 < value < 12:
            extra.add(value + 12)
        extra.add(value * 100)  # 12时 -> 1200 GMT
    elif after[:1] == "成":
        extra.add(value * 10)
    return extra


def find_numbers(text: str) -> list[Quantity]:
    """Every number in a Chinese segment, in text order (see the module docstring)."""
    folded = fold_digits(text)
    masked = _NOT_NUMBERS.sub(lambda m: "\x00" * len(m.group()), folded)
    taken = bytearray(len(masked))
    out: list[Quantity] = []

    out += time_numbers(text, masked, taken)

    for m in _FRACTION.finditer(masked):
        den_text, num_text = m.group("den"), m.group("num")
        if den_text in ("百", "千", "佰", "仟") or any(taken[m.start() : m.end()]):
            continue  # 百分之五十 is a percentage, read below
        denominator = _arabic(den_text) if den_text[0].isdigit() else parse_chinese(den_text)
        numerator = _arabic(num_text) if num_text[0].isdigit() else parse_chinese(num_text)
        if not denominator or numerator is None:
            continue
        value = numerator / denominator
        out.append(
            make(m.start(), m.end(), text[m.start() : m.end()], value, {numerator, denominator}, strong=False)
        )
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())

    for m in _TOKEN.finditer(masked):
        if any(taken[m.start() : m.end()]):
            continue
        pre, num = m.group("pre") or "", m.group("num")
        approx = bool(m.group("approx") or m.group("approx2"))
        scale = m.group("scale") or ""
        before = masked[: m.start()].rstrip()[-1:]
        after = masked[m.end() : m.end() + 4].lstrip()
        if pre == "百分之" and not num:
            continue
        if num[0].isdigit():
            value = _arabic(num) * _scale(scale)
            strong = True
        else:
            parsed = parse_chinese(num)
            if parsed is None:
                start = m.start("num")
                for i, j, piece in _split_valid(num):
                    out.append(make(start + i, start + j, text[start + i : start + j], piece, strong=False))
                continue
            value = parsed * _scale(scale)
            strong = _strong_chinese(num, pre, before, masked[m.end("num") : m.end("num") + 4].lstrip())
            if all(c in DIGITS for c in num) and 2 <= len(num) <= 3 and not strong:
                extra = {Fraction(DIGITS[c]) for c in num}
                out.append(make(m.start(), m.end(), text[m.start() : m.end()], value, extra, strong=False))
                continue
        extra = _context_values(value, after, num)
        out.append(
            make(
                m.start(), m.end(), text[m.start() : m.end()], value, extra, strong=strong, approximate=approx
            )
        )
    out.sort(key=lambda q: q.start)
    return _join_century_decade(out, masked)


def _join_century_decade(numbers: list[Quantity], text: str) -> list[Quantity]:
    """``20世纪60年代`` is the 1960s: the decade may be 1960 and the century need not appear."""
    out = list(numbers)
    for k in range(len(out) - 1):
        century, decade = out[k], out[k + 1]
        between = text[century.end : decade.start]
        if not re.fullmatch(r"\s*世纪\s*", between) or not text[decade.end :].lstrip().startswith("年代"):
            continue
        if century.value.denominator != 1 or decade.value >= 100:
            continue
        year = (century.value - 1) * 100 + decade.value
        out[k] = replace(century, strong=False)
        out[k + 1] = replace(decade, values=decade.values | {year})
    return out
