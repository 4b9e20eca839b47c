"""A project moves with its sources: moved (or reached through another path), the same command finds its
documents again, drafts nothing twice, and the exports carry the work a person approved."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import run_workbench

from workbench.store.project import Project

pytestmark = pytest.mark.slow

TEXT = "全国妇联召开会议。会议听取了报告。\n\n巾帼建功活动开展。大家一起学习。\n"


def translate(folder: Path, model: Path) -> object:
    return run_workbench(
        "translate", str(folder / "doc.txt"), "--project", str(folder / "p.wbproj"), "--out", str(folder / "out"),
        "--model", str(model), "--beam", "1", "--threads", "1", "--no-tm", "--quiet", cwd=folder,
    )  # fmt: skip


def test_a_moved_project_keeps_its_documents_and_human_work(tmp_path: Path, tiny_model_dir: Path) -> None:
    first = tmp_path / "a"
    first.mkdir()
    (first / "doc.txt").write_text(TEXT, encoding="utf-8")
    assert translate(first, tiny_model_dir).returncode == 0
    with Project.open(first / "p.wbproj") as p:
        seg = p.segments()[0]
        p.set_final(seg.id, "The All-China Women's Federation held a meeting.")
        p.approve(seg.id)
        n = len(p.segments())

    moved = tmp_path / "elsewhere" / "b"
    moved.parent.mkdir()
    shutil.move(first, moved)
    again = translate(moved, tiny_model_dir)
    assert again.returncode == 0, again.stderr
    assert "0 drafted" in again.stdout  # nothing drafted again
    with Project.open(moved / "p.wbproj") as p:
        docs = p.documents(include_superseded=True)
        assert len(docs) == 1 and docs[0].path == str((moved / "doc.txt").resolve())
        assert len(p.segments()) == n
    with sqlite3.connect(moved / "p.wbproj") as c:
        assert c.execute("SELECT COUNT(*) FROM history WHERE action = 'draft'").fetchone()[0] == n
    assert "The All-China Women's Federation held a meeting." in (moved / "out" / "doc.md").read_text(
        encoding="utf-8"
    )
    assert "The All-China Women's Federation held a meeting." in (moved / "out" / "doc.tmx").read_text(
        encoding="utf-8"
    )

    # A changed source at the moved place is a new version of the same document: the work carries over.
    (moved / "doc.txt").write_text(TEXT + "\n天气很好。\n", encoding="utf-8")
    changed = translate(moved, tiny_model_dir)
    assert changed.returncode == 0, changed.stderr
    with Project.open(moved / "p.wbproj") as p:
        current = p.documents()
        assert len(current) == 1 and len(p.documents(include_superseded=True)) == 2
        approved = [s for s in p.segments() if s.status == "approved"]
        assert [s.final for s in approved] == ["The All-China Women's Federation held a meeting."]
