"""Layout inference and the structure of institutional text: clean, wrapped and OCR'd regulations and standards."""

from __future__ import annotations

import random

import pytest

from tests.conftest import SEED
from tests.paragraph_fixtures import wrap
from workbench.text import document_from_text, load_document
from workbench.text.model import KINDS, ParagraphKind, is_translated
from workbench.text.paragraphs import classify, rebuild_paragraphs
from workbench.text.structure import MarkKind, structure_mark

# A regulation as it is usually sent: title, adoption notes, chapters, articles, items.
REGULATION = [
    "妇女权益保障条例",
    "（2005年8月28日第十届全国人民代表大会常务委员会第十七次会议通过）",
    "（2022年10月30日第十三届全国人民代表大会常务委员会第三十七次会议修正）",
    "第一章　总　　则",
    "第一条　为了保障妇女的合法权益，促进男女平等和妇女全面发展，制定本条例。",
    "第二条　国家采取必要措施，促进男女平等，消除对妇女一切形式的歧视。",
    "国家保护妇女依法享有的特殊权益。",
    "第三条　有下列情形之一的，由有关部门责令改正：",
    "（一）未经许可擅自举办培训活动的；",
    "（二）在招聘中以性别为由拒绝录用妇女的；",
    "（三）侵害妇女人身权利的。",
    "第二章　政治权利",
    "第四条　国家保障妇女享有与男子平等的政治权利。",
]


def kinds_texts(raw: str) -> list[tuple[str, str]]:
    return [(str(p.kind), p.text) for p in document_from_text(raw).paragraphs]


def test_blank_line_separated_regulation_keeps_every_paragraph() -> None:
    doc = document_from_text("\n\n".join(REGULATION) + "\n")
    assert [p.text for p in doc.paragraphs] == REGULATION
    kinds = [str(p.kind) for p in doc.paragraphs]
    assert kinds[0] == "heading" and kinds[3] == "heading" and kinds[11] == "heading"
    assert kinds[8:11] == ["item", "item", "item"]
    assert kinds[4] == "body" and kinds[6] == "body"
    assert "clean text" in doc.paragraphs[0].reason


def test_one_paragraph_per_line_regulation() -> None:
    assert [p.text for p in document_from_text("\n".join(REGULATION) + "\n").paragraphs] == REGULATION


def _wrapped(paras: list[str], width: int, blank: bool) -> str:
    lines: list[str] = []
    for n, para in enumerate(paras):
        if n and blank:
            lines.append("")
        lines.extend(wrap(para, width, 0 if n < 4 or (para.startswith("第") and "章" in para[:5]) else 4))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("blank", [True, False])
def test_regulation_hard_wrapped_at_20_cells(blank: bool) -> None:
    # Wrapped at 20 cells (ten characters), with and without its blank lines.
    texts = [p.text for p in document_from_text(_wrapped(REGULATION, 20, blank)).paragraphs]
    assert texts == REGULATION


def test_ocr_standard_clause_headings_and_running_headers() -> None:
    body = [
        "本文件规定了信息技术中文编码字符集的结构、术语、编码和字形的要求。",
        "本文件适用于图形字符信息的处理、交换、存储、传输、显现、输入和输出。",
        "下列术语和定义适用于本文件。",
        "构成编码字符集的最小单元，用于组织、控制或表示数据。",
        "一个字符在编码字符集中所对应的唯一数值，也称为码位，是编码的基础。",
        "编码字符集应符合本文件的结构要求，字形应清晰可辨，便于识别和使用。",
    ]
    lines = ["GB 18030 一 2022", "1　范围", *wrap(body[0] + body[1], 36, 4), "2　术语和定义"]
    lines += [*wrap(body[2], 36, 4), "— 1 —", "GB 18030 一 2022", "3.1　字符 character"]
    lines += [*wrap(body[3], 36, 4), "3.2　编码 code point", *wrap(body[4], 36, 4), "— 2 —"]
    for page in range(3, 7):
        lines += ["GB 18030 一 2022", f"{page + 1}　要求", *wrap(body[5] * (page - 1), 36, 4), f"— {page} —"]
    doc = document_from_text("\n".join(lines) + "\n")
    got = [(str(p.kind), p.text) for p in doc.paragraphs]
    assert ("heading", "3.1　字符 character") in got and ("heading", "3.2　编码 code point") in got
    assert ("heading", "1　范围") in got and ("heading", "5　要求") in got
    assert ("body", body[3]) in got and ("body", body[0] + body[1]) in got and ("body", body[5] * 3) in got
    headers = [p for p in doc.paragraphs if p.kind == "header"]
    footers = [p for p in doc.paragraphs if p.kind == "footer"]
    assert len(headers) == 6 and {p.text for p in headers} == {"GB 18030 一 2022"}
    assert [p.text for p in footers] == [f"— {n} —" for n in range(1, 7)]
    assert all("GB 18030" not in p.text for p in doc.paragraphs if p.kind != "header")
    assert headers[0].reason.startswith("running header")
    assert not is_translated(headers[0].kind) and not is_translated(footers[0].kind)


