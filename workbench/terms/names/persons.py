"""Personal names in pinyin by GB/T 28039-2011: surname first, given name as one word, both capitalised.

* The surname takes its surname reading (单 Shan, 曾 Zeng, 解 Xie, 仇 Qiu, 区 Ou, 查 Zha, 盖 Ge,
  朴 Piao ...) and a compound surname is one word (欧阳 Ouyang, 司马 Sima).
* The given name is one word with the apostrophe rule (蓝佛安 Lan Fo'an).
* A person CC-CEDICT lists (习近平 Xi Jinping) takes CC-CEDICT's form.
* ü is written ü (吕 Lü); the forms English-language media print instead (Lyu, Lu) are alternatives.
* A given-name character read in more than one way in names (乐 le/yue, 长 chang/zhang, 行 xing/hang,
  重 zhong/chong ...) makes the rendering uncertain: the usual name reading is proposed, with the
  reason, and the confidence drops below the default threshold.
"""

from __future__ import annotations

from workbench.terms.names.cedict import name_dictionary
from workbench.terms.names.model import Rendering
from workbench.terms.names.pinyin import join_word, readings, syllables, without_umlaut, yu_form
from workbench.terms.names.surnames import COMPOUND, SURNAME_READING, SURNAME_SECOND, surname_at

#: Given-name characters with more than one reading in use in names: the reading proposed first.
UNCERTAIN_GIVEN = {
    "乐": "le",
    "长": "chang",
    "行": "xing",
    "重": "chong",
    "朝": "chao",
    "曾": "zeng",
    "藏": "zang",
    "单": "dan",
    "茜": "qian",
    "解": "jie",
    "佛": "fo",
    "朴": "pu",
    "区": "qu",
    "查": "cha",
    "种": "zhong",
    "传": "chuan",
    "调": "tiao",
    "角": "jiao",
}
UNCERTAIN_CONFIDENCE = 0.6
#: Certainty of a foreign given or family name spelled as CC-CEDICT's "(name)" entry spells it.
NAME_SPELLING = 0.7


def _given_syllables(given: str) -> tuple[list[str], list[str]]:
    """Syllables of a given name and the reasons its reading is uncertain."""
    sylls = syllables(given)
    reasons = []
    for i, ch in enumerate(given):
        if ch in UNCERTAIN_GIVEN:
            options = readings(ch)
            sylls[i] = UNCERTAIN_GIVEN[ch]
            if len(options) > 1:
                reasons.append(f"given-name character {ch} is read {'/'.join(options)} in names")
    return sylls, reasons


def split_name(name: str) -> tuple[str, str] | None:
    """``(surname, given name)`` of a Chinese personal name, or None when no surname is known."""
    surname = surname_at(name, 0)
    if surname is None or len(name) <= len(surname) or len(name) - len(surname) > 2:
        return None
    return surname, name[len(surname) :]


def person_name(name: str) -> Rendering:
    """The pinyin of a Chinese personal name (``单迎庆`` -> ``Shan Yingqing``).

    Raises:
        ValueError: ``name`` does not start with a known surname or has more than two given characters.
    """
    known = name_dictionary().person(name)
    parts = split_name(name)
    if known is not None:
        known_alts = tuple(
            a for a in (without_umlaut(known.english), yu_form(known.english)) if a != known.english
        )
        return Rendering(
            known.english, tuple(dict.fromkeys(known_alts)), 1.0, (), f"CC-CEDICT ({known.definition[:60]})"
        )
    if parts is None:
        raise ValueError(f"{name!r} does not start with a known surname")
    surname, given = parts
    reasons: list[str] = []
    if surname in COMPOUND:
        family = COMPOUND[surname]
        second = None
    else:
        family = join_word([SURNAME_READING.get(surname) or syllables(surname)[0]])
        second = SURNAME_SECOND.get(surname)
        if second:
            reasons.append(f"surname {surname} is read {family} or {join_word([second])}")
    sylls, given_reasons = _given_syllables(given)
    reasons += given_reasons
    given_word = join_word(sylls)
    target = f"{family} {given_word}"
    alternatives = [without_umlaut(target), yu_form(target)]
    if second:
        alternatives.append(f"{join_word([second])} {given_word}")
    confidence = UNCERTAIN_CONFIDENCE if reasons else 1.0
    basis = "GB/T 28039 pinyin" + (f", surname reading of {surname}" if surname in SURNAME_READING else "")
    alts = tuple(a for a in dict.fromkeys(alternatives) if a != target)
    return Rendering(target, alts, confidence, tuple(reasons), basis)


