"""Glossary QA: constraints for the decoder, violations in drafts/finals, and `workbench glossary`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.cli import main
from workbench.records import TermConstraint
from workbench.terms import Entry, Matcher, TermBase, check_target, constraints_for

GLOSSARY = ROOT / "glossary" / "womens-news.tsv"


@pytest.fixture
def tb() -> TermBase:
    return TermBase(
        [
            Entry("巾帼", "women's", alternatives=("women",), forbidden=("headscarf",)),
            Entry("巾帼文明岗", "Civilized Women's Post"),
            Entry("妇联", "women's federation"),
            Entry("全国妇联", "All-China Women's Federation", alternatives=("ACWF",)),
            Entry("APEC", "APEC", case_sensitive=True),
        ]
    )


def test_constraints_for_one_per_term_approved_first(tb: TermBase) -> None:
    hits = Matcher(tb).find("巾帼文明岗和巾幗力量，妇联与巾帼")
    assert constraints_for(hits) == [
        TermConstraint("巾帼文明岗", ("Civilized Women's Post",), ()),
        TermConstraint("巾幗", ("women's", "women"), ("headscarf",)),
        TermConstraint("妇联", ("women's federation",), ()),
    ]


def test_check_target_ok_missing_and_forbidden_with_offsets(tb: TermBase) -> None:
    source = "巾帼文明岗和妇联的巾帼力量"
    hits = Matcher(tb).find(source)
    target = "The Civilized Women's Post and the Women’s   Federation's headscarf power"
    notes = check_target(hits, target)
    assert [(n.source, n.ok, n.problem) for n in notes] == [
        ("巾帼文明岗", True, ""),
        ("妇联", True, ""),
        ("巾帼", False, "forbidden: headscarf"),
    ]
    assert notes[0].span == (0, 5) and notes[2].span == (9, 11)
    assert target[slice(*notes[0].target_span)] == "Civilized Women's Post"
    assert target[slice(*notes[1].target_span)] == "Women’s   Federation"
    assert target[slice(*notes[2].target_span)] == "headscarf"
    missing = check_target(hits, "The post and the federation")
    assert [n.problem for n in missing] == ["missing", "missing", "missing"]
    assert all(n.target_span is None for n in missing)


def test_word_boundaries_plurals_and_case(tb: TermBase) -> None:
    hits = Matcher(tb).find("妇联")
    assert check_target(hits, "All women's federations met")[0].ok
    assert not check_target(hits, "the women's federationist")[0].ok
    women = Matcher(tb).find("巾帼")
    assert not check_target(women, "womenfolk")[0].ok
    assert check_target(women, "WOMEN")[0].ok
    apec = Matcher(tb).find("APEC会议")
    assert check_target(apec, "the APEC meeting")[0].ok
    assert not check_target(apec, "the Apec meeting")[0].ok


def test_forbidden_inside_an_allowed_rendering_does_not_count() -> None:
    tb = TermBase([Entry("一带一路", "Belt and Road Initiative", forbidden=("Road",))])
    hits = Matcher(tb).find("一带一路")
    assert check_target(hits, "the Belt and Road Initiative")[0].ok
    assert check_target(hits, "the Belt and Road Initiative and the Road")[0].problem == "forbidden: Road"


def test_repeated_hits_presence_by_default_count_when_asked(tb: TermBase) -> None:
    hits = Matcher(tb).find("妇联要求妇联")
    assert len(hits) == 2
    once = "The women's federation asked it"
    assert [n.ok for n in check_target(hits, once)] == [True, True]
    assert [n.ok for n in check_target(hits, once, count=True)] == [True, False]
    twice = "The women's federation asked the women's federation"
    notes = check_target(hits, twice, count=True)
    assert [n.ok for n in notes] == [True, True] and notes[0].target_span != notes[1].target_span


def test_longer_rendering_is_one_occurrence(tb: TermBase) -> None:
    hits = Matcher(tb).find("全国妇联")
    assert [h.entry.source for h in hits] == ["全国妇联"]
    assert check_target(hits, "the All-China Women's Federation (ACWF)")[0].ok


def test_shipped_glossary_qa_on_a_seed_sentence() -> None:
    from workbench.terms import load_termbase

    m = Matcher(load_termbase([GLOSSARY]))
    hits = m.find("为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。")
    good = "to contribute women's wisdom and strength to the Harbin chapter of Chinese modernization."
    bad = "to contribute headscarf wisdom and strength to Harbin's Chinese-style modernization."
    assert all(n.ok for n in check_target(hits, good))
    problems = {n.source: n.problem for n in check_target(hits, bad)}
    assert problems == {"中国式现代化": "forbidden: Chinese-style modernization", "巾帼智慧和力量": "missing"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_check_lists_hits_in_the_seed_page(capsys: pytest.CaptureFixture[str], seed_path: Path) -> None:
    code, out, err = _run(
        capsys, "glossary", "check", str(seed_path), "--glossary", str(GLOSSARY), "--format", "jsonl"
    )
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert {"source", "target", "start", "end", "paragraph"} <= set(rows[0])
    sources = {r["source"].replace("\n", "") for r in rows}
    assert {"娘家人", "美丽庭院", "巾帼力量", "三八红旗手"} <= sources
    assert "hit(s)" in err


def test_cli_check_translations_exit_1_on_violations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = tmp_path / "src.txt"
    src.write_text("推进“美丽庭院”建设。\n\n巾帼文明岗\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(
        'Advance the "Beautiful Courtyard" initiative.\nCivilized Women\'s Post\n', encoding="utf-8"
    )
    bad = tmp_path / "bad.txt"
    bad.write_text("Advance pretty yards.\nCivilized Women's Post\n", encoding="utf-8")
    code, out, _ = _run(
        capsys, "glossary", "check", str(src), "--glossary", str(GLOSSARY), "--target", str(good)
    )
    assert code == 0 and out == ""
    code, out, _ = _run(
        capsys, "glossary", "check", str(src), "--glossary", str(GLOSSARY), "--target", str(bad)
    )
    assert code == 1
    assert "美丽庭院 -> Beautiful Courtyard: target missing" in out
    jl = tmp_path / "run.jsonl"
    jl.write_text(
        json.dumps(
            {
                "paragraph": 0,
                "segment": 0,
                "source": "中国式现代化",
                "draft": "Chinese-style modernization",
                "final": "Chinese modernization",
            },
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps({"paragraph": 0, "index": 1, "source": "巾帼", "draft": None}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = _run(
        capsys,
        "glossary",
        "check",
        str(src),
        "--glossary",
        str(GLOSSARY),
        "--jsonl",
        str(jl),
        "--format",
        "jsonl",
    )
    assert code == 1  # the untranslated (null draft) record is skipped, not an error
    rows = [json.loads(x) for x in out.splitlines()]
    assert rows == [
        {
            "paragraph": 0,
            "segment": 0,
            "field": "draft",
            "start": 0,
            "end": 6,
            "source": "中国式现代化",
            "target": "Chinese modernization",
            "ok": False,
            "problem": "forbidden: Chinese-style modernization",
            "target_start": 0,
            "target_end": 27,
        }
    ]


def test_cli_convert_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_tbx = tmp_path / "g.tbx"
    code, _, err = _run(capsys, "glossary", "convert", str(GLOSSARY), str(out_tbx))
    assert code == 0 and "entries (tbx)" in err
    out_csv = tmp_path / "g.csv"
    assert _run(capsys, "glossary", "convert", str(out_tbx), str(out_csv))[0] == 0
    code, out, _ = _run(capsys, "glossary", "show", str(out_csv))
    assert code == 0 and "美丽庭院\tBeautiful Courtyard" in out
    code, _, err = _run(capsys, "glossary", "convert", str(GLOSSARY), str(tmp_path / "g.unknown"))
    assert code == 2 and "use --to" in err


def test_cli_errors_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\n巾帼\t\n", encoding="utf-8")
    code, _, err = _run(capsys, "glossary", "show", str(bad))
    assert code == 2 and err.strip() == f"workbench: error: {bad}:2: empty target for '巾帼'"
    code, _, err = _run(capsys, "glossary", "show", str(tmp_path / "nope.tsv"))
    assert code == 2 and "no such glossary file" in err and len(err.strip().splitlines()) == 1


def test_a_rendering_inside_another_terms_longer_rendering_does_not_satisfy_its_hit():
    from workbench.mt.constraints import unmet_in_text
    from workbench.terms.context import GlossaryContext

    glossary = GlossaryContext.load([str(ROOT / "glossary" / "womens-news.tsv")])
    source = "黄秀在武汉宣传妇联和巾帼。"  # 妇联 → women's federation, 巾帼 → women's
    hits = glossary.constraints(source)
    only_one = "Huang Xiu promotes the women's federation and the heroines in Wuhan."
    both = "Huang Xiu promotes the women's federation and the women's in Wuhan."
    assert [(n.source, n.ok) for n in glossary.check(source, only_one)] == [("妇联", True), ("巾帼", False)]
    assert unmet_in_text(hits, only_one) == ["巾帼"]  # the engines count as the check does
    assert all(n.ok for n in glossary.check(source, both)) and unmet_in_text(hits, both) == []