def test_a_running_header_inside_a_paragraph_goes_after_it() -> None:
    # Real paragraphs (the seed page's), each broken across a page end.
    longs = [p.text for p in load_document(SEED).paragraphs if p.kind == "body" and len(p.text) > 120][:6]
    lines = []
    for page in range(6):
        lines += ["中国妇女报  2023年12月13日"]
        if page:
            lines += wrap(longs[page - 1], 30, 4)[3:]  # the paragraph goes on from the page before
        lines += [*wrap(longs[page], 30, 4)[:3], f"— {page + 1} —"]
    doc = document_from_text("\n".join(lines) + "\n")
    assert all("中国妇女报" not in p.text for p in doc.paragraphs if p.kind == "body")
    texts = [p.text for p in doc.paragraphs]
    assert all(t in texts for t in longs[:5])  # whole across the page break
    kinds = [str(p.kind) for p in doc.paragraphs]
    # The footer and header that interrupt it come right after it.
    k = texts.index(longs[0])
    assert kinds[k + 1 : k + 3] == ["footer", "header"]


def test_pasted_twice_is_not_a_running_header() -> None:
    page = "\n".join(REGULATION[:5] + ["第五条　" + "国家保护妇女的合法权益。" * 3] * 8)
    doc = document_from_text((page + "\n") * 4)
    assert not [p for p in doc.paragraphs if p.kind in ("header", "footer")]


@pytest.mark.parametrize(
    ("line", "kind", "strong"),
    [
        ("第二章　总则", MarkKind.PART, True),
        ("第一条　为了规范", MarkKind.ARTICLE, True),
        ("第十条之一　", MarkKind.ARTICLE, True),
        ("3.1　字符 character", MarkKind.CLAUSE, True),
        ("A.1 一般要求", MarkKind.CLAUSE, True),
        ("附录A", MarkKind.ANNEX, True),
        ("一、总体要求", MarkKind.NUMERAL, False),
        ("（二）在招聘中", MarkKind.BRACKETED, False),
        ("(3) 流量", MarkKind.BRACKETED, False),
        ("2. 第二项", MarkKind.ITEM, False),
        ("• 要点", MarkKind.BULLET, False),
        ("注：本表数据", MarkKind.NOTE, False),
        ("表1　主要指标", MarkKind.CAPTION, False),
        ("（2023年12月12日通过）", MarkKind.ADOPTION, False),
    ],
)
def test_structure_marks(line: str, kind: MarkKind, strong: bool) -> None:
    mark = structure_mark(line)
    assert mark is not None and mark.kind is kind and mark.strong is strong


@pytest.mark.parametrize(
    "line",
    [
        "第十条规定的情形",
        "41.30 分钟的总成绩",
        "6.5 级地震",
        "11 月联邦大选前",
        "2023年12月",
        "3.5元一斤",
        "图1所示",
    ],
)
def test_quantities_and_references_are_not_marks(line: str) -> None:
    mark = structure_mark(line)
    assert mark is None or not mark.strong


def test_classify() -> None:
    assert classify("第一章 总则") == "heading"
    assert classify("（一）未经许可的；") == "item"
    assert classify("第一条 为了规范，制定本法。") == "body"
    assert classify("表1 数据") == "caption"
    assert set(KINDS) >= {"item", "header", "footer"}
    assert ParagraphKind("item") is ParagraphKind.ITEM and f"{ParagraphKind.ITEM}" == "item"


def test_every_rebuilt_paragraph_explains_itself() -> None:
    for p in rebuild_paragraphs(_wrapped(REGULATION, 20, False)):
        assert p.reason


def test_structured_layouts_boundary_f1() -> None:
    """The figures bench/bench_paragraphs.py prints, on 30 documents per layout (measured: see the note)."""
    from tests.paragraph_fixtures import f1, run_structured

    res = run_structured(30, seed=5)
    for layout, counts in res.items():
        assert f1(*counts)[2] >= 0.975, (layout, counts)
    assert f1(*res["blank-line blocks"])[2] == 1.0 and f1(*res["one paragraph per line"])[2] == 1.0


def test_structured_documents_lose_no_text() -> None:
    import re

    from tests.paragraph_fixtures import load_sentences
    from tests.structured_fixtures import LAYOUTS, make_document, render

    sentences = load_sentences()  # the FLORES-200 devtest the package ships
    rng = random.Random(3)
    for layout in LAYOUTS:
        r = render(rng, make_document(rng, sentences), layout)
        rebuilt = rebuild_paragraphs(r.text)
        furniture = {p.lines[0] for p in rebuilt if p.kind in ("header", "footer")}
        flow = "".join(p.text for p in rebuilt if p.lines[0] not in furniture)
        raw = [line for no, line in enumerate(r.text.split("\n"), 1) if no not in furniture]
        assert re.sub(r"\s", "", flow) == re.sub(r"\s", "", "".join(raw)), layout
