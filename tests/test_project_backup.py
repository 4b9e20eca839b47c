"""The project file alone holds every commit, and ``workbench project backup`` copies it consistently.

Real SQLite files and real ``python -m workbench`` processes throughout.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import run_workbench

from workbench.store.project import Project
from workbench.text import document_from_text

TEXT = "全国妇联召开会议。巾帼建功活动在各地开展。\n\n妇联组织是妇女的娘家人。美丽庭院建设持续推进。\n"


def make_project(path: Path) -> list[int]:
    with Project.open(path, create=True) as p:
        p.add_document(document_from_text(TEXT, str(path.parent / "news.txt")))
        return [s.id for s in p.segments()]


def finals_of(path: Path) -> dict[int, str]:
    """Final texts, read straight from one file with SQLite (``immutable``: nothing beside it is read)."""
    c = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return dict(c.execute("SELECT id, final FROM segments WHERE final IS NOT NULL"))
    finally:
        c.close()


def test_every_commit_is_in_the_project_file_itself_while_it_is_open(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    ids = make_project(path)
    with Project.open(path) as p:
        p.set_final(ids[0], "The All-China Women's Federation held a meeting.")
        p.set_drafts([(ids[1], "Women's achievement campaigns are under way.", None)])
        p.approve(ids[1])
        # The program still has the project open (as the UI would); a copy of the file alone is complete.
        alone = tmp_path / "copy" / "p.wbproj"
        alone.parent.mkdir()
        shutil.copyfile(path, alone)
        assert finals_of(alone) == {
            ids[0]: "The All-China Women's Federation held a meeting.",
            ids[1]: "Women's achievement campaigns are under way.",
        }
        assert Path(f"{path}-wal").exists()  # still in WAL mode while open
    # A clean close leaves the one file.
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


@pytest.mark.slow
def test_backup_holds_commits_that_a_reader_keeps_out_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    ids = make_project(path)
    with Project.open(path) as p:
        # Another program reading the project (an open read transaction) stops the checkpoint at its
        # snapshot: the new commit stays in the -wal, and a plain copy of the file misses it.
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM segments").fetchone()
        p.set_final(ids[2], "The women's federation is women's natal family.")
        alone = tmp_path / "alone.wbproj"
        shutil.copyfile(path, alone)
        assert ids[2] not in finals_of(alone)

        done = run_workbench("project", "backup", str(path), str(tmp_path / "backup.wbproj"))
        assert done.returncode == 0, done.stderr
        assert (
            done.stdout.strip()
            == f"{tmp_path / 'backup.wbproj'}: 1 document(s), 4 segment(s) (new 3, edited 1)"
        )
        reader.close()
    backup = tmp_path / "backup.wbproj"
    assert finals_of(backup) == {ids[2]: "The women's federation is women's natal family."}
    assert not Path(f"{backup}-wal").exists()
    # The backup is a project of its own: status reads it from another folder.
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.move(backup, moved / "backup.wbproj")
    status = run_workbench("status", str(moved / "backup.wbproj"))
    assert status.returncode == 0, status.stderr
    assert "edited 1" in status.stdout


def test_backup_into_a_folder_keeps_the_name_and_refuses_what_it_should(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    make_project(path)
    folder = tmp_path / "backups"
    folder.mkdir()
    first = run_workbench("project", "backup", str(path), str(folder))
    assert first.returncode == 0, first.stderr
    assert (folder / "p.wbproj").is_file()

    again = run_workbench("project", "backup", str(path), str(folder))
    assert (again.returncode, again.stderr) == (
        2,
        f"workbench: error: {folder / 'p.wbproj'}: exists; use --force to replace it\n",
    )
    assert run_workbench("project", "backup", str(path), str(folder), "--force").returncode == 0

    itself = run_workbench("project", "backup", str(path), str(tmp_path))
    assert itself.returncode == 2
    assert itself.stderr == f"workbench: error: {path}: is the project itself; give another file or folder\n"

    missing = run_workbench("project", "backup", str(path), str(tmp_path / "no" / "b.wbproj"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr

    not_a_project = tmp_path / "notes.wbproj"
    not_a_project.write_text("hello", encoding="utf-8")
    refused = run_workbench("project", "backup", str(not_a_project), str(tmp_path / "b.wbproj"))
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "not a workbench project" in refused.stderr
    assert not (tmp_path / "b.wbproj").exists()
    # Nothing but the copies was written: no temporary files left anywhere.
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "notes.wbproj",
        "p.wbproj",
        "p.wbproj",
    ]


def test_reading_a_project_leaves_no_files_beside_it(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    make_project(path)
    for args in (["status", str(path)], ["export", str(path), "--out", str(tmp_path / "out.tmx")]):
        done = run_workbench(*args)
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tmx", "p.wbproj"]
