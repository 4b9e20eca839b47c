"""Reading projects and memories where one cannot write; damaged and empty files stay untouched.

The privilege cases run the CLI as an unprivileged process: root with every capability dropped
(``setpriv``), so the file modes of root's own files apply to it, or the test's own user when it is
not root. They are skipped, with the reason, where neither is possible.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import ROOT, run_workbench

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"
 adminlang="en" srclang="zh-CN" datatype="plaintext"/><body>
<tu><tuv xml:lang="zh-CN"><seg>中文测试。</seg></tuv><tuv xml:lang="en-US"><seg>A Chinese test.</seg></tuv></tu>
</body></tmx>
"""


def _unprivileged_prefix(folder: Path) -> list[str]:
    """A command prefix that runs without the power to write into ``folder`` (made read-only), or skip."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop the privilege to write anywhere")
        prefix = [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"], capture_output=True
    )
    if probe.returncode == 0:
        os.unlink(folder / "probe")
        pytest.skip("this process can still write into a read-only folder (privileges could not be dropped)")
    return prefix


def _run(prefix: list[str], *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


@pytest.fixture
def filled(tmp_path, tiny_model_dir):
    """A folder with a drafted project and a TM, both closed cleanly."""
    folder = tmp_path / "shared"
    folder.mkdir()
    source = tmp_path / "a.txt"
    source.write_text("中文测试。\n", encoding="utf-8")
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    proc = run_workbench(
        "translate", str(source), "--project", str(folder / "p.wbproj"), "--no-tm", "--quiet", env=env
    )
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "t.tmx").write_text(TMX, encoding="utf-8")
    proc = run_workbench("tm", "import", str(tmp_path / "t.tmx"), "--tm", str(folder / "tm.sqlite"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["p.wbproj", "tm.sqlite"]
    return folder


@pytest.mark.slow
def test_status_export_and_tm_lookup_read_a_read_only_folder(tmp_path, filled):
    folder = filled
    for name in ("p.wbproj", "tm.sqlite"):
        (folder / name).chmod(0o444)
    folder.chmod(0o555)
    try:
        prefix = _unprivileged_prefix(folder)
        project, tm = str(folder / "p.wbproj"), str(folder / "tm.sqlite")
        status = _run(prefix, "status", project)
        assert status.returncode == 0, status.stderr
        assert "total: 1 segments" in status.stdout and "drafted 1" in status.stdout
        export = _run(prefix, "export", project, "--format", "txt", "--out", "-")
        assert export.returncode == 0 and export.stdout.strip(), export.stderr
        out = tmp_path / "out"
        out.mkdir()
        out.chmod(0o777)
        export = _run(prefix, "export", project, "--out", str(out / "p.tmx"))
        assert export.returncode == 0 and "中文测试" in (out / "p.tmx").read_text(encoding="utf-8"), (
            export.stderr
        )
        lookup = _run(prefix, "tm", "lookup", "中文测试。", "--tm", tm)
        assert lookup.returncode == 0 and "A Chinese test." in lookup.stdout, lookup.stderr
        stats = _run(prefix, "tm", "stats", "--tm", tm)
        assert stats.returncode == 0 and "1 units" in stats.stdout, stats.stderr
        # Writing still says why it cannot, in one line.
        proc = _run(prefix, "tm", "import", str(tmp_path / "t.tmx"), "--tm", tm)
        assert_one_line_error(proc, "read-only")
        assert sorted(p.name for p in folder.iterdir()) == ["p.wbproj", "tm.sqlite"]
    finally:
        folder.chmod(0o755)


def test_changes_left_in_a_wal_file_are_not_silently_ignored(filled):
    folder = filled
    project = folder / "p.wbproj"
    # A writer that dies without closing leaves its committed changes in p.wbproj-wal.
    code = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode = WAL')\n"
        "c.execute(\"INSERT OR REPLACE INTO meta (key, value) VALUES ('note', 'in the wal')\")\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(project)], check=True)
    assert (folder / "p.wbproj-wal").stat().st_size > 0
    os.unlink(folder / "p.wbproj-shm")
    folder.chmod(0o555)
    try:
        prefix = _unprivileged_prefix(folder)
        assert_one_line_error(_run(prefix, "status", str(project)), "p.wbproj-wal", "cannot be read")
    finally:
        folder.chmod(0o755)


def _damage(path: Path) -> None:
    """Wipe the schema page after its 100-byte file header (the header itself stays valid)."""
    with path.open("r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00" * 3000)


def test_a_damaged_project_gets_no_wal_or_shm_files(tmp_path, filled, tiny_model_dir):
    folder = filled
    project = folder / "p.wbproj"
    _damage(project)
    before = project.read_bytes()
    source = tmp_path / "a.txt"
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    assert_one_line_error(run_workbench("status", str(project)), "damaged")
    assert_one_line_error(run_workbench("export", str(project), "-f", "md", "-o", "-"), "damaged")
    assert_one_line_error(
        run_workbench("translate", str(source), "--project", str(project), "--no-tm", env=env), "damaged"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["p.wbproj", "tm.sqlite"]
    assert project.read_bytes() == before


def test_an_empty_project_file_is_refused_by_translate_as_by_status(tmp_path, tiny_model_dir):
    empty = tmp_path / "empty.wbproj"
    empty.write_bytes(b"")
    source = tmp_path / "a.txt"
    source.write_text("中文测试。\n", encoding="utf-8")
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    assert_one_line_error(run_workbench("status", str(empty)), "not a workbench project", "empty")
    proc = run_workbench("translate", str(source), "--project", str(empty), "--no-tm", env=env)
    assert_one_line_error(proc, "not a workbench project", "empty")
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "empty.wbproj"]


def test_a_refused_tm_import_creates_no_tm(tmp_path):
    tm = tmp_path / "tm.sqlite"
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    assert run_workbench("tm", "import", str(bad), "--tm", str(tm)).returncode == 2
    bomb = tmp_path / "bomb.tmx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx>&a;</tmx>', encoding="utf-8"
    )
    assert run_workbench("tm", "import", str(bomb), "--tm", str(tm)).returncode == 2
    assert_one_line_error(run_workbench("tm", "import", str(tmp_path), "--tm", str(tm)), "is a directory")
    assert_one_line_error(
        run_workbench("tm", "import", str(tmp_path / "t.tmx"), "--tm", str(tm), "--src-lang", "x y"), "BCP 47"
    )
    assert not tm.exists() and not Path(f"{tm}-wal").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.tmx", "bomb.tmx"]


def test_a_project_is_created_complete_with_the_usual_permissions(tmp_path):
    from workbench.store.project import Project

    with Project.open(tmp_path / "new.wbproj", create=True):
        pass
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.wbproj").stat().st_mode) == 0o666 & ~umask
    c = sqlite3.connect(tmp_path / "new.wbproj")
    assert c.execute("PRAGMA application_id").fetchone()[0] != 0
    c.close()
