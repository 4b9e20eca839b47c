"""Traditional vs simplified: per-document detection and conversion (OpenCC)."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from workbench.text import document_from_text, load_document
from workbench.text.script import detect_script, script_votes, to_simplified, to_traditional

SEED_TEXT = SEED.read_text(encoding="utf-8")


def test_seed_page_is_simplified() -> None:
    assert detect_script(SEED_TEXT) == "simplified"
    assert load_document(SEED).script == "simplified"


def test_traditional_page_is_detected() -> None:
    trad = to_traditional(SEED_TEXT)
    assert trad != SEED_TEXT
    assert detect_script(trad) == "traditional"
    trad_votes, simp_votes = script_votes(trad)
    assert trad_votes > 10 * max(simp_votes, 1)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("香港特別行政區政府發表聲明。", "traditional"),
        ("香港特别行政区政府发表声明。", "simplified"),
        ("中华人民共和国", "simplified"),
        ("中華人民共和國", "traditional"),
        ("ABC 123", "simplified"),  # nothing to tell: simplified is the default
        ("", "simplified"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_to_simplified_keeps_punctuation_and_simplified_text() -> None:
    assert to_simplified("對家暴說“不”！（陳妮雅/攝）") == "对家暴说“不”！（陈妮雅/摄）"
    assert to_simplified(SEED_TEXT) == SEED_TEXT


def test_document_keeps_original_unless_asked() -> None:
    trad = "\u3000\u3000婦女事業和婦聯工作要始終堅持正確政治方向。\n"
    kept = document_from_text(trad)
    assert kept.script == "traditional"
    assert kept.paragraphs[0].text == "婦女事業和婦聯工作要始終堅持正確政治方向。"
    simp = document_from_text(trad, to_simplified=True)
    assert simp.script == "traditional"  # what the source was written in
    assert simp.paragraphs[0].text == "妇女事业和妇联工作要始终坚持正确政治方向。"
    assert simp.paragraphs[0].segments == ("妇女事业和妇联工作要始终坚持正确政治方向。",)
