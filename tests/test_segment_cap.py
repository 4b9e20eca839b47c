"""One segment-length cap shared by every command that reads text (issue 25, item 3).

The segmenter, ``qa``, ``names``, ``evaluate`` and ``align`` all cut or leave out text past
``workbench.safe_read.MAX_SEGMENT_CHARS``: each is run here on a segment far past it and must finish in
bounded time, say on standard error what it cut, and print no traceback.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import run_workbench

from workbench.safe_read import MAX_SEGMENT_CHARS, MAX_TARGET_CHARS

#: A segment 200 times the cap (400,000 characters).
HUGE = 200 * MAX_SEGMENT_CHARS
#: Far more than any of these commands needs on this input, even on a loaded machine.
BOUND_S = 120


def _run(*args: str) -> tuple[int, str, str]:
    start = time.perf_counter()
    proc = run_workbench(*args, timeout=BOUND_S + 60)
    elapsed = time.perf_counter() - start
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert elapsed < BOUND_S, f"{args[0]} took {elapsed:.0f} s"
    return proc.returncode, proc.stdout, proc.stderr


def _cap_note(stderr: str, command: str) -> str:
    notes = [
        line
        for line in stderr.splitlines()
        if line.startswith(f"workbench: {command}: ") and "segment cap" in line
    ]
    assert notes, stderr[-2000:]
    assert f"over the {MAX_SEGMENT_CHARS:,}-character segment cap" in notes[0]
    return notes[0]


def test_the_cap_is_one_constant() -> None:
    from workbench.jobs import evaluate
    from workbench.text import segments

    assert segments.MAX_SEGMENT_CHARS is MAX_SEGMENT_CHARS
    assert evaluate.TER_MAX_CHARS is MAX_SEGMENT_CHARS


def test_qa_leaves_an_over_long_unit_out_and_checks_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    huge = "1." * (HUGE // 2)
    path.write_text(f"第3条。\tArticle 4.\n{huge}\t{huge}\n", encoding="utf-8")
    rc, stdout, stderr = _run("qa", str(path))
    note = _cap_note(stderr, "qa")
    assert f"{path}:2: the source has {HUGE:,} characters" in note and note.endswith("not checked")
    assert rc == 1 and f"{path}:1: numbers" in stdout  # the short unit is still checked
    assert f"{path}:2:" not in stdout


def test_names_reads_an_over_long_paragraph_in_pieces_at_the_right_offsets(tmp_path: Path) -> None:
    filler = "今天天气很好，我们出去散步" * (HUGE // 13)
    path = tmp_path / "long.txt"
    path.write_text(filler + "。江苏省宿迁市沭阳县人民政府发布通知。\n", encoding="utf-8")
    rc, stdout, stderr = _run("names", str(path), "--format", "jsonl")
    assert rc == 0
    assert "paragraph 0 has" in _cap_note(stderr, "names")
    proposals = {p["source"]: p for p in map(json.loads, stdout.splitlines())}
    evidence = proposals["沭阳县"]["evidence"][0]
    # found in the last piece, reported in the paragraph's own numbering with its own context
    assert evidence["paragraph"] == 0 and "宿迁市沭阳县人民政府" in evidence["excerpt"]


def test_evaluate_skips_ter_on_a_line_past_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("A short line.\n" + "word " * (HUGE // 5) + "\n", encoding="utf-8")
    rc, stdout, stderr = _run("evaluate", "-H", str(path), "-r", str(path))
    assert rc == 0 and "BLEU" in stdout
    assert _cap_note(stderr, "evaluate").startswith("workbench: evaluate: TER skipped: a line has")


def test_align_cuts_an_over_long_english_sentence(tmp_path: Path) -> None:
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("第一句。\n\n" + "中" * HUGE + "\n", encoding="utf-8")
    en.write_text("The first sentence.\n\n" + "word " * (HUGE // 5) + "\n", encoding="utf-8")
    out = tmp_path / "a.tsv"
    rc, _stdout, stderr = _run("align", str(zh), str(en), "--out", str(out))
    assert rc == 0 and out.exists()
    assert "a sentence has" in _cap_note(stderr, "align")


def test_qa_checks_a_paragraph_length_translation_of_a_source_under_the_cap(tmp_path: Path) -> None:
    """English runs to about three characters per Chinese one: a target past the source cap but within
    a capped segment's translation is checked; one past that is named and left out."""
    source = "金额为100元。" * 100  # 800 characters
    long_target = ("The amount is 10 yuan. " * 200)[: MAX_SEGMENT_CHARS + 500]
    huge_target = "x" * (MAX_TARGET_CHARS + 1)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"{source}\t{long_target}\n{source}\t{huge_target}\n", encoding="utf-8")
    proc = run_workbench("qa", str(pairs))
    assert "Traceback" not in proc.stderr
    assert f"{pairs}:1:" not in proc.stderr  # checked, not left out
    assert f"{pairs}:1: numbers" in proc.stdout  # 100 in the source, 10 in the target
    assert f"{pairs}:2: the target has {MAX_TARGET_CHARS + 1:,} characters" in proc.stderr
