"""A kill during a checkpoint leaves a project (or TM) that opens, and a refused file is left as it was.

The kill is injected with ``strace``: SIGKILL at the third ``pwrite64`` to the database file itself,
which in WAL mode happens only while SQLite copies the ``-wal`` into the file (a checkpoint). The file is
then shorter than its header says, every page still in the ``-wal``: SQLite recovers it from there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import ROOT, run_workbench

from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.text import document_from_text

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(
    STRACE is None,
    reason="strace is not installed (scripts/setup.sh installs it): the kill cannot be injected",
)
N = 2000

ADD_DOCUMENT = f"""
import sys
from workbench.store.project import Project
from workbench.text import document_from_text
text = "\\n\\n".join(f"第{{i}}条 这是第{{i}}段的内容，用于测试检查点。" for i in range({N}))
with Project.open(sys.argv[1]) as p:
    p.add_document(document_from_text(text, sys.argv[1] + ".txt"))
"""

ADD_UNITS = f"""
import sys
from workbench.store.tm import TMUnit, TranslationMemory
with TranslationMemory.open(sys.argv[1]) as tm:
    tm.add_many([TMUnit(f"第{{i}}条 这是第{{i}}段的内容。", f"Article {{i}} is here.") for i in range({N})])
"""


def kill_at_checkpoint(path: Path, script: str) -> None:
    """Run ``script`` on ``path`` under strace, killed at its third write to ``path`` itself."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            STRACE,
            "-f",
            "-qq",
            "-o",
            os.devnull,
            "-e",
            "trace=pwrite64",
            "-P",
            str(path.resolve()),
            "-e",
            "inject=pwrite64:signal=SIGKILL:when=3",
            sys.executable,
            "-c",
            script,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode in (-9, 137), (proc.returncode, proc.stderr)
    head = path.read_bytes()[:100]
    claimed = int.from_bytes(head[28:32], "big") * int.from_bytes(head[16:18], "big")
    assert claimed > path.stat().st_size, "the kill did not land inside the checkpoint"
    assert Path(f"{path}-wal").stat().st_size > 0


def integrity(path: Path) -> str:
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return c.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        c.close()


@needs_strace
def test_a_project_killed_in_a_checkpoint_opens_in_every_command(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True):
        pass
    kill_at_checkpoint(path, ADD_DOCUMENT)
    proc = run_workbench("status", str(path))
    assert proc.returncode == 0, proc.stderr
    assert f"{N} segments" in proc.stdout
    proc = run_workbench("export", str(path), "--out", str(tmp_path / "p.tmx"), "--include-untranslated")
    assert proc.returncode == 0, proc.stderr
    proc = run_workbench("project", "backup", str(path), str(tmp_path / "copy.wbproj"))
    assert proc.returncode == 0 and f"{N} segment(s)" in proc.stdout, proc.stderr
    # Opening it for writing (as a resumed translate does) puts the -wal into the file for good.
    with Project.open(path) as p:
        assert len(p.segments()) == N
    assert not Path(f"{path}-wal").exists()
    assert integrity(path) == "ok"


@needs_strace
def test_a_tm_killed_in_a_checkpoint_opens(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    with TranslationMemory.open(path):
        pass
    kill_at_checkpoint(path, ADD_UNITS)
    proc = run_workbench("tm", "stats", "--tm", str(path))
    assert proc.returncode == 0 and f"{N} units" in proc.stdout, proc.stderr


def test_a_file_without_its_wal_that_is_truncated_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        p.add_document(document_from_text("\n\n".join(f"第{i}条 测试。" for i in range(500)), "d.txt"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 // 4096 * 4096])
    assert_one_line_error(run_workbench("status", str(path)), "damaged", "truncated")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal-mode-with-wal"])
def test_an_sqlite_file_of_another_program_is_refused_unchanged(tmp_path: Path, wal: bool) -> None:
    other = tmp_path / "other.db"
    keeper = sqlite3.connect(other, isolation_level=None)
    if wal:
        keeper.execute("PRAGMA journal_mode = WAL")
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
    keeper.execute("CREATE TABLE t (x)")
    keeper.execute("INSERT INTO t VALUES (1)")
    before = {
        p.name: _sha(p) for p in tmp_path.iterdir() if p.name.startswith("other.db") and "-shm" not in p.name
    }
    mode = keeper.execute("PRAGMA journal_mode").fetchone()[0]
    for args in (
        ("status", str(other)),
        ("tm", "stats", "--tm", str(other)),
        ("export", str(other), "--out", str(tmp_path / "x.tmx")),
        ("project", "backup", str(other), str(tmp_path / "b.db")),
    ):
        assert_one_line_error(run_workbench(*args), "another program")
    with pytest.raises(Exception, match="another program"):
        Project.open(other, create=True)
    after = {
        p.name: _sha(p) for p in tmp_path.iterdir() if p.name.startswith("other.db") and "-shm" not in p.name
    }
    assert after == before
    assert keeper.execute("PRAGMA journal_mode").fetchone()[0] == mode
    keeper.close()
