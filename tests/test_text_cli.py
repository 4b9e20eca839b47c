"""``workbench segment``: the output formats scripts depend on."""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_workbench as run_cli

from tests.conftest import SEED
from workbench.text import load_document

JSONL_KEYS = ["index", "kind", "text", "lines", "segments", "reason", "script", "encoding"]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    proc = run_cli("segment", str(SEED), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.slow
def test_jsonl_one_object_per_paragraph_in_order(records: list[dict]) -> None:
    doc = load_document(SEED)
    assert [r["index"] for r in records] == list(range(len(doc.paragraphs)))
    for rec, p in zip(records, doc.paragraphs, strict=True):
        assert list(rec)[: len(JSONL_KEYS)] == JSONL_KEYS
        assert rec["kind"] == p.kind and rec["text"] == p.text
        assert rec["lines"] == list(p.lines)
        assert rec["segments"] == list(p.segments)
        assert "\n" not in rec["text"]
        assert re.sub(r"\s", "", "".join(rec["segments"])) == re.sub(r"\s", "", rec["text"])
        assert rec["script"] == "simplified" and rec["encoding"] == "utf-8"


def test_jsonl_marks_the_undoubled_title(records: list[dict]) -> None:
    title = [r for r in records if r["text"] == "对家暴说“不”"]
    assert len(title) == 1 and title[0].get("undoubled") is True and title[0]["lines"] == [380, 380]
    assert sum(1 for r in records if r.get("undoubled")) == 1


@pytest.mark.slow
def test_text_format_is_paragraphs_separated_by_blank_lines(records: list[dict]) -> None:
    proc = run_cli("segment", str(SEED))
    assert proc.returncode == 0
    assert proc.stdout.split("\n\n") == [r["text"] for r in records[:-1]] + [records[-1]["text"] + "\n"]


@pytest.mark.slow
def test_markdown_format(records: list[dict]) -> None:
    proc = run_cli("segment", str(SEED), "--format", "markdown")
    assert proc.returncode == 0
    blocks = proc.stdout.rstrip("\n").split("\n\n")
    assert len(blocks) == len(records)
    assert blocks[0] == "## 重庆开州区妇联全力抓好在外流动妇联组织建设"
    assert "*（陈妮雅/摄）*" in blocks
    assert "*（上接1版）*" in blocks
    assert "**中国妇女报全媒体记者刘旭/向亮 发自南昌**" in blocks
    assert "*□ 乐丁*" in blocks


def test_help_lists_segment() -> None:
    proc = run_cli("segment", "--help")
    assert proc.returncode == 0
    for flag in ("--format", "--encoding", "--to-simplified"):
        assert flag in proc.stdout
