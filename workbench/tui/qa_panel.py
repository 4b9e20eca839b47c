"""The editor's QA panel: the current segment's QA findings with ✗, or ✓, as you type; the table's ⚠
markers, the status line's count and ctrl+b's stops for the whole document.

A keystroke checks only the text typed (one ``check_pair``, cached); the whole document (every pair and
the consistency checks) is checked in a daemon thread once typing pauses for :data:`QA_IDLE` seconds (at
most :data:`QA_MAX_WAIT` seconds after a change, so drafts arriving unit after unit do not hold it off), one
pass at a time (``workbench.tui.qa_state``); the thread posts :class:`DocumentChecked` and the table, the panel
and the status line follow when it arrives. Glossary findings stay in the glossary panel.
"""

from __future__ import annotations

import threading
import time

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from workbench.records import SegmentRecord
from workbench.safe_read import MAX_SEGMENT_CHARS
from workbench.terms.checks import Finding
from workbench.tui.editor_host import EditorMixin
from workbench.tui.messages import DocumentChecked
from workbench.tui.qa_state import QAPass, over_cap, run_pass
from workbench.tui.widgets import QA_MARK, VIOLATION_MARK, FinalArea, RowIssue

#: Seconds without a change before the whole document is checked again.
QA_IDLE = 0.4
#: A pass waits no longer than this for changes to pause (drafts arriving unit after unit).
QA_MAX_WAIT = 3.0


class EditorQA(EditorMixin):
    """QA panel and document passes of the editor screen (mixed into ``EditorScreen``)."""

    _qa_timer: Timer | None = None
    _qa_waiting_since: float = 0.0
    _qa_running: bool = False
    _qa_again: bool = False
    _qa_shown: Text | None = None

    # ----- document passes -----------------------------------------------------------------------

    def schedule_qa(self, delay: float = QA_IDLE) -> None:
        """Check the whole document again once nothing has changed for ``delay`` seconds (or at the
        latest :data:`QA_MAX_WAIT` seconds after the first change)."""
        now = time.monotonic()
        if self._qa_timer is not None:
            if now - self._qa_waiting_since + delay > QA_MAX_WAIT:
                return  # waited long enough: the pending pass keeps its time
            self._qa_timer.stop()
        else:
            self._qa_waiting_since = now
        self._qa_timer = self.set_timer(delay, self.start_qa, name="workbench-qa")

    def start_qa(self) -> None:
        """Start a document pass in a daemon thread now (or right after the one running)."""
        self._qa_timer = None
        if self._qa_running:
            self._qa_again = True
            return
        job = self.session.qa.start(self.session.record)  # a copy: the thread never reads the session
        self._qa_running = True
        # A daemon thread, like the names: quitting must not wait for it.
        threading.Thread(target=self._run_qa, args=(job,), name="workbench-qa", daemon=True).start()

    def _run_qa(self, job: QAPass) -> None:
        try:
            result = run_pass(job)
        except Exception as exc:  # a broken check must not take the editor down
            self.post_message(DocumentChecked(None, f"QA unavailable: {type(exc).__name__}: {exc}"))
            return
        self.post_message(DocumentChecked(result))

    def on_document_checked(self, message: DocumentChecked) -> None:
        self._qa_running = False
        if message.error:
            self.notify(message.error, severity="warning", timeout=10)
        elif message.result is not None:
            before = self.row_issues()
            if self.session.qa.apply(message.result):
                for pos, (old, new) in enumerate(zip(before, self.row_issues(), strict=True)):
                    if old is not new:
                        self.refresh_row(pos)
                if self.session.positions():
                    self.update_qa(self.query_one(FinalArea).text)
                    self.update_label()
                self.update_status()
        if self._qa_again:
            self._qa_again = False
            self.start_qa()

    # ----- what is known -------------------------------------------------------------------------

    def qa_findings(self, seg: SegmentRecord) -> tuple[Finding, ...]:
        """The QA findings known for ``seg``'s stored target (none until a pass or a keystroke checked it)."""
        if not seg.target:
            return ()
        return self.session.qa.findings(seg)

    def row_issue(self, pos: int) -> RowIssue:
        """The worst issue of paragraph ``pos``: a glossary violation, else a QA finding, else none."""
        segs = self.session.paragraph(pos).segments
        if any(self.session.violations(s) for s in segs):
            return RowIssue.GLOSSARY
        if any(self.qa_findings(s) for s in segs):
            return RowIssue.QA
        return RowIssue.NONE

    def row_issues(self) -> list[RowIssue]:
        """:meth:`row_issue` of every paragraph, in list order."""
        return [self.row_issue(pos) for pos in range(len(self.session.record.paragraphs))]

    def qa_status(self) -> str:
        """The status line's QA part: ``3 ⚠ QA``, ``QA ✓`` or ``QA …`` (before the first pass)."""
        if not self.session.qa.ready:
            return "[dim]QA …[/]"
        n = sum(len(self.qa_findings(s)) for s in self.session.record.segments())
        return f"[yellow]{n} {QA_MARK} QA[/]" if n else "QA ✓"

    # ----- the panel -----------------------------------------------------------------------------

    def update_qa(self, target: str) -> None:
        """The QA findings of the text being typed: ``✗ check: message`` lines, or ``✓ no QA findings``."""
        seg = self.current()
        out = Text()
        if not target.strip():
            out.append("○ no translation to check yet", style="dim")
        elif over_cap(seg.source, target):
            out.append(f"○ not checked: over the {MAX_SEGMENT_CHARS:,}-character segment cap", style="dim")
        else:
            found = self.session.qa.findings(seg, target, compute=True)
            for f in found:
                out.append(f"{VIOLATION_MARK} ", style="bold red")
                out.append(f.check.value, style="bold")
                out.append(f": {f.text}\n")
            if not found:
                out.append("✓ ", style="bold green")
                out.append("no QA findings")
        if not self.session.qa.ready:
            out.append("\nchecking the document…", style="dim")
        out.rstrip()
        if out != self._qa_shown:  # most keystrokes change nothing here: spare the panel's relayout
            self._qa_shown = out
            self.query_one("#qa", Static).update(out)
