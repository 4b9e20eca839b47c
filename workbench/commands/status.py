"""``workbench status P.wbproj [--check]``: what is done, what remains, and glossary violations."""

from __future__ import annotations

import argparse

from workbench.commands import options
from workbench.errors import WorkbenchError
from workbench.records import Status

_ORDER = tuple(str(s) for s in Status)  # in the order work advances


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``status`` sub-command."""
    p = subparsers.add_parser(
        "status",
        help="counts per status, glossary violations and what remains in a project",
        description="Show a project's progress: segments per status, glossary violations (against the "
        "glossary recorded by `translate --glossary`), and what remains to draft and to approve.",
    )
    p.add_argument("project", metavar="P.wbproj", help="the project file")
    p.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when any segment is not approved or any target violates the glossary (for scripts)",
    )
    p.add_argument(
        "--max-violations", type=options.non_negative_int, default=20, metavar="N", help="violations listed (default 20)"
    )
    p.set_defaults(func=run_status)


def run_status(args: argparse.Namespace) -> int:
    """Print the project status; with ``--check`` return 1 when work remains or the glossary is violated."""
    from workbench.store.project import Project

    if args.max_violations < 0:
        raise WorkbenchError("--max-violations must be 0 or more")
    with Project.open(args.project, readonly=True) as project:
        docs = project.documents()
        glossary = project.glossary()
        totals = dict.fromkeys(_ORDER, 0)
        violations: list[str] = []
        n_violations = 0
        print(f"{args.project}")
        if not docs:
            print("  no documents yet (add some with: workbench translate FILE --project P.wbproj)")
        for doc in docs:
            counts = project.counts(doc.id)
            for k, v in counts.items():
                totals[k] = totals.get(k, 0) + v
            line = ", ".join(f"{k} {counts.get(k, 0)}" for k in _ORDER)
            print(f"  {doc.name}: {doc.n_segments} segments: {line}")
            if not glossary:
                continue
            for seg in project.segments(doc.id):
                target = seg.target
                if not target:
                    continue
                seen: set[tuple[str, str, str]] = set()
                for note in glossary.check(seg.source, target):
                    if note.ok or (note.source, note.target, note.problem) in seen:
                        continue  # one line per term and problem, however often the term occurs
                    seen.add((note.source, note.target, note.problem))
                    n_violations += 1
                    if len(violations) < args.max_violations:
                        violations.append(
                            f"  {doc.name} ¶{seg.paragraph + 1}.{seg.index + 1} [{seg.status}] "
                            f"{note.source} -> {note.target}: {note.problem}"
                        )
    total = sum(totals.values())
    print(f"total: {total} segments: " + ", ".join(f"{k} {totals[k]}" for k in _ORDER))
    if not glossary:
        print("glossary: none recorded (translate with --glossary to check terms)")
    else:
        print(f"glossary violations: {n_violations}")
        for v in violations:
            print(v)
        if n_violations > len(violations):
            print(f"  ... and {n_violations - len(violations)} more")
    to_draft = totals[Status.NEW]
    to_approve = total - totals[Status.APPROVED]
    print(f"remaining: {to_draft} to draft, {to_approve} to approve")
    if args.check and (to_approve or n_violations):
        return 1
    return 0
