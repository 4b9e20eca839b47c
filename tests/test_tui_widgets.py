"""Small pieces of the UI: CJK-aware cell fitting, key labels, dictionary look-ups, paragraph status."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from workbench.records import ParagraphRecord, SegmentRecord
from workbench.tui.session import _segment_offset
from workbench.tui.widgets import fit, key_label

TEXT = st.text(alphabet=st.sampled_from(list("abc 妇联巾帼“”，。ＡＢ1")), max_size=60)


@given(TEXT, st.integers(min_value=2, max_value=40))
def test_fit_never_exceeds_the_column_and_fills_it_when_cut(text: str, width: int) -> None:
    out = fit(text, width).plain
    assert cell_len(out) <= width
    flat = " ".join(text.split())
    if cell_len(flat) > width:
        assert out.rstrip().endswith("…")
        assert cell_len(out) == width  # a wide character that does not fit is replaced by padding
    else:
        assert out == flat


def test_fit_cjk_odd_width() -> None:
    assert fit("重庆开州区妇联", 7).plain == "重庆开…"
    assert fit("重庆开州区妇联", 8).plain == "重庆开… "  # no half character: padded to the column


def test_key_labels() -> None:
    assert [key_label(k) for k in ("f5", "ctrl+g", "alt+down", "escape")] == ["F5", "^G", "M-↓", "Esc"]


def test_paragraph_status_is_the_least_advanced_segment() -> None:
    segs = [SegmentRecord(0, 0, "a", status="approved"), SegmentRecord(0, 1, "b", status="drafted")]
    assert ParagraphRecord(0, "body", "ab", (1, 1), segs).status == "drafted"
    assert ParagraphRecord(0, "body", "", (1, 1), []).status == "new"


def test_segment_offset_finds_where_a_segment_starts() -> None:
    segs = [SegmentRecord(0, 0, "第一句。"), SegmentRecord(0, 1, "第二句！"), SegmentRecord(0, 2, "第三句")]
    para = ParagraphRecord(0, "body", "第一句。 第二句！第三句", (1, 1), segs)
    assert _segment_offset(para, 1) == 5
    assert _segment_offset(para, 2) == 9


@pytest.fixture(scope="module")
def cedict():
    from workbench.tui.dictionary import Dictionary

    return Dictionary()


def test_dictionary_exact_and_longest_match(cedict) -> None:
    entry = cedict.lookup("妇联")
    assert entry is not None and entry.pinyin == "fu4 lian2" and "women's league" in entry.definitions
    assert cedict.lookup("婦聯") == entry  # traditional headword
    longest = cedict.longest_at("重庆开州区妇联", 0)
    assert longest is not None and longest.simplified == "重庆"
    assert cedict.lookup("开州") is None


def test_document_segments_with_a_final_are_fuzzy_matches(tmp_path) -> None:
    from tui_fixtures import make_project

    from workbench.tui.session import Session

    proj, gloss = make_project(tmp_path, copies=2)
    session = Session.open(proj, glossary=[gloss])
    session.set_final(1, 0, "Women's federations at all levels study the congress.")
    assert session.tm_matches(1, 0) == []  # not itself
    matches = session.tm_matches(5, 0)  # the same sentence, second copy
    assert [(m.score, m.target) for m in matches] == [
        (100.0, "Women's federations at all levels study the congress.")
    ]
    assert session.tm_matches(2, 0) == []  # nothing similar
    session.close()


def test_the_dictionary_pane_and_the_names_finder_share_one_parse_of_cc_cedict() -> None:
    """The editor starts both at once, from two threads: CC-CEDICT is parsed once, not twice."""
    import threading

    from workbench.terms.cccedict import cedict as parsed
    from workbench.tui.dictionary import Dictionary

    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(parsed())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(g) for g in got}) == 1
    assert Dictionary()._cedict is got[0]
