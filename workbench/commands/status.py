"""``workbench status P.wbproj [--check]``: what is done, what remains, glossary violations and QA findings."""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field

from workbench.commands import options
from workbench.commands.progress import checks_progress
from workbench.errors import WorkbenchError
from workbench.records import DocumentRecord, Status

_ORDER = tuple(str(s) for s in Status)  # in the order work advances


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``status`` sub-command."""
    p = subparsers.add_parser(
        "status",
        help="counts per status, glossary violations, QA findings and what remains in a project",
        description="Show a project's progress: segments per status, glossary violations (against the "
        "glossary recorded by `translate --glossary`), QA findings (the checks of `workbench qa` but "
        "glossary and untranslated, per document), and what remains to draft and to approve.",
    )
    p.add_argument("project", metavar="P.wbproj", help="the project file")
    p.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when any segment is not approved, any target violates the glossary or has a QA finding "
        "(for scripts)",
    )
    p.add_argument(
        "--max-violations",
        type=options.non_negative_int,
        default=20,
        metavar="N",
        help="glossary violations and QA findings listed, each (default 20)",
    )
    p.set_defaults(func=run_status)


@dataclass
class _Listing:
    """The first ``limit`` lines of a list and how many there are (only those shown are formatted)."""

    limit: int
    count: int = 0
    lines: list[str] = field(default_factory=list)

    def wants_line(self) -> bool:
        """Count one more entry; True when its line is to be shown."""
        self.count += 1
        return self.count <= self.limit


def _glossary_lines(doc_name: str, record: DocumentRecord, listing: _Listing) -> None:
    """One line per glossary term and problem of each translated segment, however often the term occurs."""
    for seg in record.segments():
        if all(note.ok for note in seg.terms):
            continue
        seen: set[tuple[str, str, str]] = set()
        for note in seg.terms:
            if note.ok or (note.source, note.target, note.problem) in seen:
                continue
            seen.add((note.source, note.target, note.problem))
            if listing.wants_line():
                listing.lines.append(
                    f"  {doc_name} ¶{seg.paragraph + 1}.{seg.index + 1} [{seg.status}] "
                    f"{note.source} -> {note.target}: {note.problem}"
                )


def _qa_lines(doc_name: str, record: DocumentRecord, listing: _Listing, per: Counter[str]) -> None:
    """One line per QA note of each translated segment, and the notes per check."""
    for seg in record.segments():
        for note in seg.qa:
            per[note.check] += 1
            if listing.wants_line():
                listing.lines.append(
                    f"  {doc_name} ¶{seg.paragraph + 1}.{seg.index + 1} [{seg.status}] {note}"
                )


def _listed(title: str, listing: _Listing) -> None:
    print(title)
    for line in listing.lines:
        print(line)
    if listing.count > listing.limit:
        print(f"  ... and {listing.count - listing.limit} more")


def run_status(args: argparse.Namespace) -> int:
    """Print the project status; with ``--check`` return 1 when work remains, the glossary is violated or
    the QA checks find something."""
    from workbench.store.project import Project

    if args.max_violations < 0:
        raise WorkbenchError("--max-violations must be 0 or more")
    with Project.open(args.project, readonly=True) as project, checks_progress() as progress:
        docs = project.documents()
        has_glossary = bool(project.glossary())
        totals = dict.fromkeys(_ORDER, 0)
        violations = _Listing(args.max_violations)
        findings = _Listing(args.max_violations)
        per_check: Counter[str] = Counter()
        failed = project.failures()
        print(f"{args.project}")
        if not docs:
            print("  no documents yet (add some with: workbench translate FILE --project P.wbproj)")
        for doc in docs:
            counts = project.counts(doc.id)
            for k, v in counts.items():
                totals[k] = totals.get(k, 0) + v
            line = ", ".join(f"{k} {counts.get(k, 0)}" for k in _ORDER)
            print(f"  {doc.name}: {doc.n_segments} segments: {line}")
            record = project.document_record(doc.id, check_terms=has_glossary, progress=progress)
            _glossary_lines(doc.name, record, violations)
            _qa_lines(doc.name, record, findings, per_check)
    total = sum(totals.values())
    print(f"total: {total} segments: " + ", ".join(f"{k} {totals[k]}" for k in _ORDER))
    if not has_glossary:
        print("glossary: none recorded (translate with --glossary to check terms)")
    else:
        _listed(f"glossary violations: {violations.count}", violations)
    per = f" ({', '.join(f'{k} {n}' for k, n in sorted(per_check.items()))})" if findings.count else ""
    _listed(f"QA findings: {findings.count}{per}", findings)
    if failed:
        failures = _Listing(args.max_violations, len(failed))
        failures.lines = [f"  segment {sid}: {reason}" for sid, reason in sorted(failed.items())][
            : failures.limit
        ]
        _listed(f"drafting failed: {len(failed)} (the next translate --project retries them)", failures)
    to_draft = totals[Status.NEW]
    to_approve = total - totals[Status.APPROVED]
    print(f"remaining: {to_draft} to draft, {to_approve} to approve")
    if args.check and (to_approve or violations.count or findings.count):
        return 1
    return 0
