"""The numbers check on real sentences: the seed page's dates and figures, Chinese numerals, 万/亿."""

from __future__ import annotations

import pytest

from workbench.terms.checks import Check, check_pair
from workbench.terms.checks.numbers import check_numbers
from workbench.terms.checks.numbers_en import find_numbers as english_numbers
from workbench.terms.checks.numbers_zh import find_numbers as chinese_numbers
from workbench.terms.checks.numbers_zh import parse_chinese

HARBIN = "哈尔滨市妇女第二十一次代表大会于2023年12月12日胜利召开。"
KAIZHOU = "重庆市开州区是外出务工大区，长年外出人员达50余万人。"
FUNDS = "联合广东、上海、河北流动妇联（妇工委）开展节日慰问和公益助学活动，发放助学金和物品共计100余万元。"
CONTEST = (
    "12月11日—12日，由江西省妇联、省人社厅、省商务厅主办，吉安市妇联等承办的2023年江西省家政服务行业职业技能竞赛"
    "在吉安市举办，来自全省家政服务行业的11支代表队近百名选手齐聚一堂切磋技艺。"
)
YUEQING = "12月 8日，浙江省乐清市北白象镇纪委联合妇联对即将结婚和已婚的年轻干部进行了一场有针对性的法纪教育。"
MICRO_HOME = "自成立以来，累计开展活动30场次，联系服务妇女群众1320人次。"


def messages(source: str, target: str) -> list[str]:
    return [f.message for f in check_numbers(source, target)]


@pytest.mark.parametrize(
    "target",
    [
        "The 21st Women's Congress of Harbin opened on December 12, 2023.",
        "The twenty-first Harbin Women's Congress was held on 12 December 2023.",
        "Harbin's 21st women's congress opened successfully on Dec. 12, 2023.",
    ],
)
def test_harbin_congress_date_and_ordinal_are_found(target: str) -> None:
    assert messages(HARBIN, target) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("The 22nd Women's Congress of Harbin opened on December 12, 2023.", ["第二十一 (21)", "22nd"]),
        ("The 21st Women's Congress of Harbin opened on December 13, 2023.", ["12", "13"]),
        ("The 21st Women's Congress of Harbin opened on December 12, 2022.", ["2023", "2022"]),
        ("The 21st Women's Congress of Harbin opened on December 12.", ["2023"]),
    ],
)
def test_harbin_congress_wrong_or_missing_number_is_reported(target: str, expected: list[str]) -> None:
    found = messages(HARBIN, target)
    assert len(found) == len(expected), found
    for text, message in zip(expected, found, strict=True):
        assert text in message


def test_approximate_wan_scaling() -> None:
    good = "Kaizhou District in Chongqing is a major source of migrant labour, with more than 500,000 people working away from home."
    assert messages(KAIZHOU, good) == []
    assert messages(KAIZHOU, good.replace("more than 500,000", "over half a million")) == []
    assert messages(KAIZHOU, good.replace("more than 500,000", "0.5 million")) == []
    wrong = messages(KAIZHOU, good.replace("500,000", "50,000"))
    assert wrong == [
        "number 50余万 (more than 500,000) of the source is not in the target",
        "number 50,000 in the target is not in the source",
    ]


def test_one_million_yuan() -> None:
    good = "Together with migrant women's federations in Guangdong, Shanghai and Hebei, it handed out grants and goods worth more than 1 million yuan."
    assert messages(FUNDS, good) == []
    assert messages(FUNDS, good.replace("1 million", "one million")) == []
    assert "100余万 (more than 1,000,000)" in messages(FUNDS, good.replace("1 million", "100"))[0]


def test_date_range_and_nearly_a_hundred() -> None:
    good = (
        "From December 11 to 12, the 2023 Jiangxi domestic service skills competition, organised by the provincial "
        "women's federation, was held in Ji'an, bringing together nearly 100 contestants from 11 teams."
    )
    assert messages(CONTEST, good) == []
    assert messages(CONTEST, good.replace("December 11 to 12", "11–12 December")) == []
    wrong = messages(CONTEST, good.replace("December 11 to 12", "December 11 to 13"))
    assert any("13 in the target" in m for m in wrong)


@pytest.mark.parametrize("date", ["December 8", "8 December", "Dec. 8", "Dec 8"])
def test_month_day_in_every_english_form(date: str) -> None:
    target = f"On {date}, the discipline commission of Beibaixiang town in Yueqing held a targeted legal education session."
    assert messages(YUEQING, target) == []


