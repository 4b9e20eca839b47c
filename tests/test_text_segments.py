"""Sentence segmentation: OmegaT's default SRX rules for Chinese, checked against the real OmegaT."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SEED, SHARED
from tests.omegat_helpers import make_project, require_omegat, run_omegat
from workbench.text import document_from_text, load_document
from workbench.text.decode import clean_text
from workbench.text.segments import split_segments

# Paragraphs built to hit every rule and every trimming corner (U+3000, NBSP, ASCII
# punctuation, decimals, ellipses, quotes and brackets after 。？！, mixed ？！).
ADVERSARIAL = [
    "真的吗？！太好了！他说：“你好。”然后走了。价格是3.5元。Hello. World? Yes! ok",
    "“好！”他说。你呢？（笑）好。这是……真的。‘单引号。’再见！——好。",
    "\u3000全角空格开头。\u3000中间\u3000全角。结尾全角空格。\u3000",
    "\u00a0不换行空格开头。\u00a0NBSP在中间。结尾\u00a0",
    "1.2 Intro。12 December 是日期。A... b. C... D. e?f! g!? h",
    "12 December 开头的数字。3) Third 开头？",
    "\u00a012 December 前面是不换行空格。",
    "\u2007A。\u2007B\u202f。\u202fC\u3000。\u2003D。\u2003",
    "\u200b零宽空格。\ufeff零宽不换行空格。\u2060",
    "他问：“是吗？”“是的！”她答。『书名。』「引号。」又一句。。两个句号。？！混合！？",
    "1、第一条；2、第二条。3. Third. 4) Fourth。 <br1>标签。结束",
    "省略号……之后。。。三个句号...English ... words... End. 全角句点．后面",
    "问号？\t制表符。换行前的空格。 “引号开头。”",
    "Mr. Smith 说：It's 3.14! Really? Yes.Then。",
    '句号。’单引号。"直引号。」角括号。）括号。』书名号。？问号。—破折号。',
    # OmegaT normalises to NFC (not NFKC): a compatibility ideograph and a combining accent change,
    # a Kangxi radical and a full-width letter do not. Our reader does the same.
    "\uf900字。e\u0301t\u00e9。\u2f00部首。\uff21全角。",
]


# Clean text as laws and reports are sent: title, adoption note, chapters, articles, items.
CLEAN = [
    "妇女权益保障条例",
    "（2005年8月28日第十届全国人民代表大会常务委员会第十七次会议通过）",
    "第一章　总　　则",
    "第一条　为了保障妇女的合法权益，促进男女平等和妇女全面发展，制定本条例。本条例适用于本市。",
    "第二条　有下列情形之一的，由有关部门责令改正：",
    "（一）未经许可擅自举办培训活动的；",
    "（二）侵害妇女人身权利的。",
    "第二章　政治权利",
    "第三条　国家保障妇女享有与男子平等的政治权利！妇女有权参与管理国家事务？是的。",
]


def _clean_blocks() -> str:
    """A clean-text file with blank-line blocks: the regulation, then FLORES paragraphs under headings."""
    paras = list(CLEAN)
    flores = SHARED / "data" / "flores200" / "zho_Hans.devtest"
    if flores.is_file():
        sents = [s.strip() for s in flores.read_text(encoding="utf-8").splitlines() if s.strip()][:300]
        for n in range(0, len(sents), 6):
            paras += [
                f"{n // 6 + 1}.1　第{n // 6 + 1}节",
                "".join(sents[n : n + 3]),
                "".join(sents[n + 3 : n + 6]),
            ]
    return "\n\n".join(paras) + "\n"


def _seed_text() -> str:
    """The rebuilt seed page as a CAT tool gets it: one paragraph per line, blank line between."""
    return "\n\n".join(p.text for p in load_document(SEED).paragraphs) + "\n"


@pytest.fixture(scope="module")
def omegat_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the real OmegaT once: its unique segments and per-file segment counts."""
    require_omegat()
    root = tmp_path_factory.mktemp("omegat")
    files = {
        "seed.txt": _seed_text(),
        "adversarial.txt": "\n\n".join(ADVERSARIAL) + "\n",
        "clean.txt": _clean_blocks(),
    }
    flores = SHARED / "data" / "flores200" / "zho_Hans.devtest"
    if flores.is_file():
        # Real sentences with Latin names, numbers, ASCII brackets and quotes, four to a paragraph.
        sents = [s.strip() for s in flores.read_text(encoding="utf-8").splitlines() if s.strip()]
        files["flores.txt"] = "\n\n".join("".join(sents[i : i + 4]) for i in range(0, len(sents), 4)) + "\n"
    proj = make_project(root, files)
    tmx = root / "segments.tmx"
    run_omegat(
        proj,
        "--mode=console-createpseudotranslatetmx",
        f"--pseudotranslatetmx={tmx}",
        "--pseudotranslatetype=empty",
    )
    assert tmx.is_file()
    segments = set()
    for tu in ET.parse(tmx).getroot().iter("tu"):
        for tuv in tu.findall("tuv"):
            if tuv.get("lang") == "zh-CN":
                segments.add("".join(tuv.find("seg").itertext()))
    stats = (proj / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    counts = {}
    for name in files:
        m = re.search(rf"^{re.escape(name)}\s+(\d+)", stats, re.M)
        assert m, stats
        counts[name] = int(m.group(1))
    return {"files": files, "segments": segments, "counts": counts}


def _ours(text: str) -> list[str]:
    """Our segments of a file's text, read the way ``load_document`` reads it."""
    return [s for para in clean_text(text).split("\n\n") for s in split_segments(para.strip("\n"))]


@pytest.mark.omegat
@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed.txt", "adversarial.txt", "flores.txt"])
def test_segments_equal_omegat(omegat_run: dict, name: str) -> None:
    if name not in omegat_run["files"]:
        pytest.skip("shared FLORES-200 data not present")
    ours = _ours(omegat_run["files"][name])
    assert omegat_run["counts"][name] == len(ours)
    # OmegaT's dump holds the unique segments of the whole project; every one of ours
    # must be in it, and together the two files must account for all of it.
    assert set(ours) <= omegat_run["segments"], sorted(set(ours) - omegat_run["segments"])


@pytest.mark.omegat
@pytest.mark.slow
def test_no_omegat_segment_left_over(omegat_run: dict) -> None:
    ours = set()
    for name, text in omegat_run["files"].items():
        ours.update(_document_segments(text) if name == "clean.txt" else _ours(text))
    assert omegat_run["segments"] == ours, sorted(omegat_run["segments"] ^ ours)


def _document_segments(text: str) -> list[str]:
    """Our segments of a file read with ``document_from_text`` (paragraphs rebuilt, clean text kept)."""
    return [s for p in document_from_text(text).paragraphs for s in p.segments]


@pytest.mark.omegat
@pytest.mark.slow
def test_omegat_opens_clean_text_directly_with_our_segments(omegat_run: dict) -> None:
    # The translator opens the original clean file in OmegaT (not our re-export): every paragraph
    # we rebuild is one of its paragraphs, so its segments are ours and our TMX fills it.
    # (One paragraph per line without blank lines is not such a file: OmegaT's text filter joins
    # consecutive lines into one paragraph by default.)
    name = "clean.txt"
    ours = _document_segments(omegat_run["files"][name])
    assert omegat_run["counts"][name] == len(ours)
    assert set(ours) <= omegat_run["segments"], sorted(set(ours) - omegat_run["segments"])[:5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("真的吗？！太好了！", ["真的吗？", "！", "太好了！"]),
        ("太好了！？真的。", ["太好了！？", "真的。"]),
        ("他说：“你好。”然后走了。", ["他说：“你好。”然后走了。"]),
        ("价格是3.5元。下一句。", ["价格是3.5元。", "下一句。"]),
        ("Hello. World? Yes! ok", ["Hello. World?", "Yes!", "ok"]),
        ("这是……真的。", ["这是……真的。"]),
        ("（笑）好。你呢？", ["（笑）好。", "你呢？"]),
        ("一、二、三。", ["一、二、三。"]),
        ("\u3000开头。\u3000", ["开头。"]),
        ("\u00a0开头。\u00a0", ["开头。"]),
        ("开头。\u00a0中间。", ["开头。", "\u00a0中间。"]),
        ("开头。\u2007", ["开头。", "\u2007"]),
        ("两个句号。。", ["两个句号。", "。"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_segments_rules(text: str, expected: list[str]) -> None:
    assert split_segments(text) == expected


def test_segments_concatenate_to_paragraph_text() -> None:
    doc = load_document(SEED)
    for p in doc.paragraphs:
        assert re.sub(r"\s", "", "".join(p.segments)) == re.sub(r"\s", "", p.text)
        assert p.segments, p


def test_seed_segments_examples() -> None:
    segs = [s for p in load_document(SEED).paragraphs for s in p.segments]
    assert "“这个衣服穿起来正合适，很暖和！”曾婆婆笑得合不拢嘴，不停地说着谢谢。" in segs
    assert "聚焦凝心铸魂，深入实施“巾帼聚心工程”。" in segs
    # 。 breaks inside an open quotation; 。” does not break before the text after it.
    assert "“虽久居外地，但乡音未改，乡情未减。" in segs
    assert any(
        s.startswith("从农村走出去的我们") and "回馈家乡的实际行动。”开州区在沪服务中心" in s for s in segs
    )
    assert "一分部署，九分落实。" in segs


def test_document_from_text_matches_load_document(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    a = document_from_text(text, path=str(SEED))
    b = load_document(SEED)
    assert a.paragraphs == b.paragraphs


@pytest.mark.omegat
@pytest.mark.slow
def test_our_tmx_fills_the_clean_file_in_omegat(tmp_path: Path) -> None:
    from tests.export_fixtures import run_omegat_check
    from workbench.formats.tmx import write_tmx
    from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord

    require_omegat()
    source = tmp_path / "clean.txt"
    source.write_text(_clean_blocks(), encoding="utf-8")
    doc = load_document(source)
    record = DocumentRecord(
        name=source.name,
        paragraphs=[
            ParagraphRecord(
                p.index,
                p.kind,
                p.text,
                p.lines,
                [
                    SegmentRecord(p.index, k, seg, draft=f"Segment {p.index}.{k}.")
                    for k, seg in enumerate(p.segments)
                ],
            )
            for p in doc.paragraphs
        ],
    )
    tmx = tmp_path / "clean.tmx"
    write_tmx(record, tmx)
    code, out, result = run_omegat_check(source, tmx)
    assert code == 0, out
    assert result["total"] == sum(len(p.segments) for p in doc.paragraphs)
    assert result["filled"] == result["total"], out[-2000:]
