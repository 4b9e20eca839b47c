"""``workbench export`` on a real project file, as a user runs it."""

from __future__ import annotations

import pytest
from export_fixtures import (
    ROOT,
    SHARED,
    dtd_errors,
    omegat_available,
    run_cli,
    run_omegat_check,
    xliff_schema,
)
from lxml import etree

from workbench.atomic import write_bytes_atomic, write_text_atomic
from workbench.errors import WorkbenchError
from workbench.formats.tmx import read_tmx
from workbench.records import Signature
from workbench.store import project as store


@pytest.fixture
def project(tmp_path):
    from workbench.text.model import Document, Paragraph

    doc = Document(
        str(tmp_path / "news.txt"),
        "utf-8",
        "simplified",
        (
            Paragraph(0, "heading", "全国妇联召开会议", (1, 1), ("全国妇联召开会议",)),
            Paragraph(1, "byline", "□ 本报记者 张三", (2, 2), ("□ 本报记者 张三",)),
            Paragraph(2, "body", "第一句。第二句。", (4, 5), ("第一句。", "第二句。")),
        ),
    )
    path = tmp_path / "p.wbproj"
    with store.Project.open(path, create=True) as p:
        doc_id = p.add_document(doc)
        segs = p.segments(doc_id)
        p.set_draft(segs[0].id, "ACWF holds meeting", signature=Signature(backend="test", model="tiny"))
        p.set_draft(segs[1].id, "By our reporter Zhang San")
        p.set_final(segs[2].id, "The first sentence.")
        p.set_glossary([ROOT / "glossary" / "womens-news.tsv"])
    return path


@pytest.mark.slow
def test_every_format(tmp_path, project):
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in [
        ("tmx", "a.tmx"),
        ("md", "a.md"),
        ("txt", "a.txt"),
        ("xliff", "a.xlf"),
        ("tbx", "g.tbx"),
        ("tsv", "g.txt"),
    ]:
        proc = run_cli("export", str(project), "--format", fmt, "--out", str(out / name))
        assert proc.returncode == 0, proc.stderr
        assert (out / name).stat().st_size > 0
    units = read_tmx(out / "a.tmx")
    assert [(u.source, u.target) for u in units] == [
        ("全国妇联召开会议", "ACWF holds meeting"),
        ("□ 本报记者 张三", "By our reporter Zhang San"),
        ("第一句。", "The first sentence."),
    ]
    assert dtd_errors(out / "a.tmx") == []
    assert xliff_schema().validate(etree.parse(str(out / "a.xlf")))
    md = (out / "a.md").read_text(encoding="utf-8")
    assert md.startswith("# ACWF holds meeting") and "## Glossary terms used" in md
    assert (
        "全国妇联" in md[md.index("## Glossary terms used") :]
    )  # the term base's entry was found and listed
    assert (out / "a.txt").read_text(encoding="utf-8").splitlines() == [
        "ACWF holds meeting",
        "By our reporter Zhang San",
        "The first sentence.",
    ]
    assert b"martif" in (out / "g.tbx").read_bytes()
    assert "全国妇联\t" in (out / "g.txt").read_text(encoding="utf-8")


@pytest.mark.slow
def test_options(tmp_path, project):
    out = tmp_path / "a.tmx"
    proc = run_cli(
        "export",
        str(project),
        "--out",
        str(out),
        "--include-untranslated",
        "--src-lang",
        "zh_CN",
        "--tgt-lang",
        "en_GB",
    )
    assert proc.returncode == 0, proc.stderr
    units = read_tmx(out)
    assert len(units) == 4 and {u.tgt_lang for u in units if u.target} == {"en-GB"}
    assert "untranslated" in proc.stderr
    proc = run_cli("export", str(project), "--out", str(out), "--segtype", "paragraph")
    assert [u.source for u in read_tmx(out)] == ["全国妇联召开会议", "□ 本报记者 张三"]
    proc = run_cli("export", str(project), "-f", "md", "--layout", "table", "--out", "-")
    assert proc.returncode == 0 and "| # | 中文 | English |" in proc.stdout
    proc = run_cli("export", str(project), "-f", "txt", "--document", "1", "--out", "-")
    assert proc.returncode == 0 and proc.stdout.startswith("ACWF holds meeting")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "tmx", "--out", "{tmp}/missing/a.tmx"], "does not exist"),
        (["--out", "{tmp}/a.odt"], "cannot tell the format"),
        (["--format", "tmx", "--out", "{tmp}/a.tmx", "--src-lang", "zh CN"], "BCP 47"),
        (["--format", "tmx"], "give exactly one of --out"),
        (["--format", "txt", "--out", "{tmp}/a.txt", "--document", "99"], "no document 99"),
    ],
)
@pytest.mark.slow
def test_errors_are_one_line_and_exit_2(tmp_path, project, args, message):
    proc = run_cli("export", str(project), *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert proc.returncode == 2
    assert proc.stderr.startswith("workbench: error: ") and message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_project_is_a_clear_error(tmp_path):
    proc = run_cli(
        "export", str(tmp_path / "none.wbproj"), "--format", "tmx", "--out", str(tmp_path / "a.tmx")
    )
    assert proc.returncode == 2 and "no such project" in proc.stderr
    assert not (tmp_path / "none.wbproj").exists()


@pytest.mark.omegat
@pytest.mark.slow
@pytest.mark.skipif(not omegat_available(), reason="OmegaT is not installed")
def test_omegat_directory_export_is_filled(tmp_path, project):
    target = tmp_path / "omegat"
    proc = run_cli("export", str(project), "--omegat", str(target))
    assert proc.returncode == 0, proc.stderr
    assert (target / "glossary" / "glossary.txt").is_file()
    rc, out, result = run_omegat_check(target / "source" / "news.txt", target / "tm" / "auto" / "news.tmx")
    assert rc == 0 and result["log_problems"] == 0, out[-2000:]
    assert result["total"] == 4 and result["filled"] == 3  # the one untranslated segment stays empty
    # a non-empty folder that is not an OmegaT project is never clobbered
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    proc = run_cli("export", str(project), "--omegat", str(other))
    assert proc.returncode == 2 and "not empty" in proc.stderr
    assert sorted(p.name for p in other.iterdir()) == ["keep.txt"]
    assert SHARED.is_dir()


def test_atomic_writes_keep_the_old_file_on_failure(tmp_path):
    out = tmp_path / "a.md"
    write_text_atomic(out, "old")
    with pytest.raises(WorkbenchError, match="not encodable"):
        write_text_atomic(out, "新", encoding="ascii")
    assert out.read_text() == "old"
    write_text_atomic(out, "新", bom=True)
    assert out.read_bytes() == "\ufeff新".encode()
    with pytest.raises(WorkbenchError, match="is a directory"):
        write_bytes_atomic(tmp_path, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]
