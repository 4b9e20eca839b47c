"""A damaged model directory gets one line, "model at X is damaged: ...", for every file it needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.mt.models import DamagedModel, check_model_dir


def _truncate(path: Path, keep: int | None = None, cut: int = 0) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep is not None else data[: len(data) - cut])


DAMAGES = {
    "invalid config.json": (
        lambda d: (d / "config.json").write_text("{bad", encoding="utf-8"),
        "config.json",
    ),
    "config.json not an object": (
        lambda d: (d / "config.json").write_text("[1, 2]", encoding="utf-8"),
        "config.json",
    ),
    "empty model.safetensors": (
        lambda d: (d / "model.safetensors").write_bytes(b""),
        "model.safetensors is empty",
    ),
    "safetensors cut in its header": (
        lambda d: _truncate(d / "model.safetensors", keep=1000),
        "model.safetensors",
    ),
    "safetensors cut in its tensors": (lambda d: _truncate(d / "model.safetensors", cut=100), "truncated"),
    "corrupt source.spm": (lambda d: _truncate(d / "source.spm", keep=100), "source.spm"),
    "corrupt target.spm": (lambda d: (d / "target.spm").write_bytes(b"\x00garbage" * 50), "target.spm"),
    "invalid vocab.json": (
        lambda d: (d / "vocab.json").write_text('{"a": 1', encoding="utf-8"),
        "vocab.json",
    ),
}


@pytest.fixture
def damaged(tmp_path, tiny_model_dir, request):
    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    damage, needle = DAMAGES[request.param]
    damage(model)
    return model, needle


@pytest.mark.slow
@pytest.mark.parametrize("damaged", list(DAMAGES), indirect=True)
def test_model_info_and_translate_name_the_damage(tmp_path, damaged):
    model, needle = damaged
    with pytest.raises(DamagedModel, match=needle):
        check_model_dir(model)
    assert_one_line_error(
        run_workbench("model", "info", "--model", str(model)), f"model at {model} is damaged", needle
    )
    source = tmp_path / "a.txt"
    source.write_text("中文测试。\n", encoding="utf-8")
    for engine in ("transformers", "ctranslate2"):
        proc = run_workbench(
            "translate",
            str(source),
            "--model",
            str(model),
            "--engine",
            engine,
            "--out",
            str(tmp_path / "out"),
            env={"XDG_CACHE_HOME": str(tmp_path / "cache")},
        )
        assert_one_line_error(proc, f"model at {model} is damaged", needle)


def test_a_sound_model_passes(tiny_model_dir):
    assert check_model_dir(tiny_model_dir) == tiny_model_dir
