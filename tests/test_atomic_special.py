"""The one atomic writer writes regular files only: links are followed, special files refused."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.atomic import write_bytes_atomic, write_text_atomic
from workbench.errors import WorkbenchError

GLOSSARY = "source\ttarget\n妇联\twomen's federation\n"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert write_text_atomic(link, "new") == link
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _names(tmp_path) == ["link.txt", "real.txt"]  # no temporary file left behind


def test_a_chain_of_relative_links_and_a_dangling_link(tmp_path):
    (tmp_path / "sub").mkdir()
    final = tmp_path / "sub" / "final.txt"
    (tmp_path / "b.txt").symlink_to("sub/final.txt")
    (tmp_path / "a.txt").symlink_to("b.txt")
    write_bytes_atomic(tmp_path / "a.txt", b"through two links")  # final.txt does not exist yet
    assert final.read_bytes() == b"through two links"
    assert (tmp_path / "a.txt").is_symlink() and (tmp_path / "b.txt").is_symlink()


def test_a_loop_of_links_is_refused(tmp_path):
    (tmp_path / "x").symlink_to("y")
    (tmp_path / "y").symlink_to("x")
    with pytest.raises(WorkbenchError, match="loop"):
        write_bytes_atomic(tmp_path / "x", b"data")
    assert (tmp_path / "x").is_symlink() and (tmp_path / "y").is_symlink()


def test_a_fifo_is_refused_and_kept(tmp_path):
    fifo = tmp_path / "pipe.tsv"
    os.mkfifo(fifo)
    with pytest.raises(WorkbenchError, match="FIFO"):
        write_text_atomic(fifo, "data")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    link = tmp_path / "to-pipe.tsv"
    link.symlink_to(fifo)
    with pytest.raises(WorkbenchError, match="FIFO"):
        write_text_atomic(link, "data")
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert _names(tmp_path) == ["pipe.tsv", "to-pipe.tsv"]


def test_a_socket_is_refused_and_kept(tmp_path):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(WorkbenchError, match="socket"):
            write_bytes_atomic(path, b"data")
        assert stat.S_ISSOCK(path.lstat().st_mode)
    finally:
        server.close()


def _make_device(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root (mknod); this test runs as an ordinary user")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    except PermissionError:
        pytest.skip("this container refuses mknod even to root")


def test_a_device_node_is_refused_and_kept(tmp_path):
    device = tmp_path / "null"
    _make_device(device)
    with pytest.raises(WorkbenchError, match="character device"):
        write_bytes_atomic(device, b"data")
    assert stat.S_ISCHR(device.lstat().st_mode) and device.lstat().st_rdev == os.makedev(1, 3)
    link = tmp_path / "out.tmx"
    link.symlink_to(device)
    with pytest.raises(WorkbenchError, match="character device"):
        write_bytes_atomic(link, b"data")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(WorkbenchError, match="directory"):
        write_bytes_atomic(tmp_path, b"data")


def test_the_cli_refuses_a_fifo_output_in_one_line_and_writes_through_a_link(tmp_path):
    glossary = tmp_path / "g.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    fifo = tmp_path / "out.tsv"
    os.mkfifo(fifo)
    proc = run_workbench("glossary", "convert", str(glossary), str(fifo), timeout=60)
    assert_one_line_error(proc, str(fifo), "FIFO", "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)

    real = tmp_path / "real.tbx"
    real.write_text("placeholder", encoding="utf-8")
    link = tmp_path / "link.tbx"
    link.symlink_to(real)
    proc = run_workbench("glossary", "convert", str(glossary), str(link), timeout=60)
    assert_one_line_error(proc, str(link), "not an output of workbench", "--force")
    assert real.read_text(encoding="utf-8") == "placeholder"
    proc = run_workbench("glossary", "convert", str(glossary), str(link), "--force", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and "women's federation" in real.read_text(encoding="utf-8")
