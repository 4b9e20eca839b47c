"""The `spelling` QA check: Hunspell en_US/en_GB through pyenchant; planted misspellings are flagged, the
shipped glossary's renderings, pinyin names and the user's own words never are."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_workbench as cli

from workbench.settings import user_words, word_list_path
from workbench.terms.checks import Check, check_pair
from workbench.terms.checks.spelling import add_word, available, is_pinyin_name, misspelled
from workbench.terms.context import GlossaryContext
from workbench.terms.formats import load_termbase

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary" / "womens-news.tsv"
PLANTED = "The goverment recieved the report and adressed the womens federation's concerns."


def _words(text: str, spans) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_the_dictionary_is_installed():
    assert available() == ""


def test_planted_misspellings_are_flagged_and_nothing_else():
    assert _words(PLANTED, misspelled(PLANTED)) == ["goverment", "recieved", "adressed", "womens"]
    findings = check_pair("政府收到报告。", PLANTED, checks={Check.SPELLING})
    assert [f.check for f in findings] == [Check.SPELLING] * 4
    assert PLANTED[slice(*findings[0].target_span)] == "goverment"
    # British and American spellings, possessives, hyphens, capitals and digits are fine.
    fine = (
        "The labour and labor of women's well-being: ACWF, G20, COVID-19 and https://www.womenofchina.cn/x."
    )
    assert misspelled(fine) == []


def test_nothing_in_the_shipped_glossary_renderings_is_flagged(tmp_path):
    termbase = load_termbase([GLOSSARY])
    pairs = [(entry.source, r) for entry in termbase for r in entry.allowed]
    assert len(pairs) > 100
    tsv = tmp_path / "renderings.tsv"
    tsv.write_text("source\ttarget\n" + "".join(f"{s}\t{r}\n" for s, r in pairs), encoding="utf-8")
    # Without the glossary loaded (a fresh process): the dictionaries and the pinyin rule alone accept them.
    r = cli("qa", str(tsv), "--checks", "spelling")
    assert (r.returncode, r.stdout) == (0, ""), r.stdout


def test_a_loaded_glossary_accepts_its_renderings(tmp_path):
    text = "The Zorblax Hub opened."
    assert _words(text, misspelled(text)) == ["Zorblax"]
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\n佐布拉克中心\tZorblax Hub\n", encoding="utf-8")
    GlossaryContext.load([glossary])
    assert misspelled(text) == []


def test_pinyin_names_are_not_flagged_but_misspelt_english_is():
    assert is_pinyin_name("Kaizhou") and is_pinyin_name("Xi'an") and is_pinyin_name("Zhang")
    assert not is_pinyin_name("Goverment") and not is_pinyin_name("kaizhou")
    text = "Zhang Xiaoming met Li Hua in Kaizhou and Xi'an; the comittee met too."
    assert _words(text, misspelled(text)) == ["comittee"]


def test_the_user_word_list(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path / "cfg"))
    text = "The Hongqi Shoujian campaign and the Sanba awards."
    assert "Shoujian" not in _words(text, misspelled(text))  # pinyin
    text = "A Womenomics report."
    assert _words(text, misspelled(text)) == ["Womenomics"]
    add_word("Womenomics")
    assert user_words() == {"Womenomics"} and word_list_path().read_text(encoding="utf-8") == "Womenomics\n"
    assert misspelled(text) == []
    # Another process reads the list from the settings folder.
    (tmp_path / "in.tsv").write_text("source\ttarget\n报告。\tA Womenomics reprot.\n", encoding="utf-8")
    r = cli(
        "qa",
        str(tmp_path / "in.tsv"),
        "--checks",
        "spelling",
        env={"WORKBENCH_CONFIG_DIR": str(tmp_path / "cfg")},
    )
    assert r.returncode == 1
    assert r.stdout.strip().endswith("spelling: 'reprot' is not in the dictionary (en_US+en_GB)")
    assert "Womenomics" not in r.stdout


@pytest.mark.parametrize("lang, flagged", [("en_US", ["colour"]), ("en_GB", ["color"])])
def test_one_dictionary_can_be_chosen(monkeypatch, lang, flagged):
    monkeypatch.setenv("WORKBENCH_SPELLING", lang)
    text = "The colour and the color."
    assert _words(text, misspelled(text)) == flagged
