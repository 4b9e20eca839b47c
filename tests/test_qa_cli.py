"""``workbench qa`` on every bilingual format it reads, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_workbench
from export_fixtures import make_record

from workbench.formats.bilingual import BilingualFormat, detect_format, read_bilingual
from workbench.formats.tmx import write_tmx
from workbench.formats.xliff import write_xliff
from workbench.store.project import Project
from workbench.text import document_from_text

KAIZHOU = "重庆市开州区是外出务工大区，长年外出人员达50余万人。"
GOOD = "Kaizhou District in Chongqing is a major source of migrant labour, with more than 500,000 people working away from home."
BAD = GOOD.replace("500,000", "50,000")
WISDOM = "为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。"
WISDOM_EN = "Contribute women's wisdom and strength to the Harbin chapter of Chinese modernization."
GLOSSARY = str(ROOT / "glossary" / "womens-news.tsv")


def record(target_for_kaizhou: str):
    return make_record([("body", [(KAIZHOU, target_for_kaizhou), (WISDOM, WISDOM_EN)])], name="kaizhou.txt")


def test_tsv_clean_and_with_a_wrong_number(tmp_path: Path) -> None:
    clean = tmp_path / "clean.tsv"
    clean.write_text(f"source\ttarget\n{KAIZHOU}\t{GOOD}\n{WISDOM}\t{WISDOM_EN}\n", encoding="utf-8")
    proc = run_workbench("qa", str(clean), "--glossary", GLOSSARY)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "no findings in 2 units of 1 file" in proc.stderr

    bad = tmp_path / "bad.tsv"
    bad.write_text(
        f"{KAIZHOU}\t{BAD}\n\n{WISDOM}\t{WISDOM_EN.replace('women', 'headscarf')}\n", encoding="utf-8"
    )
    proc = run_workbench("qa", str(bad), "--glossary", GLOSSARY)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{bad}:1: numbers: number 50余万 (more than 500,000) of the source is not in the target",
        f"{bad}:1: numbers: number 50,000 in the target is not in the source",
        f"{bad}:3: glossary: 巾帼智慧和力量 → women's wisdom and strength: missing",
    ]


def test_jsonl_output_keys_and_translate_jsonl_input(tmp_path: Path) -> None:
    rows = [
        {
            "paragraph": 0,
            "index": 0,
            "segment": 0,
            "source": KAIZHOU,
            "draft": BAD,
            "signature": "backend=transformers",
        },
        {"paragraph": 0, "index": 1, "segment": 1, "source": WISDOM, "draft": None},
        {
            "paragraph": 0,
            "index": 2,
            "segment": 2,
            "source": "笔谈",
            "draft": "Writen talk",
            "final": "Written interview",
        },
    ]
    path = tmp_path / "out.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    proc = run_workbench("qa", str(path), "--format", "jsonl")
    assert proc.returncode == 1, proc.stderr
    found = [json.loads(line) for line in proc.stdout.splitlines()]
    assert all(set(f) == {"file", "unit", "check", "message", "count", "offsets"} for f in found)
    assert [(f["unit"], f["check"]) for f in found] == [(1, "numbers"), (1, "numbers"), (2, "untranslated")]
    assert found[0]["offsets"] == {"source": [21, 25], "target": None}
    assert BAD[slice(*found[1]["offsets"]["target"])] == "50,000"


def test_tmx_and_xliff_units_and_ids(tmp_path: Path) -> None:
    tmx = tmp_path / "memory.tmx"
    write_tmx(record(BAD), tmx)
    xlf = tmp_path / "job.xlf"
    write_xliff(record(BAD), xlf)
    for path, unit in ((tmx, "1"), (xlf, "p1-s1")):
        proc = run_workbench("qa", str(path), "--checks", "numbers", "--format", "jsonl")
        assert proc.returncode == 1, proc.stderr
        units = {json.loads(line)["unit"] for line in proc.stdout.splitlines()}
        assert units == {unit}
    proc = run_workbench("qa", str(tmx), str(xlf), "--ignore", "numbers")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no findings in 4 units of 2 files" in proc.stderr


def test_consistency_across_files(tmp_path: Path) -> None:
    a = tmp_path / "a.tsv"
    a.write_text(f"{KAIZHOU}\t{GOOD}\n", encoding="utf-8")
    b = tmp_path / "b.tsv"
    b.write_text(f"{KAIZHOU}\t{GOOD.replace('labour', 'workers')}\n", encoding="utf-8")
    proc = run_workbench("qa", str(a), str(b), "--checks", "inconsistent-target")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{a}:1: inconsistent-target: the same source as unit {b}:1 with a different translation (2 variants)",
        f"{b}:1: inconsistent-target: the same source as unit {a}:1 with a different translation (2 variants)",
    ]


def test_project_uses_its_own_glossary(tmp_path: Path) -> None:
    path = tmp_path / "job.wbproj"
    doc = document_from_text(f"{KAIZHOU}\n\n{WISDOM}\n", path=str(tmp_path / "kaizhou.txt"))
    with Project.open(path, create=True) as project:
        doc_id = project.add_document(doc)
        project.set_glossary([GLOSSARY])
        first, second = project.segments(doc_id)
        project.set_final(first.id, BAD)
        project.set_draft(
            second.id,
            "Contribute headscarf wisdom and strength to the Harbin chapter of Chinese modernization.",
        )
    assert detect_format(path) is BilingualFormat.PROJECT
    units = read_bilingual(path)
    assert [u.unit for u in units] == [f"d{doc_id}-p1-s1", f"d{doc_id}-p2-s1"]
    proc = run_workbench("qa", str(path), "--checks", "glossary,numbers")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3
    assert (
        lines[2] == f"{path}:d{doc_id}-p2-s1: glossary: 巾帼智慧和力量 → women's wisdom and strength: missing"
    )


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (None, "missing.tsv", "missing.tsv: no such file"),
        ("你好\n", "no-tab.tsv", "no-tab.tsv:1: expected source TAB target, found no tab"),
        ('{"draft": "x"}\n', "bad.jsonl", 'bad.jsonl:1: a JSON object with a "source" string expected'),
        ("{not json\n", "broken.jsonl", "broken.jsonl:1: not a JSON object"),
        ("<tmx><body><tu>", "broken.tmx", "broken.tmx:1: not well-formed XML"),
        ("plain words\n", "notes.txt", "notes.txt: not a bilingual file this command reads"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str | None, name: str, error: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    proc = run_workbench("qa", str(path))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert error in proc.stderr
    assert proc.stderr.startswith("workbench: error: ")


def test_unknown_check_name(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text(f"{KAIZHOU}\t{GOOD}\n", encoding="utf-8")
    proc = run_workbench("qa", str(path), "--checks", "numbres")
    assert proc.returncode == 2
    assert "unknown QA check 'numbres'" in proc.stderr
