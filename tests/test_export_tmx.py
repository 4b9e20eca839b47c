"""TMX 1.4b export: DTD validity, header, language tags, units, duplicates, XML-invalid characters,
and round trips through our TMX reader and the translation memory's importer."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from export_fixtures import SHARED, TMX_DTD, dtd_errors, make_record
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.formats.tm_exchange import import_tmx
from workbench.formats.tmx import read_tmx, write_tmx
from workbench.lang import normalize_lang
from workbench.records import TermNote
from workbench.safexml import xml_clean

pytestmark = pytest.mark.skipif(not TMX_DTD.is_file(), reason="../shared/data/tmx14.dtd not available")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _parse(path):
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def test_header_has_every_required_attribute_and_validates(tmp_path):
    doc = make_record(
        [("heading", [("标题", "Title")]), ("body", [("第一句。", "One."), ("第二句。", "Two.")])]
    )
    out = tmp_path / "a.tmx"
    now = datetime(2026, 1, 31, 12, 0, 5, tzinfo=UTC)
    write_tmx(doc, out, now=now)
    assert dtd_errors(out) == []
    root = _parse(out).getroot()
    assert root.get("version") == "1.4"
    h = root.find("header")
    assert h.get("creationtool") == "workbench"
    assert h.get("creationtoolversion") == __version__
    assert h.get("datatype") == "plaintext"
    assert h.get("segtype") == "sentence"
    assert h.get("o-tmf") and h.get("adminlang") == "en-US"
    assert h.get("srclang") == "zh-CN"
    assert h.get("creationdate") == "20260131T120005Z"
    pairs = [tuple(t.find("seg").text for t in tu.findall("tuv")) for tu in root.iter("tu")]
    assert pairs == [("标题", "Title"), ("第一句。", "One."), ("第二句。", "Two.")]
    langs = {t.get(XML_LANG) for t in root.iter("tuv")}
    assert langs == {"zh-CN", "en-US"}


def test_shared_validator_accepts_the_file(tmp_path):
    """The project's own checker (DTD + dates + BCP 47 + edge whitespace) says valid."""
    doc = make_record([("body", [("第一句。", "One. "), ("  ", None), ("第二句。", "Two.")])])
    out = tmp_path / "a.tmx"
    write_tmx(doc, out)
    proc = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "validate_tmx.py"), str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "valid" in proc.stdout


@pytest.mark.parametrize(
    ("given_tag", "expected"),
    [("zh_CN", "zh-CN"), ("ZH-cn", "zh-CN"), ("zh-hant-tw", "zh-Hant-TW"), ("en_us", "en-US"), ("en", "en")],
)
def test_language_tags_are_normalised_never_underscored(given_tag, expected):
    assert normalize_lang(given_tag) == expected


@pytest.mark.parametrize("bad", ["zh CN", "chinese!", "", "zh-CN-"])
def test_malformed_language_tags_are_refused(tmp_path, bad):
    doc = make_record([("body", [("句子。", "S.")])])
    with pytest.raises(WorkbenchError, match="BCP 47"):
        write_tmx(doc, tmp_path / "a.tmx", src_lang=bad)
    assert not (tmp_path / "a.tmx").exists()


def test_configured_languages_and_traditional_default(tmp_path):
    out = tmp_path / "a.tmx"
    write_tmx(make_record([("body", [("句子。", "S.")])]), out, src_lang="zh_CN", tgt_lang="en_GB")
    assert {t.get(XML_LANG) for t in _parse(out).iter("tuv")} == {"zh-CN", "en-GB"}
    trad = make_record([("body", [("這是句子。", "S.")])], script="traditional")
    write_tmx(trad, out)
    root = _parse(out).getroot()
    assert root.find("header").get("srclang") == "zh-TW"
    assert {t.get(XML_LANG) for t in root.iter("tuv")} == {"zh-TW", "en-US"}


def test_untranslated_left_out_unless_asked(tmp_path):
    doc = make_record([("body", [("有译文。", "Translated."), ("没有译文。", None), ("空白。", "   ")])])
    out = tmp_path / "a.tmx"
    rep = write_tmx(doc, out)
    assert rep.units == 1 and rep.untranslated_skipped == 2
    assert [u.source for u in read_tmx(out)] == ["有译文。"]
    rep = write_tmx(doc, out, include_untranslated=True)
    assert rep.units == 3
    units = read_tmx(out)
    assert [(u.source, u.target) for u in units] == [
        ("有译文。", "Translated."),
        ("没有译文。", None),
        ("空白。", None),
    ]
    assert dtd_errors(out) == []


