"""``workbench evaluate``: equal to sacrebleu's own scores, term success, FLORES test set, alignment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_workbench

from workbench.formats.bilingual import BilingualUnit
from workbench.jobs.evaluate import System, WorkbenchSignature, align_to_sources, split_system_arg
from workbench.jobs.testsets import load_test_set

FLORES_TERMS = str(ROOT / "tests" / "data" / "flores-terms.tsv")


def _drop_every(text: str, n: int) -> str:
    return " ".join(w for i, w in enumerate(text.split()) if i % n != n - 1)


@pytest.fixture(scope="module")
def flores_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Hypotheses and two reference files made from the first 200 FLORES devtest sentences."""
    test = load_test_set("flores200-devtest")
    english = test.references[0][:200]
    d = tmp_path_factory.mktemp("flores")
    files = {
        "hyp": [_drop_every(s, 4) for s in english],
        "ref1": english,
        "ref2": [_drop_every(s, 7).replace(" the ", " a ") for s in english],
        "src": test.sources[:200],
    }
    out = {}
    for name, lines in files.items():
        out[name] = d / f"{name}.txt"
        out[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_scores_equal_sacrebleu_on_two_references(flores_files: dict[str, Path]) -> None:
    f = flores_files
    ours = run_workbench(
        "evaluate", "-H", str(f["hyp"]), "-r", str(f["ref1"]), "-r", str(f["ref2"]), "--format", "json"
    )
    assert ours.returncode == 0, ours.stderr
    report = json.loads(ours.stdout)
    theirs = subprocess.run(
        [sys.executable, "-m", "sacrebleu", str(f["ref1"]), str(f["ref2"]), "-i", str(f["hyp"]),
         "-m", "bleu", "chrf", "ter", "-f", "json", "-w", "4"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    by_name = {m["name"]: m for m in json.loads(theirs.stdout)}
    [system] = report["systems"]
    assert system["bleu"] == pytest.approx(by_name["BLEU"]["score"], abs=1e-4)
    assert system["chrf"] == pytest.approx(by_name["chrF2"]["score"], abs=1e-4)
    assert system["ter"] == pytest.approx(by_name["TER"]["score"], abs=1e-4)
    assert report["sacrebleu"] == {name: by_name[name]["signature"] for name in ("BLEU", "chrF2", "TER")}
    assert 10 < system["bleu"] < 90  # a real, imperfect system: the comparison means something


def test_text_table_has_both_systems_and_signatures(flores_files: dict[str, Path]) -> None:
    f = flores_files
    proc = run_workbench(
        "evaluate", "-H", f"dropped={f['hyp']}", "-H", f"perfect={f['ref1']}", "-r", str(f["ref1"])
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("200 segments; references: ")
    assert lines[1].split() == [
        "system",
        "BLEU",
        "chrF2",
        "TER",
        "terms",
        "exact",
        "terms",
        "fuzzy",
        "term",
        "consistency",
    ]
    perfect = next(line for line in lines if line.startswith("perfect"))
    assert perfect.split()[1:4] == ["100.00", "100.00", "0.00"]
    assert any(line.startswith("sacrebleu BLEU|nrefs:1|") for line in lines)
    assert any(line.startswith("workbench dropped: model:unknown|engine:unknown") for line in lines)


@pytest.mark.slow
def test_per_segment_scores_are_sacrebleus_sentence_scores(flores_files: dict[str, Path]) -> None:
    from sacrebleu.metrics import BLEU, CHRF, TER

    f = flores_files
    proc = run_workbench(
        "evaluate", "-H", str(f["hyp"]), "-r", str(f["ref1"]), "--per-segment", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    segments = json.loads(proc.stdout)["systems"][0]["segments"]
    hyps = f["hyp"].read_text(encoding="utf-8").splitlines()
    refs = f["ref1"].read_text(encoding="utf-8").splitlines()
    assert len(segments) == len(hyps) == 200
    for i in (0, 57, 199):
        assert segments[i]["bleu"] == pytest.approx(
            BLEU(effective_order=True).sentence_score(hyps[i], [refs[i]]).score
        )
        assert segments[i]["chrf"] == pytest.approx(CHRF().sentence_score(hyps[i], [refs[i]]).score)
        assert segments[i]["ter"] == pytest.approx(TER().sentence_score(hyps[i], [refs[i]]).score)
    text = run_workbench("evaluate", "-H", str(f["hyp"]), "-r", str(f["ref1"]), "--per-segment")
    assert text.returncode == 0 and text.stdout.splitlines()[-1].startswith("    200  ")


@pytest.mark.slow
def test_flores_test_set_with_term_metrics() -> None:
    test = load_test_set("flores200-devtest")
    assert len(test.sources) == len(test.references[0]) == 1012
    proc = run_workbench("evaluate", "--test-set", "flores200-devtest", "-H", "human=" + str(_write_refs(test)),
                         "--glossary", FLORES_TERMS, "--format", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    [human] = report["systems"]
    assert human["bleu"] == pytest.approx(100.0) and human["ter"] == pytest.approx(0.0)
    # The human translators render 32 of the 36 glossary hits with the glossary's words.
    assert (human["terms"]["exact"], human["terms"]["hits"]) == (32, 36)
    assert report["test_set"] == "flores200-devtest"
    assert "CC BY-SA 4.0" in report["references"][0]


def _write_refs(test) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "human.txt"
    path.write_text("\n".join(test.references[0]) + "\n", encoding="utf-8")
    return path


def test_term_success_without_references(tmp_path: Path) -> None:
    rows = [
        {"source": "贡献巾帼智慧和力量。", "draft": "Contribute women's wisdom and strength.",
         "signature": "backend=transformers;model=/m/tiny;model_hash=0123456789abcdef;beam=4;app=0.1.0;glossary=9a9a"},
        {"source": "妇联工作要坚持正确方向。", "draft": "Federation work keeps to the right direction."},
        {"source": "巾帼智慧和力量", "draft": "the wisdom and strength of women"},
    ]  # fmt: skip
    path = tmp_path / "sys.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    proc = run_workbench(
        "evaluate",
        "-H",
        str(path),
        "--glossary",
        str(ROOT / "glossary" / "womens-news.tsv"),
        "--format",
        "json",
    )
    assert proc.returncode == 0, proc.stderr
    [system] = json.loads(proc.stdout)["systems"]
    assert system["terms"]["hits"] == 3
    assert system["terms"]["exact"] == 2  # 妇联 → women's federation is missing
    assert system["terms"]["consistency"] == pytest.approx(0.5)  # 巾帼智慧和力量 rendered two ways
    assert system["bleu"] is None
    assert system["signature"] == {
        "model": "/m/tiny@0123456789ab", "engine": "transformers", "beam": "4", "glossary": "9a9a", "version": "0.1.0",
    }  # fmt: skip


def test_alignment_by_source_text() -> None:
    sources = ["第一句。第二句。", "第三句", "第四句。"]
    units = [
        BilingualUnit("第一句。", "One.", "s.jsonl", 1),
        BilingualUnit("第二句。", "Two.", "s.jsonl", 2),
        BilingualUnit("第三句第四句。", "Three four.", "s.jsonl", 3),  # the segmenter joined two lines
    ]
    system = System("s", "s.jsonl", [u.target for u in units], [u.source for u in units], units=units)
    aligned = align_to_sources(system, sources)
    assert aligned.hypotheses == ["One. Two.", "Three four.", ""]
    assert aligned.notes == ["1 segment(s) span two source lines; 1 line(s) have no hypothesis of their own"]


def test_signature_and_names() -> None:
    sig = WorkbenchSignature.from_engine_text(
        "app=0.1.0, backend=ctranslate2, beam=1, model=opus, model_hash=abcdef"
    )
    assert str(sig) == "model:opus@abcdef|engine:ctranslate2|beam:1|glossary:none|version:0.1.0"
    assert split_system_arg("base=out/seed.jsonl") == ("base", "out/seed.jsonl")
    assert split_system_arg("out/seed.jsonl") == ("seed", "out/seed.jsonl")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["-H", "{hyp}", "-r", "{short}"], "200 hypotheses for 3 segments"),
        (["-H", "{hyp}"], "nothing to score"),
        (["-H", "{hyp}", "--test-set", "wmt99"], "unknown test set 'wmt99'; known: flores200-devtest"),
        (["-H", "{missing}", "-r", "{short}"], "no such file"),
        (["-H", "{hyp}", "--glossary", FLORES_TERMS], "term success needs the sources"),
        (["-r", "{short}"], "give --hypothesis H (repeatable) or --model M"),
        (
            ["--model", "{missing}", "-r", "{short}"],
            "--model drafts the sources: give --source S or --test-set NAME",
        ),
    ],
)
def test_bad_input_is_one_line(
    flores_files: dict[str, Path], tmp_path: Path, args: list[str], error: str
) -> None:
    short = tmp_path / "short.txt"
    short.write_text("a\nb\nc\n", encoding="utf-8")
    names = {"hyp": flores_files["hyp"], "short": short, "missing": tmp_path / "missing.txt"}
    proc = run_workbench("evaluate", *[a.format(**names) for a in args])
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert error in proc.stderr
