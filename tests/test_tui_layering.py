"""The core never imports Textual: only workbench.tui and the open command may."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

# Modules of workbench.tui that hold no Textual code (the UI's domain glue) count as core too.
TUI_CORE = {"workbench.tui.session", "workbench.tui.dictionary", "workbench.tui.recent"}


def core_modules() -> list[str]:
    """Every module of the package except the Textual UI and the command that opens it."""
    import pkgutil

    import workbench

    names = [m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench.")]
    return [
        n
        for n in names
        if n not in ("workbench.__main__", "workbench.commands.open")
        and (not n.startswith("workbench.tui") or n in TUI_CORE)
    ]


@pytest.mark.slow
def test_core_modules_do_not_import_textual() -> None:
    modules = core_modules()
    assert {"workbench.cli", "workbench.text", "workbench.mt.constrained", "workbench.store.project",
            "workbench.formats.tmx", "workbench.commands.export"} <= set(modules)  # fmt: skip
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
        "from workbench.cli import build_parser\n"
        "build_parser()\n"  # registering every sub-command, open included, must stay Textual-free
        "print('ok', len(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok")


def test_the_tui_does_import_textual() -> None:
    """The check above can fail: importing the app does pull Textual in."""
    code = "import sys, workbench.tui.app\nprint('textual' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "True", proc.stderr
