"""Word round trip: a .docx in, ``translate``, a .docx out with the same paragraphs, styles and tables."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.source_fixtures import make_docx
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.formats.docx import write_translated_docx
from workbench.formats.docx_reader import walk
from workbench.formats.review_table import write_review_docx
from workbench.formats.sources import load_source
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord


def _structure(path: Path) -> list[tuple[str, bool]]:
    """(style, is in a table) of every paragraph, empty ones included, in reading order."""
    import docx

    out = []
    for p in walk(docx.Document(str(path))):
        out.append((p.style.name, p._p.getparent().tag.endswith("}tc")))
    return out


def _record(source: Path, translate) -> DocumentRecord:
    doc = load_source(source)
    return DocumentRecord(
        name=source.name,
        source_path=str(source),
        paragraphs=[
            ParagraphRecord(
                p.index,
                p.kind,
                p.text,
                p.lines,
                [SegmentRecord(p.index, k, s, draft=translate(s)) for k, s in enumerate(p.segments)],
            )
            for p in doc.paragraphs
        ],
    )


def test_translated_docx_keeps_styles_tables_and_formatting(tmp_path: Path) -> None:
    import docx

    source = make_docx(tmp_path / "report.docx")
    record = _record(source, lambda s: f"EN[{s[:4]}]")
    out = write_translated_docx(record, tmp_path / "report.en.docx")
    assert _structure(out) == _structure(source)
    back = docx.Document(str(out))
    texts = [p.text for p in walk(back) if p.text.strip()]
    assert texts == [" ".join(seg.draft for seg in p.segments) for p in record.paragraphs]
    table = back.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["EN[项目]", "EN[负责单位]"],
        ["EN[美丽庭院]", "EN[区妇联]"],
        ["EN[三八红旗]", "EN[市妇联宣]"],
    ]
    assert table.style.name == "Table Grid"
    bold = next(p for p in back.paragraphs if p.style.name == "Heading 2")
    assert bold.runs[0].bold is True and len(bold.runs) == 1


def test_untranslated_paragraphs_keep_their_source(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "report.docx")
    record = _record(source, lambda s: None)
    out = write_translated_docx(record, tmp_path / "same.docx")
    assert [p.text for p in load_source(out).paragraphs] == [p.text for p in load_source(source).paragraphs]


def test_changed_source_is_refused(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "report.docx")
    record = _record(source, lambda s: "x")
    record.paragraphs.pop()
    with pytest.raises(WorkbenchError, match="changed"):
        write_translated_docx(record, tmp_path / "out.docx")


def test_new_document_from_a_text_source(tmp_path: Path) -> None:
    import docx

    record = DocumentRecord(
        name="a.txt",
        source_path=str(tmp_path / "a.txt"),
        paragraphs=[
            ParagraphRecord(0, "heading", "标题", (1, 1), [SegmentRecord(0, 0, "标题", draft="Title")]),
            ParagraphRecord(1, "item", "一项。", (2, 2), [SegmentRecord(1, 0, "一项。", draft="One item.")]),
            ParagraphRecord(2, "header", "页眉", (3, 3), []),
        ],
    )
    out = docx.Document(str(write_translated_docx(record, tmp_path / "a.docx")))
    assert [(p.style.name, p.text) for p in out.paragraphs] == [
        ("Heading 2", "Title"),
        ("List Bullet", "One item."),
    ]


def test_review_table(tmp_path: Path) -> None:
    import docx

    source = make_docx(tmp_path / "report.docx")
    record = _record(source, lambda s: "EN" if "项目" not in s else None)
    out = docx.Document(str(write_review_docx(record, tmp_path / "review.docx")))
    rows = [[c.text for c in row.cells] for row in out.tables[0].rows]
    assert rows[0] == ["source (zh-CN)", "translation (en-US)", "comment", "status"]
    segments = [s for p in record.paragraphs for s in p.segments if s.source.strip()]
    assert len(rows) == 1 + len(segments)
    assert ["项目", "", "", "new"] in rows and all(len(r) == 4 for r in rows)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_translate_a_word_file_end_to_end(tmp_path: Path, tiny_model_dir: Path, capsys) -> None:
    import docx

    source = make_docx(tmp_path / "report.docx")
    out_dir = tmp_path / "out"
    code = main(
        [
            "translate",
            str(source),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(out_dir),
            "--beam",
            "1",
            "--threads",
            "1",
            "--quiet",
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out.split()
    translated, review = out_dir / "report.en.docx", out_dir / "report.review.docx"
    assert str(translated) in printed and str(review) in printed
    rows = [json.loads(line) for line in (out_dir / "report.jsonl").read_text(encoding="utf-8").splitlines()]
    by_par: dict[int, list[str]] = {}
    for row in rows:
        by_par.setdefault(row["paragraph"], []).append(row["draft"].strip())
    expected = [" ".join(t for t in by_par[i] if t) for i in sorted(by_par)]
    # Same paragraphs, styles and tables; every paragraph now holds its draft.
    assert _structure(translated) == _structure(source)
    assert [p.text for p in walk(docx.Document(str(translated))) if p.text.strip()] == expected
    assert len(docx.Document(str(review)).tables[0].rows) == 1 + len(rows)  # one row per segment

    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    conv = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path / "txt"),
            str(translated),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert conv.returncode == 0, conv.stderr
    # LibreOffice opens the file and reads every translated paragraph in it.
    text = " ".join((tmp_path / "txt" / "report.en.txt").read_text(encoding="utf-8-sig").split())
    for para in expected:
        assert " ".join(para.split()) in text
