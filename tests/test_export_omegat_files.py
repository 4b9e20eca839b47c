"""The OmegaT project folder's files, checked without running OmegaT."""

from __future__ import annotations

import pytest
from export_fixtures import make_record
from lxml import etree

from workbench.errors import WorkbenchError
from workbench.formats.omegat import export_omegat_project, render_source_text
from workbench.formats.tmx import read_tmx


def test_source_text_one_paragraph_per_line_with_empty_lines():
    doc = make_record(
        [
            ("heading", [("标题", "T")]),
            ("body", [("第一句。", "1"), ("第二\x0c句。", "2")]),
            ("body", [("  ", None)]),
        ]
    )
    assert render_source_text(doc) == "标题\n\n第一句。第二 句。\n"


def test_project_layout_languages_and_names(tmp_path):
    simplified = make_record([("body", [("第一句。", "One.")])], name="a b/../c?.txt")
    root = tmp_path / "proj"
    result = export_omegat_project(
        simplified, root, write_glossary=lambda p: p.write_text("妇联\twomen's federation\n")
    )
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        assert (root / sub).is_dir()
    cfg = etree.parse(str(root / "omegat.project")).getroot().find("project")
    assert (cfg.findtext("source_lang"), cfg.findtext("target_lang"), cfg.findtext("sentence_seg")) == (
        "zh-CN",
        "en-US",
        "true",
    )
    (src,) = result.sources
    assert src.parent == root / "source" and src.name == "c.txt"
    assert (root / "glossary" / "glossary.txt").read_text(encoding="utf-8").startswith("妇联\t")
    # exporting again into the same OmegaT project needs overwrite (then refreshes our files)
    before = (root / "omegat.project").read_bytes()
    with pytest.raises(WorkbenchError, match="already an OmegaT project"):
        export_omegat_project(simplified, root)
    assert (root / "omegat.project").read_bytes() == before
    export_omegat_project(simplified, root, overwrite=True)


def test_traditional_document_gets_a_traditional_project(tmp_path):
    doc = make_record([("body", [("這是句子。", "This is a sentence.")])], script="traditional")
    root = tmp_path / "proj"
    result = export_omegat_project(doc, root)
    cfg = etree.parse(str(root / "omegat.project")).getroot().find("project")
    assert cfg.findtext("source_lang") == "zh-TW"
    assert read_tmx(result.tmx[0].path)[0].src_lang == "zh-TW"


def test_mixed_language_pairs_and_foreign_folders_are_refused(tmp_path):
    simplified = make_record([("body", [("第一句。", "One.")])], name="a.txt")
    traditional = make_record([("body", [("這是句子。", "S.")])], name="b.txt", script="traditional")
    with pytest.raises(WorkbenchError, match="one language pair"):
        export_omegat_project([simplified, traditional], tmp_path / "p")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("keep")
    with pytest.raises(WorkbenchError, match="not empty"):
        export_omegat_project(simplified, busy)
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]


def test_two_documents_with_the_same_name_get_two_files(tmp_path):
    a = make_record([("body", [("第一句。", "One.")])], name="news.txt")
    b = make_record([("body", [("第二句。", "Two.")])], name="news.txt")
    result = export_omegat_project([a, b], tmp_path / "p")
    assert [p.name for p in result.sources] == ["news.txt", "news-2.txt"]
    assert [r.path.name for r in result.tmx] == ["news.tmx", "news-2.tmx"]
