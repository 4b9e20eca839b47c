"""``workbench import``: bring a reviewed XLIFF file or Word review table back into a project."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.errors import WorkbenchError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` sub-command."""
    p = subparsers.add_parser(
        "import",
        help="import a reviewed XLIFF file or Word review table into a project",
        description=(
            "workbench import P.wbproj FILE (or: workbench import FILE --project P.wbproj). "
            "FILE is an XLIFF 1.2 file exported with 'workbench export --format xliff' and edited in a CAT tool "
            "(each changed target becomes the segment's final translation; signed-off/final targets are also "
            "approved), or a Word review table (.docx, 'workbench export --layout table') edited in Word or "
            "LibreOffice (changed translations become the final with status reviewed; comments and statuses "
            "come in; all in one transaction, recorded with the reviewer's name). Units or rows whose source no "
            "longer matches the project are skipped and listed. The XML is parsed safely: files with entity "
            "declarations or network DTDs are refused. TMX files go into the translation memory with "
            "'workbench tm import'."
        ),
    )
    p.add_argument(
        "paths", type=Path, nargs="+", metavar="[P.wbproj] FILE", help="the project, then the file"
    )
    p.add_argument("--project", "-p", type=Path, help="the .wbproj project to update")
    p.add_argument("--no-approve", action="store_true", help="XLIFF: do not approve signed-off/final units")
    p.add_argument(
        "--reviewer", metavar="NAME", help="the name recorded in the history (default: the settings' name)"
    )
    p.set_defaults(func=run)


def _project_and_file(args: argparse.Namespace) -> tuple[Path, Path]:
    paths = list(args.paths)
    if args.project is not None:
        paths.insert(0, args.project)
    if len(paths) != 2:
        raise WorkbenchError("import: give the project and one file: workbench import P.wbproj FILE")
    project, file = paths
    if file.suffix.lower() == ".wbproj" and project.suffix.lower() != ".wbproj":
        project, file = file, project
    return project, file


def run(args: argparse.Namespace) -> int:
    """Run ``workbench import``."""
    from workbench.safe_read import check_input_file

    project_path, file = _project_and_file(args)
    check_input_file(file)
    if file.suffix.lower() == ".tmx":
        raise WorkbenchError(f"{file}: TMX goes into the translation memory: workbench tm import {file}")
    if not project_path.exists():
        raise WorkbenchError(f"{project_path}: no such project file")
    if file.suffix.lower() == ".docx":
        return _run_review(args, project_path, file)
    return _run_xliff(args, project_path, file)


def _run_review(args: argparse.Namespace, project_path: Path, file: Path) -> int:
    from workbench.formats.review_table import read_review_docx
    from workbench.jobs.review import import_review
    from workbench.settings import user_name
    from workbench.store.project import Project

    read_review_docx(file)  # refuse unsafe files and files without a review table before opening the project
    with Project.open(project_path) as project:
        report = import_review(project, file, who=args.reviewer or user_name())
    for line in report.problems:
        print(f"{file}: {line}", file=sys.stderr)
    print(f"imported {file} into {report.document}: {report.summary()}", file=sys.stderr)
    return 0


def _run_xliff(args: argparse.Namespace, project_path: Path, file: Path) -> int:
    from workbench.formats.xliff import import_xliff, read_xliff
    from workbench.store.project import Project

    read_xliff(file)  # refuse unsafe or malformed files before opening the project for writing
    project = Project.open(project_path)
    try:
        report = import_xliff(file, project, approve_signed_off=not args.no_approve)
    finally:
        project.close()
    for line in report.skipped[:20]:
        print(f"skipped {line}", file=sys.stderr)
    if len(report.skipped) > 20:
        print(f"... and {len(report.skipped) - 20} more skipped", file=sys.stderr)
    print(
        f"imported {file}: {report.updated} final translation(s) updated, {report.approved} approved, "
        f"{report.unchanged} unchanged, {report.untranslated} untranslated, {len(report.skipped)} skipped",
        file=sys.stderr,
    )
    return 0
