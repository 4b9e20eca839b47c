"""JSON nested deeper than Python's recursion limit is one line naming the file, not a RecursionError
traceback (found by the adversarial test of every command, issue 25)."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_checks import assert_one_line_error
from conftest import run_workbench

DEEP = "[" * 100_000 + "]" * 100_000


def test_a_model_config_nested_too_deeply(tmp_path: Path, tiny_model_dir: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    (model / "config.json").write_text('{"model_type": "marian", "x": ' + DEEP + "}", encoding="utf-8")
    for args in (("model", "info"), ("model", "convert", "--out", str(tmp_path / "ct2"))):
        proc = run_workbench(*args, "--model", str(model))
        assert_one_line_error(proc, str(model), "config.json is nested too deeply")


def test_a_jsonl_line_nested_too_deeply(tmp_path: Path) -> None:
    path = tmp_path / "drafts.jsonl"
    path.write_text(DEEP + "\n", encoding="utf-8")
    assert_one_line_error(run_workbench("qa", str(path)), f"{path}:1:", "nested too deeply")