def test_full_width_digits_and_thousands_separators() -> None:
    assert messages("１２月８日召开。", "It opened on December 8.") == []
    good = "Since it opened it has held 30 activities and served 1,320 women."
    assert messages(MICRO_HOME, good) == []
    assert messages(MICRO_HOME, good.replace("1,320", "1320")) == []
    assert "1,230" in messages(MICRO_HOME, good.replace("1,320", "1,230"))[-1]


def test_chinese_numerals() -> None:
    assert parse_chinese("二〇二三") == 2023
    assert parse_chinese("十二") == 12
    assert parse_chinese("二十一") == 21
    assert parse_chinese("一百零五") == 105
    assert parse_chinese("三千五") == 3500
    assert parse_chinese("三点五") == 3.5
    assert parse_chinese("二三十") is None  # "twenty or thirty", not one number
    assert (
        messages(
            "二〇二三年，全县新建妇联组织十二个。", "In 2023 the county set up twelve women's federations."
        )
        == []
    )
    assert messages(
        "二〇二三年，全县新建妇联组织十二个。", "In 2022 the county set up 12 women's federations."
    ) == [
        "number 二〇二三 (2023) of the source is not in the target",
        "number 2022 in the target is not in the source",
    ]
    # 三个 must be there; 一个 ("a") and idioms need not.
    assert "三 (3)" in messages("本次大赛设三个竞赛项目。", "The contest has events.")[0]
    assert messages("本次大赛设三个竞赛项目。", "The contest has three events.") == []
    assert (
        messages(
            "产生了“培育一个、带动一批”的效应。", "It had the effect of 'training one, driving a group'."
        )
        == []
    )
    assert (
        messages(
            "家乡的山山水水、一草一木都充满牵挂。",
            "They care about every hill and every blade of grass at home.",
        )
        == []
    )
    assert messages("三八红旗手", "March 8th Red-Banner Pacesetter") == []


def test_yi_scaling_percent_decimals() -> None:
    assert messages("受益妇女达1.2亿人次。", "It has benefited 120 million women.") == []
    assert messages("受益妇女达1.2亿人次。", "It has benefited 1.2 billion women.") != []
    assert messages("参与率提高了12.5%。", "Participation rose by 12.5 percent.") == []
    assert messages("参与率提高了12.5%。", "Participation rose by 12.5%.") == []
    assert messages("参与率提高了12.5%。", "Participation rose by 15.5%.") != []
    assert messages("百分之五十的家庭参与。", "Fifty percent of families took part.") == []
    assert messages("百分之五十的家庭参与。", "50% of families took part.") == []
    assert messages("20世纪80年代", "the 1980s") == []
    assert messages("下午3时开幕", "It opens at 15:00") == []


def test_extra_number_in_target() -> None:
    found = check_numbers(
        "今年妇女节，开州区妇联发出了一封信。",
        "On Women's Day 2024, the Kaizhou women's federation sent a letter.",
    )
    assert [f.message for f in found] == ["number 2024 in the target is not in the source"]
    target = "On Women's Day 2024, the Kaizhou women's federation sent a letter."
    assert found[0].target_span is not None
    assert target[slice(*found[0].target_span)] == "2024"


def test_offsets_point_at_the_number() -> None:
    [missing] = check_numbers(KAIZHOU, "Many people work away from home.")
    assert missing.source_span is not None
    assert KAIZHOU[slice(*missing.source_span)] == "50余万"


def test_extractors_read_values() -> None:
    zh = {q.text: q.value for q in chinese_numbers(CONTEST)}
    assert zh["2023"] == 2023 and zh["11"] == 11
    en = [
        (q.text, q.value, q.strong)
        for q in english_numbers("On December 11-12, 2023, 1.2 million and twenty-first")
    ]
    assert en == [
        ("December", 12, False),
        ("11", 11, True),
        ("12", 12, True),
        ("2023", 2023, True),
        ("1.2 million", 1_200_000, True),
        ("twenty-first", 21, False),
    ]


def test_numbers_check_runs_through_check_pair() -> None:
    findings = check_pair(KAIZHOU, "Kaizhou has 50,000 migrant workers.", checks={Check.NUMBERS})
    assert {f.check for f in findings} == {Check.NUMBERS}
    assert len(findings) == 2
