"""Term base formats: round trips, bad rows, conflicts, safe XML, TBX-Basic validity, shipped files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import ROOT
from workbench.errors import WorkbenchError
from workbench.terms import Entry, TermBase, load_termbase, read_entries, save_termbase
from workbench.terms.formats import detect_format, dumps
from workbench.terms.tbx import build_tbx, parse_xml_safely, validate

GLOSSARY = ROOT / "glossary" / "womens-news.tsv"


def _sample() -> TermBase:
    return TermBase(
        [
            Entry(
                "巾帼",
                "women's",
                alternatives=("women",),
                forbidden=("headscarf",),
                note="modifier; evidence: x",
            ),
            Entry("巾帼文明岗", "Civilized Women's Post", priority=3),
            Entry("妇联", "women's federation", variants=("妇女联合会",)),
            Entry("APEC", "APEC", case_sensitive=True),
        ]
    )


@pytest.mark.parametrize(("fmt", "name"), [("tsv", "g.tsv"), ("csv", "g.csv"), ("tbx", "g.tbx")])
def test_lossless_formats_round_trip(tmp_path: Path, fmt: str, name: str) -> None:
    tb = _sample()
    path = save_termbase(tb, tmp_path / name, fmt)
    back = load_termbase([path])
    assert back.entries == tb.entries
    assert back.digest() == tb.digest()


def test_tsv_to_tbx_to_tsv_is_lossless_byte_for_byte(tmp_path: Path) -> None:
    tsv1 = tmp_path / "a.tsv"
    tsv1.write_bytes(GLOSSARY.read_bytes())
    tbx = tmp_path / "b.tbx"
    save_termbase(load_termbase([tsv1]), tbx)
    tsv2 = save_termbase(load_termbase([tbx]), tmp_path / "c.tsv")
    assert tsv2.read_bytes() == GLOSSARY.read_bytes()


_text = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Lo", "Nd", "Pd", "Po", "Zs"), blacklist_characters="|#"
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() and not s.strip().startswith("#"))
_entry = st.builds(
    Entry,
    source=_text,
    target=_text,
    variants=st.lists(_text, max_size=2).map(tuple),
    alternatives=st.lists(_text, max_size=2).map(tuple),
    forbidden=st.lists(st.from_regex(r"\AXX[a-z]{1,5}\Z"), max_size=2).map(tuple),
    note=st.text(max_size=30).filter(lambda s: "|" not in s),
    case_sensitive=st.booleans(),
    priority=st.integers(-5, 5),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(_entry, min_size=1, max_size=6))
def test_arbitrary_entries_survive_tsv_tbx_tsv(tmp_path: Path, entries: list[Entry]) -> None:
    tb = TermBase(entries)
    if tb.conflicts:  # random sources may clash; conflicts are tested separately
        tb = TermBase(e for e in tb.entries)
    a = save_termbase(tb, tmp_path / "h.tsv")
    b = save_termbase(load_termbase([a]), tmp_path / "h.tbx")
    assert validate(parse_xml_safely(b.read_bytes(), "h.tbx")) == []
    c = save_termbase(load_termbase([b]), tmp_path / "h2.tsv")
    assert load_termbase([c]).entries == tb.entries
    assert c.read_bytes() == a.read_bytes()


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("source\ttarget\tnote\n妇联\twomen's federation\tok\n巾帼\t\tno target\n", 3, "empty target"),
        (
            "source\ttarget\tcase_sensitive\n妇联\twomen's federation\tmaybe\n",
            2,
            "case_sensitive must be yes or no",
        ),
        (
            "source\ttarget\tpriority\n\n# comment\n妇联\twomen's federation\thigh\n",
            4,
            "priority must be an integer",
        ),
        ("source\ttarget\n妇联\twomen's federation\textra\n", 2, "3 columns but the header has 2"),
        ("source\ttarget\tcolour\n", 1, "unknown column 'colour'"),
        ("妇联\twomen's federation\n巾帼\n", 2, "got one column"),
        ("source\ttarget\tforbidden\n巾帼\twomen\twomen\n", 2, "both allowed and forbidden"),
    ],
)
def test_bad_rows_report_file_and_line(tmp_path: Path, content: str, line: int, fragment: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WorkbenchError) as exc:
        load_termbase([path])
    assert str(exc.value).startswith(f"{path}:{line}: ")
    assert fragment in str(exc.value)


def test_hash_sources_survive_csv_and_tbx_and_are_refused_by_tsv(tmp_path: Path) -> None:
    tb = TermBase([Entry("#话题", "hashtag topic")])
    for name in ("h.csv", "h.tbx"):
        assert load_termbase([save_termbase(tb, tmp_path / name)]).entries == tb.entries
    for name in ("h.tsv", "h.txt"):
        with pytest.raises(WorkbenchError, match="starting with '#' is a comment"):
            save_termbase(tb, tmp_path / name)
        assert not (tmp_path / name).exists()


def test_bad_csv_row_reports_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('source,target\n妇联,"women\'s federation"\n"巾帼,women\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match=rf"^{path}:\d+: "):
        load_termbase([path])


def test_conflicting_duplicates_are_reported_with_both_locations(tmp_path: Path) -> None:
    a = tmp_path / "a.tsv"
    b = tmp_path / "b.txt"
    a.write_text("source\ttarget\n巾帼\twomen's\n妇联\twomen's federation\n", encoding="utf-8")
    # The traditional spelling is the same source: a conflict, not a second entry.
    b.write_text("# OmegaT file\n婦聯\tWomen's League\tcomment\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as exc:
        load_termbase([a, b])
    msg = str(exc.value)
    assert f"{b}:2" in msg and f"{a}:3" in msg
    assert "Women's League" in msg and "women's federation" in msg
    tb = load_termbase([a, b], strict=False)
    assert len(tb.conflicts) == 1 and tb.lookup("妇联").target == "women's federation"


def test_exact_duplicates_are_fine_and_same_target_merges(tmp_path: Path) -> None:
    a = tmp_path / "a.tsv"
    a.write_text(
        "source\ttarget\talternatives\n巾帼\twomen's\twomen\n巾帼\twomen's\twomen\n巾帼\twomen's\tfemale\n",
        encoding="utf-8",
    )
    tb = load_termbase([a])
    assert len(tb) == 1 and tb.conflicts == []
    assert tb.entries[0].alternatives == ("women", "female")


def test_header_aliases_deepl_and_memoq_style(tmp_path: Path) -> None:
    deepl = tmp_path / "deepl.csv"
    deepl.write_text("妇联,women's federation,zh,en\n巾帼,women's,zh,en\n", encoding="utf-8")
    memoq = tmp_path / "memoq.csv"
    memoq.write_text(
        "Chinese_PRC,English_United_States,Comment\n妇联,women's federation,note\n", encoding="utf-8"
    )
    two = tmp_path / "two.csv"
    two.write_text("妇联,women's federation\n", encoding="utf-8")
    assert [(e.source, e.target) for e in read_entries(deepl)] == [
        ("妇联", "women's federation"),
        ("巾帼", "women's"),
    ]
    assert read_entries(memoq)[0].note == "note"
    assert read_entries(two)[0].target == "women's federation"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("妇联,women's federation,en,de\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"wrong.csv:1: .*zh -> en"):
        read_entries(wrong)


def test_format_detection(tmp_path: Path) -> None:
    assert detect_format(Path("x.tbx")) == "tbx"
    assert detect_format(Path("x.txt")) == "omegat"
    assert detect_format(Path("x.csv")) == "csv"
    assert detect_format(Path("x.glossary"), b"<?xml version='1.0'?><martif/>") == "tbx"
    assert detect_format(Path("x.glossary"), "妇联\twomen's federation\n".encode()) == "tsv"
    # A TBX saved with a .txt extension is still read as TBX.
    p = tmp_path / "disguised.txt"
    p.write_bytes(dumps(_sample(), "tbx"))
    assert [e.source for e in read_entries(p)] == [e.source for e in _sample()]


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body><termEntry><langSet xml:lang="zh"><tig><term>&xxe;</term></tig></langSet>
<langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry></body></text></martif>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="zh"><tig><term>&lol3;</term></tig></langSet>
</termEntry></body></text></martif>"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_unsafe_xml_is_refused(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "evil.tbx"
    path.write_bytes(payload)
    with pytest.raises(WorkbenchError, match=r"evil.tbx: refused unsafe XML"):
        load_termbase([path])


def test_malformed_tbx_and_tbx3_are_clear_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tbx"
    broken.write_bytes(b"<martif>\n<text>\n</martif>")
    with pytest.raises(WorkbenchError, match=r"broken.tbx:\d+: not well-formed XML"):
        load_termbase([broken])
    v3 = tmp_path / "v3.tbx"
    v3.write_bytes(b'<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic"/>')
    with pytest.raises(WorkbenchError, match=r"v3.tbx:2: .*TBX v3 is not supported"):
        load_termbase([v3])
    no_en = tmp_path / "noen.tbx"
    no_en.write_bytes(
        b'<martif type="TBX-Basic" xml:lang="en"><text><body>\n<termEntry>'
        b'<langSet xml:lang="zh"><tig><term>x</term></tig></langSet></termEntry></body></text></martif>'
    )
    with pytest.raises(WorkbenchError, match=r"noen.tbx:2: termEntry has no English"):
        load_termbase([no_en])


def test_tbx_validator_accepts_ours_and_rejects_broken_structure() -> None:
    root = build_tbx(list(_sample()))
    assert validate(root) == []
    # A tig without a term, an unknown administrativeStatus value and a langSet without xml:lang.
    bad1 = build_tbx(list(_sample()))
    tig = bad1.find(".//tig")
    tig.remove(tig.find("term"))
    bad2 = build_tbx(list(_sample()))
    bad2.find(".//termNote").text = "approvedTerm"
    bad3 = build_tbx(list(_sample()))
    del bad3.find(".//langSet").attrib["{http://www.w3.org/XML/1998/namespace}lang"]
    for bad in (bad1, bad2, bad3):
        assert validate(etree.fromstring(etree.tostring(bad))) != []


def test_foreign_tbx_basic_with_doctype_ntig_and_other_languages(tmp_path: Path) -> None:
    path = tmp_path / "vendor.tbx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
        '<martif type="TBX-Basic" xml:lang="en-US"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc>'
        "</fileDesc></martifHeader><text><body>\n"
        '<termEntry id="a"><descrip type="definition">grassroots body</descrip>'
        '<langSet xml:lang="zh-CN"><ntig><termGrp><term>妇联</term></termGrp></ntig></langSet>'
        "<langSet xml:lang=\"en\"><tig><term>women's federation</term></tig><tig><term>Women's League</term>"
        '<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig></langSet>'
        '<langSet xml:lang="fr"><tig><term>fédération des femmes</term></tig></langSet></termEntry>'
        "</body></text></martif>\n",
        encoding="utf-8",
    )
    (entry,) = read_entries(path)
    assert (entry.source, entry.target, entry.forbidden) == (
        "妇联",
        "women's federation",
        ("Women's League",),
    )
    assert entry.note == "definition: grassroots body" and entry.location == f"{path}:4"
    assert validate(parse_xml_safely(path.read_bytes(), "vendor.tbx")) == []


def test_tbx_status_mapping() -> None:
    root = build_tbx([Entry("巾帼", "women's", alternatives=("women",), forbidden=("headscarf",))])
    en = root.find(".//langSet[@{http://www.w3.org/XML/1998/namespace}lang='en-US']")
    pairs = [(t.findtext("term"), t.findtext("termNote")) for t in en.findall("tig")]
    assert pairs == [
        ("women's", "preferredTerm-admn-sts"),
        ("women", "admittedTerm-admn-sts"),
        ("headscarf", "deprecatedTerm-admn-sts"),
    ]


@pytest.mark.parametrize(("name", "fmt"), [("womens-news.omegat.txt", "omegat"), ("womens-news.tbx", "tbx")])
def test_shipped_exports_are_in_sync_with_master(tmp_path: Path, name: str, fmt: str) -> None:
    shipped = ROOT / "glossary" / name
    fresh = save_termbase(load_termbase([GLOSSARY]), tmp_path / name, fmt)
    assert shipped.read_bytes() == fresh.read_bytes(), (
        f"glossary/{name} is stale: run `workbench glossary convert glossary/womens-news.tsv glossary/{name}`"
    )


def test_shipped_glossary_covers_the_required_terms() -> None:
    tb = load_termbase([GLOSSARY])
    required = {
        "巾帼": "women's",
        "娘家人": None,
        "美丽庭院": "Beautiful Courtyard",
        "妇联": None,
        "三八红旗手": "March 8th Red-Banner Pacesetter",
        "巾帼文明岗": None,
        "最美家庭": None,
        "春蕾计划": None,
        "乡村振兴": None,
        "一带一路": None,
        "中国式现代化": None,
        "高质量发展": None,
    }
    for src, target in required.items():
        e = tb.lookup(src)
        assert e is not None, src
        if target:
            assert e.target == target
        assert "evidence:" in e.note
    # Rows without a published source keep their entries but say so.
    assert tb.lookup("民呼我为").note.startswith("PROPOSED")
    header = GLOSSARY.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == [
        "source",
        "target",
        "variants",
        "alternatives",
        "forbidden",
        "note",
        "case_sensitive",
        "priority",
    ]


def test_digest_is_stable_order_free_and_sensitive_to_content() -> None:
    a = _sample()
    b = TermBase(reversed(list(_sample())))
    assert a.digest() == b.digest() and len(a.digest()) == 16
    moved = TermBase(
        Entry(
            e.source,
            e.target,
            e.variants,
            e.alternatives,
            e.forbidden,
            e.note,
            e.case_sensitive,
            e.priority,
            location="elsewhere:9",
        )
        for e in _sample()
    )
    assert moved.digest() == a.digest()
    changed = TermBase([*list(_sample())[:-1], Entry("APEC", "APEC")])  # case_sensitive flipped
    assert changed.digest() != a.digest()


def test_conflict_on_any_source_form_is_reported_even_when_another_form_agrees() -> None:
    tb = TermBase([Entry("巾帼", "women's"), Entry("文明岗", "civilized post")])
    # Agrees with 巾帼 on its source but its variant 文明岗 has another approved rendering.
    assert tb.add(Entry("巾帼", "women's", variants=("文明岗",), location="c.tsv:7")) is False
    assert [c.second.location for c in tb.conflicts] == ["c.tsv:7"]
    assert tb.lookup("文明岗").target == "civilized post"
