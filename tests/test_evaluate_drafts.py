"""Evaluate and QA real drafts: the tiny model on seed-page sentences, with and without the shipped glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SEED, run_workbench

from workbench.cli import main

pytestmark = pytest.mark.slow
GLOSSARY = str(ROOT / "glossary" / "womens-news.tsv")


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    """Eight short seed-page segments with glossary terms (the tiny model decodes to its length limit)."""
    from workbench.jobs.translate import document_segments
    from workbench.terms.context import GlossaryContext
    from workbench.text import load_document

    glossary = GlossaryContext.load([GLOSSARY])
    with_terms = [
        s for _, _, s in document_segments(load_document(SEED)) if glossary.hits(s) and s.endswith("。")
    ]
    return sorted(with_terms, key=len)[:8]


@pytest.fixture(scope="module")
def drafts(
    sentences: list[str], tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("drafts")
    source = out / "seed-sentences.txt"
    source.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    files = {}
    for name, extra in (("base", []), ("glossary", ["--glossary", GLOSSARY])):
        args = [
            "translate",
            str(source),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(out / name),
            "--beam",
            "1",
            "--threads",
            "1",
            "--quiet",
        ]
        assert main([*args, *extra]) == 0
        files[name] = out / name / "seed-sentences.jsonl"
    return files


def test_term_success_is_complete_with_the_glossary(drafts: dict[str, Path]) -> None:
    proc = run_workbench(
        "evaluate",
        "-H",
        f"base={drafts['base']}",
        "-H",
        f"glossary={drafts['glossary']}",
        "--glossary",
        GLOSSARY,
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    base, constrained = json.loads(proc.stdout)["systems"]
    assert constrained["terms"]["hits"] == base["terms"]["hits"] >= 8
    assert constrained["terms"]["exact_rate"] == 1.0
    assert base["terms"]["exact_rate"] < 0.5  # random weights place almost no term by chance
    assert base["signature"]["glossary"] == "none"
    assert constrained["signature"]["glossary"] != "none"
    # translate's default engine, auto, is CTranslate2 (a dependency); the signature names what ran
    assert constrained["signature"]["engine"] == "ctranslate2" and constrained["signature"]["beam"] == "1"


def test_qa_glossary_check_passes_on_constrained_drafts(drafts: dict[str, Path]) -> None:
    ok = run_workbench("qa", str(drafts["glossary"]), "--glossary", GLOSSARY, "--checks", "glossary")
    assert ok.returncode == 0, ok.stdout[-2000:] + ok.stderr
    bad = run_workbench(
        "qa", str(drafts["base"]), "--glossary", GLOSSARY, "--checks", "glossary", "--format", "jsonl"
    )
    assert bad.returncode == 1
    assert {json.loads(line)["check"] for line in bad.stdout.splitlines()} == {"glossary"}


def test_drafting_on_the_spot_with_and_without_the_glossary(
    sentences: list[str], tiny_model_dir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "seed.zh"
    src.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    proc = run_workbench(
        "evaluate", "--source", str(src), "--model", str(tiny_model_dir), "--beam", "1", "--threads", "1",
        "--glossary", GLOSSARY, "--draft", "both", "--quiet", "--format", "json", timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    plain, constrained = json.loads(proc.stdout)["systems"]
    assert (plain["name"], constrained["name"]) == (tiny_model_dir.name, f"{tiny_model_dir.name}+glossary")
    assert constrained["terms"]["hits"] == plain["terms"]["hits"] >= 8
    assert constrained["terms"]["exact_rate"] == 1.0 > plain["terms"]["exact_rate"]
    assert plain["signature"]["glossary"] == "none" and constrained["signature"]["glossary"] != "none"
    assert constrained["signature"]["beam"] == "1" and constrained["signature"]["engine"] == "transformers"