def test_duplicate_sources_give_one_unit_best_translation_wins(tmp_path):
    doc = make_record(
        [
            ("body", [("同一句。", "Same A."), ("别的。", "Other.")]),
            ("body", [("同一句。", "Same A."), ("同一句。", "Same B.")]),
        ]
    )
    # The last occurrence was approved by a person: it must be the default unit.
    approved = doc.paragraphs[1].segments[1]
    approved.final, approved.status, approved.origin = "Same B.", "approved", "human"
    out = tmp_path / "a.tmx"
    rep = write_tmx(doc, out)
    units = read_tmx(out)
    assert [u.source for u in units].count("同一句。") == 1
    unit = next(u for u in units if u.source == "同一句。")
    assert unit.target == "Same B."
    assert unit.props["x-alternative"] == ["Same A."]
    assert unit.props["x-status"] == ["approved"] and unit.props["x-origin"] == ["human"]
    assert rep.duplicates_merged == 2 and rep.alternatives == 1
    assert dtd_errors(out) == []


def test_props_and_term_notes(tmp_path):
    terms = {
        "妇联开会。": [TermNote("妇联", "Women's Federation"), TermNote("开会", "meeting", False, "missing")]
    }
    doc = make_record([("body", [("妇联开会。", "The federation met.")])], terms=terms, signature="eng-1")
    doc.paragraphs[0].segments[0].signature = "marian beam=4"
    doc.paragraphs[0].segments[0].updated = "2026-02-03T04:05:06.000Z"
    out = tmp_path / "a.tmx"
    write_tmx(doc, out)
    tu = _parse(out).getroot().find("body/tu")
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    assert (
        props["x-status"] == "drafted" and props["x-origin"] == "MT" and props["x-engine"] == "marian beam=4"
    )
    notes = [n.text for n in tu.findall("note")]
    assert "term: 妇联 = Women's Federation" in notes
    assert "term: 开会 = meeting [missing]" in notes
    assert tu.get("changedate") == "20260203T040506Z"
    assert dtd_errors(out) == []


def test_xml_invalid_characters_become_spaces(tmp_path):
    src = "第一\x0c句\x00。\ud800\uffff"
    doc = make_record([("body", [(src, "One\x0b\x1f.")])])
    out = tmp_path / "a.tmx"
    write_tmx(doc, out)
    raw = out.read_bytes()
    assert b"&#12;" not in raw and b"\x0c" not in raw and b"&#0;" not in raw
    assert dtd_errors(out) == []
    (unit,) = read_tmx(out)
    assert unit.source == "第一 句 。  "
    assert unit.target == "One  ."


def test_sources_are_written_unchanged(tmp_path):
    """Units must equal the CAT tool's segments exactly: no trimming, no punctuation changes."""
    sources = ["“引号里的话。”他说。", "真的吗？", "！", "A.B.C. 2023年12月12日", "全角，　标点"]
    doc = make_record([("body", [(s, f"T{i}") for i, s in enumerate(sources)])])
    out = tmp_path / "a.tmx"
    write_tmx(doc, out)
    assert [u.source for u in read_tmx(out)] == sources


def test_paragraph_segtype(tmp_path):
    doc = make_record(
        [
            ("body", [("第一句。", "One."), ("第二句。", "Two.")]),
            ("body", [("完整。", "Whole."), ("缺。", None)]),
        ]
    )
    out = tmp_path / "a.tmx"
    rep = write_tmx(doc, out, segtype="paragraph")
    assert _parse(out).getroot().find("header").get("segtype") == "paragraph"
    assert [(u.source, u.target) for u in read_tmx(out)] == [("第一句。第二句。", "One. Two.")]
    assert rep.untranslated_skipped == 1  # a half-translated paragraph is not a translation
    assert dtd_errors(out) == []
    with pytest.raises(WorkbenchError, match="segtype"):
        write_tmx(doc, out, segtype="word")


