"""The ``forced-term`` QA warning: in the JSONL, the Markdown and TMX exports of a run, and in ``qa``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_workbench


def _row(how: str, cost: float, doubt: float | None = None) -> dict:
    return {
        "segment": 0,
        "source": "妇联召开会议。",
        "draft": "The women's federation held a meeting.",
        "terms": [
            {
                "source": "妇联",
                "target": "women's federation",
                "ok": True,
                "problem": "",
                "how": how,
                "cost": cost,
                **({"doubt": doubt} if doubt is not None else {}),
            }
        ],
    }


@pytest.mark.parametrize(
    ("how", "cost", "doubt", "flagged"),
    [
        ("placed", 2.5, None, True),  # a run from before drafts kept the model's doubt: the cost decides
        ("searched", 2.5, None, True),
        ("nbest", 2.5, None, True),
        ("natural", 2.5, None, False),
        ("placed", 0.01, None, False),
        ("placed", 2.5, 0.6, True),  # forced into a sentence the model was unsure of
        ("placed", 2.5, 0.02, False),  # forced (costly: an unfamiliar rendering) into one it was sure of
        ("placed", 0.01, 0.6, False),  # about as probable as the model's own: nothing was forced
        ("natural", 2.5, 0.6, False),
    ],
)
def test_qa_flags_forced_terms_above_the_threshold(tmp_path: Path, how, cost, doubt, flagged):
    path = tmp_path / "run.jsonl"
    path.write_text(json.dumps(_row(how, cost, doubt), ensure_ascii=False) + "\n", encoding="utf-8")
    r = run_workbench("qa", str(path), "--checks", "forced-term", "--format", "jsonl")
    assert r.returncode in (0, 1), r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    found = [f for f in rows if f.get("check") == "forced-term"]
    assert bool(found) is flagged
    if flagged:
        assert "妇联" in found[0]["message"] and how in found[0]["message"]
        assert (doubt is None) is ("unsure" not in found[0]["message"])
    r = run_workbench("qa", str(path), "--ignore", "forced-term", "--format", "jsonl")
    assert "forced-term" not in r.stdout


@pytest.mark.slow
def test_a_translate_run_carries_forced_term_into_its_exports(tiny_model_dir, tmp_path):
    src = tmp_path / "doc.txt"
    src.write_text("重庆开州区妇联全力抓好在外流动妇联组织建设。\n", encoding="utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\n妇联\tzebra quantum\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run_workbench("translate", str(src), "--glossary", str(glossary), "--model", str(tiny_model_dir), "--engine",
                      "ctranslate2", "--threads", "1", "--out", str(out), "--quiet", env={"WORKBENCH_FORCED_COST": "0"})  # fmt: skip
    assert r.returncode == 0, r.stderr
    (row,) = [json.loads(x) for x in (out / "doc.jsonl").read_text(encoding="utf-8").splitlines()]
    assert row["terms"][0]["how"] == "placed" and row["terms"][0]["cost"] > 0
    # The model's doubt about its own best: minus its log-probability per token, the draft's score plus cost.
    assert row["terms"][0]["doubt"] == pytest.approx(-(row["score"] + row["terms"][0]["cost"]), abs=1e-3)
    assert any(q["check"] == "forced-term" for q in row["qa"])
    md = (out / "doc.md").read_text(encoding="utf-8")
    tmx = (out / "doc.tmx").read_text(encoding="utf-8")
    assert "forced-term" in md and "term ledger): placed 2" in md  # 妇联 twice
    assert "forced-term" in tmx and "term: 妇联 = zebra quantum (placed, cost " in tmx
