"""Paragraph reconstruction on the seed page (read by hand, line by line) and on small layouts."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEED
from workbench.text import document_from_text, load_document
from workbench.text.model import KINDS
from workbench.text.paragraphs import display_width, ends_sentence, join_lines, rebuild_paragraphs, undouble

SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc():
    return load_document(SEED)


def containing(doc, fragment: str):
    found = [p for p in doc.paragraphs if fragment in p.text]
    assert len(found) == 1, (fragment, [p.text[:30] for p in found])
    return found[0]


def starting(doc, fragment: str):
    found = [p for p in doc.paragraphs if p.text.startswith(fragment)]
    assert len(found) == 1, (fragment, [p.text[:30] for p in found])
    return found[0]


# Text that wraps over a line end, often across a blank line (a column break), and even
# in the middle of a word: each must lie inside one paragraph.
INSIDE_ONE_PARAGRAPH = [
    "谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",  # lines 23-24
    "大力实施“巾帼就业创业促进行动”",  # lines 55-57, across a blank line
    "为建设上海和家乡贡献巾帼力量，姐妹们都说",  # lines 155-157, blank line inside 力|量
    "当好你们的‘娘家人’。”今年妇女节",  # lines 178-180
    "发挥“群策群力”作用",  # lines 200-202
    "搭建志愿服务平台，发动开州在外妇女",  # lines 208-210, blank line inside 服|务
    "将“学思想、强党性、重实践、建新功”的总要求落到实处",  # lines 240-242
    "适时引导其牵头成立各级各类妇联组织",  # lines 272-274, blank line inside 各|级
    "凝‘新’聚力‘学说做’，‘声’入人心",  # lines 303-305
    "花木产品实现‘爆单’销售，‘破圈’效应显著。”在县融媒体中心、“花乡女性”微信公众号",  # 308-312
    "结合“双报到、双服务”创新实施",  # lines 343-345
    "全面考核参赛选手的专业技能、沟通表达以及应急反应能力。",  # lines 394-396
    "参赛选手中，20至30岁的有24人",  # lines 397-399
    "旨在积极搭建技能培训平台",  # lines 410-412: a one-line block that is not a heading
    "必须把坚持高质量发展作为新时代的硬道理”“必须坚持深化供给侧结构性改革",  # lines 429-431
    "协同发力”“必须坚持依靠改革开放增强发展内生动力”",  # lines 432-434: ends with ” only
    "这体现了对“稳”与“进”、“立”和“破”辩证关系的深刻把握。",  # lines 458-460
    # Sentence ends inside a paragraph on a full line: no break.
    "爱心人士为他们试穿新衣。这是开州区妇联联合在沪人员服务中心",  # lines 136-137
    "推动创建工作与乡村旅游等妇女优势特色产业融合发展。深化拓展“科技创新巾帼行动”",  # 51-53
    # A short first line is the lost first-line indent, not a paragraph end.
    "“虽久居外地，但乡音未改，乡情未减。从农村走出去的我们",  # lines 214-215
    "聆听讲话、充分讨论、认真研读……会场上，与会同志结合实践谈体悟",  # lines 453-454
    # The narrow photo-story column.
    "12月 8日，浙江省乐清市北白象镇纪委联合妇联对即将结婚和已婚的年轻干部进行了一场有针对性的法纪教育。",
    "各年轻干部也交流了自己对家暴的看法",
]


@pytest.mark.parametrize("fragment", INSIDE_ONE_PARAGRAPH)
def test_fragment_inside_one_paragraph(doc, fragment: str) -> None:
    containing(doc, fragment)


# Paragraphs that must start exactly here.
STARTS = [
    ("“年轻态”是本届大赛的一大亮点", "body"),  # no blank line before it
    ("（陈妮雅/摄）", "caption"),
    ("（上接1版）", "marker"),
    ("“必须把坚持高质量发展作为新时", "body"),  # right after the marker, no blank line
    ("□ 乐丁", "byline"),
    ("□ 司小艺", "byline"),
    ("□ 哈尔滨市妇联党组书记、主席 尚瑞", "byline"),
    ("中国妇女报全媒体记者刘旭/向亮 发自南昌", "dateline"),
    ("12月11日—12日，由江西省妇联", "body"),
    ("“这个衣服穿起来正合适，很暖和！”", "body"),
    ("在全省上下深入学习贯彻习近平新时代", "body"),
    ("聚焦凝心铸魂，深入实施“巾帼聚心工程”。", "body"),
    ("聚焦创新赋能，深入实施“巾帼聚联工程”。", "body"),
    ("辽宁省委书记郝鹏说", "body"),
    ("没有坚实的物质技术基础，就不可能全面建成社会主义现代化强国。", "body"),
    ("一分部署，九分落实。", "body"),
]


@pytest.mark.parametrize(("fragment", "kind"), STARTS)
def test_paragraph_starts_here(doc, fragment: str, kind: str) -> None:
    assert starting(doc, fragment).kind == kind


# Headlines, including those printed after their article, stay paragraphs of their own.
HEADINGS = [
    ("重庆开州区妇联全力抓好在外流动妇联组织建设", (1, 1)),
    ("身在异乡，仍可感受家乡“娘家人”呵护", (3, 3)),
    ("学习贯彻习近平总书记重要讲话和中国妇女十三大精神 笔谈", (4, 5)),
    ("江苏沭阳积极发挥“联”字优势", (350, 350)),
    ("提升“三新”领域妇联组织履职新成效", (352, 352)),
    ("对家暴说“不”", (380, 380)),
    ("2023年江西省家政服务行业职业技能竞赛举行", (426, 426)),
    ("把坚持高质量发展作为新时代的硬道理", (522, 523)),
]


@pytest.mark.parametrize(("text", "lines"), HEADINGS)
def test_headings(doc, text: str, lines: tuple[int, int]) -> None:
    p = [p for p in doc.paragraphs if p.text == text]
    assert len(p) == 1, text
    assert p[0].kind == "heading"
    assert p[0].lines == lines


def test_only_those_headings(doc) -> None:
    assert [p.text for p in doc.paragraphs if p.kind == "heading"] == [t for t, _ in HEADINGS]


def test_doubled_title_layer_is_undone(doc) -> None:
    assert not any("对家暴说对家暴说" in p.text for p in doc.paragraphs)
    raw = rebuild_paragraphs(SEED_TEXT)
    title = next(p for p in raw if p.text == "对家暴说“不”")
    assert title.undoubled


def test_line_spans(doc) -> None:
    assert containing(doc, "谱写中国式现代化哈尔滨篇章").lines == (8, 24)
    assert containing(doc, "姐妹们都说").lines == (152, 159)
    assert starting(doc, "（陈妮雅/摄）").lines == (378, 378)
    assert starting(doc, "中国妇女报全媒体记者").lines == (382, 383)
    assert starting(doc, "12月11日—12日").lines == (383, 389)
    assert starting(doc, "“年轻态”").lines == (397, 404)
    assert starting(doc, "12月 8日").lines == (354, 376)


def test_spans_are_ordered_and_cover_every_text_line(doc) -> None:
    covered = set()
    prev_last = 0
    for p in doc.paragraphs:
        first, last = p.lines
        assert first <= last
        # Only a dateline shares its last line with the body it was split from.
        assert first > prev_last or (first == prev_last and doc.paragraphs[p.index - 1].kind == "dateline")
        prev_last = last
        covered.update(range(first, last + 1))
    text_lines = {i for i, line in enumerate(SEED_TEXT.split("\n"), 1) if line.strip()}
    assert text_lines <= covered


def test_no_text_lost_or_invented(doc) -> None:
    source = re.sub(r"\s", "", SEED_TEXT).replace("对家暴说对家暴说““不不””", "对家暴说“不”")
    rebuilt = re.sub(r"\s", "", "".join(p.text for p in doc.paragraphs))
    assert rebuilt == source


def test_kinds_and_indexes(doc) -> None:
    assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))
    assert {p.kind for p in doc.paragraphs} <= set(KINDS)
    # The news page has one of each news kind, and no list item or page furniture.
    assert {p.kind for p in doc.paragraphs} == {"heading", "byline", "caption", "dateline", "marker", "body"}
    for p in doc.paragraphs:
        assert "\n" not in p.text and p.text == p.text.strip()
        if p.kind == "body":
            assert ends_sentence(p.text), p.text[-20:]
    assert doc.title == "重庆开州区妇联全力抓好在外流动妇联组织建设"


def test_every_paragraph_has_a_reason() -> None:
    for p in rebuild_paragraphs(SEED_TEXT):
        assert p.reason
    reasons = {p.text[:8]: p.reason for p in rebuild_paragraphs(SEED_TEXT)}
    assert reasons["“年轻态”是本届"] == "short line ends with terminal punctuation"
    assert reasons["（陈妮雅/摄）"] == "caption line"


# --- small layouts --------------------------------------------------------------------


def texts(raw: str) -> list[str]:
    return [p.text for p in document_from_text(raw).paragraphs]


def test_wrapped_latin_words_get_one_space() -> None:
    raw = "这篇文章引用了 machine\ntranslation 的研究成果，\n以及 CAT 工具的做法。\n"
    assert texts(raw) == ["这篇文章引用了 machine translation 的研究成果，以及 CAT 工具的做法。"]


def test_cjk_lines_join_without_space() -> None:
    assert texts("第一行没有写完\n第二行接着写完。\n") == ["第一行没有写完第二行接着写完。"]


def test_fullwidth_indent_marks_paragraphs() -> None:
    raw = (
        "\u3000\u3000第一段的第一行文字比较长一些，\n这是第一段的第二行文字写到这里。\n"
        "\u3000\u3000第二段开始了，也写得比较长一\n些，这是第二段的第二行内容结束。\n"
    )
    assert texts(raw) == [
        "第一段的第一行文字比较长一些，这是第一段的第二行文字写到这里。",
        "第二段开始了，也写得比较长一些，这是第二段的第二行内容结束。",
    ]


def test_title_line_directly_above_text() -> None:
    raw = "会议召开\n这是正文的第一行内容，写得比较长一些，\n第二行也很长，一直写到这里结束了。\n"
    doc = document_from_text(raw)
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("heading", "会议召开"),
        ("body", "这是正文的第一行内容，写得比较长一些，第二行也很长，一直写到这里结束了。"),
    ]


def test_two_line_title_stays_one_heading() -> None:
    raw = "正文写到这里就结束了，这一行很长很长。\n\n把坚持高质量发展\n作为新时代的硬道理\n"
    assert [(p.kind, p.text) for p in document_from_text(raw).paragraphs][-1] == (
        "heading",
        "把坚持高质量发展作为新时代的硬道理",
    )


def test_unwrapped_text_keeps_one_paragraph_per_line() -> None:
    # Copied from a web page: every paragraph is one long line, no blank lines, no indents.
    paras = [
        "聚焦凝心铸魂，深入实施“巾帼聚心工程”。习近平总书记指出，妇女事业和妇联工作要始终坚持正确政治方向，"
        "与党同心同行。深入学习贯彻习近平新时代中国特色社会主义思想。",
        "聚焦高质量发展，深入实施“巾帼聚力工程”。锚定哈尔滨高质量、可持续发展目标任务，组织开展巾帼系列行动，"
        "团结带领广大妇女跟党奋进新征程、建功新时代，为加快建设农业强省贡献巾帼力量。",
        "聚焦家庭家教家风建设，深入实施“巾帼聚合工程”。",
    ]
    assert texts("\n".join(paras) + "\n") == paras
    short = ["第一句话。", "第二句话比第一句长一点。", "第三句。", "第四句话也在这里。", "第五句结束了。"]
    assert texts("\n".join(short) + "\n") == short


def test_blank_line_after_sentence_end_breaks() -> None:
    assert texts("第一段。\n\n第二段。\n") == ["第一段。", "第二段。"]


def test_closing_quote_after_terminal_punctuation_ends_a_paragraph() -> None:
    assert texts("他说：“走吧。”\n\n第二段。\n") == ["他说：“走吧。”", "第二段。"]


def test_empty_and_blank_text_give_no_paragraphs() -> None:
    assert texts("") == []
    assert texts("\n \n\u3000\n") == []


def test_crlf_and_form_feed_text() -> None:
    assert texts("第一行没有写完\r\n第二行\x0c接着写完。\r\n") == ["第一行没有写完第二行 接着写完。"]


def test_undouble() -> None:
    assert undouble("对家暴说对家暴说““不不””") == "对家暴说“不”"
    assert undouble("标题标题") is None  # one piece: a real repetition, not a layer
    assert undouble("好好学习天天向上") is None
    assert undouble("abc") is None


def test_helpers() -> None:
    assert display_width("中文ab") == 6
    assert ends_sentence("完了。”") and ends_sentence("真的吗？！") and ends_sentence("政治”……")
    assert not ends_sentence("协同发力”") and not ends_sentence("（陈妮雅/摄）")
    assert join_lines(["Hello", "world", "你好"]) == "Hello world你好"
