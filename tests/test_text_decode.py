"""Reading user files: encodings and the bad-input matrix, through the real CLI in a subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_workbench as run_cli

from tests.conftest import SEED
from workbench.errors import InputError
from workbench.text import load_document
from workbench.text.decode import clean_text, decode_bytes
from workbench.text.script import to_traditional

SEED_TEXT = SEED.read_text(encoding="utf-8")
# OpenCC's s2t picks a few variant forms that Big5 lacks; Taiwanese text uses these.
BIG5_VARIANTS = str.maketrans(
    {"着": "著", "啓": "啟", "爲": "為", "峯": "峰", "衆": "眾", "羣": "群", "裏": "裡"}
)
TRAD_TEXT = to_traditional(SEED_TEXT).translate(BIG5_VARIANTS)


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("workbench: error: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert proc.stdout == ""


def jsonl(proc: subprocess.CompletedProcess) -> list[dict]:
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


# --- the bad-input matrix ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.txt", b"", "empty"),
        ("spaces.txt", b" \n\t\r\n  \n\x0c\n", "only whitespace"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "binary"),
        ("nul.txt", "你好，世界。\x00第二句。".encode(), "NUL"),
        (
            "random.bin",
            bytes((i * 167 + 13) % 256 for i in range(4000)).replace(b"\x00", b"\x01"),
            "--encoding",
        ),
        ("latin.bin", bytes(range(0x80, 0x100)) * 40, "--encoding"),
    ],
)
@pytest.mark.slow
def test_bad_file_one_line_error(tmp_path: Path, name: str, content: bytes, needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_one_line_error(run_cli("segment", str(path)), str(path), needle)


@pytest.mark.slow
def test_directory_is_refused(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("segment", str(tmp_path)), "directory")


def test_missing_path_is_refused(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("segment", str(tmp_path / "nope.txt")), "no such file")


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("你好。", encoding="utf-8")
    assert_one_line_error(run_cli("segment", str(path), "--encoding", "klingon-8"), "unknown encoding")


def test_wrong_forced_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes(SEED_TEXT.encode("gb18030"))
    assert_one_line_error(run_cli("segment", str(path), "--encoding", "utf-8"), "not valid utf-8")


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("segment", str(SEED), "--format", "pdf")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# --- encodings: every form of the seed page gives the same paragraphs --------------------


@pytest.fixture(scope="module")
def seed_records() -> list[dict]:
    return jsonl(run_cli("segment", str(SEED), "--format", "jsonl"))


def _strip(records: list[dict]) -> list[tuple]:
    return [(r["index"], r["kind"], r["text"], tuple(r["lines"]), tuple(r["segments"])) for r in records]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-be-bom", "utf-16"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-32", "utf-32"),
    ],
)
@pytest.mark.slow
def test_seed_in_other_encodings(
    tmp_path: Path, seed_records: list[dict], encoding: str, expected: str
) -> None:
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + SEED_TEXT.encode("utf-16-be")
    else:
        data = SEED_TEXT.encode(encoding)
    path = tmp_path / "seed.txt"
    path.write_bytes(data)
    records = jsonl(run_cli("segment", str(path), "--format", "jsonl"))
    assert {r["encoding"] for r in records} == {expected}
    assert _strip(records) == _strip(seed_records)


@pytest.mark.slow
def test_crlf_and_cr_line_ends(tmp_path: Path, seed_records: list[dict]) -> None:
    for nl in ("\r\n", "\r"):
        path = tmp_path / "seed.txt"
        path.write_bytes(SEED_TEXT.replace("\n", nl).encode("utf-8"))
        assert _strip(jsonl(run_cli("segment", str(path), "--format", "jsonl"))) == _strip(seed_records)


@pytest.mark.slow
def test_big5_traditional_page(tmp_path: Path, seed_records: list[dict]) -> None:
    path = tmp_path / "trad.txt"
    path.write_bytes(TRAD_TEXT.encode("big5"))
    records = jsonl(run_cli("segment", str(path), "--format", "jsonl"))
    assert {r["encoding"] for r in records} == {"big5"}
    assert {r["script"] for r in records} == {"traditional"}
    # Same paragraph structure as the simplified original.
    assert [(r["kind"], r["lines"]) for r in records] == [(r["kind"], r["lines"]) for r in seed_records]
    assert records[0]["text"] == "重慶開州區婦聯全力抓好在外流動婦聯組織建設"
    simp = jsonl(run_cli("segment", str(path), "--format", "jsonl", "--to-simplified"))
    assert simp[0]["text"] == "重庆开州区妇联全力抓好在外流动妇联组织建设"
    assert simp[0]["original"] == records[0]["text"]
    # Back in simplified characters: the original page (著 stays 著: it is also a simplified character).
    assert [r["text"].replace("著", "着") for r in simp] == [
        r["text"].replace("著", "着") for r in seed_records
    ]


@pytest.mark.parametrize(
    "snippet",
    [
        "你好，世界。",
        "谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",
        "（陈妮雅/摄）",
        "年轻态",
        "□ 乐丁",
        "对家暴说“不”",
        "2023年江西省家政服务行业职业技能竞赛举行",
        "中文",
    ],
)
def test_short_gb18030_snippets(snippet: str) -> None:
    text, enc = decode_bytes(snippet.encode("gb18030"))
    assert (text, enc) == (snippet, "gb18030")


@pytest.mark.parametrize(
    "snippet",
    [
        "對家暴說“不”",
        "香港特別行政區政府",
        "臺灣",
        "重慶開州區婦聯",
        "（陳妮雅/攝）",
        "年輕態是本屆大賽的一大亮點",
    ],
)
def test_short_big5_snippets(snippet: str) -> None:
    text, enc = decode_bytes(snippet.encode("big5"))
    assert (text, enc) == (snippet, "big5")


@pytest.mark.parametrize("snippet", ["你好，世界。", "對家暴說“不”", "a", "中"])
def test_short_utf16_with_bom(snippet: str) -> None:
    for enc in ("utf-16", "utf-16-le", "utf-16-be"):
        bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[enc]
        assert decode_bytes(bom + snippet.encode(enc)) == (snippet, "utf-16")


def test_bomless_utf16_of_a_page() -> None:
    text, enc = decode_bytes(SEED_TEXT.encode("utf-16-le"))
    assert text == SEED_TEXT and enc == "utf-16"


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_large_legacy_file_with_ascii_preamble(tmp_path: Path, encoding: str) -> None:
    # Detection ranks encodings on the first 256 KiB; here that part is plain ASCII.
    body = (TRAD_TEXT if encoding == "big5" else SEED_TEXT) * 4
    text = "page 1 of the OCR output, plain ASCII header line\n" * 6000 + body
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode(encoding))
    assert path.stat().st_size > 256 * 1024
    doc = load_document(path)
    assert doc.encoding == encoding
    assert doc.paragraphs[-1].text in (
        "把坚持高质量发展作为新时代的硬道理",
        "把堅持高質量發展作為新時代的硬道理",
    )


def test_encoding_override_decides(tmp_path: Path) -> None:
    # One traditional character: GB18030 and Big5 both read it, only --encoding can tell.
    path = tmp_path / "one.txt"
    path.write_bytes("說".encode("big5"))
    records = jsonl(run_cli("segment", str(path), "--format", "jsonl", "--encoding", "big5"))
    assert records[0]["text"] == "說" and records[0]["encoding"] == "big5"


# --- cleaning ------------------------------------------------------------------------------


def test_control_characters_become_spaces_and_fullwidth_punctuation_stays() -> None:
    raw = "第一页\x0c第二页\x0b竖排\x1b[0m转义\x07铃，“引号”！（括号）：；？\r\n下一行\r再一行"
    cleaned = clean_text(raw)
    assert cleaned == "第一页 第二页 竖排 [0m转义 铃，“引号”！（括号）：；？\n下一行\n再一行"


def test_form_feed_page_breaks_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ocr.txt"
    path.write_bytes("第一段落的文字在这里，\n一直写到页尾\x0c\n接着下一页继续写完。\n".encode())
    doc = load_document(path)
    assert [p.text for p in doc.paragraphs] == ["第一段落的文字在这里，一直写到页尾接着下一页继续写完。"]
    assert all(c not in p.text for p in doc.paragraphs for c in "\x0c\x0b\x1b")


def test_load_document_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        load_document(tmp_path / "missing.txt")
    (tmp_path / "e.txt").write_bytes(b"")
    with pytest.raises(InputError):
        load_document(tmp_path / "e.txt")


@pytest.mark.slow
@pytest.mark.parametrize(
    "line",
    [
        "a long paragraph of Latin words without any sentence end and",  # one paragraph, 5 MB
        "没有句号的一行中文文字一直写下去没有结束的时候",
    ],
)
@pytest.mark.slow
def test_one_huge_paragraph_stays_linear(tmp_path: Path, line: str) -> None:
    # Wrapped lines with a column break every third line and no sentence end anywhere: every
    # decision happens inside one growing paragraph, which a quadratic step would never finish.
    lines = []
    for i in range(90_000):
        lines.append(line)
        if i % 3 == 2:
            lines.append("")
    path = tmp_path / "huge.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_cli("segment", str(path), "--format", "jsonl", timeout=300)
    records = jsonl(proc)
    assert len(records) == 1 and records[0]["lines"] == [1, len(lines) - 1]


@pytest.mark.slow
def test_twenty_megabyte_file(tmp_path: Path) -> None:
    """A 20 MB file goes through the real CLI (time and memory: bench/bench_paragraphs.py)."""
    page = SEED.read_bytes()
    copies = 20 * 1024 * 1024 // len(page) + 1
    path = tmp_path / "big.txt"
    path.write_bytes(page * copies)
    assert path.stat().st_size >= 20 * 1024 * 1024
    proc = run_cli("segment", str(path), "--format", "text", timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    single = run_cli("segment", str(SEED), "--format", "text")
    # Page boundaries add no paragraph of their own: the output is the page's, repeated.
    n_single = single.stdout.count("\n\n") + 1
    assert proc.stdout.count("\n\n") + 1 == n_single * copies
    assert proc.stdout.startswith(single.stdout.rstrip("\n"))
