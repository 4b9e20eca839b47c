"""Glossary rows end at line ends only; the format is told from content soundly; CSV cells are inert."""

from __future__ import annotations

import csv
import io

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.terms import Entry, TermBase, load_termbase, save_termbase
from workbench.terms.formats import detect_format, dumps

# Characters str.splitlines() treats as line ends although a TSV/OmegaT file does not.
NOT_LINE_ENDS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("sep", NOT_LINE_ENDS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_ENDS])
@pytest.mark.parametrize("name", ["g.tsv", "g.txt"])
def test_a_row_is_never_split_inside(tmp_path, sep, name):
    path = tmp_path / name
    path.write_text(f"巾帼\twomen's{sep}federation\t\n妇联\twomen's federation\n", encoding="utf-8")
    tb = load_termbase([path])
    assert [(e.source, e.target) for e in tb] == [
        ("巾帼", "women's federation"),
        ("妇联", "women's federation"),
    ]
    assert [e.location for e in tb] == [f"{path}:1", f"{path}:2"]


@pytest.mark.slow
@pytest.mark.parametrize("sep", NOT_LINE_ENDS, ids=[f"U+{ord(c):04X}" for c in NOT_LINE_ENDS])
def test_errors_cite_the_real_line(tmp_path, sep):
    path = tmp_path / "g.tsv"
    path.write_text(f"巾帼\twomen's{sep}x\n妇联\twomen's federation\n\n三八红旗手\n", encoding="utf-8")
    proc = run_workbench("glossary", "show", str(path))
    assert_one_line_error(proc, f"{path}:4:", "one column")


def test_crlf_and_cr_still_end_rows(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes("巾帼\twomen's\r\n妇联\twomen's federation\r三八\tMarch 8\n".encode())
    assert [e.target for e in load_termbase([path])] == ["women's", "women's federation", "March 8"]


def test_a_header_less_tsv_whose_first_term_starts_with_a_bracket_is_not_tbx(tmp_path):
    for name in ("g.tsv", "g.txt", "g.utf8"):
        path = tmp_path / name
        path.write_text("<巾帼>\twomen's\n妇联\twomen's federation\n", encoding="utf-8")
        assert detect_format(path, path.read_bytes()) in ("tsv", "omegat")
        assert [e.source for e in load_termbase([path])] == ["<巾帼>", "妇联"]
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("<巾帼>,women's\n", encoding="utf-8")
    assert detect_format(csv_path, csv_path.read_bytes()) == "csv"
    # Real XML is still TBX whatever the extension.
    xml = tmp_path / "x.tsv"
    save_termbase(TermBase([Entry("妇联", "women's federation")]), tmp_path / "x.tbx")
    xml.write_bytes((tmp_path / "x.tbx").read_bytes())
    assert detect_format(xml, xml.read_bytes()) == "tbx"


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    tb = TermBase(
        [
            Entry("=1+1", '=HYPERLINK("http://x")', note="@SUM(A1)", priority=-1),
            Entry("+86", "-based", alternatives=("+plus",)),
            Entry("妇联", "women's federation"),
        ]
    )
    data = dumps(tb, "csv").decode("utf-8")
    cells = [c for row in csv.reader(io.StringIO(data)) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert "'=1+1" in cells and "'-1" in cells and "women's federation" in cells
    path = save_termbase(tb, tmp_path / "g.csv")
    assert load_termbase([path]).entries == tb.entries  # the guard is undone when read back
