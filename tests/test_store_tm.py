"""The translation memory: exact and fuzzy lookup, TMX import/export (safe, idempotent), OmegaT interop."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_workbench as cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from tests.omegat_helpers import make_project, require_omegat, run_omegat
from workbench.errors import WorkbenchError
from workbench.formats.tm_exchange import import_tmx
from workbench.store.tm import TMUnit, TranslationMemory, default_tm_path, normalize_key

ROOT_DIR = Path(__file__).resolve().parent.parent


def tmx_text(pairs, src="zh-CN", tgt="en-US", doctype="") -> str:
    from xml.sax.saxutils import escape

    units = "".join(
        f'<tu><tuv xml:lang="{src}"><seg>{escape(s)}</seg></tuv><tuv xml:lang="{tgt}"><seg>{escape(t)}</seg></tuv></tu>'
        for s, t in pairs
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<tmx version="1.4"><header srclang="{src}" '
        'segtype="sentence" datatype="plaintext" adminlang="en-US" creationtool="test" creationtoolversion="1" '
        f'o-tmf="test"/><body>{units}</body></tmx>'
    )


@pytest.fixture
def tm(tmp_path):
    memory = TranslationMemory.open(tmp_path / "tm.sqlite")
    yield memory
    memory.close()


def test_default_location_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_tm_path() == tmp_path / "xdg" / "workbench" / "tm.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_tm_path() == tmp_path / "home" / ".local" / "share" / "workbench" / "tm.sqlite"


def test_exact_match_normalises_whitespace_and_nfc_not_punctuation(tm):
    assert tm.add("  会议召开。 ", "The meeting opened.")
    assert not tm.add("  会议召开。 ", "The meeting opened.")  # same pair: nothing added
    assert tm.exact("会议召开。").target == "The meeting opened."
    assert tm.exact("会议召开。\n").target == "The meeting opened."
    assert tm.exact("会议召开！") is None  # punctuation is part of the key
    assert tm.exact("会议召开") is None
    tm.add("Cafe\u0301 ouvert.", "Cafe open.", src_lang="fr-FR")
    assert tm.exact("Café ouvert.", src_lang="fr-FR").target == "Cafe open."  # NFC
    # The most recent translation of a source wins; language pairs are kept apart.
    tm.add("会议召开。", "The meeting was held.")
    assert tm.exact("会议召开。").target == "The meeting was held."
    assert tm.exact("会议召开。", tgt_lang="de-DE") is None
    assert tm.exact("会议召开。", src_lang="zh").target == "The meeting was held."


def test_fuzzy_scores_match_rapidfuzz_and_threshold(tm):
    base = "哈尔滨市妇女第二十一次代表大会胜利召开。"
    near = "哈尔滨市妇女第二十次代表大会胜利召开。"
    far = "全市各级妇联要深入学习贯彻大会精神。"
    tm.add_many([TMUnit(base, "Congress opened."), TMUnit(far, "Study the spirit.")])
    found = tm.fuzzy(near)
    assert [u.source for u in found] == [base]
    assert found[0].score == pytest.approx(fuzz.ratio(normalize_key(near), normalize_key(base)), abs=0.05)
    assert 75 <= found[0].score < 100
    assert tm.fuzzy(near, min_score=found[0].score + 1) == []
    assert tm.fuzzy(base) == []  # the exact match is not a fuzzy one ...
    assert tm.fuzzy(base, include_exact=True)[0].score == 100  # ... unless asked for


def test_fuzzy_finds_what_brute_force_finds(tm):
    import random

    rnd = random.Random(7)
    seed = (ROOT_DIR / "seeds" / "000_4a826f62d946bd6d.txt").read_text(encoding="utf-8")
    chars = [c for c in seed if "\u4e00" <= c <= "\u9fff"]
    sentences = ["".join(rnd.choice(chars) for _ in range(rnd.randint(8, 30))) + "。" for _ in range(3000)]
    tm.add_many([TMUnit(s, f"t{i}") for i, s in enumerate(sentences)])
    for s in rnd.sample(sentences, 30):
        query = list(s)
        query[rnd.randrange(len(query) - 1)] = "某"
        query = "".join(query)
        brute = max(fuzz.ratio(query, k) for k in sentences if k != query)
        got = tm.fuzzy(query, include_exact=True)
        assert got and got[0].score == pytest.approx(brute, abs=0.05)


def test_tmx_import_twice_adds_nothing_and_export_round_trips(tmp_path):
    src = tmp_path / "in.tmx"
    src.write_text(
        tmx_text(
            [("会议召开。", "The meeting opened."), ("大会闭幕。", "The congress closed."), ("空。", "")]
        ),
        "utf-8",
    )
    tm_path = tmp_path / "tm.sqlite"
    first = cli("tm", "import", str(src), "--tm", str(tm_path))
    assert first.returncode == 0, first.stderr
    assert "2 units added" in first.stdout
    second = cli("tm", "import", str(src), "--tm", str(tm_path))
    assert second.returncode == 0 and "0 units added" in second.stdout
    out = tmp_path / "out.tmx"
    exp = cli("tm", "export", str(out), "--tm", str(tm_path))
    assert exp.returncode == 0, exp.stderr
    with TranslationMemory.open(tmp_path / "copy.sqlite") as copy:
        assert import_tmx(copy, out) == (2, 0)
        assert copy.exact("大会闭幕。").target == "The congress closed."
    stats = cli("tm", "stats", "--tm", str(tm_path))
    assert "2 units" in stats.stdout and "zh-CN -> en-US: 2" in stats.stdout
    look = cli("tm", "lookup", "会议召开。", "--tm", str(tm_path))
    assert look.returncode == 0 and "The meeting opened." in look.stdout


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    ],
    ids=["xxe", "billion-laughs"],
)
def test_unsafe_tmx_is_refused(tmp_path, doctype):
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        tmx_text([("会议召开。", "&xxe;" if "xxe" in doctype else "&d;")], doctype=doctype), "utf-8"
    )
    tm_path = tmp_path / "tm.sqlite"
    proc = cli("tm", "import", str(bad), "--tm", str(tm_path))
    assert proc.returncode == 2
    assert proc.stderr.startswith("workbench: error: ") and "refused unsafe XML" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    with TranslationMemory.open(tm_path) as tm:
        assert len(tm) == 0


def test_not_a_tmx(tmp_path):
    junk = tmp_path / "junk.tmx"
    junk.write_text("<html><body>no</body></html>", "utf-8")
    with (
        TranslationMemory.open(tmp_path / "tm.sqlite") as tm,
        pytest.raises(WorkbenchError, match="not a TMX"),
    ):
        import_tmx(tm, junk)
    proc = cli("tm", "import", str(tmp_path / "missing.tmx"), "--tm", str(tmp_path / "tm.sqlite"))
    assert proc.returncode == 2 and "no such file" in proc.stderr


def omegat_exported_tmx(tmp_path: Path, source: Path, memory: Path) -> Path:
    """Real OmegaT, headless: a project with ``source``, ``memory`` in tm/auto; returns its exported TMX."""
    proj = make_project(tmp_path, {source.name: source}, memory)
    run_omegat(proj, "--mode=console-translate")
    exported = sorted(proj.glob("*-omegat.tmx"))
    assert exported, f"OmegaT wrote no *-omegat.tmx: {sorted(p.name for p in proj.iterdir())}"
    return exported[0]


@pytest.mark.slow
@pytest.mark.omegat
def test_omegat_exported_tmx_fills_exact_matches(tmp_path):
    """A TMX written by the real OmegaT imports into the TM and fills the project's segments as tm-exact."""
    require_omegat()
    from workbench.formats.tmx import write_tmx
    from workbench.jobs.project import run_batch
    from workbench.records import DocumentRecord, ParagraphRecord, SegmentRecord
    from workbench.store.project import Project
    from workbench.text import load_document

    source = tmp_path / "news.txt"
    source.write_text(
        "重庆开州区妇联全力抓好在外流动妇联组织建设。\n\n"
        "哈尔滨市妇女第二十一次代表大会胜利召开。大会明确了广大妇女肩负的光荣使命。\n\n"
        "全市各级妇联要深入学习贯彻大会精神。\n",
        encoding="utf-8",
    )
    doc = load_document(source)
    sources = [s for p in doc.paragraphs for s in p.segments]
    assert len(sources) == 4
    # What a translator did in OmegaT: translations for every segment, fed to OmegaT through tm/auto.
    record = DocumentRecord(
        name="news.txt",
        paragraphs=[
            ParagraphRecord(
                i, "body", s, (1, 1), [SegmentRecord(i, 0, s, final=f"EN {i}: done.", status="approved")]
            )
            for i, s in enumerate(sources)
        ],
    )
    fed = tmp_path / "fed.tmx"
    write_tmx(record, fed)
    omegat_tmx = omegat_exported_tmx(tmp_path, source, fed)
    assert b"OmegaT" in omegat_tmx.read_bytes()

    tm_path = tmp_path / "tm.sqlite"
    proc = cli("tm", "import", str(omegat_tmx), "--tm", str(tm_path))
    assert proc.returncode == 0, proc.stderr
    assert "4 units added" in proc.stdout, proc.stdout

    def no_engine():
        raise AssertionError("every segment has an exact TM match: no MT should be needed")

    with Project.open(tmp_path / "p.wbproj", create=True) as project, TranslationMemory.open(tm_path) as tm:
        report = run_batch(project, [doc], load_engine=no_engine, tm=tm)
        assert report.tm_exact == 4
        segs = project.segments()
        assert [(s.status, s.origin) for s in segs] == [("tm-exact", "tm")] * 4
        assert [s.final for s in segs] == [f"EN {i}: done." for i in range(4)]


