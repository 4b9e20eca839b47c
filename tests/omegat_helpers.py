"""Driving the real OmegaT (Debian package ``omegat``) headless from tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from workbench.formats.omegat import PROJECT_DIRS, omegat_project_xml

OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))


def require_omegat() -> None:
    """Skip the calling test where OmegaT or Java is not installed."""
    if not OMEGAT_JAR.is_file() or shutil.which("java") is None:
        pytest.skip("OmegaT is not installed (apt-get install omegat)")


def make_project(root: Path, sources: dict[str, str | Path], memory: Path | None = None) -> Path:
    """A zh-CN → en-US OmegaT project under ``root/proj`` with the given source files.

    Args:
        root: A scratch directory.
        sources: File name → text to write, or a path to copy.
        memory: A TMX to put in ``tm/auto`` (OmegaT fills exact matches from it).
    """
    proj = root / "proj"
    for sub in PROJECT_DIRS:
        (proj / sub).mkdir(parents=True, exist_ok=True)
    for name, content in sources.items():
        if isinstance(content, Path):
            shutil.copy(content, proj / "source" / name)
        else:
            (proj / "source" / name).write_text(content, encoding="utf-8")
    if memory is not None:
        shutil.copy(memory, proj / "tm" / "auto" / "input.tmx")
    (proj / "omegat.project").write_text(omegat_project_xml("zh-CN", "en-US"), encoding="utf-8")
    return proj


def run_omegat(proj: Path, *mode_args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run OmegaT headless on ``proj`` with ``mode_args`` (e.g. ``--mode=console-translate``); assert success."""
    cfg = proj.parent / "omegat-cfg"
    cfg.mkdir(exist_ok=True)
    cmd = [
        "java",
        "-Djava.awt.headless=true",
        "-jar",
        str(OMEGAT_JAR),
        str(proj),
        f"--config-dir={cfg}",
        "--disable-project-locking",
        "--no-team",
        *mode_args,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc
