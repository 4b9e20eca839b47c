"""Inputs a user commonly hands over by mistake are named for what they are, with what to do instead."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.conftest import SEED, run_workbench

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _old_word_file(path: Path) -> Path:
    """The shape of a Word 97-2003 file: an OLE2 compound file header, then sectors with NUL bytes."""
    header = OLE2 + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00" + b"\x00" * 486
    path.write_bytes(header + "中国妇女报".encode("utf-16-le") + b"\x00" * 1024)
    return path


def _xlsx(path: Path) -> Path:
    """A spreadsheet as Excel saves one: a zip package of XML parts."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet><sheetData/></worksheet>')
    return path


def _one_line_error(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("workbench: error: ")
    return lines[0]


def test_an_old_word_doc_is_named_and_save_as_docx_is_said(tmp_path: Path) -> None:
    doc = _old_word_file(tmp_path / "report.doc")
    line = _one_line_error(run_workbench("segment", str(doc)))
    assert "Word 97-2003 .doc is not read; save it as .docx" in line
    assert "NUL" not in line
    # Renamed to .txt it is still an old Word file.
    renamed = doc.rename(tmp_path / "report.txt")
    assert "Word 97-2003 .doc" in _one_line_error(run_workbench("segment", str(renamed)))


def test_a_spreadsheet_glossary_is_named_and_csv_tsv_or_tbx_is_said(tmp_path: Path) -> None:
    for name in ("terms.xlsx", "terms.tsv"):
        sheet = _xlsx(tmp_path / name)
        line = _one_line_error(run_workbench("glossary", "check", str(SEED), "--glossary", str(sheet)))
        assert "spreadsheet" in line and "CSV" in line and "TSV" in line and "TBX" in line, line
        assert "tab" not in line.replace("TBX", ""), line
    old = tmp_path / "terms.xls"
    old.write_bytes(OLE2 + b"\x00" * 600)
    assert "spreadsheet" in _one_line_error(run_workbench("glossary", "show", str(old)))
