"""``workbench align``: sentence alignment of Word and Markdown pairs, the outputs, the TM, the splitter."""

from __future__ import annotations

import gzip
from pathlib import Path

import docx
import pytest
from conftest import run_workbench as cli
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.formats.aligned import read_pairs
from workbench.formats.tmx import read_tmx
from workbench.jobs.align import align_documents, split_documents
from workbench.store.tm import TranslationMemory
from workbench.terms.align import BeadKind, align_sentences
from workbench.text.english import split_english

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "workbench" / "jobs" / "data" / "flores200"


def flores(start: int, n: int) -> tuple[list[str], list[str]]:
    zh = gzip.decompress((DATA / "zho_Hans.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    en = gzip.decompress((DATA / "eng_Latn.devtest.gz").read_bytes()).decode("utf-8").splitlines()
    return zh[start : start + n], en[start : start + n]


# Lines of FLORES devtest with exactly one sentence on each side.
ZH, EN = flores(424, 12)


def write_pair_md(folder: Path) -> tuple[Path, Path]:
    """Chinese in paragraphs of three sentences, English in paragraphs of two, English line 5 dropped."""
    en = [s for k, s in enumerate(EN) if k != 5]
    zh_md = folder / "zh.md"
    en_md = folder / "en.md"
    zh_md.write_text(
        "\n\n".join("".join(ZH[i : i + 3]) for i in range(0, len(ZH), 3)) + "\n", encoding="utf-8"
    )
    en_md.write_text(
        "\n\n".join(" ".join(en[i : i + 2]) for i in range(0, len(en), 2)) + "\n", encoding="utf-8"
    )
    return zh_md, en_md


def test_markdown_pair_to_tsv(tmp_path):
    zh_md, en_md = write_pair_md(tmp_path)
    out = tmp_path / "pairs.tsv"
    proc = cli("align", str(zh_md), str(en_md), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "source\ttarget\tscore"
    rows = [line.split("\t") for line in lines[1:]]
    pairs = {(s, t) for s, t, _ in rows}
    expected = {(z, e) for k, (z, e) in enumerate(zip(ZH, EN, strict=True)) if k != 5}
    assert len(pairs & expected) >= len(expected) - 1
    assert ZH[5] not in {s for s, _ in pairs}  # its English was dropped: no unit
    assert all(0 <= float(score) <= 1 for *_, score in rows)


def test_word_pair_to_tmx_with_scores_and_merged_beads(tmp_path):
    zh_doc, en_doc = docx.Document(), docx.Document()
    for i in range(0, len(ZH), 2):
        zh_doc.add_paragraph("".join(ZH[i : i + 2]))
    # English: lines 2 and 3 joined into one sentence: a 2-1 bead.
    en = [*EN[:2], EN[2].rstrip(".") + "; " + EN[3][0].lower() + EN[3][1:], *EN[4:]]
    for i in range(0, len(en), 3):
        en_doc.add_paragraph(" ".join(en[i : i + 3]))
    zh_path, en_path = tmp_path / "zh.docx", tmp_path / "en.docx"
    zh_doc.save(zh_path)
    en_doc.save(en_path)
    out = tmp_path / "pairs.tmx"
    proc = cli("align", str(zh_path), str(en_path), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    units = read_tmx(out)
    assert all("x-align-score" in u.props for u in units)
    merged = [u for u in units if u.props.get("x-align-bead") == ["2-1"]]
    assert [u.source for u in merged] == [ZH[2] + ZH[3]]
    assert (ZH[0], EN[0]) in {(u.source, u.target) for u in units}
    assert read_pairs(out)[0] == (units[0].source, units[0].target)


def test_into_tm_then_lookup_shows_origin_aligned(tmp_path):
    zh_md, en_md = write_pair_md(tmp_path)
    tm_path = tmp_path / "tm.sqlite"
    proc = cli("align", str(zh_md), str(en_md), "--into-tm", "--tm", str(tm_path), "--min-score", "0.5")
    assert proc.returncode == 0, proc.stderr
    assert "units added with origin 'aligned'" in proc.stdout
    look = cli("tm", "lookup", ZH[0], "--tm", str(tm_path))
    assert look.returncode == 0, look.stderr
    assert look.stdout.splitlines()[0] == f"100  {ZH[0]}\t{EN[0]}\taligned"


def test_aligned_units_rank_below_approved_at_equal_score(tmp_path):
    with TranslationMemory.open(tmp_path / "tm.sqlite") as tm:
        tm.add("会议召开了。", "The meeting opened.", origin="project.wbproj")
        tm.add("会议召开了。", "The meeting was convened.", origin="aligned")
        tm.add("会议召开。", "A meeting opens.", origin="aligned")
        tm.add("会议召开。", "The meeting opens.", origin="project.wbproj")
        assert tm.exact("会议召开了。").target == "The meeting opened."
        fuzzy = tm.fuzzy("会议召开了！", min_score=50, include_exact=True)
        same = [u for u in fuzzy if u.source == "会议召开了。"]
        assert [u.origin for u in same] == ["project.wbproj", "aligned"]


def test_needs_an_output_and_refuses_missing_files(tmp_path):
    zh_md, en_md = write_pair_md(tmp_path)
    proc = cli("align", str(zh_md), str(en_md))
    assert proc.returncode == 2 and proc.stderr.startswith("workbench: error:") and "--out" in proc.stderr
    proc = cli("align", str(zh_md), str(tmp_path / "missing.md"), "--out", str(tmp_path / "x.tsv"))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    proc = cli("align", str(zh_md), str(en_md), "--out", str(tmp_path / "x.tsv"), "--min-score", "2")
    assert proc.returncode == 2 and "--min-score" in proc.stderr


def test_dropped_and_merged_sentences_give_null_and_two_one_beads():
    zh, en = flores(384, 10)
    en_side = [*en[:3], en[3] + " " + en[4], *en[6:]]  # 3+4 joined, 5 dropped
    beads = align_sentences(zh, en_side)
    shapes = [(b.zh, b.en) for b in beads]
    assert ((3, 4), (3,)) in shapes
    assert ((5,), ()) in shapes
    assert all(b.kind is BeadKind.ONE_ONE for b in beads if b.zh and b.zh[0] in (0, 1, 2, 7, 8, 9))


def test_pair_from_strings_aligns_headings_too():
    pair = align_documents(split_documents(["标题", "".join(ZH[:3])], ["Title", " ".join(EN[:3])]))
    units = pair.units()
    assert units[0].source == "标题" and units[0].target == "Title"
    assert len(units) == 4


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith went to Washington. He arrived at 3 p.m. on Monday.", 2),
        ("It costs $3.50 today. Prices rose 2.5% in the U.S. Economy watchers agree.", 2),
        ('"Why?" he asked. "Because," she said.', 2),
        ("J. R. R. Tolkien wrote it. The book sold well!", 2),
        ("See Fig. 3 and pp. 12-14. Then stop.", 2),
        ('He said: "We won." Then he left.', 2),
    ],
)
def test_english_splitter_abbreviations_numbers_quotes(text, sentences):
    got = split_english(text)
    assert len(got) == sentences, got
    assert " ".join(got) == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. ?!\"'XY1\n")), max_size=60))
def test_english_splitter_keeps_every_character(text):
    got = split_english(text)
    assert "".join("".join(s.split()) for s in got) == "".join(text.split())
    assert all(s == s.strip() and s for s in got)


def test_long_pair_with_drops_keeps_the_path():
    zh, en = flores(0, 1012)
    dropped = set(range(7, 1012, 25))
    en_side = [s for k, s in enumerate(en) if k not in dropped]
    beads = align_sentences(zh, en_side)
    pairs = {(b.zh, b.en) for b in beads}
    kept = [k for k in range(1012) if k not in dropped]
    right = sum(1 for n, k in enumerate(kept) if ((k,), (n,)) in pairs)
    assert right >= 0.9 * len(kept)
    assert sum(1 for b in beads if not b.paired) <= 3 * len(dropped)
