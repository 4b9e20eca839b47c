"""Model resolution: --model/WORKBENCH_MODEL, the Hugging Face cache, the offline error path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED
from workbench.errors import WorkbenchError
from workbench.mt.models import DEFAULT_MODEL, check_model_dir, model_fingerprint, model_spec, resolve_model


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with an empty HF cache, no offline flags and the hub at a closed local port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_", "WORKBENCH_"))}
    env.update(
        HF_HOME=str(tmp_path / "hf"),
        HF_ENDPOINT="http://127.0.0.1:9",  # nothing listens: fails at once, no traffic leaves the machine
        XDG_CACHE_HOME=str(tmp_path / "xdg"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
    return proc, time.monotonic() - started


@pytest.mark.parametrize("offline_flag", [None, "HF_HUB_OFFLINE"])
def test_uncached_model_without_network_is_one_clear_line(tmp_path, offline_flag):
    extra = {offline_flag: "1"} if offline_flag else {}
    proc, elapsed = run_cli(
        ["translate", str(SEED), "--out", str(tmp_path / "out")], clean_env(tmp_path, **extra)
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith(
        "workbench: error: model Helsinki-NLP/opus-mt-zh-en is not in the Hugging Face cache"
    )
    assert "workbench model download" in line and "--model DIR" in line and "WORKBENCH_MODEL" in line
    assert "stand-in model" in line and "bench/proxy_model.py" in line
    assert "Traceback" not in proc.stderr
    assert elapsed < 30, (
        f"took {elapsed:.1f} s"
    )  # seconds, not the minutes of retries transformers would spend
    assert not (tmp_path / "out" / "000_4a826f62d946bd6d.md").exists()


def test_model_download_offline_is_clear(tmp_path):
    proc, elapsed = run_cli(["model", "download"], clean_env(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "127.0.0.1:9 unreachable" in proc.stderr
    assert elapsed < 30


def test_hub_id_found_in_cache_without_network(tmp_path, tiny_model_dir):
    """A model in the standard HF cache layout is used offline, with no network attempt."""
    hub = tmp_path / "hf" / "hub" / "models--someone--tiny-zh-en"
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(tiny_model_dir, hub / "snapshots" / commit)
    (hub / "refs").mkdir()
    (hub / "refs" / "main").write_text(commit)
    env = clean_env(tmp_path)
    proc, _ = run_cli(["model", "info", "--model", "someone/tiny-zh-en"], env)
    assert proc.returncode == 0, proc.stderr
    assert f"path: {hub / 'snapshots' / commit}" in proc.stdout
    assert "model: someone/tiny-zh-en" in proc.stdout
    # WORKBENCH_MODEL names it just as well.
    env["WORKBENCH_MODEL"] = "someone/tiny-zh-en"
    proc, _ = run_cli(["model", "info"], env)
    assert proc.returncode == 0 and "d_model: 32" in proc.stdout


@pytest.mark.parametrize("missing", ["source.spm", "target.spm", "vocab.json"])
def test_missing_tokenizer_file_is_named(tmp_path, tiny_model_dir, missing):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model_dir, broken)
    (broken / missing).unlink()
    with pytest.raises(WorkbenchError, match=missing.replace(".", r"\.")):
        resolve_model(str(broken))
    proc, _ = run_cli(["model", "info", "--model", str(broken)], clean_env(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.startswith("workbench: error: ") and missing in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_weights_and_directory_are_clear(tmp_path, tiny_model_dir):
    nothing = tmp_path / "nothing"
    with pytest.raises(WorkbenchError, match="does not exist"):
        resolve_model(str(nothing))
    no_weights = tmp_path / "noweights"
    shutil.copytree(tiny_model_dir, no_weights)
    (no_weights / "model.safetensors").unlink()
    with pytest.raises(WorkbenchError, match="no weights"):
        check_model_dir(no_weights)


def test_model_spec_precedence(monkeypatch, tiny_model_dir):
    monkeypatch.delenv("WORKBENCH_MODEL", raising=False)
    assert model_spec(None) == DEFAULT_MODEL
    monkeypatch.setenv("WORKBENCH_MODEL", str(tiny_model_dir))
    assert model_spec(None) == str(tiny_model_dir)
    assert model_spec("other/model") == "other/model"
    assert resolve_model(None) == tiny_model_dir.resolve()


def test_fingerprint_follows_content(tmp_path, tiny_model_dir):
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir, copy)
    assert model_fingerprint(copy) == model_fingerprint(tiny_model_dir)
    other = tmp_path / "other"
    shutil.copytree(tiny_model_dir, other)
    (other / "config.json").write_text(
        (other / "config.json").read_text().replace('"d_model": 32', '"d_model": 32 ')
    )
    assert model_fingerprint(other) != model_fingerprint(tiny_model_dir)


def test_help_does_not_import_torch(tmp_path):
    code = (
        "import sys\nfrom workbench.cli import build_parser\nbuild_parser()\n"
        "bad = [m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules]\n"
        "print(bad)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=clean_env(tmp_path)
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_proxy_model_build_is_deterministic(tmp_path, tiny_model_dir):
    from tests.model_fixtures import build_model

    again = build_model("tiny", tmp_path / "again")
    for name in ("model.safetensors", "vocab.json", "source.spm", "target.spm", "config.json"):
        assert (again / name).read_bytes() == (tiny_model_dir / name).read_bytes(), name


def test_tiny_target_vocabulary_spells_any_english_term(tiny_model_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir))
    assert type(tok).__name__ == "MarianTokenizer"
    for term in (
        "All-China Women's Federation (ACWF)",
        "Xi Jinping",
        "naïve café — Zürich",
        "e-commerce 2.0 & Q&A",
    ):
        ids = tok(text_target=term)["input_ids"]
        assert tok.unk_token_id not in ids, term
        assert tok.decode(ids, skip_special_tokens=True, use_source_tokenizer=False) == term


def test_mistyped_local_directory_is_not_taken_for_a_hub_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    with pytest.raises(WorkbenchError, match="does not exist"):
        resolve_model("models/opus-typo")


def test_model_convert_command_writes_a_loadable_ctranslate2_model(tmp_path, tiny_model_dir, capsys):
    from workbench.cli import main

    out = tmp_path / "ct2"
    code = main(
        ["model", "convert", "--model", str(tiny_model_dir), "--quantization", "float32", "--out", str(out)]
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert (out / "model.bin").is_file()
    from workbench.mt.ct2 import CT2Engine

    engine = CT2Engine(tiny_model_dir, device="cpu", threads=1, quantization="float32", ct2_dir=out)
    assert engine.translate(["妇联组织建设"], beam=1)[0].text
