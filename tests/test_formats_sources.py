"""Every input format through the dispatcher and the real CLI; hostile files get one error line, fast."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import run_workbench as run_cli

from tests.conftest import SEED
from tests.source_fixtures import (
    entity_docx,
    looping_pdf,
    make_docx,
    many_members,
    scan_pdf,
    text_pdf,
    zip_bomb,
)
from workbench.errors import InputError, WorkbenchError
from workbench.formats.sources import SourceFormat, detect_format, load_source
from workbench.text import load_document

MARKDOWN = """---
title: 工作通知
tags: [妇联]
---
# 关于加强巾帼志愿服务工作的通知

各区妇联：为进一步做好*巾帼志愿服务*工作，
现将有关事项**通知如下**。

<!-- 内部备注：不需要翻译 -->

## 一、总体要求

- 开展家庭教育指导服务；
- 推动[巾帼建功](https://example.org)行动。

> 妇女能顶半边天。

| 项目 | 负责单位 |
|---|---|
| 美丽庭院 | 区妇联 |

```
code block: not prose
```
"""


def assert_one_line_error(proc, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: error: "), proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def records(proc) -> list[dict]:
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_markdown_structure(tmp_path: Path) -> None:
    path = tmp_path / "notice.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    doc = load_source(path)
    assert doc.format == "markdown"
    got = [(str(p.kind), p.text) for p in doc.paragraphs]
    assert got == [
        ("heading", "关于加强巾帼志愿服务工作的通知"),
        ("body", "各区妇联：为进一步做好巾帼志愿服务工作，现将有关事项通知如下。"),
        ("heading", "一、总体要求"),
        ("item", "开展家庭教育指导服务；"),
        ("item", "推动巾帼建功行动。"),
        ("body", "妇女能顶半边天。"),
        ("body", "项目"),
        ("body", "负责单位"),
        ("body", "美丽庭院"),
        ("body", "区妇联"),
    ]
    assert doc.paragraphs[0].lines == (5, 5)  # line numbers of the file, front matter included
    assert doc.paragraphs[1].lines == (7, 8)
    assert doc.paragraphs[6].reason == "Markdown table cell"


def test_docx_structure(tmp_path: Path) -> None:
    doc = load_source(make_docx(tmp_path / "r.docx"))
    assert doc.format == "docx" and doc.encoding == "docx"
    got = [(str(p.kind), p.text) for p in doc.paragraphs]
    assert got[:4] == [
        ("heading", "关于加强巾帼志愿服务工作的通知"),
        ("body", "各区妇联：为进一步做好巾帼志愿服务工作，现将有关事项通知如下。"),
        ("heading", "一、总体要求"),
        ("body", "坚持以人民为中心，发挥妇联组织“娘家人”作用。深化“美丽庭院”创建。"),
    ]
    assert [t for _, t in got[4:10]] == [
        "项目",
        "负责单位",
        "美丽庭院",
        "区妇联",
        "三八红旗手评选",
        "市妇联宣传部",
    ]
    assert got[10:] == [
        ("item", "开展家庭教育指导服务；"),
        ("item", "推动巾帼建功行动。"),
        ("heading", "（一）工作目标"),
        ("body", "到2025年，志愿服务队伍不断壮大。"),
    ]
    assert doc.paragraphs[0].reason == "Word paragraph (style Title)"
    assert doc.paragraphs[4].reason.startswith("Word table cell")
    assert doc.paragraphs[3].segments == (
        "坚持以人民为中心，发挥妇联组织“娘家人”作用。",
        "深化“美丽庭院”创建。",
    )


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = text_pdf(
        tmp_path / "a.pdf", ["第一条　为了保障妇女的合法权益，", "制定本条例。", "第二条　国家保护妇女。"]
    )
    doc = load_source(path)
    assert doc.format == "pdf"
    assert [p.text for p in doc.paragraphs] == [
        "第一条 为了保障妇女的合法权益，制定本条例。",
        "第二条 国家保护妇女。",
    ]


def test_format_from_extension_and_content(tmp_path: Path) -> None:
    assert detect_format(SEED) is SourceFormat.TEXT
    assert detect_format(tmp_path / "x.MD") is SourceFormat.MARKDOWN
    assert detect_format(tmp_path / "x.docx") is SourceFormat.DOCX
    assert detect_format(tmp_path / "x.pdf") is SourceFormat.PDF
    # A PDF or a Word file saved as .txt is read as what it is, not decoded as GB18030.
    pdf_as_txt = tmp_path / "paper.txt"
    shutil.copy(text_pdf(tmp_path / "a.pdf", ["你好，世界。"]), pdf_as_txt)
    assert load_source(pdf_as_txt).paragraphs[0].text == "你好，世界。"
    docx_as_txt = tmp_path / "report.txt"
    shutil.copy(make_docx(tmp_path / "r.docx"), docx_as_txt)
    assert load_source(docx_as_txt).format == "docx"


def test_input_format_forces_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("# 标题\n\n- 第一项；\n- 第二项。\n", encoding="utf-8")
    assert [str(p.kind) for p in load_source(path, input_format="markdown").paragraphs] == [
        "heading",
        "item",
        "item",
    ]
    assert load_source(path).paragraphs[0].text.startswith("# 标题")
    with pytest.raises(WorkbenchError, match="unknown input format"):
        load_source(path, input_format="odt")
    with pytest.raises(WorkbenchError, match="--encoding does not apply"):
        load_source(make_docx(tmp_path / "r.docx"), encoding="gb18030")


def test_text_input_is_unchanged() -> None:
    assert load_source(SEED).paragraphs == load_document(SEED).paragraphs


def test_segment_cli_reads_every_format(tmp_path: Path) -> None:
    md = tmp_path / "n.md"
    md.write_text(MARKDOWN, encoding="utf-8")
    for path, fmt in ((md, "markdown"), (make_docx(tmp_path / "r.docx"), "docx")):
        recs = records(run_cli("segment", str(path), "--format", "jsonl"))
        assert recs and {r["format"] for r in recs} == {fmt}
        assert recs[0]["kind"] == "heading"
    forced = tmp_path / "plain.txt"
    forced.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    recs = records(run_cli("segment", str(forced), "--format", "jsonl", "--input-format", "markdown"))
    assert [r["text"] for r in recs] == ["标题", "正文。"]
    proc = run_cli("segment", "--help")
    assert "--input-format" in proc.stdout


@pytest.mark.parametrize(
    ("name", "make", "needle"),
    [
        ("bomb.docx", lambda d: zip_bomb(d / "bomb.docx"), "zip bomb"),
        ("many.docx", lambda d: many_members(d / "many.docx"), "members"),
        ("entity.docx", lambda d: entity_docx(d / "entity.docx", make_docx(d / "src.docx")), "unsafe XML"),
        (
            "fake.docx",
            lambda d: (d / "fake.docx").write_bytes(b"not a zip at all") and d / "fake.docx",
            "not a Word",
        ),
        ("encrypted.pdf", lambda d: text_pdf(d / "encrypted.pdf", ["你好。"], encrypt="secret"), "encrypted"),
        ("scan.pdf", lambda d: scan_pdf(d / "scan.pdf"), "OCR"),
        ("loop.pdf", lambda d: looping_pdf(d / "loop.pdf"), "loop"),
        (
            "broken.pdf",
            lambda d: (
                (d / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20) and d / "broken.pdf"
            ),
            "PDF",
        ),
    ],
)
@pytest.mark.slow
def test_hostile_inputs_one_line_error_fast(tmp_path: Path, name: str, make, needle: str) -> None:
    path = make(tmp_path)
    start = time.monotonic()
    proc = run_cli("segment", str(path), timeout=60)
    assert time.monotonic() - start < 30
    assert_one_line_error(proc, name, needle)


def test_hostile_docx_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="zip bomb"):
        load_source(zip_bomb(tmp_path / "b.docx"))
