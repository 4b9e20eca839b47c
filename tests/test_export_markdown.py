"""Bilingual Markdown and plain-text output: what a reader checks."""

from __future__ import annotations

import pytest
from export_fixtures import make_record

from workbench.errors import WorkbenchError
from workbench.formats.markdown import render_markdown
from workbench.formats.plain import render_text
from workbench.records import TermNote


@pytest.fixture
def doc():
    terms = {
        "全国妇联召开会议。": [
            TermNote("全国妇联", "All-China Women's Federation"),
            TermNote("会议", "meeting", False, "missing"),
        ],
        "妇联干部很多。": [TermNote("妇联", "women's federation", False, "forbidden: Women's Union")],
    }
    d = make_record(
        [
            ("heading", [("妇联组织建设", "Building women's federations")]),
            ("byline", [("□ 本报记者 张三", "By our reporter Zhang San")]),
            ("dateline", [("本报讯", "Our correspondent reports")]),
            (
                "body",
                [
                    ("全国妇联召开会议。", "The ACWF held a session."),
                    ("妇联干部很多。", "Women's Union cadres abound."),
                ],
            ),
            ("caption", [("图为会议现场。", "The venue.")]),
            ("body", [("价格|数量", "price | amount"), ("还没有翻译。", None)]),
            ("marker", [("（下转第3版）", "(continued on page 3)")]),
        ],
        name="seed.txt",
        terms=terms,
        signature="marian opus-mt-zh-en beam=4",
    )
    d.paragraphs[3].segments[0].final = "The All-China Women's Federation held a meeting."
    return d


def test_stacked_layout_title_order_kinds(doc):
    md = render_markdown(doc)
    lines = md.splitlines()
    assert lines[0] == "# Building women's federations"
    assert "## 妇联组织建设" in lines and "## Building women's federations" in lines
    assert "*□ 本报记者 张三*" in lines and "*By our reporter Zhang San*" in lines
    assert "*图为会议现场。*" in lines and "*The venue.*" in lines
    assert "**本报讯**" in lines
    # source then translation, paragraphs in document order
    order = [
        md.index(s)
        for s in ("## 妇联组织建设", "*□ 本报记者", "全国妇联召开会议。妇联干部很多。", "*图为会议现场。*")
    ]
    assert order == sorted(order)
    src = md.index("全国妇联召开会议。妇联干部很多。")
    tgt = md.index("The All-China Women's Federation held a meeting. Women's Union cadres abound.")
    assert src < tgt  # the final wins over the draft, segments joined into the paragraph
    assert "The ACWF held a session." not in md
    assert "[not translated]" in md.replace("\\", "")
    assert "marian opus-mt-zh-en beam=4" in md


def test_violations_marked_and_terms_listed_at_the_end(doc):
    md = render_markdown(doc)
    assert "⚠ 会议 → meeting: missing" in md
    assert "⚠ 妇联 → women's federation: forbidden: Women's Union" in md
    glossary = md[md.index("## Glossary terms used") :]
    assert md.rstrip().endswith(glossary.rstrip())
    assert "| 全国妇联 | All-China Women's Federation | 1 | none |" in glossary
    assert "| 会议 | meeting | 1 | ⚠ 1 |" in glossary
    assert "| 妇联 | women's federation | 1 | ⚠ 1 |" in glossary


def test_table_layout_escapes_pipes(doc):
    md = render_markdown(doc, layout="table")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "中文" not in line]
    price = next(r for r in rows if "价格" in r)
    assert "价格\\|数量" in price and "price \\| amount" in price
    # each table row has exactly the 4 unescaped pipes of its 3 columns
    assert price.replace("\\|", "").count("|") == 4
    assert any("**妇联组织建设**" in r and "**Building women's federations**" in r for r in rows)
    assert any("⚠ 会议 → meeting: missing" in r for r in rows)
    with pytest.raises(WorkbenchError, match="layout"):
        render_markdown(doc, layout="columns")


def test_markdown_special_characters_are_literal():
    d = make_record([("body", [("# 不是标题 *星* [链接](x) <b>", "# not a heading *star* [link](x) <b>")])])
    md = render_markdown(d)
    body = md.split("\n\n")
    assert "\\# 不是标题 \\*星\\* \\[链接\\](x) \\<b\\>" in body
    assert "\\# not a heading \\*star\\* \\[link\\](x) \\<b\\>" in body


def test_plain_text_one_paragraph_per_line(doc):
    text = render_text(doc)
    assert text.endswith("\n")
    lines = text.splitlines()
    assert lines[0] == "Building women's federations"
    assert lines[3] == "The All-China Women's Federation held a meeting. Women's Union cadres abound."
    assert "price | amount" in lines  # the untranslated second segment is simply absent
    assert len(lines) == 7
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_plain_text_of_untranslated_document_is_empty():
    assert render_text(make_record([("body", [("句子。", None)])])) == ""
