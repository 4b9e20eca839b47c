"""The three kinds of ``.tsv`` (glossary, aligned, bilingual) are told apart by their header: a reader handed
another kind says what the file is and which command reads it, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.terms.tsv_kinds import TsvKind, header_kind

ALIGNED = (
    "source\ttarget\tscore\n妇女权益保障法\tthe Law on the Protection of Women's Rights and Interests\t0.93\n"
)
GLOSSARY = "source\ttarget\tvariants\tnote\n妇联\tWomen's Federation\t全国妇联\tthe ACWF\n"
BILINGUAL = "妇女权益保障法\tthe Law on the Protection of Women's Rights and Interests\n"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("aligned", ALIGNED), ("glossary", GLOSSARY), ("bilingual", BILINGUAL)):
        out[name] = tmp_path / f"{name}.tsv"
        out[name].write_text(text, encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        (["source", "target", "score"], TsvKind.ALIGNED),
        (["\ufeffSource ", "Target", "Score"], TsvKind.ALIGNED),
        (["source", "target", "variants"], TsvKind.GLOSSARY),
        (["source", "target", "note", "priority"], TsvKind.GLOSSARY),
        (["source", "target"], None),
        (["妇联", "Women's Federation"], None),
        (["妇联", "Women's Federation", "score"], None),
    ],
)
def test_the_header_row_tells_the_kind(row: list[str], kind: TsvKind | None) -> None:
    assert header_kind(row) is kind


def test_an_aligned_file_is_not_read_as_a_glossary(files: dict[str, Path], tmp_path: Path) -> None:
    for args in (("glossary", "show", str(files["aligned"])), ("glossary", "check", str(files["bilingual"]))):
        if args[1] == "check":
            args = (*args, "--glossary", str(files["aligned"]))
        proc = run_workbench(*args)
        assert_one_line_error(proc, "aligned.tsv", "an aligned TSV", "not a glossary", "glossary mine")


def test_a_glossary_is_not_read_as_pairs(files: dict[str, Path], tmp_path: Path) -> None:
    proc = run_workbench("glossary", "mine", str(files["glossary"]), "--out", str(tmp_path / "m.tsv"))
    assert_one_line_error(proc, "glossary.tsv", "a glossary TSV", "not an aligned TSV", "--glossary")
    assert not (tmp_path / "m.tsv").exists()
    proc = run_workbench("qa", str(files["glossary"]))
    assert_one_line_error(proc, "glossary.tsv", "a glossary TSV", "not a bilingual TSV")


def test_aligned_and_bilingual_files_still_read_where_they_belong(
    files: dict[str, Path], tmp_path: Path
) -> None:
    mined = run_workbench("glossary", "mine", str(files["aligned"]), "--out", str(tmp_path / "m.tsv"))
    assert mined.returncode == 0, mined.stderr
    for name in ("aligned", "bilingual"):
        proc = run_workbench("qa", str(files[name]))
        assert proc.returncode in (0, 1) and "error" not in proc.stderr, proc.stderr
    shown = run_workbench("glossary", "show", str(files["glossary"]))
    assert shown.returncode == 0 and "Women's Federation" in shown.stdout, shown.stderr
