"""The core never imports Textual: only workbench.tui and the open command may."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CORE = [
    "workbench.cli",
    "workbench.errors",
    "workbench.records",
    "workbench.text",
    "workbench.text.model",
    "workbench.terms",
    "workbench.mt",
    "workbench.mt.engine",
    "workbench.mt.registry",
    "workbench.store",
    "workbench.store.project",
    "workbench.store.tm",
    "workbench.export",
    "workbench.tui.session",
    "workbench.tui.dictionary",
    "workbench.tui.recent",
]


def _importable(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_core_modules_do_not_import_textual() -> None:
    import pkgutil

    import workbench.commands
    import workbench.export

    modules = [m for m in CORE if _importable(m)]
    for pkg, prefix in ((workbench.commands, "workbench.commands."), (workbench.export, "workbench.export.")):
        modules += [prefix + m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name != "open"]
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
    assert "workbench.commands.export" in modules or not _importable("workbench.commands.export")


def test_the_tui_does_import_textual() -> None:
    """The check above can fail: importing the app does pull Textual in."""
    code = "import sys, workbench.tui.app\nprint('textual' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "True", proc.stderr
