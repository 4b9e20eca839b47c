"""Shared fixtures. The tiny real Marian model is built once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Never send traffic off the machine from tests.
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny, randomly initialised but real MarianMT model saved with save_pretrained."""
    from tests.model_fixtures import build_model

    return build_model("tiny", tmp_path_factory.mktemp("tiny-marian") / "model")


def run_workbench(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``python -m workbench ARGS`` as a user would, capturing UTF-8 output."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


@pytest.fixture
def anyio_backend() -> str:
    """The UI tests (``pytest.mark.anyio``) run on asyncio, as Textual does."""
    return "asyncio"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's own workbench settings."""
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path / "config"))
