"""``translate --lines --terms``: one segment per line, each line's own term list enforced, and
``evaluate --terms``: WMT23 term success, checked against hand-computed figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_workbench

LINES = ["重庆开州区妇联全力抓好在外流动妇联组织建设", "", "身在异乡，仍可感受家乡“娘家人”呵护"]
TERMS = [[{"zh": "妇联", "en": "zebra quantum"}], [], [{"src": "娘家人", "tgt": "family back home"}]]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "doc.txt"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    terms = tmp_path / "doc.terms.jsonl"
    terms.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in TERMS), encoding="utf-8")
    return src, terms


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_lines_and_per_line_terms_are_enforced(tiny_model_dir, inputs, tmp_path, engine):
    src, terms = inputs
    out = tmp_path / "out"
    r = run_workbench("translate", str(src), "--lines", "--terms", str(terms), "--model", str(tiny_model_dir),
                      "--engine", engine, "--threads", "1", "--out", str(out), "--quiet")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in (out / "doc.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["segment"] for row in rows] == [0, 1, 2]
    assert [row["source"] for row in rows] == LINES
    assert rows[1]["draft"] == "" and "terms" not in rows[1]
    assert "zebra quantum" in rows[0]["draft"].lower()
    assert "family back home" in rows[2]["draft"].lower()
    for row in (rows[0], rows[2]):
        (term,) = row["terms"]
        assert term["ok"] is True
        assert term["how"] in ("placed", "searched", "natural", "nbest")
        assert term["cost"] >= 0
    # Line 2's term is line 2's only: line 0 does not get it, nor line 2 line 0's.
    assert "family back home" not in rows[0]["draft"].lower()
    assert "zebra" not in rows[2]["draft"].lower()


@pytest.mark.slow
def test_a_glossary_beside_the_lists_is_enforced_too(tiny_model_dir, inputs, tmp_path):
    src, terms = inputs
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\n异乡\tforeign land\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run_workbench("translate", str(src), "--lines", "--terms", str(terms), "--glossary", str(glossary),
                      "--model", str(tiny_model_dir), "--engine", "ctranslate2", "--threads", "1", "--out", str(out), "--quiet")  # fmt: skip
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in (out / "doc.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "foreign land" in rows[2]["draft"].lower() and "family back home" in rows[2]["draft"].lower()
    assert {t["source"] for t in rows[2]["terms"]} == {"娘家人", "异乡"}


def test_bad_term_lists_are_one_line_errors(tiny_model_dir, inputs, tmp_path):
    src, terms = inputs
    terms.write_text('[{"zh":"妇联","en":"x"}]\n[]\n', encoding="utf-8")
    r = run_workbench(
        "translate",
        str(src),
        "--lines",
        "--terms",
        str(terms),
        "--model",
        str(tiny_model_dir),
        "--out",
        str(tmp_path / "o"),
    )
    assert (
        r.returncode == 2
        and r.stderr.startswith("workbench: error: ")
        and "2 term lists for 3 segments" in r.stderr
    )
    terms.write_text('[{"zh":"妇联"}]\n[]\n[]\n', encoding="utf-8")
    r = run_workbench(
        "translate",
        str(src),
        "--lines",
        "--terms",
        str(terms),
        "--model",
        str(tiny_model_dir),
        "--out",
        str(tmp_path / "o"),
    )
    assert r.returncode == 2 and ":1: each term must be an object" in r.stderr
    r = run_workbench("translate", str(src), "--terms", str(terms), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "use it with --lines" in r.stderr


def test_evaluate_terms_equals_a_hand_computed_term_success(tmp_path):
    hyp = tmp_path / "hyp.txt"
    ref = tmp_path / "ref.txt"
    terms = tmp_path / "terms.jsonl"
    hyp.write_text(
        "The left-behind children were helped.\nDomestic violence is a crime.\nNothing here.\n",
        encoding="utf-8",
    )
    ref.write_text(
        "Left-behind children got help.\nDomestic violence is an offence.\nNothing here.\n", encoding="utf-8"
    )
    lists = [
        [{"zh": "留守儿童", "en": "left-behind child"}],  # raw: no ("children"); lemmatized: yes
        [{"src": "家庭暴力", "tgt": "domestic violence"}, {"zh": "犯罪", "en": "offence"}],  # raw 1 of 2
        [],
    ]
    terms.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in lists), encoding="utf-8")
    r = run_workbench("evaluate", "-H", str(hyp), "-r", str(ref), "--terms", str(terms), "--format", "json")
    assert r.returncode == 0, r.stderr
    (system,) = json.loads(r.stdout)["systems"]
    # By hand: 3 terms; raw matches: "domestic violence" (case-insensitive) = 1; lemmatized adds
    # "left-behind child" ~ "left-behind children" = 2.
    assert system["wmt_terms"]["terms"] == 3
    assert system["wmt_terms"]["raw"] == 1
    assert system["wmt_terms"]["lemmatized"] == 2
    assert system["bleu"] is not None
    r = run_workbench("evaluate", "-H", str(hyp), "-r", str(ref), "--terms", str(terms))
    assert "WMT23 term success hyp: raw 33.3% (1/3), lemmatized 66.7% (2/3)" in r.stdout


@pytest.mark.slow
def test_evaluate_model_drafts_with_the_term_lists(tiny_model_dir, tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("\n".join(x for x in LINES if x) + "\n", encoding="utf-8")
    terms = tmp_path / "terms.jsonl"
    terms.write_text(
        json.dumps(TERMS[0], ensure_ascii=False) + "\n" + json.dumps(TERMS[2], ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    r = run_workbench("evaluate", "--source", str(src), "--model", str(tiny_model_dir), "--engine", "ctranslate2",
                      "--threads", "1", "--terms", str(terms), "--draft", "both", "--format", "json", "--quiet")  # fmt: skip
    assert r.returncode == 0, r.stderr
    plain, enforced = json.loads(r.stdout)["systems"]
    assert enforced["name"].endswith("+terms")
    assert enforced["wmt_terms"] == {**enforced["wmt_terms"], "terms": 2, "raw": 2}
    assert plain["wmt_terms"]["raw"] == 0
