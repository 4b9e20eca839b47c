"""``workbench qa FILE...``: CAT-style QA of bilingual files (numbers, punctuation, consistency, terms …)."""

from __future__ import annotations

import argparse
import json

from workbench.errors import WorkbenchError

FORMATS = ("text", "jsonl")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``qa`` sub-command."""
    from workbench.terms.checks.finding import Check

    names = ", ".join(c.value for c in Check)
    p = subparsers.add_parser(
        "qa",
        help="check bilingual files as CAT QA tools do: numbers, untranslated, punctuation, consistency, terms",
        description="Check the translations in each FILE (a .wbproj project, TMX, XLIFF, a source TAB target "
        "TSV, or the JSONL of `workbench translate`) and list every finding as FILE:UNIT: CHECK: MESSAGE "
        "(UNIT is the 1-based line for TSV and JSONL, the unit id otherwise). Exit status 1 when anything "
        f"is found, 0 when nothing, 2 on bad input. Checks: {names}.",
    )
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="bilingual file(s); consistency is checked across all"
    )
    p.add_argument(
        "--glossary",
        action="append",
        metavar="G",
        help="term base for the glossary check (repeatable; default: a project's own)",
    )
    p.add_argument("--checks", metavar="LIST", help="only these checks (comma-separated)")
    p.add_argument("--ignore", metavar="LIST", help="skip these checks (comma-separated)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default) or jsonl: one JSON object per finding",
    )
    p.set_defaults(func=run_qa_command)


def run_qa_command(args: argparse.Namespace) -> int:
    """Run the checks and print the findings; 1 when there are any."""
    import sys

    from workbench.jobs.qa import run_qa
    from workbench.terms.checks import select_checks

    checks = select_checks(args.checks, args.ignore)
    if not checks:
        raise WorkbenchError("no checks left to run (--ignore removed them all)")
    report = run_qa(args.files, checks=checks, glossary=args.glossary)
    for f in report.findings:
        if args.format == "jsonl":
            print(json.dumps(f.to_dict(), ensure_ascii=False))
        else:
            print(f"{f.file}:{f.unit}: {f.check.value}: {f.text}")
    for note in report.notes:
        print(f"workbench: qa: {note}", file=sys.stderr)
    print(f"workbench: qa: {report.summary()}", file=sys.stderr)
    return 1 if report.findings else 0
