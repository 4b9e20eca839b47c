"""A number cut by a line end is joined whole: no space inside it, no paragraph starting in it, in text
and PDF input alike; the numbers QA then has nothing to report on such text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.source_fixtures import text_pdf
from workbench.formats.sources import load_source
from workbench.terms.checks import Check, check_pair
from workbench.text import document_from_text
from workbench.text.lines import continues_number, join_lines

CASES = [
    ("会议于2", "024年3月召开。", "会议于2024年3月召开。"),
    ("全市共有1,2", "50户参加。", "全市共有1,250户参加。"),
    ("经济增长18.", "5%，好于预期。", "经济增长18.5%，好于预期。"),
    ("经济增长18", ".5%，好于预期。", "经济增长18.5%，好于预期。"),
    ("出生率为3.", "2‰。", "出生率为3.2‰。"),
]


def test_the_issue_s_examples_join_whole() -> None:
    for a, b, joined in CASES:
        assert continues_number(a, b)
        assert join_lines([a, b]) == joined


def test_english_keeps_its_space_between_two_numbers() -> None:
    assert join_lines(["in 2023", "2024 was"]) == "in 2023 2024 was"
    assert join_lines(["year 2018.", "The end"]) == "year 2018. The end"


@st.composite
def cut_number(draw) -> tuple[str, str, str]:
    """A Chinese sentence with a number (thousands separators, a decimal part, %, ‰ or 年/月/日), cut at a
    random place inside the number; returns (first line, second line, the number as written)."""
    intpart = draw(st.integers(min_value=10, max_value=9_999_999))
    text = f"{intpart:,}" if draw(st.booleans()) else str(intpart)
    if draw(st.booleans()):
        text += "." + str(draw(st.integers(min_value=0, max_value=999)))
    text += draw(st.sampled_from(["%", "‰", "年", "月", "日", "户", "人"]))
    # Inside the number: before a digit or separator, or before %, ‰, 年, 月, 日 (户 and 人 are words).
    digits = [
        i for i in range(1, len(text)) if text[i] in "0123456789,.%‰年月日" and text[i - 1] in "0123456789,."
    ]
    cut = draw(st.sampled_from(digits))
    lead = draw(st.sampled_from(["全市共有", "同比增长", "截至", "去年达到"]))
    return lead + text[:cut], text[cut:] + "，比上年有所提高。", text


@settings(max_examples=150, deadline=None)
@given(cut_number())
def test_a_cut_number_is_one_paragraph_with_the_number_whole(case) -> None:
    first, second, number = case
    for text in (f"{first}\n{second}\n", f"标题\n\n{first}\n{second}\n\n第二段落在这里结束。\n"):
        doc = document_from_text(text)
        holding = [p for p in doc.paragraphs if number in p.text]
        assert len(holding) == 1, [p.text for p in doc.paragraphs]
        assert holding[0].text.endswith("比上年有所提高。")
        assert " " not in holding[0].text


def test_the_numbers_check_finds_nothing_on_the_joined_text() -> None:
    text = "今年全市经济增长18.\n5%，全市共有1,2\n50户参加，会议于2\n024年3月召开。\n"
    (par,) = document_from_text(text).paragraphs
    target = "The city's economy grew 18.5% this year, 1,250 households took part, and the meeting was held in March 2024."
    assert [f for f in check_pair(par.text, target) if f.check is Check.NUMBERS] == []


def test_pdf_input_joins_a_cut_number_whole(tmp_path: Path) -> None:
    lines = [
        "今年全市经济增长了百分之十八点五，也就是增长18.",
        "5%，全市共有参加活动的家庭1,2",
        "50户，会议于2",
        "024年3月召开。",
    ]
    doc = load_source(text_pdf(tmp_path / "page.pdf", lines))
    text = "".join(p.text for p in doc.paragraphs)
    assert "18.5%" in text and "1,250户" in text and "2024年" in text
    assert len(doc.paragraphs) == 1, [p.text for p in doc.paragraphs]
