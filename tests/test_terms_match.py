"""Term matching: simplified-form matching, longest-leftmost, offsets, split terms on the seed page."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from workbench.terms import Entry, Matcher, TermBase, load_termbase
from workbench.terms.match import normalise


def _tb(*entries: Entry) -> TermBase:
    return TermBase(entries)


def _spans(hits) -> list[tuple[int, int, str, str]]:
    return [(h.start, h.end, h.text, h.entry.source) for h in hits]


def test_longest_leftmost_wins_over_parts() -> None:
    m = Matcher(
        _tb(
            Entry("巾帼", "women's"),
            Entry("巾帼文明岗", "Civilized Women's Post"),
            Entry("文明", "civilized"),
        )
    )
    text = "创建巾帼文明岗，巾帼力量"
    assert _spans(m.find(text)) == [(2, 7, "巾帼文明岗", "巾帼文明岗"), (8, 10, "巾帼", "巾帼")]


def test_leftmost_beats_a_longer_overlapping_match_to_its_right() -> None:
    m = Matcher(_tb(Entry("妇联", "women's federation"), Entry("联合国大会", "UN General Assembly")))
    # 妇联 starts first, so the overlapping (longer) 联合国大会 loses.
    assert [h.entry.source for h in m.find("妇联合国大会")] == ["妇联"]


def test_priority_overrides_leftmost() -> None:
    m = Matcher(
        _tb(Entry("妇联", "women's federation"), Entry("联合国大会", "UN General Assembly", priority=1))
    )
    assert [h.entry.source for h in m.find("妇联合国大会")] == ["联合国大会"]


def test_traditional_text_matches_simplified_entries_and_vice_versa() -> None:
    m = Matcher(_tb(Entry("巾帼文明岗", "Civilized Women's Post"), Entry("婦聯", "women's federation")))
    text = "全國婦聯的巾幗文明崗；妇联"
    assert _spans(m.find(text)) == [
        (2, 4, "婦聯", "婦聯"),
        (5, 10, "巾幗文明崗", "巾帼文明岗"),
        (11, 13, "妇联", "婦聯"),
    ]


def test_term_split_by_line_breaks_and_spaces_matches_with_original_offsets() -> None:
    m = Matcher(_tb(Entry("巾帼力量", "women's strength")))
    text = "贡献巾\n帼力量。贡献巾 帼 力量"
    hits = m.find(text)
    assert [(h.start, h.end) for h in hits] == [(2, 7), (10, 16)]
    assert [text[h.start : h.end] for h in hits] == ["巾\n帼力量", "巾 帼 力量"]


def test_invisible_characters_inside_a_term_are_ignored() -> None:
    m = Matcher(_tb(Entry("妇联", "women's federation")))
    text = "开州区妇\u200b联和妇\u00ad联"
    assert _spans(m.find(text)) == [(3, 6, "妇\u200b联", "妇联"), (7, 10, "妇\u00ad联", "妇联")]


def test_offsets_survive_a_length_changing_conversion() -> None:
    # OpenCC's Taiwan phrase conversion rewrites 隨身碟 (3 chars) as U盘 (2 chars).
    m = Matcher(_tb(Entry("U盘", "USB flash drive"), Entry("巾帼", "women's")), conversion="tw2sp")
    text = "買了隨身碟給巾幗"
    assert normalise(text, "tw2sp").text == "买了u盘给巾帼"
    assert _spans(m.find(text)) == [(2, 5, "隨身碟", "U盘"), (6, 8, "巾幗", "巾帼")]


def test_latin_sources_case_and_word_boundaries() -> None:
    m = Matcher(_tb(Entry("APEC", "APEC", case_sensitive=True), Entry("gdp", "GDP")))
    text = "apec和APEC会议，APECS不算，ＧＤＰ增长，gdp2"
    hits = m.find(text)
    assert [(h.text, h.entry.source) for h in hits] == [("APEC", "APEC"), ("ＧＤＰ", "gdp")]


def test_empty_termbase_and_empty_text() -> None:
    assert Matcher(TermBase()).find("巾帼") == []
    assert Matcher(_tb(Entry("巾帼", "women's"))).find("") == []


@settings(max_examples=80, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["巾帼", "巾幗", "文明岗", "妇联", "婦聯", "的", "\n", " ", "x", "力量"]), max_size=20
    )
)
def test_every_hit_maps_back_to_text_that_normalises_to_an_entry(parts: list[str]) -> None:
    tb = _tb(
        Entry("巾帼", "women's"),
        Entry("巾帼文明岗", "Civilized Women's Post"),
        Entry("妇联", "women's federation"),
    )
    text = "".join(parts)
    hits = Matcher(tb).find(text)
    last_end = 0
    for h in hits:
        assert h.start >= last_end and h.text == text[h.start : h.end]
        assert normalise(h.text).text.replace(" ", "") in h.entry.match_keys()
        last_end = h.end
    # Nothing is missed: every occurrence of a key in the normalised text is covered by a hit.
    norm = normalise(text).text
    assert norm.count("妇联") == sum(h.entry.source == "妇联" for h in hits)


def test_split_term_on_the_seed_page_matches_in_reconstructed_paragraphs(seed_path: Path) -> None:
    from workbench.text import load_document

    doc = load_document(seed_path)
    m = Matcher(load_termbase([ROOT / "glossary" / "womens-news.tsv"]))
    found: list[tuple[str, str]] = []
    for p in doc.paragraphs:
        for h in m.find(p.text):
            assert p.text[h.start : h.end] == h.text
            found.append((h.entry.source, h.text))
    # The seed page breaks 巾 / 帼力量 across two lines; the rebuilt paragraph must still match it.
    assert ("巾帼力量", "巾帼力量") in found or any(src == "巾帼力量" for src, _ in found)
    raw = seed_path.read_text(encoding="utf-8")
    assert "巾\n帼力量" in raw
    sources = {src for src, _ in found}
    for src in ("娘家人", "美丽庭院", "乡村振兴巾帼行动", "中国式现代化", "高质量发展", "最美家庭", "巾帼"):
        assert src in sources, src


def test_split_term_on_the_raw_seed_page() -> None:
    raw = (ROOT / "seeds" / "000_4a826f62d946bd6d.txt").read_text(encoding="utf-8")
    m = Matcher(load_termbase([ROOT / "glossary" / "womens-news.tsv"]))
    hits = [h for h in m.find(raw) if h.entry.source == "巾帼力量"]
    assert any(h.text == "巾\n帼力量" for h in hits)


def _brute_longest_leftmost(text: str, keys: dict[str, str]) -> list[tuple[int, int, str]]:
    out, i = [], 0
    while i < len(text):
        best = max((k for k in keys if text.startswith(k, i)), key=len, default=None)
        if best is None:
            i += 1
            continue
        out.append((i, i + len(best), keys[best]))
        i += len(best)
    return out


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(
        st.text(alphabet="巾帼幗文明岗崗妇婦联聯", min_size=1, max_size=4),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    text=st.text(alphabet="巾帼幗文明岗崗妇婦联聯的", max_size=40),
)
def test_matcher_equals_brute_force_longest_leftmost_on_simplified_text(terms: list[str], text: str) -> None:
    from workbench.text.script import to_simplified as simplified

    tb = TermBase(Entry(t, f"t{i}") for i, t in enumerate(terms))
    keys = {simplified(e.source): e.source for e in tb}
    expected = _brute_longest_leftmost(simplified(text), keys)
    assert [(h.start, h.end, h.entry.source) for h in Matcher(tb).find(text)] == expected


def test_entries_know_their_traditional_forms() -> None:
    assert Entry("妇联", "women's federation").traditional_forms() == ("婦聯",)
    assert Entry("巾帼文明岗", "x", variants=("巾幗文明崗",)).traditional_forms() == ()
