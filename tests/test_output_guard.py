"""No output of ours destroys what the user owns (workbench.guard): each attack of issue 25, item 1.

Real ``python -m workbench`` processes on real files; the project is made with the store's API (no model)
except where ``translate`` itself is the writer under test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.formats.sources import load_source
from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.text import load_document

TEXT = "全国妇联召开会议。巾帼建功活动在各地开展。\n\n妇联组织是妇女的娘家人。\n"
GLOSSARY = "source\ttarget\n妇联\twomen's federation\n"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``p.wbproj`` with one document read from ``doc.txt`` (translated) and a recorded glossary ``g.tsv``."""
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        p.add_document(load_document(doc))
        for seg in p.segments():
            p.set_final(seg.id, f"Translation of segment {seg.id}.")
        p.set_glossary([glossary])
    return path


def assert_refused(proc, *needles: str) -> None:
    assert_one_line_error(proc, "refusing to", *needles)


def test_export_over_the_project_is_refused_and_the_project_is_unchanged(project: Path) -> None:
    before = digest(project)
    proc = run_workbench("export", str(project), "--out", str(project), "--format", "tmx")
    assert_refused(proc, "it is the project")
    proc = run_workbench("export", str(project), "--out", str(project), "--format", "tmx", "--force")
    assert_refused(proc, "it is the project")  # --force never lifts this
    assert digest(project) == before
    assert run_workbench("status", str(project)).returncode == 0


