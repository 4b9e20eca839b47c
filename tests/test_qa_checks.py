"""Every QA check except numbers (tests/test_qa_numbers.py) on real sentences of the seed page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import ROOT

from workbench.errors import WorkbenchError
from workbench.terms.checks import (
    ALL_CHECKS,
    Check,
    check_consistency,
    check_pair,
    check_units,
    select_checks,
)
from workbench.terms.context import GlossaryContext

TITLE = "身在异乡，仍可感受家乡“娘家人”呵护"
KAIZHOU = "这是开州区妇联联合开州区（上海）流动妇工委开展的慈善公益活动。"
WISDOM = "为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。"
HEADING = "提升“三新”领域妇联组织履职新成效"


def checks_of(source: str, target: str | None, *checks: Check) -> list[tuple[Check, str]]:
    return [(f.check, f.message) for f in check_pair(source, target, checks=set(checks) or ALL_CHECKS)]


def test_untranslated_empty_and_missing_targets() -> None:
    assert checks_of(TITLE, None) == [(Check.UNTRANSLATED, "no translation")]
    assert checks_of(TITLE, "   ") == [(Check.UNTRANSLATED, "the target is empty")]
    assert checks_of(TITLE, "") == [(Check.UNTRANSLATED, "the target is empty")]
    assert checks_of(TITLE, None, Check.NUMBERS) == []


def test_target_equal_to_source_is_reported_once() -> None:
    assert checks_of(HEADING, HEADING) == [(Check.SAME_AS_SOURCE, "the target is the source, untranslated")]
    assert checks_of("WTO", "WTO") == []  # a Latin-only source may stay as it is


def test_chinese_left_in_the_target() -> None:
    target = "This is a charity event held by the women's federation of 开州区 with the migrant committee，in Shanghai."
    found = check_pair(KAIZHOU, target, checks={Check.CJK})
    assert [f.message for f in found] == [
        "Chinese characters left in the target: 开州区",
        "full-width punctuation left in the target: ，",
    ]
    assert target[slice(*found[0].target_span)] == "开州区"
    [many] = check_pair(KAIZHOU, "The 开州区 federation and the 流动妇工委 of 上海", checks={Check.CJK})
    assert many.message == "Chinese characters left in the target: 开州区, 流动妇工委, 上海 (3 places)"


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("Away from home, they still feel the care of “the folks back home”", None),
        ("Away from home, they still feel the care of “the folks back home", "an opening “ is never closed"),
        ("Away from home, they still feel the care of the folks back home”", "a closing ” has no opening “"),
        ('Away from home, they still feel the care of "the folks back home', 'an odd number of "'),
        ('Away from home, they still feel the care of "the folks back home"', None),
    ],
)
def test_quotes(target: str, problem: str | None) -> None:
    found = checks_of(TITLE, target, Check.QUOTES)
    assert found == ([] if problem is None else [(Check.QUOTES, f"unbalanced quotes: {problem}")])


def test_quotes_of_a_segment_cut_inside_a_quotation_are_excused() -> None:
    source = "“在开州区妇联的指导下，流动妇工委积极团结引领在外流动姐妹们。"
    assert (
        checks_of(
            source,
            "“Under the guidance of the Kaizhou women's federation, the committee unites migrant sisters.",
            Check.QUOTES,
        )
        == []
    )


def test_brackets() -> None:
    good = "This is a charity event by the Kaizhou women's federation and the Kaizhou (Shanghai) migrant women's committee."
    assert checks_of(KAIZHOU, good, Check.BRACKETS) == []
    found = check_pair(KAIZHOU, good.replace("(Shanghai)", "(Shanghai"), checks={Check.BRACKETS})
    assert [f.message for f in found] == ["unbalanced brackets: ( is never closed"]
    assert checks_of(KAIZHOU, good.replace("(Shanghai)", "(Shanghai]"), Check.BRACKETS) == [
        (Check.BRACKETS, "unbalanced brackets: ] has no matching [")
    ]
    # A list marker 1） in the source excuses 1) in the target.
    assert checks_of("1）聚焦凝心铸魂", "1) Focus on uniting hearts", Check.BRACKETS) == []


def test_spaces() -> None:
    assert checks_of(TITLE, "Away from home,  still cared for", Check.SPACES) == [
        (Check.SPACES, "doubled space in the target")
    ]
    assert checks_of(TITLE, " Away from home", Check.SPACES) == [
        (Check.SPACES, "the target starts with a space")
    ]
    assert checks_of(TITLE, "Away from home ", Check.SPACES) == [
        (Check.SPACES, "the target ends with a space")
    ]
    assert checks_of(TITLE + " ", "Away from home ", Check.SPACES) == []


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("你们在外还好吗？", "Are you doing well away from home?", None),
        (
            "你们在外还好吗？",
            "You are doing well away from home.",
            "the source ends with a question mark, the target with a full stop",
        ),
        ("这是我们的家！", "This is our home.", None),
        ("这是我们的家！”", "“This is our home!”", None),
        (
            WISDOM,
            "Contribute women's wisdom and strength to the Harbin chapter of Chinese modernization",
            "the source ends with a full stop, the target with no punctuation",
        ),
        (
            HEADING,
            "Improving the performance of women's federations in the 'three new' fields.",
            "the source ends with no punctuation, the target with a full stop",
        ),
        (HEADING, "Improving the performance of women's federations in the 'three new' fields", None),
        (
            "具体措施如下：",
            "The measures are as follows.",
            "the source ends with a colon, the target with a full stop",
        ),
    ],
)
def test_end_punctuation(source: str, target: str, message: str | None) -> None:
    assert checks_of(source, target, Check.END_PUNCTUATION) == (
        [] if message is None else [(Check.END_PUNCTUATION, message)]
    )


def test_length_ratio_outlier() -> None:
    good = (
        "Contribute women's wisdom and strength to writing the Harbin chapter of Chinese-style modernization."
    )
    assert checks_of(WISDOM, good, Check.LENGTH) == []
    [(check, message)] = checks_of(WISDOM, "Contribute.", Check.LENGTH)
    assert check is Check.LENGTH and "much shorter" in message
    [(check, message)] = checks_of(WISDOM, good * 4, Check.LENGTH)
    assert "much longer" in message
    assert checks_of("笔谈", "Written interview.", Check.LENGTH) == []  # too short to judge


def test_glossary_check_uses_the_shipped_glossary() -> None:
    glossary = GlossaryContext.load([ROOT / "glossary" / "womens-news.tsv"])
    good = "Contribute women's wisdom and strength to the Harbin chapter of Chinese modernization."
    assert check_pair(WISDOM, good, checks={Check.GLOSSARY}, glossary=glossary) == []
    bad = "Contribute headscarf wisdom and power to the Harbin chapter of Chinese modernization."
    [finding] = check_pair(WISDOM, bad, checks={Check.GLOSSARY}, glossary=glossary)
    assert finding.message == "巾帼智慧和力量 → women's wisdom and strength: missing"
    assert WISDOM[slice(*finding.source_span)] == "巾帼智慧和力量"
    assert check_pair(WISDOM, bad, checks={Check.GLOSSARY}) == []  # no glossary, no glossary check


@dataclass
class Unit:
    source: str
    target: str | None
    file: str = "a.tsv"
    unit: int | str | None = None


def test_consistency_same_source_different_targets_and_back() -> None:
    units = [
        Unit("妇女之家", "Women's Home", unit=1),
        Unit("妇女之家", "women's home", unit=2),
        Unit("妇女之家", "Women's Home", unit=3),
        Unit("妇女微家", "Women's Home", unit=4),
        Unit("笔谈", None, unit=5),
        Unit("笔谈", "Written interview", unit=6),
    ]
    found = check_consistency(units, frozenset({Check.INCONSISTENT_TARGET, Check.INCONSISTENT_SOURCE}))
    by = {(f.check, f.unit) for f in found}
    assert by == {
        (Check.INCONSISTENT_TARGET, 1),
        (Check.INCONSISTENT_TARGET, 2),
        (Check.INCONSISTENT_TARGET, 3),
        (Check.INCONSISTENT_SOURCE, 1),
        (Check.INCONSISTENT_SOURCE, 3),
        (Check.INCONSISTENT_SOURCE, 4),
    }
    [unit2] = [f for f in found if f.unit == 2]
    assert unit2.message == "the same source as unit 1, 3 with a different translation (2 variants)"
    assert check_consistency(units[:1] + units[3:4], frozenset({Check.INCONSISTENT_TARGET})) == []


def test_check_units_locates_findings() -> None:
    units = [Unit(TITLE, None, unit=1), Unit(HEADING, HEADING, file="b.tsv", unit=7)]
    found = check_units(units)
    assert [(f.file, f.unit, f.check) for f in found] == [
        ("a.tsv", 1, Check.UNTRANSLATED),
        ("b.tsv", 7, Check.SAME_AS_SOURCE),
    ]
    assert found[0].to_dict() == {
        "file": "a.tsv",
        "unit": 1,
        "check": "untranslated",
        "message": "no translation",
        "count": 1,
        "offsets": {"source": [0, len(TITLE)], "target": None},
    }


def test_select_checks() -> None:
    assert select_checks() == ALL_CHECKS
    assert select_checks("numbers, quotes") == {Check.NUMBERS, Check.QUOTES}
    assert select_checks(None, "length,glossary") == ALL_CHECKS - {Check.LENGTH, Check.GLOSSARY}
    with pytest.raises(WorkbenchError, match="unknown QA check 'number'; choose from numbers"):
        select_checks("number")


def test_a_good_translation_of_the_seed_title_has_no_findings() -> None:
    target = "Away from home, they can still feel the care of their “folks back home”"
    assert check_pair(TITLE, target) == []
