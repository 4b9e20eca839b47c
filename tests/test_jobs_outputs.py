"""Where ``translate`` writes: never over an input, never one input's outputs over another's, and an
unwritable output folder is found before any drafting (the model is not even loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_workbench

from workbench.errors import WorkbenchError
from workbench.jobs.outputs import plan_outputs

pytestmark = pytest.mark.slow


def test_an_output_that_is_the_input_is_refused_before_anything(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "x.md"
    src.write_text("# 标题\n\n全国妇联召开会议。\n", encoding="utf-8")
    before = src.read_bytes()
    proc = run_workbench(
        "translate", str(src), "--out", str(tmp_path), "--model", str(tiny_model_dir), cwd=tmp_path
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("workbench: error:") and proc.stderr.count("\n") == 1
    assert "would overwrite the input" in proc.stderr and "loading" not in proc.stderr
    assert src.read_bytes() == before
    # The project mode refuses it too, so a resumed run can never import its own output.
    proj = run_workbench(
        "translate",
        "x.md",
        "--project",
        "p.wbproj",
        "--out",
        ".",
        "--model",
        str(tiny_model_dir),
        cwd=tmp_path,
    )
    assert proj.returncode == 2 and "would overwrite the input" in proj.stderr
    assert src.read_bytes() == before and not (tmp_path / "p.wbproj").exists()


def test_inputs_with_the_same_name_get_outputs_of_their_own(tmp_path: Path, tiny_model_dir: Path) -> None:
    for folder, text in (("a", "全国妇联召开会议。\n"), ("b", "巾帼建功活动开展。\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "o"
    proc = run_workbench(
        "translate", "a/doc.txt", "b/doc.txt", "--out", str(out), "--model", str(tiny_model_dir),
        "--beam", "1", "--threads", "1", "--quiet", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "全国妇联召开会议" in (out / "a" / "doc.md").read_text(encoding="utf-8")
    assert "巾帼建功活动开展" in (out / "b" / "doc.md").read_text(encoding="utf-8")
    for name in ("doc.jsonl", "doc.tmx"):
        assert (out / "a" / name).is_file() and (out / "b" / name).is_file()
    assert not (out / "doc.md").exists()


def test_one_input_writes_straight_into_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "in" / "page.txt"
    src.parent.mkdir()
    src.touch()
    plan = plan_outputs([src], tmp_path / "out")
    assert plan.base(src) == (tmp_path / "out" / "page").resolve()


def test_two_paths_to_one_file_are_one_input(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.touch()
    plan = plan_outputs([src, tmp_path / "." / "page.txt"], tmp_path / "out")
    assert len(plan.bases) == 1


def test_an_output_named_like_an_input_of_another_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    src = tmp_path / "page.txt"
    src.touch()
    other = tmp_path / "out" / "page.md"  # what page.txt would write
    other.touch()
    with pytest.raises(WorkbenchError, match="would overwrite the input"):
        plan_outputs([src, other], tmp_path / "out")


def test_an_unwritable_output_folder_is_found_before_drafting(tmp_path: Path, tiny_model_dir: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text("全国妇联召开会议。\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    for extra in ((), ("--project", str(tmp_path / "p.wbproj"))):
        proc = run_workbench(
            "translate",
            str(src),
            "--out",
            str(blocker / "out"),
            "--model",
            str(tiny_model_dir),
            *extra,
            cwd=tmp_path,
        )
        assert proc.returncode == 2, proc.stderr
        assert "cannot write the outputs there" in proc.stderr and proc.stderr.count("\n") == 1
        assert "loading" not in proc.stderr  # nothing was drafted, the model was not loaded
