"""XLIFF 1.2: valid against the official OASIS strict schema, segment states, import back into a real
project, and loaded by the real OmegaT."""

from __future__ import annotations

import re
import shutil

import pytest
from export_fixtures import make_record, omegat_available, run_cli, xliff_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from omegat_helpers import make_project, run_omegat

from workbench.formats.xliff import NS, import_xliff, read_xliff, write_xliff

Q = f"{{{NS}}}"


@pytest.fixture(scope="module")
def schema():
    return xliff_schema()


def _doc():
    d = make_record(
        [
            ("heading", [("标题", "Title")]),
            ("body", [("第一句。", "One."), ("第二句。", None), ("第三句<b>&amp;。", "Three <b>&amp;.")]),
        ],
        signature="marian beam=4",
        glossary="womens-news.tsv sha256:abc",
    )
    segs = d.segments()
    segs[0].final, segs[0].status, segs[0].origin = "The title", "approved", "human"
    segs[1].final, segs[1].status, segs[1].origin = "First.", "edited", "human"
    segs[3].status, segs[3].origin = "tm-exact", "tm"
    return d


def test_valid_against_the_strict_schema_with_states(tmp_path, schema):
    out = write_xliff(_doc(), tmp_path / "a.xlf", doc_ids=[7])
    tree = etree.parse(str(out))
    assert schema.validate(tree), schema.error_log
    units = {tu.get("id"): tu for tu in tree.iter(Q + "trans-unit")}
    assert list(units) == ["d7-p1-s1", "d7-p2-s1", "d7-p2-s2", "d7-p2-s3"]
    t = {k: tu.find(Q + "target") for k, tu in units.items()}
    assert t["d7-p1-s1"].get("state") == "signed-off" and units["d7-p1-s1"].get("approved") == "yes"
    assert t["d7-p2-s1"].get("state") == "translated" and t["d7-p2-s1"].text == "First."
    assert t["d7-p2-s2"] is None  # nothing to offer: no <target>, the tool treats it as new
    assert (
        t["d7-p2-s3"].get("state") == "translated" and t["d7-p2-s3"].get("state-qualifier") == "exact-match"
    )
    f = tree.getroot().find(Q + "file")
    assert (f.get("source-language"), f.get("target-language")) == ("zh-CN", "en-US")


def test_mt_drafts_are_marked_for_review(tmp_path, schema):
    d = make_record([("body", [("第一句。", "One.")])])
    out = write_xliff(d, tmp_path / "a.xlf")
    target = etree.parse(str(out)).getroot().find(f".//{Q}target")
    assert (target.get("state"), target.get("state-qualifier")) == (
        "needs-review-translation",
        "mt-suggestion",
    )
    assert schema.validate(etree.parse(str(out)))


def test_schema_check_is_real(tmp_path, schema):
    out = write_xliff(_doc(), tmp_path / "a.xlf")
    broken = out.read_text(encoding="utf-8").replace('state="translated"', 'state="done"', 1)
    assert not schema.validate(etree.fromstring(broken.encode()))


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["\x0c", "\ud800", "<&>"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(st.tuples(_TEXT, st.none() | _TEXT), min_size=1, max_size=3), min_size=1, max_size=3)
)
def test_any_text_gives_schema_valid_xliff(tmp_path, schema, paragraphs):
    out = write_xliff(make_record([("body", segs) for segs in paragraphs]), tmp_path / "g.xlf")
    assert schema.validate(etree.parse(str(out))), schema.error_log
    assert len(read_xliff(out)) == sum(len(s) for s in paragraphs)


@pytest.fixture
def project(tmp_path):
    from workbench.store import project as store
    from workbench.text.model import Document, Paragraph

    doc = Document(
        "news.txt",
        "utf-8",
        "simplified",
        (
            Paragraph(0, "heading", "标题", (1, 1), ("标题",)),
            Paragraph(1, "body", "第一句。第二句。第三句。", (3, 4), ("第一句。", "第二句。", "第三句。")),
        ),
    )
    path = tmp_path / "p.wbproj"
    with store.Project.open(path, create=True) as p:
        doc_id = p.add_document(doc)
        segs = p.segments(doc_id)
        for s in segs[:3]:
            p.set_draft(s.id, "MT " + s.source)
    return path, doc_id


