"""``workbench project backup P.wbproj OUT``: a consistent copy of a project, even while it is in use."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workbench.errors import WorkbenchError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``project`` sub-command and its actions."""
    p = subparsers.add_parser(
        "project",
        help="project files: a consistent backup copy",
        description="Actions on a project file as a whole.",
    )
    sub = p.add_subparsers(dest="project_action", metavar="ACTION", required=True)
    b = sub.add_parser(
        "backup",
        help="copy a project into one self-contained file (safe while the UI or a batch run works on it)",
        description="Copy a project with SQLite's backup API: one consistent snapshot, every committed "
        "change included, as a single file (no -wal beside it). A copy made with cp while a program "
        "writes may miss its last commit; this one never does.",
    )
    b.add_argument("project", metavar="P.wbproj", help="the project to copy")
    b.add_argument(
        "out", metavar="OUT", help="the copy to write (a folder: the copy keeps the project's name)"
    )
    b.add_argument("--force", action="store_true", help="replace OUT when it exists")
    b.set_defaults(func=run_backup)


def _target(project: Path, out: Path, force: bool) -> Path:
    """Where the copy goes; refuses the project itself, a missing folder, and (without --force) a file."""
    target = out / project.name if out.is_dir() else out
    if target.exists() and target.resolve() == project.resolve():
        raise WorkbenchError(f"{target}: is the project itself; give another file or folder")
    if not target.parent.is_dir():
        raise WorkbenchError(f"{target}: folder {target.parent} does not exist")
    if target.exists():
        if not target.is_file():
            raise WorkbenchError(f"{target}: exists and is not a regular file")
        if not force:
            raise WorkbenchError(f"{target}: exists; use --force to replace it")
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{target}{suffix}")
        if side.exists() and (suffix != "-shm" or os.path.getsize(side)):
            raise WorkbenchError(
                f"{target}: {side.name} lies beside it (a program has it open, or it was not closed); "
                "choose another name"
            )
    return target


def run_backup(args: argparse.Namespace) -> int:
    """Write the backup copy and say what it holds."""
    from workbench.store.project import Project

    project = Path(args.project)
    target = _target(project, Path(args.out), args.force)
    with Project.open(project, readonly=True) as p:
        p.backup(target)
    with Project.open(target, readonly=True) as copy:
        docs = len(copy.documents())
        counts = copy.counts()
    total = sum(counts.values())
    done = ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "no segments"
    print(f"{target}: {docs} document(s), {total} segment(s) ({done})")
    return 0
