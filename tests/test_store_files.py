"""Bad project and TM files: each gives one clear line and leaves the file byte-for-byte untouched."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from conftest import run_workbench as cli

from workbench.errors import WorkbenchError
from workbench.store import schema
from workbench.store.db import FileKind, open_database
from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.text.model import Document, Paragraph


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: error: "), proc.stderr
    for n in needles:
        assert n in lines[0], lines[0]
    assert "Traceback" not in proc.stderr


def translate_into(project: Path, tmp: Path, model: Path | None = None) -> subprocess.CompletedProcess:
    """``workbench translate --project`` on a small file. Without ``model`` it names a missing one: a bad
    existing project is refused before the model is looked for."""
    src = tmp / "src.txt"
    src.write_text("会议召开。大会闭幕。\n", encoding="utf-8")
    return cli("translate", str(src), "--project", str(project), "--no-tm", "--model", str(model or tmp / "no-model"),
               "--out", str(tmp / "out"))  # fmt: skip


def big_doc(n: int = 400) -> Document:
    paras = tuple(
        Paragraph(
            i,
            "body",
            f"这是第{i}段，内容是关于妇联工作的一个比较长的句子，用来占据几页数据。",
            (i + 1, i + 1),
            (f"这是第{i}段，内容是关于妇联工作的一个比较长的句子，用来占据几页数据。",),
        )
        for i in range(n)
    )
    return Document("", "utf-8", "simplified", paras)


@pytest.fixture
def saved_project(tmp_path) -> Path:
    path = tmp_path / "p.wbproj"
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(big_doc())
        for s in p.segments(doc_id)[:50]:
            p.set_final(s.id, "Done.")
    # Closing checkpoints the WAL: the whole project is now in this one file.
    assert not (tmp_path / "p.wbproj-wal").exists() or (tmp_path / "p.wbproj-wal").stat().st_size == 0
    return path


@pytest.mark.slow
def test_status_of_a_good_project(saved_project):
    proc = cli("status", str(saved_project))
    assert proc.returncode == 0, proc.stderr
    assert "edited 50" in proc.stdout and "new 350" in proc.stdout
    assert "remaining: 350 to draft, 400 to approve" in proc.stdout
    assert cli("status", str(saved_project), "--check").returncode == 1
    # "Done." is no translation of 这是第3段…: the QA checks say so, listed like glossary violations.
    assert "QA findings: 150 (inconsistent-source 50, length 50, numbers 50)" in proc.stdout
    assert "untitled ¶4.1 [edited] numbers: number 第3 (3) of the source is not in the target" in proc.stdout
    assert "  ... and 130 more" in proc.stdout
    with Project.open(saved_project) as p:
        for s in p.segments():
            n = s.source.removeprefix("这是第").split("段")[0]
            p.set_final(s.id, f"This is paragraph {n}, a rather long sentence about the work of the women's "
                        "federation, to fill a few pages of data.")  # fmt: skip
            p.approve(s.id)
    done = cli("status", str(saved_project), "--check")
    assert done.returncode == 0, done.stdout
    assert "QA findings: 0" in done.stdout
    assert "remaining: 0 to draft, 0 to approve" in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("cut", ["half", "header", "odd"])
def test_truncated_project(saved_project, cut):
    data = saved_project.read_bytes()
    size = {"half": len(data) // 2, "header": 60, "odd": len(data) - 1000}[cut]
    saved_project.write_bytes(data[:size])
    before = digest(saved_project)
    with pytest.raises(WorkbenchError, match="damaged"):
        Project.open(saved_project)
    assert_one_line_error(cli("status", str(saved_project)), "damaged", str(saved_project))
    assert_one_line_error(translate_into(saved_project, saved_project.parent), "damaged")
    assert digest(saved_project) == before
    assert not Path(f"{saved_project}-wal").exists()


def test_corrupted_pages(saved_project):
    data = bytearray(saved_project.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    # Scribble over the b-tree pages of the data (not the header page).
    for pgno in range(3, len(data) // page, 2):
        data[pgno * page + 8 : pgno * page + 200] = os.urandom(192)
    saved_project.write_bytes(bytes(data))
    before = digest(saved_project)
    with pytest.raises(WorkbenchError, match="damaged"):
        Project.open(saved_project)
    assert_one_line_error(cli("status", str(saved_project)), "damaged")
    assert digest(saved_project) == before


def test_not_a_project(tmp_path):
    text = tmp_path / "notes.wbproj"
    text.write_text("hello, this is a text file\n" * 50, encoding="utf-8")
    other = tmp_path / "other.db"
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE t (x)")
    c.commit()
    c.close()
    empty = tmp_path / "empty.wbproj"
    empty.write_bytes(b"")
    for path in (text, other, empty):
        before = digest(path)
        with pytest.raises(WorkbenchError, match="not a workbench project"):
            Project.open(path, create=path is not empty)
        assert_one_line_error(cli("status", str(path)), "not a workbench project")
        assert digest(path) == before
    # A TM file is not a project and vice versa.
    with TranslationMemory.open(tmp_path / "tm.sqlite"):
        pass
    with pytest.raises(WorkbenchError, match="not a workbench project"):
        Project.open(tmp_path / "tm.sqlite")
    with pytest.raises(WorkbenchError, match="not a workbench translation memory"):
        TranslationMemory.open(Path(other))


def test_creation_is_atomic_and_an_empty_file_is_never_taken_over(tmp_path):
    # Creation writes the schema to a temporary file and links it into place: a killed creation
    # leaves no empty file, so an empty .wbproj is not ours and is refused, whatever the command.
    made = tmp_path / "new.wbproj"
    with Project.open(made, create=True) as p:
        assert p.documents() == []
    assert sorted(f.name for f in tmp_path.iterdir()) == ["new.wbproj"]
    empty = tmp_path / "empty.wbproj"
    empty.write_bytes(b"")
    with pytest.raises(WorkbenchError, match="an empty file"):
        Project.open(empty, create=True)
    assert empty.read_bytes() == b""
    blank = tmp_path / "blank.wbproj"
    sqlite3.connect(blank).execute("PRAGMA journal_mode = WAL").close()  # an SQLite file with nothing in it
    with Project.open(blank, create=True) as p:
        assert p.documents() == []


def test_newer_schema(saved_project):
    c = sqlite3.connect(saved_project)
    c.execute(f"PRAGMA user_version = {schema.PROJECT.version + 7}")
    c.commit()
    c.close()
    before = digest(saved_project)
    with pytest.raises(WorkbenchError, match=rf"newer workbench \(schema {schema.PROJECT.version + 7}"):
        Project.open(saved_project)
    with pytest.raises(WorkbenchError, match="upgrade"):
        Project.open(saved_project, readonly=True)
    assert_one_line_error(cli("status", str(saved_project)), "newer workbench", "upgrade")
    assert_one_line_error(translate_into(saved_project, saved_project.parent), "newer workbench")
    assert digest(saved_project) == before


def test_forward_migration_keeps_data(tmp_path):
    v1 = FileKind("thing", 0x1234, 1, {1: lambda c: c.execute("CREATE TABLE items (name TEXT)")})
    conn = open_database(tmp_path / "x.db", v1, create=True)
    conn.execute("INSERT INTO items VALUES ('kept')")
    conn.close()
    v2 = FileKind(
        "thing",
        0x1234,
        2,
        {1: v1.migrations[1], 2: lambda c: c.execute("ALTER TABLE items ADD COLUMN n INTEGER DEFAULT 5")},
    )
    conn = open_database(tmp_path / "x.db", v2)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert [tuple(r) for r in conn.execute("SELECT name, n FROM items")] == [("kept", 5)]
    conn.close()

    # A failing migration rolls back: still version 2, data intact.
    def boom(c):
        c.execute("DROP TABLE items")
        raise RuntimeError("migration bug")

    v3 = FileKind("thing", 0x1234, 3, {**v2.migrations, 3: boom})
    with pytest.raises(RuntimeError):
        open_database(tmp_path / "x.db", v3)
    conn = open_database(tmp_path / "x.db", v2)
    assert [tuple(r) for r in conn.execute("SELECT name FROM items")] == [("kept",)]
    conn.close()


def test_project_from_schema_1_is_migrated(tmp_path):
    """A project written by the first release opens in this one, its work intact."""
    path = tmp_path / "old.wbproj"
    v1 = FileKind("project", schema.PROJECT_APP_ID, 1, {1: schema.PROJECT.migrations[1]})
    conn = open_database(path, v1, create=True)
    conn.execute("INSERT INTO documents VALUES (1, '/x/a.txt', 'a.txt', 'utf-8', 'simplified', 'h', 't')")
    conn.execute("INSERT INTO paragraphs VALUES (1, 1, 0, 'body', '会议召开。', 1, 1)")
    conn.execute(
        "INSERT INTO segments (id, paragraph_id, position, source, final, status, origin, updated) "
        "VALUES (1, 1, 0, '会议召开。', 'The meeting opened.', 'approved', 'human', 't')"
    )
    conn.close()
    # Read-only (status, export): the old file is read through an upgraded copy, itself untouched.
    path.chmod(0o444)
    before = digest(path)
    proc = cli("status", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "approved 1" in proc.stdout
    assert digest(path) == before
    path.chmod(0o644)
    with Project.open(path) as p:
        assert p._db.conn.execute("PRAGMA user_version").fetchone()[0] == schema.PROJECT.version
        assert [(d.name, d.superseded_by) for d in p.documents()] == [("a.txt", None)]
        assert p.segments()[0].final == "The meeting opened."


def test_read_only_file(saved_project):
    saved_project.chmod(0o444)
    try:
        before = digest(saved_project)
        with pytest.raises(WorkbenchError, match="read-only"):
            Project.open(saved_project)
        assert_one_line_error(translate_into(saved_project, saved_project.parent), "read-only")
        # Reading still works, and says what it found.
        proc = cli("status", str(saved_project))
        assert proc.returncode == 0, proc.stderr
        assert "edited 50" in proc.stdout
        assert digest(saved_project) == before
    finally:
        saved_project.chmod(0o644)


def test_read_only_tm_through_cli(tmp_path):
    tm_path = tmp_path / "tm.sqlite"
    with TranslationMemory.open(tm_path) as tm:
        tm.add("会议召开。", "The meeting opened.")
    tmx = tmp_path / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN" segtype="sentence" '
        'datatype="plaintext" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body>'
        '<tu><tuv xml:lang="zh-CN"><seg>新句子。</seg></tuv><tuv xml:lang="en-US"><seg>New.</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    tm_path.chmod(0o444)
    try:
        before = digest(tm_path)
        assert_one_line_error(cli("tm", "import", str(tmx), "--tm", str(tm_path)), "read-only")
        assert digest(tm_path) == before
        stats = cli("tm", "stats", "--tm", str(tm_path))
        assert stats.returncode == 0 and "1 units" in stats.stdout
    finally:
        tm_path.chmod(0o644)


@contextlib.contextmanager
def tiny_tmpfs(tmp_path: Path, size: str):
    mnt = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {proc.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system with a filler file until it is full."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0")
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0


def test_full_disk_real_tmpfs(tmp_path, tiny_model_dir):
    """A real full file system (a 1 MiB tmpfs): the edit is refused with one line, the project unchanged."""
    with tiny_tmpfs(tmp_path, "1m") as mnt:
        path = mnt / "p.wbproj"
        with Project.open(path, create=True) as p:
            p.add_document(big_doc(20))
        before = digest(path)
        project = Project.open(path)  # open (WAL and -shm ready), then the disk fills up
        fill(mnt)
        with pytest.raises(WorkbenchError, match="disk full") as err:
            project.add_document(big_doc(3000))
        assert "\n" not in str(err.value)
        # Small edits may still fit into free pages; the big one did not half-happen.
        assert [d.n_segments for d in project.documents()] == [20]
        project.close()
        assert digest(path) == before
        # The batch CLI on the full disk: one line, project unchanged.
        assert_one_line_error(translate_into(path, tmp_path, tiny_model_dir), "disk full")
        assert digest(path) == before
        # Through the CLI (a fresh process, a TM on the full disk): one line, nothing changed.
        (mnt / "filler").unlink()
        tm_path = mnt / "tm.sqlite"
        with TranslationMemory.open(tm_path) as tm:
            tm.add("会议召开。", "The meeting opened.")
        tm_before = digest(tm_path)
        tmx = tmp_path / "big.tmx"
        units = "".join(
            f'<tu><tuv xml:lang="zh-CN"><seg>第{i}句很长很长的中文句子内容{i}。</seg></tuv>'
            f'<tuv xml:lang="en-US"><seg>Sentence number {i} is long.</seg></tuv></tu>'
            for i in range(20000)
        )
        tmx.write_text(
            f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN"/><body>{units}</body></tmx>',
            encoding="utf-8",
        )
        fill(mnt)
        assert_one_line_error(cli("tm", "import", str(tmx), "--tm", str(tm_path)), "disk full")
        assert digest(tm_path) == tm_before
        (mnt / "filler").unlink()
        with TranslationMemory.open(tm_path) as tm:
            assert len(tm) == 1


def test_full_disk_simulated_with_max_page_count(saved_project):
    """The same SQLITE_FULL path without root: SQLite's page limit stands in for the disk."""
    before = digest(saved_project)
    project = Project.open(saved_project)
    pages = project._db.conn.execute("PRAGMA page_count").fetchone()[0]
    project._db.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(WorkbenchError, match="disk full"):
        project.add_document(big_doc(2000))
    assert len(project.documents()) == 1
    project.close()
    assert digest(saved_project) == before


def test_create_on_full_disk_leaves_nothing(tmp_path):
    with tiny_tmpfs(tmp_path, "64k") as mnt:
        fill(mnt)
        with pytest.raises(WorkbenchError):
            Project.open(mnt / "new.wbproj", create=True)
        assert not (mnt / "new.wbproj").exists()
