"""The QA results a project caches per segment (schema v7): what status and the exports show is what an
uncached check shows, an edit or another glossary invalidates exactly the entries it affects, and an older
(v6) project is upgraded or, when it cannot be written, read without a change."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from conftest import run_workbench
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.records import DocumentRecord
from workbench.store import schema
from workbench.store.project import Project
from workbench.terms.checks import attach_qa, settings_key
from workbench.terms.context import GlossaryContext
from workbench.text.model import Document, Paragraph

SOURCES = (
    ("妇联召开了3次会议。", "全国妇联发布了2024年报告。"),
    ("会议强调，要团结妇女。",),
    ("妇联召开了3次会议。", "第12条 共有5项规定。", "大会明确了使命。"),
)
TARGETS = (
    "The women's federation held 3 meetings.",
    "The Women's Federation held three meetings",
    "The All-China Women's Federation released its 2024 report.",
    "The meeting stressed that women must be united.",
    "Article 12: there are 5 rules.",
    "Teh meeting made its mision clear.",
    "会议 left untranslated.",
    "",
)
GLOSSARIES = (
    "source\ttarget\n妇联\twomen's federation\n",
    "source\ttarget\n妇联\tWomen's Federation\n全国妇联\tAll-China Women's Federation\n",
    "source\ttarget\n会议\tmeeting\n团结\tunite\n",
)


def make_doc(path: Path) -> Document:
    path.write_text("\n\n".join("".join(s) for s in SOURCES), encoding="utf-8")
    paras = tuple(
        Paragraph(i, "body", "".join(segs), (2 * i + 1, 2 * i + 1), segs) for i, segs in enumerate(SOURCES)
    )
    return Document(str(path), "utf-8", "simplified", paras)


def glossary_file(folder: Path, n: int) -> Path:
    path = folder / f"glossary-{n}.tsv"
    path.write_text(GLOSSARIES[n], encoding="utf-8")
    return path


def new_project(folder: Path) -> tuple[Project, int]:
    project = Project.open(folder / "p.wbproj", create=True)
    doc_id = project.add_document(make_doc(folder / "doc.txt"))
    project.set_glossary([glossary_file(folder, 0)])
    ids = [s.id for s in project.segments(doc_id)]
    project.set_drafts([(sid, TARGETS[i % len(TARGETS)], None) for i, sid in enumerate(ids)])
    return project, doc_id


def uncached(project: Project, doc_id: int) -> DocumentRecord:
    """The record as the checks make it without any cache: terms and QA computed afresh."""
    record = project.document_record(doc_id, check_terms=False, check_qa=False)
    glossary = project.glossary()
    for seg in record.segments():
        seg.terms = glossary.check(seg.source, seg.target) if glossary and seg.target else []
    return attach_qa(record)


def cache_rows(project: Project) -> dict[int, tuple]:
    with project._db.read() as c:
        return {r[0]: tuple(r[1:]) for r in c.execute("SELECT * FROM qa_cache")}


def targets(project: Project, doc_id: int) -> dict[int, str | None]:
    return {s.id: s.target for s in project.segments(doc_id)}


# Every glossary's renderings are accepted words of the spelling check once loaded in a process (part of the
# QA settings' key): load them all first, so switching glossaries changes the term notes' key only.
for _text in GLOSSARIES:
    GlossaryContext.from_data([("g.tsv", _text.encode("utf-8"))])

n_segments = sum(len(s) for s in SOURCES)
edits = st.one_of(
    st.tuples(st.just("final"), st.integers(0, n_segments - 1), st.integers(0, len(TARGETS) - 1)),
    st.tuples(st.just("draft"), st.integers(0, n_segments - 1), st.integers(0, len(TARGETS) - 1)),
    st.tuples(st.just("approve"), st.integers(0, n_segments - 1), st.just(0)),
    st.tuples(st.just("glossary"), st.integers(0, len(GLOSSARIES) - 1), st.just(0)),
)


def apply(project: Project, folder: Path, ids: list[int], edit: tuple[str, int, int]) -> None:
    kind, a, b = edit
    if kind == "final":
        project.set_final(ids[a], TARGETS[b])
    elif kind == "draft":
        project.set_drafts([(ids[a], TARGETS[b] or "x", None)])
    elif kind == "approve" and project.segment(ids[a]).target:
        project.approve(ids[a])
    elif kind == "glossary":
        project.set_glossary([glossary_file(folder, a)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edits, min_size=1, max_size=6))
def test_cached_checks_equal_uncached_and_edits_invalidate_exactly_their_entries(steps):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, doc_id = new_project(folder)
        try:
            ids = [s.id for s in project.segments(doc_id)]
            assert project.document_record(doc_id) == uncached(project, doc_id)
            key = settings_key()
            for edit in steps:
                before_rows, before_targets = cache_rows(project), targets(project, doc_id)
                before_glossary = project.glossary_files()
                apply(project, folder, ids, edit)
                record = project.document_record(doc_id)
                assert record == uncached(project, doc_id)
                assert settings_key() == key
                after_rows, after_targets = cache_rows(project), targets(project, doc_id)
                changed = {sid for sid in ids if after_rows[sid] != before_rows[sid]}
                edited = {sid for sid in ids if after_targets[sid] != before_targets[sid]}
                if [b for _, b in project.glossary_files()] != [b for _, b in before_glossary]:
                    # Another glossary: every translated segment's term notes, and only those.
                    assert changed == {sid for sid in ids if after_targets[sid]}
                    assert all(after_rows[sid][:2] == before_rows[sid][:2] for sid in ids)
                else:
                    assert changed == edited
        finally:
            project.close()


def test_status_and_exports_read_the_cache_as_an_uncached_run_computes(tmp_path):
    project, _ = new_project(tmp_path)
    project.close()
    path = tmp_path / "p.wbproj"

    def outputs() -> list[str]:
        status = run_workbench("status", str(path), "--max-violations", "100")
        md = run_workbench("export", str(path), "-f", "md", "-o", "-")
        assert status.returncode == 0 and md.returncode == 0, status.stderr + md.stderr
        return [status.stdout, md.stdout]

    first = outputs()  # fills the cache
    with sqlite3.connect(path) as c:
        counts = c.execute("SELECT COUNT(*), COUNT(qa_key), COUNT(terms_key) FROM qa_cache").fetchone()
        assert counts == (n_segments,) * 3
    assert outputs() == first  # from the cache
    with sqlite3.connect(path) as c:
        c.execute("UPDATE qa_cache SET qa = '[[\"numbers\"', terms = 'null'")  # damaged rows: recomputed
    assert outputs() == first
    with sqlite3.connect(path) as c:
        c.execute("DELETE FROM qa_cache")
    assert outputs() == first
    assert "¶3.1 [drafted] inconsistent-target: the same source as unit ¶1.1" in first[0]
    assert "¶1.2 [drafted] numbers: number 2024 of the source is not in the target" in first[0]
    assert "glossary violations: " in first[0] and "QA findings: " in first[0]


def as_v6(path: Path) -> None:
    """Turn a project into the file the previous release wrote: schema 5 has no qa_cache table."""
    c = sqlite3.connect(path, isolation_level=None)
    try:
        c.execute("DROP TABLE qa_cache")
        c.execute("PRAGMA user_version = 6")
    finally:
        c.close()


def test_a_v6_project_is_upgraded_by_status_and_gives_the_same_answers(tmp_path):
    project, _ = new_project(tmp_path)
    project.close()
    path = tmp_path / "p.wbproj"
    expected = run_workbench("status", str(path)).stdout
    shutil.copy(path, tmp_path / "copy.wbproj")
    as_v6(path)
    result = run_workbench("status", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema.PROJECT.version
        assert c.execute("SELECT COUNT(*) FROM qa_cache").fetchone()[0] == n_segments
    as_v6(tmp_path / "copy.wbproj")
    with Project.open(tmp_path / "copy.wbproj") as opened:  # any writing open upgrades it
        assert opened._db.conn.execute("PRAGMA user_version").fetchone()[0] == schema.PROJECT.version


def test_a_read_only_v6_project_is_checked_without_a_change(tmp_path):
    project, _ = new_project(tmp_path)
    project.close()
    path = tmp_path / "p.wbproj"
    expected = run_workbench("status", str(path)).stdout
    as_v6(path)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        result = run_workbench("status", str(path))
        md = run_workbench("export", str(path), "-f", "md", "-o", "-")
    finally:
        path.chmod(0o644)
    assert result.returncode == 0 and md.returncode == 0, result.stderr + md.stderr
    assert result.stdout == expected
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("p.wbproj")) == ["p.wbproj"]


def test_progress_shows_while_a_large_cache_fills(tmp_path):
    text = "\n\n".join(f"第{i}条 共有{i % 7}项规定。" for i in range(2_500))
    source = tmp_path / "big.txt"
    source.write_text(text, encoding="utf-8")
    from workbench.text import document_from_text

    with Project.open(tmp_path / "big.wbproj", create=True) as project:
        project.add_document(document_from_text(text, str(source)))
        project.set_drafts(
            [(s.id, f"Article {i}: {i % 7} rules.", None) for i, s in enumerate(project.segments())]
        )
    first = run_workbench("status", str(tmp_path / "big.wbproj"))
    assert "QA checks" in first.stderr and "2500/2500" in first.stderr
    second = run_workbench("status", str(tmp_path / "big.wbproj"))
    assert second.stderr == "" and second.stdout.replace("big.wbproj", "") == first.stdout.replace(
        "big.wbproj", ""
    )