def test_another_path_to_the_project_is_recognised(project: Path, tmp_path: Path) -> None:
    before = digest(project)
    hard = tmp_path / "hard.tmx"
    os.link(project, hard)
    assert_refused(run_workbench("export", str(project), "--out", str(hard)), "it is the project")
    (tmp_path / "alias").symlink_to(tmp_path)  # a folder link: another spelling of the same path
    proc = run_workbench(
        "export", str(project), "--out", str(tmp_path / "alias" / "p.wbproj"), "--format", "tmx"
    )
    assert_refused(proc, "it is the project")
    proc = run_workbench("export", str(project), "--out", str(tmp_path / "sub" / ".." / "hard.tmx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert digest(project) == before


def test_export_over_a_source_document_or_glossary_of_the_project_is_refused(
    project: Path, tmp_path: Path
) -> None:
    doc, glossary = tmp_path / "doc.txt", tmp_path / "g.tsv"
    before = (digest(doc), digest(glossary))
    assert_refused(
        run_workbench("export", str(project), "--out", str(doc)), "a source document of the project"
    )
    proc = run_workbench("export", str(project), "--out", str(glossary), "--force")
    assert_refused(proc, "a glossary of the project")
    link = tmp_path / "link.txt"
    link.symlink_to(doc)
    assert_refused(run_workbench("export", str(project), "--out", str(link)), "a source document")
    assert (digest(doc), digest(glossary)) == before


def test_export_over_the_word_source_is_refused(tmp_path: Path) -> None:
    import docx

    source = tmp_path / "doc.docx"
    d = docx.Document()
    d.add_paragraph("全国妇联召开会议。")
    d.save(source)
    project = tmp_path / "p.wbproj"
    with Project.open(project, create=True) as p:
        p.add_document(load_source(source))
    before = digest(source)
    assert_refused(run_workbench("export", str(project), "--out", str(source)), "a source document")
    assert digest(source) == before
    # Our own Word output is replaced; the user's other Word file is not (without --force).
    ours = tmp_path / "en.docx"
    for _ in range(2):
        assert run_workbench("export", str(project), "--out", str(ours)).returncode == 0
    theirs = tmp_path / "theirs.docx"
    shutil.copyfile(source, theirs)
    assert_refused(run_workbench("export", str(project), "--out", str(theirs)), "--force")
    assert digest(theirs) == before


def test_a_file_is_replaced_only_when_it_is_ours_or_with_force(project: Path, tmp_path: Path) -> None:
    for name in ("o.tmx", "o.md", "o.xlf", "o.tbx"):
        for _ in range(2):  # the second export replaces the first: it carries our signature
            proc = run_workbench("export", str(project), "--out", str(tmp_path / name))
            assert proc.returncode == 0, proc.stderr
    mine = tmp_path / "mine.md"
    mine.write_text("# my notes\n", encoding="utf-8")
    assert_refused(
        run_workbench("export", str(project), "--out", str(mine)), "not an output of workbench", "--force"
    )
    assert mine.read_text(encoding="utf-8") == "# my notes\n"
    # Our TMX does not pass for Markdown either: the signature must be of the kind written.
    shutil.copyfile(tmp_path / "o.tmx", tmp_path / "tmx.md")
    assert_refused(run_workbench("export", str(project), "--out", str(tmp_path / "tmx.md")), "--force")
    proc = run_workbench("export", str(project), "--out", str(mine), "--force")
    assert proc.returncode == 0, proc.stderr
    assert "Translation of segment" in mine.read_text(encoding="utf-8")


def test_tm_export_over_the_tm_is_refused(tmp_path: Path) -> None:
    tm = tmp_path / "tm.sqlite"
    with TranslationMemory.open(tm) as memory:
        memory.add("妇联召开会议。", "The federation met.")
    before = digest(tm)
    assert_refused(run_workbench("tm", "export", "--tm", str(tm), str(tm)), "the translation memory")
    assert digest(tm) == before
    proc = run_workbench("tm", "stats", "--tm", str(tm))
    assert proc.returncode == 0 and "1 units" in proc.stdout


def test_names_out_over_its_input_is_refused_and_its_own_output_replaced(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("记者张伟报道。张伟说，会议在南京召开。\n", encoding="utf-8")
    before = digest(doc)
    assert_refused(run_workbench("names", str(doc), "--out", str(doc)), "an input of this run")
    assert digest(doc) == before
    out = tmp_path / "names.tsv"
    for _ in range(2):
        proc = run_workbench("names", str(doc), "--out", str(out))
        assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").startswith("# workbench names:")
    proc = run_workbench("glossary", "show", str(out))  # the marker is a comment to the TSV reader
    assert proc.returncode == 0, proc.stderr


def test_glossary_convert_onto_a_hard_link_of_its_input_is_refused(tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    other = tmp_path / "same.tsv"
    os.link(glossary, other)
    assert_refused(run_workbench("glossary", "convert", str(glossary), str(other), "--force"), "an input")
    assert glossary.read_text(encoding="utf-8") == GLOSSARY


def test_project_backup_onto_another_name_of_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    before = digest(project)
    hard = tmp_path / "copy.wbproj"
    os.link(project, hard)
    assert_refused(
        run_workbench("project", "backup", str(project), str(hard), "--force"), "it is the project"
    )
    assert digest(project) == before


def test_out_through_a_link(project: Path, tmp_path: Path) -> None:
    """A link to a file is written through (its target replaced: ours, or with --force); a link to a
    folder or a special file is refused."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "real.tmx"
    link = tmp_path / "link.tmx"
    link.symlink_to(target)  # dangling: the target is created
    assert run_workbench("export", str(project), "--out", str(link)).returncode == 0
    assert link.is_symlink() and "<tmx" in target.read_text(encoding="utf-8")
    assert run_workbench("export", str(project), "--out", str(link)).returncode == 0  # ours: replaced
    folder_link = tmp_path / "folder.tmx"
    folder_link.symlink_to(elsewhere)
    assert_one_line_error(run_workbench("export", str(project), "--out", str(folder_link)), "a directory")
    device_link = tmp_path / "null.tmx"
    device_link.symlink_to("/dev/null")
    assert_one_line_error(
        run_workbench("export", str(project), "--out", str(device_link)), "character device"
    )
    assert sorted(p.name for p in elsewhere.iterdir()) == ["real.tmx"]


def test_translate_does_not_replace_the_users_markdown(tmp_path: Path, tiny_model_dir: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    mine = folder / "doc.md"
    mine.write_text("# the user's own Markdown\n", encoding="utf-8")
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    args = ("translate", str(folder / "doc.txt"), "--out", str(folder), "--quiet", "--engine", "transformers")
    proc = run_workbench(*args, env=env, timeout=300)
    assert_refused(proc, "doc.md", "--force")
    assert mine.read_text(encoding="utf-8") == "# the user's own Markdown\n"
    assert sorted(p.name for p in folder.iterdir()) == ["doc.md", "doc.txt"]  # refused before any work
    proc = run_workbench(*args, "--force", env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "*Source: doc.txt" in mine.read_text(encoding="utf-8")