def test_write_is_atomic_and_errors_are_clear(tmp_path):
    out = tmp_path / "a.tmx"
    out.write_text("old content")
    with pytest.raises(WorkbenchError, match="does not exist"):
        write_tmx(make_record([("body", [("句。", "S.")])]), tmp_path / "missing" / "a.tmx")
    with pytest.raises(WorkbenchError):
        write_tmx(make_record([("body", [("句。", "S.")])]), out, src_lang="bad tag")
    assert out.read_text() == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.tmx"]  # no temp files left


def test_translation_memory_imports_our_tmx(tmp_path):
    """The projects engineer's `tm import` reads our TMX with the shared safe reader."""
    from workbench.store import tm as tm_mod

    doc = make_record([("body", [("第一句。", "One."), ("第二句。", "Two."), ("第三句。", None)])])
    out = tmp_path / "a.tmx"
    write_tmx(doc, out)
    with tm_mod.TranslationMemory.open(tmp_path / "tm.wbtm", create=True) as tm:
        added, _ = import_tmx(tm, out)
        assert added == 2
        assert tm.exact("第二句。").target == "Two."
        assert tm.exact("第三句。") is None


# ----------------------------------------------------------------- property test

_ASTRAL_CJK = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF)
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_CONTROLS = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\t", "\r", "\n"]
)
_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_NONCHARS = st.sampled_from(["\ufffe", "\uffff", "\ufeff", "\u3000", "\u00a0"])
_MARKUP = st.sampled_from(
    ["<b>", "</seg>", "&amp;", "&", "<", ">", '"', "'", "]]>", "<!--", "<?x?>", "&#12;"]
)
_TEXT = st.lists(
    st.one_of(st.text(max_size=6), _CJK, _ASTRAL_CJK, _CONTROLS, _SURROGATES, _NONCHARS, _MARKUP), max_size=8
).map("".join)
_WHITESPACE = st.sampled_from(["", " ", "\u3000", "\t\n", "  "])
_SEGMENT = st.tuples(st.one_of(_TEXT, _WHITESPACE), st.one_of(st.none(), _TEXT, _WHITESPACE))
_DOC = st.lists(
    st.tuples(st.sampled_from(["heading", "body", "byline"]), st.lists(_SEGMENT, min_size=1, max_size=4)),
    min_size=1,
    max_size=4,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=_DOC, segtype=st.sampled_from(["sentence", "paragraph"]), include=st.booleans())
def test_any_corpus_gives_a_valid_tmx_that_round_trips(tmp_path, paragraphs, segtype, include):
    doc = make_record(paragraphs, name="gen\x0c<&>.txt")
    out = tmp_path / "gen.tmx"
    write_tmx(doc, out, segtype=segtype, include_untranslated=include)
    assert dtd_errors(out) == []
    root = _parse(out).getroot()
    for el in root.iter():
        for attr in ("creationdate", "changedate"):
            if el.get(attr) is not None:
                assert re.fullmatch(r"\d{8}T\d{6}Z", el.get(attr))
    units = read_tmx(out)
    if segtype == "sentence":
        expected: dict[str, list[str]] = {}
        for _, segs in paragraphs:
            for src, tgt in segs:
                clean = xml_clean(src)
                if not clean.strip():
                    continue
                targets = expected.setdefault(clean, [])
                target = xml_clean(tgt.strip()).strip() if tgt and tgt.strip() else ""
                if target and target not in targets:
                    targets.append(target)
        want = {s: t for s, t in expected.items() if t or include}
        # every distinct non-blank source exactly once, byte-for-byte as the CAT tool will see it
        assert sorted(u.source for u in units) == sorted(want)
        for u in units:
            if want[u.source]:
                assert {u.target, *u.props.get("x-alternative", [])} == set(want[u.source])
            else:
                assert u.target is None
    for u in units:
        assert u.source.strip()
        assert not re.search(
            "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", u.source + (u.target or "")
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=_DOC)
def test_any_corpus_round_trips_through_the_translation_memory(tmp_path_factory, paragraphs):
    """Our TMX -> `tm import` (the projects engineer's importer, sharing our safe reader) keeps every pair."""
    from workbench.store import tm as tm_mod

    tmp = tmp_path_factory.mktemp("tm")
    out = tmp / "gen.tmx"
    write_tmx(make_record(paragraphs), out)
    written = {(u.source, u.target) for u in read_tmx(out) if u.target}
    with tm_mod.TranslationMemory.open(tmp / "tm.sqlite", create=True) as tm:
        import_tmx(tm, out)
        stored = {(u.source, u.target) for u in tm.units()}
    assert stored == written
