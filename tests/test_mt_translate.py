"""``workbench translate`` end to end on the seed page with the tiny model, and the drafting loop (``run_drafting``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from lxml import etree

from tests.conftest import ROOT, SEED
from workbench.cli import main
from workbench.jobs.drafting import run_drafting
from workbench.jobs.translate import document_segments
from workbench.text import load_document

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def engine(tiny_model_dir):
    from workbench.mt.registry import load_engine

    return load_engine("transformers", tiny_model_dir, device="cpu", threads=1)


def test_translate_seed_page_writes_md_jsonl_tmx(tmp_path, tiny_model_dir, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(SEED),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(out),
            "--beam",
            "1",
            "--threads",
            "1",
        ]
    )
    assert code == 0
    stem = SEED.stem
    captured = capsys.readouterr()
    printed = captured.out.split()
    assert printed == [str(out / f"{stem}.md"), str(out / f"{stem}.jsonl"), str(out / f"{stem}.tmx")]
    # The default engine is auto: CTranslate2, converted on first use with a message, then cached.
    assert "workbench: converting model to CTranslate2 int8 (first use only" in captured.err
    assert list((tmp_path / "xdg" / "workbench" / "ct2").glob("model-*-int8/model.bin"))

    document = load_document(SEED)
    segs = document_segments(document)
    rows = [json.loads(line) for line in (out / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(segs) > 100
    for row, (par, index, source) in zip(rows, segs, strict=True):
        assert (row["paragraph"], row["index"], row["source"]) == (par, index, source)
        assert row["draft"] and isinstance(row["score"], float)
        assert "backend=ctranslate2" in row["signature"] and "beam=1" in row["signature"]

    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert rows[0]["draft"] in md.replace("\\", "")
    assert "重庆开州区妇联全力抓好在外流动妇联组织建设" in md

    tree = etree.parse(str(out / f"{stem}.tmx"), etree.XMLParser(resolve_entities=False, no_network=True))
    units = tree.findall(".//tu")
    assert units and len(units) <= len(rows)
    sources = {tu.findtext("./tuv[1]/seg") for tu in units}
    assert rows[0]["source"] in sources


def test_translate_ctranslate2_with_glossary_notes_terms(tmp_path, tiny_model_dir, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    src = tmp_path / "short.txt"
    src.write_text("全国妇联召开会议。\n\n妇联组织建设取得新进展。\n", encoding="utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "妇联\twomen's federation\n全国妇联\tAll-China Women's Federation\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(src),
            "--model",
            str(tiny_model_dir),
            "--engine",
            "ctranslate2",
            "--out",
            str(out),
            "--beam",
            "2",
            "--threads",
            "1",
            "--quiet",
            "--glossary",
            str(glossary),
        ]
    )
    assert code == 0
    rows = [json.loads(line) for line in (out / "short.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows] == ["全国妇联召开会议。", "妇联组织建设取得新进展。"]
    assert rows[0]["terms"][0]["source"] == "全国妇联"
    assert rows[1]["terms"][0]["target"] == "women's federation"
    for row in rows:
        assert "backend=ctranslate2" in row["signature"] and "glossary=" in row["signature"]
        for note in row["terms"]:
            # The note agrees with the draft: ok exactly when the rendering is there.
            assert note["ok"] == (note["target"].lower() in row["draft"].lower())


def test_bad_input_file_is_one_line(tmp_path, tiny_model_dir, capsys):
    code = main(
        ["translate", str(tmp_path / "missing.txt"), "--model", str(tiny_model_dir), "--out", str(tmp_path)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("workbench: error:") and err.count("\n") == 1


def test_run_drafting_reports_each_batch_and_stops_on_cancel(engine):
    sources = [s for _, _, s in document_segments(load_document(SEED))][:30]
    cancel = threading.Event()
    batches: list[list[int]] = []

    def on_batch(indices, drafts):
        assert len(indices) == len(drafts)
        batches.append(indices)
        if len(batches) == 2:
            cancel.set()

    drafts = run_drafting(engine, sources, beam=1, unit_size=8, on_unit=on_batch, stop=cancel)
    assert len(batches) == 2
    done = sorted(i for b in batches for i in b)
    assert len(done) == 16
    assert [i for i, d in enumerate(drafts) if d is not None] == done
    # The first batch holds the longest segments.
    assert min(len(sources[i]) for i in batches[0]) >= max(len(sources[i]) for i in batches[1])


def test_run_drafting_matches_engine_output(engine):
    sources = [s for _, _, s in document_segments(load_document(SEED))][:20]
    old = engine.length_policy
    engine.length_policy = lambda n: (0, 10)
    try:
        whole = engine.translate(sources, beam=1)
        seen: list[tuple[int, int]] = []
        batched = run_drafting(
            engine, sources, beam=1, unit_size=6, progress=lambda d, t: seen.append((d, t))
        )
    finally:
        engine.length_policy = old
    assert [d.text for d in batched] == [d.text for d in whole]
    assert seen[-1] == (20, 20)


def test_ctrl_c_stops_after_the_current_batch(tmp_path, tiny_model_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "translate",
            str(SEED),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(tmp_path),
            "--beam",
            "4",
            "--batch-size",
            "2",
            "--threads",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "loaded in" in line:
            break
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "stopping after the current batch" in err and "interrupted:" in err
    assert "Traceback" not in err
    rows = [
        json.loads(line)
        for line in (tmp_path / f"{SEED.stem}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    drafted = [r for r in rows if r["draft"]]
    assert 0 < len(drafted) < len(rows)


def test_to_simplified_converts_traditional_input(tmp_path, tiny_model_dir):
    src = tmp_path / "trad.txt"
    src.write_text("婦聯組織建設取得新進展。\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "translate",
            str(src),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(out),
            "--beam",
            "1",
            "--threads",
            "1",
            "--quiet",
            "--to-simplified",
        ]
    )
    assert code == 0
    rows = [json.loads(line) for line in (out / "trad.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows] == ["妇联组织建设取得新进展。"]
    assert rows[0]["draft"]
