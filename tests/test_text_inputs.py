"""Inputs are regular files of bounded size, decoded with real text codecs into encodable text.

Special files (a FIFO with no writer, /dev/zero, a socket, a device) are refused at once with one line;
a size limit (``WORKBENCH_MAX_INPUT_MB``) and an out-of-memory read give one line too; ``--encoding``
accepts only codecs that decode text, and lone surrogates never get past decoding.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import ROOT, run_workbench

from workbench.errors import InputError
from workbench.safe_read import check_input_file, read_input_bytes
from workbench.text import document_from_text
from workbench.text.decode import decode_bytes

SURROGATE_ESCAPED = b"\\u4e2d\\u6587\\ud800\\u6d4b\\u8bd5\\u3002\n"  # 中文<lone surrogate>测试。


def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path):
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    proc = run_workbench("segment", str(fifo), timeout=60)
    assert_one_line_error(proc, str(fifo), "FIFO", "not a regular file")
    assert time.monotonic() - started < 30  # a hang would hit the timeout instead
    with pytest.raises(InputError, match="FIFO"):
        read_input_bytes(fifo)
    with pytest.raises(InputError, match="FIFO"):
        check_input_file(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device):
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    assert_one_line_error(run_workbench("segment", device, timeout=60), device, "character device")


def test_a_socket_and_a_link_to_one_are_refused(tmp_path):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        (tmp_path / "link.txt").symlink_to(path)
        for name in (path, tmp_path / "link.txt"):
            assert_one_line_error(run_workbench("segment", str(name), timeout=60), str(name), "socket")
    finally:
        server.close()


def test_glossaries_are_read_the_same_way(tmp_path):
    fifo = tmp_path / "g.tsv"
    os.mkfifo(fifo)
    assert_one_line_error(run_workbench("glossary", "show", str(fifo), timeout=60), "FIFO")


def test_the_size_limit_is_configurable_and_named(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("中文测试。" * 200, encoding="utf-8")  # 3000 bytes
    proc = run_workbench("segment", str(path), env={"WORKBENCH_MAX_INPUT_MB": "0.001"})
    assert_one_line_error(proc, "too large", "3000 bytes", "1048 bytes", "WORKBENCH_MAX_INPUT_MB")
    assert run_workbench("segment", str(path), env={"WORKBENCH_MAX_INPUT_MB": "1"}).returncode == 0
    proc = run_workbench("segment", str(path), env={"WORKBENCH_MAX_INPUT_MB": "lots"})
    assert_one_line_error(proc, "WORKBENCH_MAX_INPUT_MB", "'lots'")


def test_running_out_of_memory_while_reading_is_one_line(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(300 * 1024 * 1024)  # sparse: costs no disk
    limit = 400 * 1024 * 1024  # the interpreter fits; the file (read, then joined) does not

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "segment", str(big)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=cap,
    )
    assert_one_line_error(proc, str(big), "not enough memory")


@pytest.mark.slow
@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "undefined", "idna"])
def test_codecs_that_do_not_decode_text_are_refused_at_parse_time(tmp_path, codec):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc\n")
    for command in ("segment", "translate"):
        proc = run_workbench(command, str(path), "--encoding", codec)
        assert_one_line_error(proc, "--encoding", "not a text encoding")
    with pytest.raises(InputError, match="not a text encoding"):
        decode_bytes(b"abc\n", codec)


def test_an_escape_codec_still_works_without_surrogates(tmp_path):
    path = tmp_path / "esc.txt"
    path.write_bytes(b"\\u4e2d\\u6587\\u6d4b\\u8bd5\\u3002\n")
    proc = run_workbench("segment", str(path), "--encoding", "unicode_escape")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "中文测试。"


def test_lone_surrogates_never_reach_the_tokenizer_or_sqlite(tmp_path, tiny_model_dir):
    path = tmp_path / "sur.txt"
    path.write_bytes(SURROGATE_ESCAPED)
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    assert_one_line_error(
        run_workbench("segment", str(path), "--encoding", "unicode_escape"), "lone surrogate", "U+D800"
    )
    out = tmp_path / "out"
    proc = run_workbench("translate", str(path), "--encoding", "unicode_escape", "--out", str(out), env=env)
    assert_one_line_error(proc, "lone surrogate")
    assert not out.exists()
    project = tmp_path / "p.wbproj"
    proc = run_workbench(
        "translate", str(path), "--encoding", "unicode_escape", "--project", str(project), "--no-tm", env=env
    )
    assert_one_line_error(proc, "lone surrogate")
    assert not project.exists()
    # Text handed over in memory is cleaned the same way: a surrogate becomes U+FFFD.
    doc = document_from_text("中文\ud800测试。")
    assert doc.paragraphs[0].text == "中文\ufffd测试。"


def test_undecodable_bytes_on_the_command_line_are_refused(tmp_path):
    proc = run_workbench("tm", "lookup", "中文\udcff", "--tm", str(tmp_path / "tm.sqlite"))
    assert_one_line_error(proc, "not valid text")
