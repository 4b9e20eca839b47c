"""Command-line entry point.

Each sub-command lives in ``workbench/commands/<name>.py`` and exposes
``register(subparsers)``; heavy imports (torch, transformers, textual) happen
inside the command functions so ``workbench --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from workbench import __version__
from workbench.errors import WorkbenchError, error_line

# Module names under workbench.commands, in the order shown by --help.
COMMANDS = (
    "segment",
    "translate",
    "names",
    "model",
    "glossary",
    "status",
    "project",
    "tm",
    "export",
    "import_",
    "qa",
    "evaluate",
    "analyze",
    "align",
    "open",
)


class Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("workbench").strip()
        where = f"{command}: " if command else ""
        self.exit(2, error_line(f"{where}{message} (see {self.prog} --help)") + "\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command (sub-parsers share its class)."""
    parser = Parser(
        prog="workbench",
        description="zh→en translation and glossary workbench. With no command, opens the terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"workbench.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        from workbench.commands.open import open_tui

        func = open_tui
    from workbench.commands.stdio import guarded_stdout
    from workbench.guard import output_run

    try:
        with guarded_stdout(), output_run(force=bool(getattr(args, "force", False))):
            return int(func(args) or 0)
    except WorkbenchError as exc:
        print(error_line(str(exc)), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the last resort of the one error path: a file or device that failed
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(error_line(f"{where}{exc.strerror or exc}"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