def test_approved_work_reaches_the_tm_and_fills_another_project(tmp_path):
    from workbench.jobs.project import run_batch
    from workbench.store.project import Project
    from workbench.text import document_from_text

    def no_engine():
        raise AssertionError("no MT needed")

    doc = document_from_text("会议召开。\n", path=str(tmp_path / "a.txt"))
    with (
        Project.open(tmp_path / "a.wbproj", create=True) as a,
        TranslationMemory.open(tmp_path / "tm.sqlite") as tm,
    ):
        doc_id = a.add_document(doc)
        seg = a.segments(doc_id)[0]
        a.set_final(seg.id, "The meeting opened.")
        a.approve(seg.id)  # approved without a TM at hand (as an XLIFF import does)
        assert run_batch(a, [doc], load_engine=no_engine, tm=tm).to_tm == 1
        assert run_batch(a, [doc], load_engine=no_engine, tm=tm).to_tm == 0
        other = document_from_text("会议召开。\n", path=str(tmp_path / "b.txt"))
        with Project.open(tmp_path / "b.wbproj", create=True) as b:
            report = run_batch(b, [other], load_engine=no_engine, tm=tm)
            assert report.tm_exact == 1
            assert [(s.status, s.final) for s in b.segments()] == [("tm-exact", "The meeting opened.")]


