"""Names of people and places in Hanyu Pinyin: romanisation rules, the seed page, the names command."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED, run_workbench
from workbench.cli import main
from workbench.terms import Entry, Matcher, TermBase, check_target, load_termbase
from workbench.terms.names import (
    NameKind,
    person_name,
    place_name,
    proposals_tsv,
    propose_names,
    specific_name,
    with_names,
)
from workbench.terms.names.pinyin import join_word
from workbench.text import document_from_text, load_document


@pytest.fixture(scope="module")
def seed_proposals():
    return {p.source: p for p in propose_names(load_document(SEED))}


# --- romanisation rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("单迎庆", "Shan Yingqing"),  # 单 dān as a word, Shàn as a surname
        ("曾国华", "Zeng Guohua"),  # 曾 céng / Zēng
        ("解振华", "Xie Zhenhua"),  # 解 jiě / Xiè
        ("仇和平", "Qiu Heping"),  # 仇 chóu / Qiú
        ("区志航", "Ou Zhihang"),  # 区 qū / Ōu
        ("朴明哲", "Piao Mingzhe"),  # 朴 pǔ / Piáo
        ("翟志刚", "Zhai Zhigang"),
        ("缪海燕", "Miao Haiyan"),
        ("欧阳文", "Ouyang Wen"),  # compound surnames are one word
        ("司马相南", "Sima Xiangnan"),
        ("上官婉儿", "Shangguan Wan'er"),
        ("诸葛明", "Zhuge Ming"),
        ("王芳", "Wang Fang"),
        ("杨为民", "Yang Weimin"),  # the given name is one word
    ],
)
def test_person_names_follow_gb_t_28039(name, expected):
    assert person_name(name).target == expected


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        ("查建国", "Zha Jianguo", "Cha Jianguo"),
        ("盖晓明", "Ge Xiaoming", "Gai Xiaoming"),
        ("乐丁", "Yue Ding", "Le Ding"),
    ],
)
def test_surnames_with_two_readings_in_use_are_uncertain_not_guessed(name, first, second):
    r = person_name(name)
    assert r.target == first and second in r.alternatives
    assert r.confidence < 0.8 and any("surname" in reason for reason in r.reasons)


def test_polyphonic_given_name_lowers_confidence_with_the_reason():
    r = person_name("蓝佛安")
    assert r.target == "Lan Fo'an"  # 佛 fó in names (pypinyin alone reads fú) and the apostrophe
    assert r.confidence < 0.8 and "佛" in r.reasons[0]
    assert person_name("王冬青").confidence == 1.0


def test_umlaut_is_kept_with_the_media_forms_as_alternatives():
    r = person_name("吕彬")
    assert r.target == "Lü Bin" and {"Lu Bin", "Lyu Bin"} <= set(r.alternatives)


@pytest.mark.parametrize(
    ("sylls", "word"),
    [
        (["xi", "an"], "Xi'an"),
        (["fo", "an"], "Fo'an"),
        (["tian", "an", "men"], "Tian'anmen"),
        (["chang", "e"], "Chang'e"),
        (["jin", "ou"], "Jin'ou"),
        (["ha", "er", "bin"], "Ha'erbin"),
        (["an", "hui"], "Anhui"),
        (["xin", "jiang"], "Xinjiang"),
    ],
)
def test_apostrophe_before_a_o_e_inside_a_word(sylls, word):
    assert join_word(sylls) == word


@pytest.mark.parametrize(
    ("specific", "generic", "target"),
    [
        ("开州", "区", "Kaizhou District"),
        ("沭阳", "县", "Shuyang County"),
        ("谭家", "镇", "Tanjia Town"),
        ("江苏", "省", "Jiangsu Province"),
        ("宿迁", "市", "Suqian City"),
        ("吉安", "市", "Ji'an City"),  # reading and apostrophe from CC-CEDICT
        ("乐清", "市", "Yueqing City"),  # 乐 yuè here, not lè
        ("六安", "市", "Lu'an City"),
        ("台沙", "村", "Taisha Village"),
        ("南明", "镇", "Nanming Town"),
        ("紫阳", "街道", "Ziyang Subdistrict"),
        ("广西壮族", "自治区", "Guangxi Zhuang Autonomous Region"),
        ("新疆维吾尔", "自治区", "Xinjiang Uygur Autonomous Region"),
        ("黔东南苗族侗族", "自治州", "Qiandongnan Miao and Dong Autonomous Prefecture"),
        ("融水苗族", "自治县", "Rongshui Miao Autonomous County"),
        ("沛", "县", "Peixian County"),  # a one-syllable specific keeps its generic in pinyin
    ],
)
def test_place_names_have_pinyin_specific_and_translated_generic(specific, generic, target):
    assert place_name(specific, generic).target == target


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("哈尔滨", "Harbin"),
        ("香港", "Hong Kong"),
        ("澳门", "Macao"),
        ("陕西", "Shaanxi"),
        ("内蒙古", "Inner Mongolia"),
        ("乌鲁木齐", "Ürümqi"),
        ("重庆", "Chongqing"),
        ("厦门", "Xiamen"),
    ],
)
def test_established_english_names_from_cc_cedict(name, target):
    assert specific_name(name).target == target


def test_short_forms_are_alternatives_where_english_uses_them():
    assert place_name("哈尔滨", "市").target == "Harbin City"
    assert "Harbin" in place_name("哈尔滨", "市").alternatives
    assert "Jiangsu" in place_name("江苏", "省").alternatives
    assert place_name("北京", "市").target == "Beijing"
    assert place_name("沭阳", "县").alternatives == ()  # "Shuyang" alone would not say it is a county


# --- the seed page -------------------------------------------------------------------------------

SEED_PERSONS = {
    # bylines
    "尚瑞": "Shang Rui",
    "乐丁": "Yue Ding",
    "司小艺": "Si Xiaoyi",
    # dateline and photo credit
    "刘旭": "Liu Xu",
    "向亮": "Xiang Liang",
    "陈妮雅": "Chen Niya",
    # introduced by a title
    "邹云燕": "Zou Yunyan",
    "黄露": "Huang Lu",
    "单迎庆": "Shan Yingqing",
    "李敏": "Li Min",
    "王冬青": "Wang Dongqing",
    "项文胜": "Xiang Wensheng",
    "郝鹏": "Hao Peng",
    "蓝佛安": "Lan Fo'an",
    "王伟中": "Wang Weizhong",
    "习近平": "Xi Jinping",
}
SEED_PLACES = {
    "黑龙江": "Heilongjiang",
    "江苏省": "Jiangsu Province",
    "浙江省": "Zhejiang Province",
    "江西省": "Jiangxi Province",
    "辽宁省": "Liaoning Province",
    "广东省": "Guangdong Province",
    "广东": "Guangdong",
    "四川": "Sichuan",
    "河北": "Hebei",
    "江苏": "Jiangsu",
    "重庆市": "Chongqing",
    "重庆": "Chongqing",
    "上海": "Shanghai",
    "北京": "Beijing",
    "哈尔滨市": "Harbin City",
    "哈尔滨": "Harbin",
    "宿迁市": "Suqian City",
    "乐清市": "Yueqing City",
    "吉安市": "Ji'an City",
    "南昌": "Nanchang",
    "昆山": "Kunshan",
    "东莞": "Dongguan",
    "成都": "Chengdu",
    "开州区": "Kaizhou District",
    "开州": "Kaizhou",
    "沭阳县": "Shuyang County",
    "沭阳": "Shuyang",
    "谭家镇": "Tanjia Town",
    "金峰镇": "Jinfeng Town",
    "大进镇": "Dajin Town",
    "扎下镇": "Zhaxia Town",
    "高墟镇": "Gaoxu Town",
    "贤官镇": "Xianguan Town",
    "北白象镇": "Beibaixiang Town",
}


def test_seed_page_every_person_is_proposed_rightly(seed_proposals):
    for source, target in SEED_PERSONS.items():
        assert source in seed_proposals, source
        p = seed_proposals[source]
        assert (p.kind, p.target) == (NameKind.PERSON, target), source
    assert seed_proposals["尚瑞"].evidence[0].pattern.value == "byline"
    assert seed_proposals["刘旭"].evidence[0].pattern.value == "dateline"
    assert seed_proposals["陈妮雅"].evidence[0].pattern.value == "caption"
    assert seed_proposals["单迎庆"].evidence[0].pattern.value == "title"
    # Uncertain readings are proposed but below the default threshold, with the reason.
    assert seed_proposals["乐丁"].confidence < 0.8 and seed_proposals["乐丁"].reasons
    assert seed_proposals["单迎庆"].confidence >= 0.8


def test_seed_page_every_place_from_province_to_town_is_proposed_rightly(seed_proposals):
    for source, target in SEED_PLACES.items():
        assert source in seed_proposals, source
        assert (seed_proposals[source].kind, seed_proposals[source].target) == (NameKind.PLACE, target), (
            source
        )
    assert seed_proposals["南昌"].evidence[0].pattern.value == "dateline place"
    org = seed_proposals["沭阳县妇联"]
    assert (org.kind, org.target) == (NameKind.ORGANISATION, "Shuyang County Women's Federation")


def test_seed_page_words_that_end_in_a_generic_are_not_places(seed_proposals):
    for word in (
        "全省",
        "全市",
        "城市",
        "家乡",
        "异乡",
        "乡村",
        "社区",
        "友好社区",
        "城乡社区",
        "各省市",
        "大区",
        "区妇联",
        "县妇联",
        "镇妇联",
        "省人社厅",
        "农村",
        "都市",
        "经济大省",
        "强省",
        "省省长",
    ):
        assert word not in seed_proposals, word
    persons = [s for s, p in seed_proposals.items() if p.kind is NameKind.PERSON]
    assert sorted(persons) == sorted(SEED_PERSONS)  # no false personal names on the page


# --- evidence and the term base -------------------------------------------------------------------


def test_glossary_wins_every_conflict_and_every_overlap():
    doc = document_from_text("□ 尚瑞\n\n沭阳县妇联主席单迎庆说，沭阳县妇联开展活动。\n")
    glossary = TermBase([Entry("妇联", "women's federation"), Entry("单迎庆", "Shan Yingqing (glossary)")])
    added = with_names(glossary, propose_names(doc))
    tb = added.termbase
    assert tb.lookup("单迎庆").target == "Shan Yingqing (glossary)"
    assert [p.source for p in added.glossary_wins] == ["单迎庆"]
    hits = Matcher(tb).find("沭阳县妇联主席单迎庆说")
    # 沭阳县妇联 (a name) overlaps 妇联 (glossary): the glossary term is kept, the place still matches.
    assert [(h.text, h.entry.target) for h in hits] == [
        ("沭阳县", "Shuyang County"),
        ("妇联", "women's federation"),
        ("单迎庆", "Shan Yingqing (glossary)"),
    ]


def test_threshold_leaves_uncertain_names_out():
    doc = document_from_text("□ 乐丁\n\n沭阳县妇联主席单迎庆说。\n")
    added = with_names(None, propose_names(doc), 0.8)
    assert "乐丁" in [p.source for p in added.below]
    assert added.termbase.lookup("乐丁") is None and added.termbase.lookup("单迎庆") is not None


def test_qa_reports_a_missing_accepted_name():
    doc = document_from_text("沭阳县妇联主席单迎庆说。\n")
    tb = with_names(None, propose_names(doc)).termbase
    hits = Matcher(tb).find("沭阳县妇联主席单迎庆说。")
    notes = check_target(hits, "Dan Yingqing, chair of the county women's federation, said.")
    assert {n.source: n.problem for n in notes if not n.ok} == {"沭阳县妇联": "missing", "单迎庆": "missing"}
    good = check_target(hits, "Shan Yingqing, chair of the Shuyang County Women's Federation, said.")
    assert all(n.ok for n in good)


# --- the names command --------------------------------------------------------------------------


def test_names_tsv_is_a_glossary_that_loads(tmp_path, capsys):
    out = tmp_path / "names.tsv"
    assert main(["names", str(SEED), "--out", str(out)]) == 0
    tb = load_termbase([out])
    assert tb.lookup("单迎庆").target == "Shan Yingqing"
    assert tb.lookup("单迎庆").priority == -1
    assert "byline" in tb.lookup("尚瑞").note and "confidence" in tb.lookup("尚瑞").note
    assert proposals_tsv([]).decode().startswith("source\ttarget\t")


def test_names_jsonl_has_source_target_kind_confidence_evidence(capsys):
    assert main(["names", str(SEED), "--format", "jsonl", "--min-confidence", "0.8"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["confidence"] >= 0.8 for r in rows)
    by_source = {r["source"]: r for r in rows}
    shan = by_source["单迎庆"]
    assert (shan["target"], shan["kind"]) == ("Shan Yingqing", "person")
    assert shan["evidence"][0]["pattern"] == "title" and "主席单迎庆说" in shan["evidence"][0]["excerpt"]
    assert isinstance(shan["evidence"][0]["paragraph"], int)
    assert by_source["沭阳县"]["kind"] == "place" and by_source["沭阳县妇联"]["kind"] == "organisation"


def test_names_with_glossary_leaves_out_what_the_glossary_has(tmp_path, capsys):
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n尚瑞\tShang Rui (ours)\n", encoding="utf-8")
    assert main(["names", str(SEED), "--format", "jsonl", "--glossary", str(g)]) == 0
    captured = capsys.readouterr()
    assert "尚瑞" not in {json.loads(line)["source"] for line in captured.out.splitlines()}
    assert "the glossary has them" in captured.err


@pytest.mark.slow
@pytest.mark.parametrize("args", [["missing.txt"], [str(SEED), "--min-confidence", "1.5"]])
def test_names_bad_input_is_one_line_and_non_zero(args):
    r = run_workbench("names", *args)
    assert r.returncode == 2
    assert r.stderr.startswith("workbench: error:") and r.stderr.count("\n") == 1 and not r.stdout


def test_traditional_text_gives_simplified_sources_that_match_it():
    text = "沭陽縣婦聯主席單迎慶說。"
    proposals = {p.source: p for p in propose_names(document_from_text(text + "\n"))}
    assert proposals["单迎庆"].target == "Shan Yingqing" and proposals["沭阳县"].target == "Shuyang County"
    hits = Matcher(with_names(None, proposals.values()).termbase).find(text)
    assert {h.text for h in hits} >= {"單迎慶", "沭陽縣婦聯"}


def test_a_guessed_name_boundary_is_the_stated_reason(seed_proposals):
    li = seed_proposals["李敏"]  # 代表李敏为妇联主席: 李敏 or 李敏为? the end is guessed
    assert li.confidence < 0.8 and li.reasons == ("where the name ends is guessed",)
