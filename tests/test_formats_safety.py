"""Exports and imports that must not mislead: Markdown escaping, wrong XLIFF languages, TMX variants,
an existing OmegaT project."""

from __future__ import annotations

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench
from markdown_it import MarkdownIt

from workbench.errors import WorkbenchError
from workbench.formats.markdown import escape_md, render_markdown
from workbench.formats.tmx import read_tmx
from workbench.formats.xliff import import_xliff, write_xliff
from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord, TermNote
from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.text.model import Document, Paragraph

TRICKY = [
    "A&B 公司 & 妇联",
    "&amp; &copy; &#169; &#xA9; &nbsp;",
    "<妇联> <b>bold</b> <http://example.com> a < b > c",
    "*重要* **很重要** _下划线_ 2*3*4",
    "|表| a | b | `代码` [链接](x) ~~删除~~ \\反斜杠",
    "1. 第一条",
    "12) 第十二条",
    "- 列表 + 加 = 等 # 标题 > 引用",
]


def _html_text(markdown: str) -> str:
    """What a reader sees: the rendered HTML with tags removed and entities resolved."""
    import html
    import re

    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_text_renders_as_itself(text):
    assert _html_text(escape_md(text)) == text


@pytest.mark.parametrize("layout", ["stacked", "table"])
def test_every_source_and_translation_reads_back_literally(layout):
    pars = []
    for i, src in enumerate(TRICKY):
        tgt = "EN " + src
        note = TermNote("妇联", "women's *federation* & <ACWF> | x", ok=False, problem="missing")
        pars.append(
            ParagraphRecord(
                i, "body", src, (i + 1, i + 1), [SegmentRecord(i, 0, src, draft=tgt, terms=[note])]
            )
        )
    doc = DocumentRecord(name="a&b<c>*d*|e.txt", paragraphs=pars)
    md = render_markdown(doc, layout=layout)
    html = MarkdownIt("commonmark").enable("table").render(md)
    # No markup came from the text: one emphasis (the Source line), one h1, one h2 (the term list).
    assert (html.count("<em>"), html.count("<h1>"), html.count("<h2>")) == (1, 1, 1)
    for tag in (
        "<strong>",
        "<code>",
        "<a ",
        "<ol",
        "<ul",
        "<blockquote>" if layout == "table" else "<h3>",
        "<b>",
    ):
        assert tag not in html, tag
    seen = _html_text(md)
    for src in TRICKY:
        assert src in seen and "EN " + src in seen, (src, seen)
    assert "women's *federation* & <ACWF> | x" in seen


def _project(tmp_path):
    doc = Document(
        "news.txt", "utf-8", "simplified", (Paragraph(0, "body", "第一句。", (1, 1), ("第一句。",)),)
    )
    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(doc)
        p.set_draft(p.segments(doc_id)[0].id, "MT one.")
        write_xliff(p.document_record(doc_id), tmp_path / "r.xlf", doc_ids=[doc_id])
    return path, doc_id


@pytest.mark.parametrize(("attr", "tag"), [("source-language", "de-DE"), ("target-language", "fr")])
def test_an_xliff_file_in_other_languages_is_refused(tmp_path, attr, tag):
    path, doc_id = _project(tmp_path)
    xlf = tmp_path / "r.xlf"
    text = xlf.read_text(encoding="utf-8").replace(">MT one.<", ">Reviewed.<")
    text = text.replace(f'{attr}="zh-CN"', f'{attr}="{tag}"').replace(f'{attr}="en-US"', f'{attr}="{tag}"')
    xlf.write_text(text, encoding="utf-8")
    with Project.open(path) as p, pytest.raises(WorkbenchError, match=f"language .* is '{tag}'"):
        import_xliff(xlf, p)
    assert_one_line_error(
        run_workbench("import", str(xlf), "--project", str(path)), tag, "nothing was imported"
    )
    with Project.open(path) as p:
        assert p.segments(doc_id)[0].final is None


def test_a_second_target_variant_is_imported_and_reported(tmp_path):
    tmx = tmp_path / "v.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" datatype="plaintext"/>'
        '<body><tu><tuv xml:lang="zh-CN"><seg>妇联</seg></tuv><tuv xml:lang="en-US"><seg>women\'s federation</seg>'
        '</tuv><tuv xml:lang="en-US"><seg>Women\'s Federation</seg></tuv><tuv xml:lang="fr"><seg>fédération</seg>'
        "</tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    (unit,) = read_tmx(tmx)
    assert (unit.target, unit.extra_targets) == ("women's federation", ["Women's Federation"])
    tm = tmp_path / "tm.sqlite"
    proc = run_workbench("tm", "import", str(tmx), "--tm", str(tm))
    assert proc.returncode == 0, proc.stderr
    assert "2 units added" in proc.stdout and "more than one translation" in proc.stdout
    with TranslationMemory.open(tm, create=False, readonly=True) as memory:
        assert sorted(u.target for u in memory.units()) == ["Women's Federation", "women's federation"]


def test_export_omegat_refuses_an_existing_project_without_overwrite(tmp_path):
    path, _ = _project(tmp_path)
    target = tmp_path / "omegat"
    assert run_workbench("export", str(path), "--omegat", str(target)).returncode == 0
    settings = target / "omegat.project"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("</project>", "<!-- mine --></project>"),
        encoding="utf-8",
    )
    saved = target / "omegat" / "project_save.tmx"
    saved.write_text("the translator's own work", encoding="utf-8")
    before = settings.read_bytes()
    assert_one_line_error(
        run_workbench("export", str(path), "--omegat", str(target)),
        "already an OmegaT project",
        "--overwrite",
    )
    assert settings.read_bytes() == before
    proc = run_workbench("export", str(path), "--omegat", str(target), "--overwrite")
    assert proc.returncode == 0, proc.stderr
    assert b"mine" not in settings.read_bytes()
    assert saved.read_text(encoding="utf-8") == "the translator's own work"