def index_terms(tm: TranslationMemory) -> list[tuple[str, str, int]]:
    """Every term of the TM's full-text indexes with the number of units holding it."""
    out = []
    with tm._db.write() as c:
        for table in ("unit_grams", "unit_concordance"):
            c.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
            c.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, {table}, row)"
            )
            out += [
                (table, t, n) for t, n in c.execute(f"SELECT term, doc FROM temp.v_{table} ORDER BY term")
            ]
    return out


def pair_of(unit: TMUnit | None) -> tuple[str, str] | None:
    return (unit.source, unit.target) if unit is not None else None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(
        st.tuples(
            st.text("会议召开妇联大会精神。 A1", min_size=1, max_size=12).filter(str.strip),
            st.sampled_from(["a", "b"]),
        ),
        min_size=1,
        max_size=12,
        unique=True,
    ),
    data=st.data(),
)
def test_a_removed_unit_is_gone_from_every_lookup(tmp_path_factory, pairs, data):
    """After ``remove`` (an approval undone) the TM answers exactly as one that never held the unit."""
    gone = data.draw(st.sets(st.sampled_from(pairs)))
    folder = tmp_path_factory.mktemp("tm")
    with (
        TranslationMemory.open(folder / "a.sqlite") as tm,
        TranslationMemory.open(folder / "b.sqlite") as kept,
    ):
        tm.add_many([TMUnit(s, t) for s, t in pairs])
        kept.add_many([TMUnit(s, t) for s, t in pairs if (s, t) not in gone])
        for s, t in gone:
            assert tm.remove(s, t)
            assert not tm.remove(s, t)  # once
        assert len(tm) == len(kept)
        assert index_terms(tm) == index_terms(kept)  # the prefilter's and concordance's counts too
        for s, _t in pairs:
            assert pair_of(tm.exact(s)) == pair_of(kept.exact(s))
            assert [(u.source, u.target) for u in tm.fuzzy(s, min_score=50, include_exact=True)] == [
                (u.source, u.target) for u in kept.fuzzy(s, min_score=50, include_exact=True)
            ]
            for query in {s[:2], s[-2:]} - {""}:
                assert sorted((h.source, h.target) for h in tm.concordance(query)) == sorted(
                    (h.source, h.target) for h in kept.concordance(query)
                )
        # Removed pairs can come back.
        for s, t in gone:
            assert tm.add(s, t)
            assert tm.exact(s) is not None
