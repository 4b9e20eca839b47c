"""The project file: documents, drafts, finals, approval, history and undo, structural edits, concurrency."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.records import Draft, Signature
from workbench.store.project import Project
from workbench.text.model import Document, Paragraph

ROOT_DIR = Path(__file__).resolve().parent.parent


def make_doc(path: str = "") -> Document:
    paras = (
        Paragraph(0, "heading", "妇联工作会议召开", (1, 1), ("妇联工作会议召开",)),
        Paragraph(
            1,
            "body",
            "会议听取了报告。会议强调，要团结妇女。",
            (3, 4),
            ("会议听取了报告。", "会议强调，要团结妇女。"),
        ),
        Paragraph(2, "body", "大会明确了使命。", (5, 5), ("大会明确了使命。",)),
    )
    return Document(path, "utf-8", "simplified", paras)


@pytest.fixture
def project(tmp_path):
    p = Project.open(tmp_path / "p.wbproj", create=True)
    yield p
    p.close()


def test_open_missing_without_create_is_clear(tmp_path):
    with pytest.raises(WorkbenchError, match="no such project"):
        Project.open(tmp_path / "nope.wbproj")
    assert not (tmp_path / "nope.wbproj").exists()


def test_add_document_is_idempotent_and_keeps_structure(project, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("x", encoding="utf-8")
    doc = make_doc(str(src))
    first = project.add_document(doc)
    assert project.add_document(doc) == first
    assert len(project.documents()) == 1
    info = project.documents()[0]
    assert (info.name, info.encoding, info.n_segments) == ("a.txt", "utf-8", 4)
    paras = project.paragraphs(first)
    assert [(p.index, p.kind, p.lines) for p in paras] == [
        (0, "heading", (1, 1)),
        (1, "body", (3, 4)),
        (2, "body", (5, 5)),
    ]
    assert [s.source for s in project.segments(first)] == [
        "妇联工作会议召开",
        "会议听取了报告。",
        "会议强调，要团结妇女。",
        "大会明确了使命。",
    ]
    # Changed content at the same path is a new document, not an overwrite; unchanged segments keep
    # their work.
    seg = project.segments(first)[2]
    project.set_final(seg.id, "Unite women.")
    src.write_text("y", encoding="utf-8")
    paras = list(doc.paragraphs)
    paras[1] = Paragraph(
        1,
        "body",
        "会议听取了报告。会议强调，要团结妇女。",
        (3, 4),
        ("会议听取了新报告。", "会议强调，要团结妇女。"),
    )
    second = project.add_document(Document(str(src), "utf-8", "simplified", tuple(paras)))
    assert second != first
    carried = {s.source: s for s in project.segments(second)}
    assert (carried["会议强调，要团结妇女。"].final, carried["会议强调，要团结妇女。"].status) == (
        "Unite women.",
        "edited",
    )
    assert carried["会议听取了新报告。"].status == "new"
    assert [h.action for h in project.history(carried["会议强调，要团结妇女。"].id)] == ["carry"]
    # The old version stays in the file but is no longer listed (status, export, UI see the new one).
    assert [d.id for d in project.documents()] == [second]
    assert [d.superseded_by for d in project.documents(include_superseded=True)] == [second, None]


def test_draft_final_approve_statuses_and_record(project):
    doc_id = project.add_document(make_doc())
    s0, s1, s2, s3 = project.segments(doc_id)
    sig = Signature(backend="transformers", model="tiny", beam="4")
    project.set_drafts(
        [(s0.id, Draft("Meeting held", -0.5, 3), "h0"), (s1.id, Draft("It heard.", -0.7, 3), "h1")],
        signature=sig,
    )
    assert project.segment(s0.id).status == "drafted"
    assert project.segment(s0.id).origin == "mt"
    assert project.segment(s0.id).signature == "backend=transformers, beam=4, model=tiny"
    edited = project.set_final(s1.id, "The meeting heard a report.")
    assert (edited.status, edited.origin, edited.target) == ("edited", "human", "The meeting heard a report.")
    approved = project.approve(s0.id)
    assert (approved.status, approved.final) == ("approved", "Meeting held")
    with pytest.raises(WorkbenchError, match="no translation"):
        project.approve(s3.id)
    # A later machine draft never replaces a person's final text.
    project.set_draft(s1.id, "Other draft", score=-1.0)
    after = project.segment(s1.id)
    assert (after.status, after.final, after.draft) == (
        "edited",
        "The meeting heard a report.",
        "Other draft",
    )
    assert project.counts(doc_id) == {
        "new": 2,
        "drafted": 0,
        "edited": 1,
        "reviewed": 0,
        "approved": 1,
        "tm-exact": 0,
    }
    assert [s.id for s in project.segments(doc_id, status="new")] == [s2.id, s3.id]

    rec = project.document_record(doc_id)
    assert [p.index for p in rec.paragraphs] == [0, 1, 2]
    segs = rec.segments()
    assert [s.status for s in segs] == ["approved", "edited", "new", "new"]
    assert segs[1].target == "The meeting heard a report."
    assert "model=tiny" in rec.signature


def test_history_and_undo_walk_back(project):
    doc_id = project.add_document(make_doc())
    seg = project.segments(doc_id)[1]
    project.set_draft(seg.id, "draft one", score=-1.0)
    project.set_final(seg.id, "first edit")
    project.set_final(seg.id, "second edit")
    project.approve(seg.id)
    actions = [h.action for h in project.history(seg.id)]
    assert actions == ["draft", "final", "final", "approve"]
    assert all(h.at.endswith("Z") for h in project.history(seg.id))

    assert project.undo_last(seg.id).status == "edited"
    s = project.undo_last(seg.id)
    assert (s.final, s.status) == ("first edit", "edited")
    s = project.undo_last(seg.id)
    assert (s.final, s.status, s.draft) == (None, "drafted", "draft one")
    s = project.undo_last(seg.id)
    assert (s.final, s.status, s.draft) == (None, "new", None)
    assert project.undo_last(seg.id) is None
    # The undos are in the history too.
    assert [h.action for h in project.history(seg.id)].count("undo") == 4


def test_merge_and_split_keep_unchanged_segments(project):
    doc_id = project.add_document(make_doc())
    segs = project.segments(doc_id)
    project.set_final(segs[1].id, "The meeting heard a report.")
    project.set_final(segs[3].id, "The congress set out the mission.")
    merged = project.merge_paragraphs(doc_id, 1)
    assert merged.text == "会议听取了报告。会议强调，要团结妇女。大会明确了使命。"
    assert merged.lines == (3, 5)
    assert len(project.paragraphs(doc_id)) == 2
    after = {s.source: s for s in project.segments(doc_id)}
    assert after["会议听取了报告。"].final == "The meeting heard a report."
    assert after["会议听取了报告。"].id == segs[1].id  # same row: its history stays attached
    assert after["大会明确了使命。"].final == "The congress set out the mission."

    first, second = project.split_paragraph(doc_id, 1, merged.text.index("大会"))
    assert (first.text, second.text) == ("会议听取了报告。会议强调，要团结妇女。", "大会明确了使命。")
    assert [p.index for p in project.paragraphs(doc_id)] == [0, 1, 2]
    after = project.segments(doc_id)
    assert [s.paragraph for s in after] == [0, 1, 1, 2]
    assert after[3].final == "The congress set out the mission."
    assert [h.action for h in project.history(doc_id=doc_id)] == ["merge", "split"]
    with pytest.raises(WorkbenchError, match="empty"):
        project.split_paragraph(doc_id, 2, 0)
    with pytest.raises(WorkbenchError, match="last one"):
        project.merge_paragraphs(doc_id, 2)


def test_split_mid_sentence_keeps_old_final_in_history(project):
    doc_id = project.add_document(make_doc())
    seg = project.segments(doc_id)[3]
    project.set_final(seg.id, "The congress set out the mission.")
    project.split_paragraph(doc_id, 2, 2)  # cuts "大会明确了使命。" in two: the segment changes
    assert all(s.final is None for s in project.segments(doc_id)[3:])
    split = project.history(doc_id=doc_id)[-1]
    assert split.before["removed_segments"][0]["final"] == "The congress set out the mission."


def test_fuzzy_matches_stored_for_ui(project):
    from workbench.store.project import FuzzyMatch

    doc_id = project.add_document(make_doc())
    seg = project.segments(doc_id)[2]
    project.set_fuzzy_matches(seg.id, [FuzzyMatch(88.9, "会议强调，要团结广大妇女。", "Unite women.", "tm")])
    assert project.fuzzy_matches(seg.id)[0].score == 88.9
    project.set_fuzzy_matches(seg.id, [])
    assert project.fuzzy_matches(seg.id) == []


def test_each_edit_is_committed_at_once(project, tmp_path):
    doc_id = project.add_document(make_doc())
    seg = project.segments(doc_id)[0]
    project.set_final(seg.id, "Visible to others")
    # Another connection (another process would see the same) sees it without any close or flush.
    other = sqlite3.connect(tmp_path / "p.wbproj")
    assert (
        other.execute("SELECT final FROM segments WHERE id = ?", (seg.id,)).fetchone()[0]
        == "Visible to others"
    )
    other.close()


WRITER = """
import sys
from workbench.store.project import Project
path, parity = sys.argv[1], int(sys.argv[2])
with Project.open(path) as w:
    for seg in w.segments():
        if seg.index % 2 == parity:
            w.set_final(seg.id, f"{parity}:{seg.source}")
