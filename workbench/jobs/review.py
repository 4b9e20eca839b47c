"""Bringing a reviewer's Word review table back into a project (``workbench import P.wbproj review.docx``).

Each row is matched to the next segment of the document, in order, whose source equals the row's source
(whitespace runs count as one space); a row that matches none is reported and skipped, a deleted row
changes nothing. Of a matched row: a changed translation becomes the segment's final text with status
``reviewed``; a changed comment replaces the segment's comment; a changed status (``edited``,
``reviewed``, ``approved``) is applied; an unchanged row changes nothing. Everything is applied in one
transaction, with the reviewer's name in the history, so an import is all or nothing and each segment's
change can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.formats.common import effective_status
from workbench.formats.review_table import ReviewRow, read_review_docx
from workbench.records import SegmentRecord, Status
from workbench.store.project import Project
from workbench.store.review import ReviewChange

#: Statuses a reviewer may set in the table's status column.
REVIEW_STATUSES = (Status.EDITED, Status.REVIEWED, Status.APPROVED)


@dataclass
class ReviewImportReport:
    """What an import did: counts of changes and the rows reported."""

    document: str = ""
    rows: int = 0
    translations: int = 0
    comments: int = 0
    statuses: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.rows} row(s): {self.translations} translation(s) changed, {self.comments} comment(s), "
            f"{self.statuses} status change(s), {self.unchanged} unchanged, {len(self.problems)} reported"
        )


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _document_id(project: Project, title: str, path: str | Path) -> int:
    docs = project.documents()
    named = [d for d in docs if d.name == title]
    if len(named) == 1:
        return named[0].id
    if len(docs) == 1:
        return docs[0].id
    raise WorkbenchError(
        f"{path}: its title {title!r} names no single document of the project "
        f"({', '.join(d.name for d in docs) or 'none'})"
    )


def _change(
    row: ReviewRow, seg_id: int, record: SegmentRecord, report: ReviewImportReport
) -> ReviewChange | None:
    translation: str | None = row.translation if row.translation != _norm(record.target) else None
    if translation is not None and not translation:
        report.problems.append(f"row {row.number}: the translation was emptied; left as it was")
        translation = None
    comment = row.comment if row.comment != _norm(record.comment) else None
    status = None
    if row.status and row.status not in (str(record.status), str(effective_status(record))):
        status = next((s for s in Status if s.value == row.status), None)
        if status not in REVIEW_STATUSES:
            allowed = ", ".join(map(str, REVIEW_STATUSES))
            report.problems.append(
                f"row {row.number}: status {row.status!r} cannot be set here (use {allowed})"
            )
            status = None
    if translation is None and comment is None and status is None:
        report.unchanged += 1
        return None
    report.translations += translation is not None
    report.comments += comment is not None
    report.statuses += status is not None
    return ReviewChange(seg_id, final=translation, status=status, comment=comment)


def import_review(project: Project, path: str | Path, who: str = "") -> ReviewImportReport:
    """Apply a review table to the project (one transaction); see the module docstring.

    Raises:
        WorkbenchError: not a review table, no matching document, or a change that cannot be made
            (then nothing is changed).
    """
    title, rows = read_review_docx(path)
    doc_id = _document_id(project, title, path)
    report = ReviewImportReport(document=title, rows=len(rows))
    ids = {(s.paragraph, s.index): s.id for s in project.segments(doc_id)}
    record = project.document_record(doc_id, check_terms=False, check_qa=False)
    segments = [
        (ids[(s.paragraph, s.index)], s)
        for p in record.paragraphs
        for s in p.segments
        if s.source.strip() and (s.paragraph, s.index) in ids
    ]
    changes, at = [], 0
    for row in rows:
        want = _norm(row.source)
        k = next((k for k in range(at, len(segments)) if _norm(segments[k][1].source) == want), None)
        if k is None:
            report.problems.append(
                f"row {row.number}: source {row.source[:40]!r} no longer matches the project; skipped"
            )
            continue
        at = k + 1
        change = _change(row, *segments[k], report)
        if change is not None:
            changes.append(change)
    if changes:
        project.apply_review(changes, who)
    return report
