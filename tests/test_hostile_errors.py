"""Hostile inputs end in one line naming the file (issue 25, items 4 and 5): every input is generated here.

Real ``python -m workbench`` processes throughout; the tiny real Marian model where a model is loaded.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import ROOT, run_workbench

from workbench.errors import WorkbenchError
from workbench.store.project import Project
from workbench.text import document_from_text

TEXT = "第一条 本法适用于中华人民共和国。\n\n第二条 这是第二段。\n"


def make_docx(path: Path, paragraphs: int = 30) -> None:
    import docx

    d = docx.Document()
    for i in range(paragraphs):
        d.add_paragraph(f"第{i}条 这是第{i}段的内容，用于测试。" * 3)
    d.save(path)


def _local_data_start(data: bytes, member: str) -> tuple[int, int]:
    info = zipfile.ZipFile(__import__("io").BytesIO(data)).getinfo(member)
    off = info.header_offset
    n, e = struct.unpack("<HH", data[off + 26 : off + 30])
    return off, off + 30 + n + e


def corrupt_deflate(src: Path, dst: Path) -> None:
    data = bytearray(src.read_bytes())
    _, start = _local_data_start(bytes(data), "word/document.xml")
    for k in range(start + 10, start + 40):
        data[k] ^= 0xFF
    dst.write_bytes(bytes(data))


def corrupt_crc(src: Path, dst: Path) -> None:
    """Flip the CRC of word/document.xml in its local header and in the central directory."""
    data = bytearray(src.read_bytes())
    off, _ = _local_data_start(bytes(data), "word/document.xml")
    data[off + 14] ^= 0xFF
    j = data.find(b"PK\x01\x02")
    while j != -1:
        n = struct.unpack("<H", data[j + 28 : j + 30])[0]
        if data[j + 46 : j + 46 + n] == b"word/document.xml":
            data[j + 16] ^= 0xFF
        j = data.find(b"PK\x01\x02", j + 4)
    dst.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [corrupt_deflate, corrupt_crc], ids=["deflate", "crc"])
def test_a_damaged_word_package_is_one_line_everywhere(tmp_path: Path, damage, tiny_model_dir: Path) -> None:
    good = tmp_path / "good.docx"
    make_docx(good)
    bad = tmp_path / "bad.docx"
    damage(good, bad)
    renamed = tmp_path / "bad.txt"
    shutil.copyfile(bad, renamed)
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    assert_one_line_error(
        run_workbench("segment", str(bad)), "bad.docx", "damaged package member word/document.xml"
    )
    assert_one_line_error(run_workbench("segment", str(renamed)), "bad.txt", "damaged package member")
    proc = run_workbench("translate", str(bad), "--out", str(tmp_path / "out"), "--quiet", env=env)
    assert_one_line_error(proc, "bad.docx", "damaged")
    proc = run_workbench("translate", str(bad), "--project", str(tmp_path / "p.wbproj"), "--quiet", env=env)
    assert_one_line_error(proc, "bad.docx", "damaged")
    from workbench.tui.session import Session  # what `workbench open` does before the UI starts

    with pytest.raises(WorkbenchError, match="damaged package member"):
        Session.open(bad)


def test_a_doctype_in_a_utf16_or_non_xml_part_is_seen(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    make_docx(good, 2)
    dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ELEMENT x ANY>]><x/>'
    for name, data in (("customXml/item9.xml", dtd.encode("utf-16")), ("word/extra.bin", dtd.encode())):
        bad = tmp_path / f"bad-{Path(name).suffix[1:]}.docx"
        shutil.copyfile(good, bad)
        with zipfile.ZipFile(bad, "a") as zf:
            zf.writestr(name, data)
        assert_one_line_error(run_workbench("segment", str(bad)), name, "DOCTYPE")


def _tampered(tmp_path: Path, name: str, *sql: str) -> Path:
    path = tmp_path / name
    with Project.open(path, create=True) as p:
        p.add_document(document_from_text(TEXT, str(tmp_path / "doc.txt")))
    c = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        c.execute(statement)
    c.close()
    return path


@pytest.mark.parametrize(
    ("sql", "needle"),
    [
        (
            ("PRAGMA ignore_check_constraints = 1", "UPDATE segments SET status = 'bogus' WHERE id = 1"),
            "segment 1",
        ),
        (("UPDATE segments SET unmet = '{bad', draft = 'x', status = 'drafted' WHERE id = 1",), "segment 1"),
        (("PRAGMA user_version = -1",), "schema version -1"),
    ],
    ids=["unknown-status", "bad-json", "user-version"],
)
def test_tampered_project_rows_are_one_line_in_every_command(
    tmp_path: Path, sql, needle, tiny_model_dir
) -> None:
    path = _tampered(tmp_path, "p.wbproj", *sql)
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    for args in (
        ("status", str(path)),
        ("export", str(path), "--out", str(tmp_path / "x.tmx")),
        ("qa", str(path)),
        ("evaluate", "-H", str(path), "-r", str(doc)),
    ):
        assert_one_line_error(run_workbench(*args, env=env), "p.wbproj", needle, "damaged")
    # translate may meet the row first in SQLite's own check of an update: one line naming the file too.
    assert_one_line_error(
        run_workbench("translate", str(doc), "--project", str(path), "--quiet", env=env), "p.wbproj"
    )
    from workbench.tui.session import Session

    with pytest.raises(WorkbenchError, match="damaged"):
        Session.open(path)


def test_standard_output_full_or_closed_is_one_line_in_every_command(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("第一条 测试。\tArticle 2: a test.\n", encoding="utf-8")  # a finding to print
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\n本法\tthis Law\n", encoding="utf-8")
    project = tmp_path / "p.wbproj"
    with Project.open(project, create=True) as p:
        p.add_document(document_from_text(TEXT, str(doc)))
    commands = (
        ("segment", str(doc)),
        ("qa", str(pairs)),
        ("status", str(project)),
        ("names", str(doc)),
        ("glossary", "show", str(glossary)),
        ("export", str(project), "--out", "-", "--format", "md"),
        ("evaluate", "-H", str(doc), "-r", str(doc)),
        ("glossary", "check", str(doc), "--glossary", str(glossary)),
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in commands:
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "workbench", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=120,
            )
        assert_one_line_error(proc, "standard output", "no space left")
        quoted = " ".join(f"'{a}'" for a in args)
        proc = subprocess.run(
            ["bash", "-c", f"exec '{sys.executable}' -m workbench {quoted} >&-"],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        assert_one_line_error(proc, "standard output", "closed")


def _fsize_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_under_translate_out_is_one_line(tmp_path: Path, tiny_model_dir: Path) -> None:
    """RLIMIT_FSIZE stands in for a full disk: writes past it fail (EFBIG) wherever they happen."""
    doc = tmp_path / "doc.txt"
    doc.write_text("\n\n".join(f"第{i}条 这是第{i}段的内容，用于测试。" for i in range(20)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_MODEL": str(tiny_model_dir)}
    for limit in (150, 2000):
        out = tmp_path / f"out{limit}"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "workbench",
                "translate",
                str(doc),
                "--out",
                str(out),
                "--quiet",
                "--engine",
                "transformers",
                "--batch-size",
                "4",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=300,
            preexec_fn=_fsize_limit(limit),
        )
        assert_one_line_error(proc, "File too large")


def test_unreadable_model_files_are_named(tmp_path: Path, tiny_model_dir: Path) -> None:
    """Weights of mode 0600 owned by another user: as root the command runs as ``nobody`` (setpriv); as
    another user, a file of mode 000 is unreadable to its owner too."""
    root = Path(tempfile.mkdtemp(prefix="wb-model-"))  # outside pytest's 0700 folder, so nobody can enter
    try:
        os.chmod(root, 0o755)
        model = root / "model"
        shutil.copytree(tiny_model_dir, model)
        for f in model.iterdir():
            f.chmod(0o644)
        weights = next(
            f for f in model.iterdir() if f.name.startswith(("model.safetensors", "pytorch_model"))
        )
        doc = root / "doc.txt"
        doc.write_text(TEXT, encoding="utf-8")
        if os.geteuid() == 0:
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: cannot test as another user")
            weights.chmod(0o600)
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        else:
            weights.chmod(0)
            prefix = []
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HOME": str(root),
            "XDG_CACHE_HOME": str(root / "cache"),
        }
        for args in (
            ("translate", str(doc), "--out", str(root / "out"), "--model", str(model), "--quiet"),
            ("model", "info", "--model", str(model)),
            ("evaluate", "-H", str(doc), "-r", str(doc), "-s", str(doc), "--model", str(model)),
        ):
            proc = subprocess.run(
                [*prefix, sys.executable, "-m", "workbench", *args],
                capture_output=True,
                text=True,
                env=env,
                cwd=root,
                timeout=300,
            )
            assert_one_line_error(proc, weights.name, "Permission denied")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_5000_digit_number_in_qa(tmp_path: Path) -> None:
    """Past Python's limit on integer strings (4,300 digits) and past the segment cap: each unit is named
    and left out, no traceback. (The checks themselves take a 100,000-digit number: test_hostile_bounds.)"""
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        f"金额为{'9' * 5000}元。\tThe amount is {'9' * 5000} yuan.\n"
        f"金额为{'9' * 5000}元。\tThe amount is {'9' * 4999} yuan.\n"
        f"金额为{'9' * 1900}元。\tThe amount is {'9' * 1899} yuan.\n",
        encoding="utf-8",
    )
    proc = run_workbench("qa", str(pairs))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{pairs}:1: the source has 5,005 characters, over the 2,000-character segment cap" in proc.stderr
    assert f"{pairs}:2: the source" in proc.stderr
    assert (
        "pairs.tsv:3: numbers" in proc.stdout
        and "(1900 digits) of the source is not in the target" in proc.stdout
    )


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1e9", "soon"])
def test_a_bad_pdf_timeout_is_one_line(tmp_path: Path, value: str) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    proc = run_workbench("segment", str(pdf), env={"WORKBENCH_PDF_TIMEOUT": value})
    assert_one_line_error(proc, "WORKBENCH_PDF_TIMEOUT", value)


def test_the_pdf_child_dies_with_its_parent(tmp_path: Path) -> None:
    """A parent killed while its PDF child is stuck (here: reading a FIFO nobody writes) leaves no child."""
    fifo = tmp_path / "stuck.pdf"
    os.mkfifo(fifo)
    parent = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-m', 'workbench.formats.pdf_layout', sys.argv[1], str(os.getpid())])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(300)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", parent, str(fifo)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    child = int(proc.stdout.readline())
    time.sleep(1.0)  # the child is inside its open() of the FIFO
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        with open(f"/proc/{child}/stat") as fh:
            if fh.read().split(") ")[-1].startswith("Z"):
                return  # dead, waiting for init to reap it
        time.sleep(0.2)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the PDF child outlived its killed parent")


def test_killing_segment_on_a_looping_pdf_leaves_no_parser(tmp_path: Path) -> None:
    """``workbench segment loop_refs.pdf`` (a reference loop pdfminer follows forever) SIGKILLed while its
    layout child parses: the child is gone within seconds, not at its timeout."""
    import psutil
    from source_fixtures import reference_loop_pdf

    pdf = reference_loop_pdf(tmp_path / "loop_refs.pdf")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "segment", str(pdf)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "WORKBENCH_PDF_TIMEOUT": "600"},
    )
    deadline = time.monotonic() + 60
    children: list[psutil.Process] = []
    while not children and time.monotonic() < deadline:
        children = psutil.Process(proc.pid).children(recursive=True)
        time.sleep(0.1)
    assert children, "no PDF layout child started"
    (child,) = children
    while child.cpu_times().user < 0.5 and time.monotonic() < deadline:
        time.sleep(0.1)  # inside the loop: busy parsing
    assert child.is_running() and child.status() != psutil.STATUS_ZOMBIE
    proc.kill()
    proc.wait()
    try:
        child.wait(timeout=5)  # reaped by init once the kernel killed it
    except psutil.TimeoutExpired:
        child.kill()
        pytest.fail("the PDF child outlived its SIGKILLed parent")


def test_an_unreachable_ray_address_is_one_line_at_once(tmp_path: Path, tiny_model_dir: Path) -> None:
    pytest.importorskip("ray")
    doc = tmp_path / "doc.txt"
    doc.write_text(TEXT, encoding="utf-8")
    start = time.monotonic()
    proc = run_workbench(
        "translate",
        str(doc),
        "--out",
        str(tmp_path / "out"),
        "--executor",
        "ray",
        "--ray-address",
        "127.0.0.1:1",
        "--quiet",
        env={"WORKBENCH_MODEL": str(tiny_model_dir)},
    )
    assert_one_line_error(proc, "127.0.0.1:1", "nothing answers")
    assert time.monotonic() - start < 60
