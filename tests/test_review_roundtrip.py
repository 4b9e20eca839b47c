"""The review round trip: a Word review table (source | translation | comment | status) exported from a
project, edited as a reviewer would in Word (python-docx) or LibreOffice, and imported back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import run_workbench as cli

from workbench.records import Status
from workbench.store.project import Project
from workbench.text import document_from_text

SOURCE = "会议召开。妇联开会。\n\n代表发言。大会闭幕。\n\n巾帼建功。未译句子。\n"
DRAFTS = [
    "The meeting opened.",
    "The federation met.",
    "Delegates spoke.",
    "The congress closed.",
    "Women excel.",
]


def _project(folder: Path) -> Path:
    path = folder / "p.wbproj"
    src = folder / "news.txt"
    src.write_text(SOURCE, encoding="utf-8")
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(document_from_text(SOURCE, str(src)))
        segs = p.segments(doc_id)
        assert len(segs) == 6
        for seg, draft in zip(segs, DRAFTS, strict=False):
            p.set_draft(seg.id, draft)
        p.set_final(segs[2].id, "The delegates spoke.")
        p.set_comment(segs[3].id, "Closed or adjourned?", who="translator")
    return path


def _segments(path: Path):
    with Project.open(path, readonly=True) as p:
        return p.segments()


def _export(path: Path, out: Path) -> Path:
    r = cli("export", str(path), "--out", str(out), "--layout", "table")
    assert r.returncode == 0, r.stderr
    return out


def _edit_like_word(review: Path, edited: Path) -> None:
    """Change row 1's translation, add a comment to row 2, delete row 3, approve row 4 and change row 5's source."""
    d = docx.Document(str(review))
    table = d.tables[0]
    rows = table.rows
    assert [c.text for c in rows[0].cells] == ["source (zh-CN)", "translation (en-US)", "comment", "status"]
    rows[1].cells[1].paragraphs[0].runs[0].text = "The meeting was opened."
    rows[2].cells[2].paragraphs[0].add_run("Use ACWF?")
    rows[4].cells[3].paragraphs[0].runs[0].text = "approved"
    rows[5].cells[0].paragraphs[0].runs[0].text = "巾帼建功活动。"
    rows[5].cells[1].paragraphs[0].runs[0].text = "Changed but unmatched."
    table._tbl.remove(rows[3]._tr)
    d.save(str(edited))


@pytest.fixture
def reviewed(tmp_path):
    path = _project(tmp_path)
    review = _export(path, tmp_path / "news.review.docx")
    rows = [[c.text for c in r.cells] for r in docx.Document(str(review)).tables[0].rows]
    assert rows[1:] == [
        ["会议召开。", "The meeting opened.", "", "drafted"],
        ["妇联开会。", "The federation met.", "", "drafted"],
        ["代表发言。", "The delegates spoke.", "", "edited"],
        ["大会闭幕。", "The congress closed.", "Closed or adjourned?", "drafted"],
        ["巾帼建功。", "Women excel.", "", "drafted"],
        ["未译句子。", "", "", "new"],
    ]
    edited = tmp_path / "edited.docx"
    _edit_like_word(review, edited)
    return path, edited


def _check_imported(path: Path, r: subprocess.CompletedProcess) -> None:
    assert r.returncode == 0, r.stderr
    assert "row 4: source '巾帼建功活动。' no longer matches the project; skipped" in r.stderr
    assert "1 translation(s) changed, 1 comment(s), 1 status change(s)" in r.stderr
    s = _segments(path)
    assert (s[0].final, s[0].status) == ("The meeting was opened.", Status.REVIEWED)
    assert (s[1].comment, s[1].status, s[1].final) == ("Use ACWF?", Status.DRAFTED, None)
    assert (s[2].final, s[2].status) == ("The delegates spoke.", Status.EDITED)  # its row was deleted
    assert (s[3].final, s[3].status, s[3].comment) == (
        "The congress closed.",
        Status.APPROVED,
        "Closed or adjourned?",
    )
    assert (s[4].final, s[4].status) == (None, Status.DRAFTED)  # the row with the changed source
    with Project.open(path, readonly=True) as p:
        last = p.history(s[0].id)[-1]
    assert (last.action, last.who, last.after["status"]) == ("review", "Li Hua", "reviewed")


def test_review_table_edited_like_word_comes_back(reviewed):
    path, edited = reviewed
    r = cli("import", str(path), str(edited), "--reviewer", "Li Hua")
    _check_imported(path, r)
    # Importing the same file again changes nothing.
    before = _segments(path)
    r = cli("import", str(path), str(edited), "--reviewer", "Li Hua")
    assert r.returncode == 0 and "0 translation(s) changed, 0 comment(s), 0 status change(s)" in r.stderr
    assert _segments(path) == before
    # Undoable like any change.
    with Project.open(path) as p:
        seg = p.undo_last(before[0].id)
    assert (seg.final, seg.status) == (None, Status.DRAFTED)


def test_the_name_comes_from_the_settings(reviewed, tmp_path):
    path, edited = reviewed
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "settings.toml").write_text('name = "Li Hua"\n', encoding="utf-8")
    r = cli(
        "import", str(edited), "--project", str(path), env={"WORKBENCH_CONFIG_DIR": str(tmp_path / "config")}
    )
    _check_imported(path, r)


def test_an_impossible_row_changes_nothing(reviewed, tmp_path):
    path, edited = reviewed
    d = docx.Document(str(edited))
    last = d.tables[0].rows[-1]
    assert last.cells[0].text == "未译句子。"
    last.cells[3].paragraphs[0].runs[0].text = "approved"  # nothing to approve
    d.save(str(edited))
    before = _segments(path)
    r = cli("import", str(path), str(edited))
    assert r.returncode == 2 and r.stderr.startswith("workbench: error:") and "no translation" in r.stderr
    assert _segments(path) == before


def test_not_a_review_table_is_refused(tmp_path):
    path = _project(tmp_path)
    d = docx.Document()
    d.add_paragraph("hello")
    d.save(str(tmp_path / "x.docx"))
    r = cli("import", str(path), str(tmp_path / "x.docx"))
    assert r.returncode == 2 and "no review table" in r.stderr and len(r.stderr.splitlines()) == 1


def test_review_table_saved_by_libreoffice_comes_back(reviewed, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: bash scripts/setup.sh installs it")
    path, edited = reviewed
    out = tmp_path / "lo"
    conv = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(edited)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert conv.returncode == 0, conv.stderr
    saved = out / "edited.docx"
    assert saved.read_bytes() != edited.read_bytes()
    r = cli("import", str(path), str(saved), "--reviewer", "Li Hua")
    _check_imported(path, r)


def test_comments_go_into_xliff_and_tmx_notes(tmp_path):
    path = _project(tmp_path)
    for suffix, needle in ((".xlf", '<note from="comment">Closed or adjourned?</note>'),
                           (".tmx", "<note>comment: Closed or adjourned?</note>")):  # fmt: skip
        r = cli("export", str(path), "--out", str(tmp_path / f"out{suffix}"))
        assert r.returncode == 0, r.stderr
        assert needle in (tmp_path / f"out{suffix}").read_text(encoding="utf-8")


def test_a_schema_3_project_gains_reviewed_and_comments_keeping_its_work(tmp_path):
    from workbench.store import schema
    from workbench.store.db import FileKind, open_database

    path = tmp_path / "old.wbproj"
    v3 = FileKind("project", schema.PROJECT_APP_ID, 3, {n: schema.PROJECT.migrations[n] for n in (1, 2, 3)})
    conn = open_database(path, v3, create=True)
    conn.execute("INSERT INTO documents (id, path, name, encoding, script, source_hash, added) "
                 "VALUES (1, '/x/a.txt', 'a.txt', 'utf-8', 'simplified', 'h', 't')")  # fmt: skip
    conn.execute("INSERT INTO paragraphs VALUES (1, 1, 0, 'body', '会议召开。', 1, 1)")
    conn.execute(
        "INSERT INTO segments (id, paragraph_id, position, source, draft, final, status, origin, updated) "
        "VALUES (1, 1, 0, '会议召开。', 'Meeting opened.', 'The meeting opened.', 'edited', 'human', 't')"
    )
    conn.execute("INSERT INTO fuzzy_matches VALUES (1, 0, 80.0, '会议召开了。', 'It opened.', '')")
    before = '{"draft": "Meeting opened.", "final": null, "status": "drafted", "origin": "mt"}'
    after = (
        '{"draft": "Meeting opened.", "final": "The meeting opened.", "status": "edited", "origin": "human"}'
    )
    conn.execute("INSERT INTO history (segment_id, at, action, before, after) VALUES (1, 't', 'final', ?, ?)",
                 (before, after))  # fmt: skip
    conn.close()
    with Project.open(path) as p:
        assert p.fuzzy_matches(1)[0].target == "It opened."
        assert len(p.history(1)) == 1
        p.set_comment(1, "Check the tense.", who="Li Hua")
        p.set_status(1, Status.REVIEWED, who="Li Hua")
        seg = p.segment(1)
        assert (seg.status, seg.comment) == (Status.REVIEWED, "Check the tense.")
        p.undo_last(1)  # the status
        p.undo_last(1)  # the comment
        seg = p.undo_last(1)  # the old entry, recorded before comments existed: the comment stays as it is
        assert (seg.status, seg.final, seg.comment) == (Status.DRAFTED, None, "")
