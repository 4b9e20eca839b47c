"""Write the command reference page (docs/reference/cli.md) from the argument parsers.

The page is generated, never edited by hand: ``python scripts/cli_reference.py`` rewrites it, and
``tests/test_docs.py`` fails when the committed page differs from what the parsers say.
Usage: ``python scripts/cli_reference.py [--check] [OUT]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "reference" / "cli.md"
WIDTH = "100"

HEADER = """# Command reference

Generated from the argument parsers by `python scripts/cli_reference.py`; do not edit by hand (a test
fails when this page is stale). Every command prints the same text with `--help`. Errors are one line
on standard error; the exit codes are listed in [exit codes](exit-codes.md).
"""


def _escape(text: str) -> str:
    """One line of prose, with the angle brackets of `DIR/<stem>.md` kept as text, not read as HTML."""
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")


def _flags(action: argparse.Action) -> str:
    if action.option_strings:
        names = ", ".join(f"`{o}`" for o in action.option_strings)
        if action.nargs != 0 and action.metavar != argparse.SUPPRESS:
            metavar = action.metavar or action.dest.upper()
            if isinstance(metavar, tuple):
                metavar = " ".join(metavar)
            names += f" `{metavar}`"
        return names
    metavar = action.metavar or action.dest
    return f"`{metavar}`"


def _help(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    text = action.help or ""
    if "%(" in text:
        params = {**vars(action), "prog": parser.prog}
        if isinstance(params.get("choices"), (list, tuple)):
            params["choices"] = ", ".join(map(str, params["choices"]))
        with contextlib.suppress(KeyError, TypeError, ValueError):
            text = text % params
    if action.choices and not isinstance(action, argparse._SubParsersAction) and "{" not in text:
        text += f" (one of: {', '.join(map(str, action.choices))})"
    return _escape(text)


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # aliases share a parser
                    seen.add(id(sub))
                    found.append((name, sub))
    return found


def _section(parser: argparse.ArgumentParser, level: int) -> list[str]:
    lines = [f"{'#' * level} `{parser.prog}`", ""]
    if parser.description:
        lines += [_escape(parser.description), ""]
    lines += ["```text", parser.format_usage().strip(), "```", ""]
    rows = [
        (_flags(a), _help(a, parser))
        for a in parser._actions
        if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))
        and a.help != argparse.SUPPRESS
    ]
    if rows:
        lines += [f"- {flags}: {text}" if text else f"- {flags}" for flags, text in rows]
        lines.append("")
    for _name, sub in _subparsers(parser):
        lines += _section(sub, min(level + 1, 4))
    return lines


def render() -> str:
    """The reference page's Markdown, independent of the terminal's width."""
    os.environ["COLUMNS"] = WIDTH
    sys.path.insert(0, str(ROOT))
    from workbench.cli import build_parser

    parser = build_parser()
    lines = [HEADER]
    for _name, sub in _subparsers(parser):
        lines += _section(sub, 2)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the page is stale, write nothing")
    ap.add_argument("out", nargs="?", type=Path, default=PAGE)
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