#: Family roles written after a surname (曾婆婆 Granny Zeng, 华叔 Uncle Hua), longest first when matched.
FAMILY_ROLES = {
    "婆婆": "Granny",
    "奶奶": "Granny",
    "阿婆": "Granny",
    "爷爷": "Grandpa",
    "阿公": "Grandpa",
    "大爷": "Uncle",
    "大叔": "Uncle",
    "叔叔": "Uncle",
    "伯伯": "Uncle",
    "阿伯": "Uncle",
    "叔": "Uncle",
    "伯": "Uncle",
    "阿姨": "Auntie",
    "大妈": "Auntie",
    "大娘": "Auntie",
    "大婶": "Auntie",
    "婶": "Auntie",
    "姨": "Auntie",
}


def family_role_name(name: str) -> Rendering:
    """A surname with a family role, role first (``曾婆婆`` -> ``Granny Zeng``, ``华叔`` -> ``Uncle Hua``).

    Raises:
        ValueError: ``name`` is not a known surname followed by a family role.
    """
    surname = surname_at(name, 0)
    role = FAMILY_ROLES.get(name[len(surname) :]) if surname else None
    if surname is None or role is None:
        raise ValueError(f"{name!r} is not a surname with a family role")
    family = COMPOUND.get(surname) or join_word([SURNAME_READING.get(surname) or syllables(surname)[0]])
    return Rendering(
        f"{role} {family}", (), 1.0, (), f"surname reading + family role ({name[len(surname) :]})"
    )


def foreign_person_name(name: str) -> Rendering:
    """A transliterated foreign name: CC-CEDICT's spelling of each part (``唐纳德·特朗普`` Donald Trump).

    A part CC-CEDICT does not know is written in pinyin with a low confidence: the person's own
    spelling has to be looked up.
    """
    words = name_dictionary()
    parts = name.replace("•", "·").replace("・", "·").split("·")
    english: list[str] = []
    unknown: list[str] = []
    spelled = False  # a part only CC-CEDICT's "(name)" entries spell: Davy or Davey, Price or Pryce
    for part in parts:
        known = words.foreign_name(part) or words.person(part)
        if known is None:
            english.append(join_word(syllables(part)))
            unknown.append(part)
        else:
            english.append(known.english)
            spelled = spelled or known.definition.endswith("(name)")
    last = words.foreign_name(parts[-1])
    if len(parts) > 1 and last is not None and not unknown and last.full.startswith(english[0] + " "):
        english = last.full.split()
    target = " ".join(english)
    if unknown == parts and len(parts) == 1 and words.proper_english.get(name):
        return Rendering(
            words.proper_english[name],
            (),
            NAME_SPELLING,
            ("a transliterated name CC-CEDICT spells one way; the person's own spelling may differ",),
            "CC-CEDICT proper noun",
        )
    if unknown:
        return Rendering(
            target,
            (),
            0.3,
            (
                f"transliterated name: {'/'.join(unknown)} is not in CC-CEDICT; "
                "use the spelling the person uses",
            ),
            "pinyin of a transliteration",
        )
    if spelled and not (len(parts) > 1 and last is not None and not last.definition.endswith("(name)")):
        return Rendering(
            target,
            (),
            NAME_SPELLING,
            ("a transliterated name CC-CEDICT spells one way; the person's own spelling may differ",),
            "CC-CEDICT foreign name",
        )
    return Rendering(target, (), 1.0, (), "CC-CEDICT foreign name")