"""


def _numbered_doc(n: int) -> Document:
    return Document(
        "", "utf-8", "simplified", (Paragraph(0, "body", "", (1, 1), tuple(f"第{i}句。" for i in range(n))),)
    )


def test_reader_and_two_writers_in_other_processes(tmp_path):
    """A UI-like reader here while two batch-like writer processes edit the same file: no error, no lost edit."""
    import subprocess
    import sys

    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(_numbered_doc(300))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(k)], cwd=ROOT_DIR, stderr=subprocess.PIPE, text=True
        )
        for k in (0, 1)
    ]
    reads = 0
    with Project.open(path) as reader:
        while any(pr.poll() is None for pr in procs) or reads == 0:
            rec = reader.document_record(doc_id)
            for s in rec.segments():
                assert s.final in (None, f"{s.index % 2}:{s.source}")
            reads += 1
    for pr in procs:
        _, err = pr.communicate(timeout=60)
        assert pr.returncode == 0, err
    with Project.open(path) as p:
        segs = p.segments(doc_id)
        assert [s.final for s in segs] == [f"{s.index % 2}:{s.source}" for s in segs]
        assert p.counts(doc_id)["edited"] == 300
        assert len(p.history()) == 300
    assert reads > 1


def test_opening_a_project_again_in_one_process_keeps_the_first_connections_locks(tmp_path):
    """POSIX drops every lock a process holds on a file when any descriptor of it closes: opening the
    project a second time (a UI open, then a look at the file) must not read it raw, or a writer in
    another process takes itself for the last user and deletes the -wal/-shm under our connection."""
    import subprocess
    import sys

    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(_numbered_doc(20))
    with Project.open(path) as held:
        held.segments(doc_id)
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        with Project.open(path) as again:  # the header check of a file this process holds open
            again.segments(doc_id)
        run = subprocess.run(
            [sys.executable, "-c", WRITER, str(path), "0"],
            cwd=ROOT_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        assert wal.exists() and shm.exists()  # still ours: the writer knew it was not the last user
        finals = {s.index: s.final for s in held.segments(doc_id)}
        assert finals[0] == "0:第0句。" and finals[1] is None
