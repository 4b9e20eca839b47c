"""``workbench translate PATH...`` without ``--project`` over many inputs, local executor: folders and
manifests, the done-state beside the outputs (resume after ``kill -9``), a corrupt input among good ones."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tests.batch_helpers import SUMMARY, snapshot, units_written, wait_for, words
from tests.conftest import ROOT
from workbench.cli import main
from workbench.errors import InputError, WorkbenchError
from workbench.jobs.donestate import STATE_DIR, DoneState
from workbench.jobs.expand_paths import expand_inputs
from workbench.records import Draft


def test_inputs_are_files_folders_and_manifests_in_order_each_once(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".hidden").mkdir()
    for rel in (
        "a/2.txt",
        "a/10.txt",
        "a/b/1.TXT",
        "a/.hidden/x.txt",
        "a/.dot.txt",
        "a/notes.md",
        "a/data.csv",
        "one.text",
        "m.md",
    ):
        (tmp_path / rel).write_text("会议召开。\n", encoding="utf-8")
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "inner.txt").write_text("../one.text\n", encoding="utf-8")
    (tmp_path / "list.txt").write_text(
        "# pages\n\none.text\n@lists/inner.txt\na/data.csv\n", encoding="utf-8"
    )
    got = expand_inputs([str(tmp_path / "a"), f"@{tmp_path / 'list.txt'}", str(tmp_path / "a" / "2.txt")])
    assert [p.relative_to(tmp_path).as_posix() for p in map(lambda p: p.resolve(), got)] == [
        "a/10.txt", "a/2.txt", "a/notes.md", "a/b/1.TXT", "one.text", "a/data.csv",
    ]  # fmt: skip
    # Every format we read is taken from a folder; a named file is read whatever its suffix.
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder"):
        expand_inputs([str(tmp_path / "nope.txt")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no readable file in this folder"):
        expand_inputs([str(tmp_path / "empty")])
    (tmp_path / "bad.txt").write_text(f"{tmp_path / 'gone.txt'}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt:1: .*gone.txt: no such file or folder"):
        expand_inputs([f"@{tmp_path / 'bad.txt'}"])


def test_done_state_survives_a_line_cut_short_and_refuses_a_second_writer(tmp_path):
    with DoneState(tmp_path, "sig", 4) as state:
        state.record_unit("doc", "h", [0, 2], [Draft("A.", -0.5, 2), Draft("B.", -0.25, 3, ["巾帼"])])
        with pytest.raises(WorkbenchError, match="another translate run is writing there"):
            DoneState(tmp_path, "sig", 4).open()
    units = next((tmp_path / STATE_DIR / "units").glob("*.jsonl"))
    with units.open("a", encoding="utf-8") as fh:
        fh.write('{"unit": [1, 3], "drafts": [["C.", -0.1')  # killed in mid-write
    with DoneState(tmp_path, "sig", 4) as state:
        assert state.drafted_units("doc", "h") == {
            (0, 2): [Draft("A.", -0.5, 2), Draft("B.", -0.25, 3, ["巾帼"])]
        }
        state.record_unit("doc", "h", [1, 3], [Draft("C.", -0.1, 1), Draft("D.", -0.2, 1)])
        assert set(state.drafted_units("doc", "h")) == {(0, 2), (1, 3)}
        assert state.drafted_units("doc", "other-hash") == {}
        state.record_document("doc", "h", 4)
        assert state.is_done("doc", "h") and not state.is_done("doc", "other-hash")
    with DoneState(tmp_path, "other signature", 4) as state:
        assert not state.is_done("doc", "h")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    base = tmp_path_factory.mktemp("pages")
    for k in range(3):
        (base / "in" / f"d{k}").mkdir(parents=True)
        (base / "in" / f"d{k}" / "page.txt").write_text(words(6 + 3 * k, seed=10 + k), encoding="utf-8")
    return base


def _cmd(model, src, out, *extra):
    return [
        sys.executable, "-m", "workbench", "translate", str(src), "--model", str(model), "--beam", "2",
        "--threads", "1", "--batch-size", "2", "--out", str(out), "--quiet", *extra,
    ]  # fmt: skip


@pytest.mark.slow
def test_local_run_killed_at_random_moments_then_resumed_ends_identical(
    pages, tiny_model_dir, tmp_path, capsys
):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    reference = tmp_path / "reference"
    assert main(_cmd(tiny_model_dir, pages / "in", reference)[3:]) == 0
    expected = snapshot(reference)
    assert len(expected) == 9

    out = tmp_path / "killed"
    rnd = random.Random(7)
    points = []
    for _ in range(2):
        before = units_written(out)
        proc = subprocess.Popen(_cmd(tiny_model_dir, pages / "in", out), env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        if not wait_for(lambda b=before: units_written(out) > b, 120, proc):
            break
        time.sleep(rnd.uniform(0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            points.append(units_written(out))
    assert len(points) == 2, points
    capsys.readouterr()
    assert main(_cmd(tiny_model_dir, pages / "in", out)[3:]) == 0  # the same command again: it resumes
    err = capsys.readouterr().err
    assert snapshot(out) == expected, points
    segments = sum(len((reference / f"d{k}" / "page.jsonl").read_text().splitlines()) for k in range(3))
    # only what the killed runs had not drafted (with the fast engine a run may finish its drafting before the kill)
    assert 0 <= int(err.rsplit("; ", 1)[1].split()[0]) < segments
    assert not list((out / STATE_DIR / "units").glob("*.jsonl"))  # every journal closed with its document
    assert main(_cmd(tiny_model_dir, pages / "in", out)[3:]) == 0
    err = capsys.readouterr().err
    assert SUMMARY.search(err).groups() == ("3", "0", "3", "0") and "; 0 segments drafted" in err
    assert snapshot(out) == expected


def test_temporary_files_a_killed_write_left_are_removed_when_the_outputs_are_written(
    pages, tiny_model_dir, tmp_path
):
    out = tmp_path / "out"
    (out / "d0").mkdir(parents=True)
    stale = [out / "d0" / ".page.tmx.k1ll3d_x.tmp", out / "d0" / ".page.md.abcdefgh.tmp"]
    for p in stale:
        p.write_bytes(b"<?xml version='1.0' encoding='UTF-8'?>\n<tmx")  # cut short by kill -9
    kept = out / "d0" / ".other.tmx.abcdefgh.tmp"  # not an output of this run: left alone
    kept.write_bytes(b"x")
    assert main(_cmd(tiny_model_dir, pages / "in" / "d0" / "page.txt", out / "d0")[3:]) == 0
    assert not any(p.exists() for p in stale) and kept.exists()
    assert (out / "d0" / "page.tmx").read_text(encoding="utf-8").rstrip().endswith("</tmx>")


@pytest.mark.slow
def test_a_corrupt_input_is_reported_and_skipped(pages, tiny_model_dir, tmp_path, capsys):
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 50)
    empty = tmp_path / "blank.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["translate", str(pages / "in" / "d0" / "page.txt"), str(bad), str(empty), "--model",
                 str(tiny_model_dir), "--beam", "1", "--threads", "1", "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("workbench: error:")]
    assert len(errors) == 2 and str(bad) in errors[0] and str(empty) in errors[1]
    assert "Traceback" not in err
    assert SUMMARY.search(err).groups() == ("3", "1", "0", "2")
    assert [p.name for p in out.rglob("*.jsonl") if STATE_DIR not in p.parts] == ["page.jsonl"]


def test_an_output_folder_inside_an_input_folder_is_not_read_back(tmp_path):
    (tmp_path / "in" / "out").mkdir(parents=True)
    (tmp_path / "in" / "page.md").write_text("# 标题\n\n会议召开。\n", encoding="utf-8")
    (tmp_path / "in" / "out" / "page.md").write_text("# 标题\n\nThe meeting opened.\n", encoding="utf-8")
    got = expand_inputs([str(tmp_path / "in")], skip=[tmp_path / "in" / "out"])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == ["in/page.md"]
