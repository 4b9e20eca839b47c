"""The outputs that went around the output guard (issue 25, item 1): ``model convert --out`` (which
replaces a whole folder), the UI's list of recent projects, and the run-state files of ``translate --out``
that a link may point at a device."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.guard import output_run, protect
from workbench.jobs.donestate import STATE_DIR
from workbench.tui.recent import load_recent, recent_file, remember


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_model_convert_never_deletes_a_folder_of_the_user(tmp_path: Path, tiny_model_dir: Path) -> None:
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.txt").write_text("my work\n", encoding="utf-8")
    model = tree_digest(tiny_model_dir)
    for force in ((), ("--force",)):
        proc = run_workbench("model", "convert", "--model", str(tiny_model_dir), "--out", str(mine), *force)
        assert_one_line_error(proc, "refusing to replace", "--force never deletes one")
    assert (mine / "chapter1.txt").read_text(encoding="utf-8") == "my work\n"
    # the model itself, or a folder holding it, is never the output
    for out in (tiny_model_dir, tiny_model_dir.parent):
        proc = run_workbench("model", "convert", "--model", str(tiny_model_dir), "--out", str(out), "--force")
        assert_one_line_error(proc, "it is or holds the model being converted")
    link = tmp_path / "link"
    link.symlink_to(tiny_model_dir)
    proc = run_workbench("model", "convert", "--model", str(tiny_model_dir), "--out", str(link), "--force")
    assert_one_line_error(proc, "the model being converted")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("notes\n", encoding="utf-8")
    proc = run_workbench("model", "convert", "--model", str(tiny_model_dir), "--out", str(a_file), "--force")
    assert_one_line_error(proc, "it is a file, not a folder")
    assert a_file.read_text(encoding="utf-8") == "notes\n"
    assert tree_digest(tiny_model_dir) == model


@pytest.mark.slow
def test_model_convert_replaces_its_own_output_and_an_empty_folder(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    out = tmp_path / "ct2"
    out.mkdir()  # empty: nothing to lose
    for _ in range(2):  # the second time over its own conversion
        proc = run_workbench("model", "convert", "--model", str(tiny_model_dir), "--out", str(out), "--force")
        assert proc.returncode == 0, proc.stderr
        assert (out / "model.bin").is_file()


def test_the_recent_list_never_reads_a_device_or_a_fifo() -> None:
    target = recent_file()
    target.parent.mkdir(parents=True)
    for make in (lambda: target.symlink_to("/dev/zero"), lambda: os.mkfifo(target)):
        make()
        start = time.monotonic()
        assert load_recent() == []
        remember(target.parent / "p.wbproj")  # refused quietly: the UI goes on
        assert time.monotonic() - start < 5
        assert not target.is_file()
        target.unlink()


def test_the_recent_list_goes_through_the_output_guard(tmp_path: Path) -> None:
    target = recent_file()
    target.parent.mkdir(parents=True)
    project = tmp_path / "p.wbproj"
    project.write_bytes(b"")
    remember(project)  # a new list, then our own list replaced
    remember(tmp_path)
    assert load_recent() == [str(tmp_path.resolve()), str(project.resolve())]
    # a link to a file of the user's: never written through
    theirs = tmp_path / "notes.json"
    theirs.write_text('{"mine": true}\n', encoding="utf-8")
    target.unlink()
    target.symlink_to(theirs)
    with output_run():
        remember(project)
    assert theirs.read_text(encoding="utf-8") == '{"mine": true}\n'
    # a protected file (the run's own input) is never the list, even when it looks like one
    target.unlink()
    target.write_text("[]", encoding="utf-8")
    with output_run():
        protect(target, "an input of this run")
        remember(project)
    assert target.read_text(encoding="utf-8") == "[]"


@pytest.mark.parametrize("state_file", ["done.jsonl", "lock"])
def test_a_state_file_linked_to_a_device_is_refused_not_read_forever(
    tmp_path: Path, tiny_model_dir: Path, state_file: str
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("第一句。\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {"WORKBENCH_MODEL": str(tiny_model_dir)}
    assert run_workbench("translate", str(src), "--out", str(out), "--beam", "1", env=env).returncode == 0
    state = out / STATE_DIR / state_file
    state.unlink()
    state.symlink_to("/dev/full")
    src.write_text("第一句。\n第二句。\n", encoding="utf-8")  # changed: the run reads its state again
    proc = run_workbench("translate", str(src), "--out", str(out), "--beam", "1", env=env, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    (error,) = [line for line in proc.stderr.splitlines() if line.startswith("workbench: error:")]
    assert str(state) in error and "is a character device, not a regular file" in error