def _edit(path, unit_id, text=None, state=None, approved=None):
    tree = etree.parse(str(path))
    tu = next(t for t in tree.iter(Q + "trans-unit") if t.get("id") == unit_id)
    target = tu.find(Q + "target")
    if target is None:
        target = etree.SubElement(tu, Q + "target")
        tu.find(Q + "source").addnext(target)
    if text is not None:
        target.text = text
    if state:
        target.set("state", state)
    if approved:
        tu.set("approved", "yes")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_round_trip_into_the_project(tmp_path, project, schema):
    from workbench.store.project import Project

    path, doc_id = project
    xlf = tmp_path / "review.xlf"
    with Project.open(path) as p:
        write_xliff(p.document_record(doc_id), xlf, doc_ids=[doc_id])
    assert schema.validate(etree.parse(str(xlf)))
    # unchanged file: importing it changes nothing
    with Project.open(path) as p:
        rep = import_xliff(xlf, p)
        assert (rep.updated, rep.approved) == (0, 0)
        assert all(s.final is None for s in p.segments(doc_id))
    ids = [tu.id for tu in read_xliff(xlf)]
    _edit(xlf, ids[0], "Headline", state="translated")
    _edit(xlf, ids[1], "The first sentence.", state="signed-off", approved=True)
    _edit(xlf, ids[3], "Third, by a reviewer.", state="translated")  # had no draft at all
    _edit(xlf, ids[2], "", state="needs-translation")
    proc = run_cli("import", str(xlf), "--project", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "3 final translation(s) updated, 1 approved" in proc.stderr
    with Project.open(path) as p:
        segs = {s.source: s for s in p.segments(doc_id)}
        assert (segs["标题"].final, segs["标题"].status, segs["标题"].origin) == (
            "Headline",
            "edited",
            "human",
        )
        assert (segs["第一句。"].final, segs["第一句。"].status) == ("The first sentence.", "approved")
        assert (segs["第二句。"].final, segs["第二句。"].draft) == (None, "MT 第二句。")
        assert segs["第三句。"].final == "Third, by a reviewer."
        assert {h.action for h in p.history()} >= {"final", "approve"}  # undoable, with history


def test_changed_source_is_skipped_not_applied(tmp_path, project):
    from workbench.store.project import Project

    path, doc_id = project
    xlf = tmp_path / "review.xlf"
    with Project.open(path) as p:
        write_xliff(p.document_record(doc_id), xlf, doc_ids=[doc_id])
    text = xlf.read_text(encoding="utf-8").replace("<source>第一句。</source>", "<source>别的句子。</source>")
    xlf.write_text(text.replace(">MT 第一句。<", ">Changed.<"), encoding="utf-8")
    with Project.open(path) as p:
        rep = import_xliff(xlf, p)
        assert rep.updated == 0 and any("source differs" in s for s in rep.skipped)
        assert all(s.final is None for s in p.segments(doc_id))


def test_import_cli_errors_are_one_line(tmp_path, project):
    path, _ = project
    bad = tmp_path / "x.xlf"
    bad.write_text("<xliff", encoding="utf-8")
    for args in (
        ["import", str(bad), "--project", str(path)],
        ["import", str(tmp_path / "none.xlf"), "-p", str(path)],
    ):
        proc = run_cli(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.startswith("workbench: error: ")


@pytest.mark.omegat
@pytest.mark.slow
@pytest.mark.skipif(not omegat_available(), reason="OmegaT is not installed (apt-get install omegat)")
def test_omegat_loads_our_xliff(tmp_path):
    """OmegaT 3.6's XLIFF filter opens the file headless without a single error.

    (Its native filter translates the ``<target>`` element, so it shows our targets as the text to work on;
    for pre-filled CAT work use ``workbench export --omegat``.)
    """
    proj = make_project(tmp_path, {})
    write_xliff(_doc(), proj / "source" / "doc.xlf")
    proc = run_omegat(proj, "--mode=console-translate")
    log = proc.stdout + proc.stderr
    assert not [line for line in log.splitlines() if re.search(r"Error|Exception", line)]
    stats = (proj / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    assert int(re.search(r"^Total:\s+(\d+)", stats, re.M).group(1)) >= 3
    out = proj / "target" / "doc.xlf"
    assert out.is_file() and etree.parse(str(out)).getroot().tag == Q + "xliff"
    shutil.rmtree(proj)
