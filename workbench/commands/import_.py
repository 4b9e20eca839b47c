"""``workbench import``: bring a reviewed XLIFF file back into a project (final translations)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.errors import WorkbenchError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` sub-command."""
    p = subparsers.add_parser(
        "import",
        help="import a reviewed XLIFF file into a project's final translations",
        description=(
            "Read an XLIFF 1.2 file exported with 'workbench export --format xliff' and edited in a CAT tool, "
            "and set each changed target as the segment's final translation (signed-off/final targets are "
            "also approved). Units whose source no longer matches the project are skipped and listed. "
            "The XML is parsed safely: files with entity declarations or network DTDs are refused. "
            "TMX files go into the translation memory with 'workbench tm import'."
        ),
    )
    p.add_argument("file", type=Path, help="the .xlf/.xliff file")
    p.add_argument("--project", "-p", type=Path, required=True, help="the .wbproj project to update")
    p.add_argument("--no-approve", action="store_true", help="do not approve signed-off/final units")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``workbench import``."""
    from workbench.formats.xliff import import_xliff, read_xliff
    from workbench.inputs import check_input_file
    from workbench.store.project import Project

    check_input_file(args.file)
    if args.file.suffix.lower() == ".tmx":
        raise WorkbenchError(f"{args.file}: TMX goes into the translation memory: workbench tm import {args.file}")
    if not args.project.exists():
        raise WorkbenchError(f"{args.project}: no such project file")
    read_xliff(args.file)  # refuse unsafe or malformed files before opening the project for writing
    project = Project.open(args.project)
    try:
        report = import_xliff(args.file, project, approve_signed_off=not args.no_approve)
    finally:
        project.close()
    for line in report.skipped[:20]:
        print(f"skipped {line}", file=sys.stderr)
    if len(report.skipped) > 20:
        print(f"... and {len(report.skipped) - 20} more skipped", file=sys.stderr)
    print(
        f"imported {args.file}: {report.updated} final translation(s) updated, {report.approved} approved, "
        f"{report.unchanged} unchanged, {report.untranslated} untranslated, {len(report.skipped)} skipped",
        file=sys.stderr,
    )
    return 0
