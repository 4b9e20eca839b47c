"""A runaway line without punctuation becomes bounded segments, drafted with visible progress."""

from __future__ import annotations

import json
import random
import re

import pytest
from conftest import run_workbench

from workbench.text.segments import MAX_SEGMENT_CHARS, bound_length, split_segments


def _han(n: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    return "".join(chr(rnd.randrange(0x4E00, 0x4E00 + 3000)) for _ in range(n))


def test_a_5_mb_line_without_punctuation_is_cut_into_bounded_segments(tmp_path):
    line = _han(1_750_000)  # 5.25 MB of UTF-8, no punctuation, no spaces
    path = tmp_path / "long.txt"
    path.write_text(line + "\n", encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    proc = run_workbench("segment", str(path), "--format", "jsonl", timeout=300)
    assert proc.returncode == 0, proc.stderr
    (record,) = [json.loads(x) for x in proc.stdout.splitlines()]
    segments = record["segments"]
    assert len(segments) >= len(line) // MAX_SEGMENT_CHARS
    assert max(map(len, segments)) <= MAX_SEGMENT_CHARS
    assert "".join(segments) == line  # nothing lost


def test_long_segments_are_cut_at_clause_punctuation_first():
    clause = _han(300) + "，"
    text = clause * 20 + "。"  # one 6000-character sentence
    pieces = split_segments(text)
    assert len(pieces) > 1 and max(map(len, pieces)) <= MAX_SEGMENT_CHARS
    assert all(p.endswith(("，", "。")) for p in pieces)
    assert "".join(pieces) == text
    spaced = " ".join(["word"] * 1000)
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in bound_length(spaced))
    assert split_segments("第一句。第二句。") == ["第一句。", "第二句。"]  # normal text is untouched


@pytest.mark.slow
def test_drafting_a_runaway_line_shows_progress(tmp_path, tiny_model_dir):
    path = tmp_path / "long.txt"
    path.write_text(_han(3 * MAX_SEGMENT_CHARS) + "\n", encoding="utf-8")
    proc = run_workbench(
        "translate",
        str(path),
        "--project",
        str(tmp_path / "p.wbproj"),
        "--no-tm",
        "--beam",
        "1",
        "--batch-size",
        "1",
        "--out",
        str(tmp_path / "out"),
        env={"WORKBENCH_MODEL": str(tiny_model_dir)},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    done = [int(m.group(1)) for m in re.finditer(r"drafted (\d+)/(\d+)", proc.stderr)]
    total = int(re.search(r"drafted \d+/(\d+)", proc.stderr).group(1))
    assert total >= 3
    assert set(range(1, total + 1)) <= set(done)  # the count moves segment by segment
