"""Approving with open issues (mixed into ``EditorScreen``): the first ctrl+o on a segment with glossary
violations (✗) or QA findings (⚠) says how many in the status line; a second press approves. The setting
``confirm_approval`` (palette: "Settings: ask before approving…") turns the question off."""

from __future__ import annotations

import time

from workbench.records import SegmentRecord
from workbench.tui.editor_host import EditorMixin
from workbench.tui.settings import CONFIRM_APPROVAL, load_settings, save_setting
from workbench.tui.widgets import QA_MARK, VIOLATION_MARK

#: Seconds within which the second ctrl+o confirms.
CONFIRM_S = 15.0


class EditorApproval(EditorMixin):
    """The approval question."""

    _approval_asked: tuple[int, float] | None = None

    def approval_confirmed(self, seg: SegmentRecord) -> bool:
        """True when ``seg`` may be approved now; else the question is shown and the next ctrl+o confirms."""
        if not load_settings()[CONFIRM_APPROVAL]:
            return True
        sid = self.session.segment_id(self.par, self.seg)
        asked, self._approval_asked = self._approval_asked, None
        if asked is not None and asked[0] == sid and time.monotonic() - asked[1] < CONFIRM_S:
            self.hold_status("", 0)
            return True
        bad, qa = len(self.session.violations(seg)), len(self.qa_findings(seg))
        if not bad and not qa:
            return True
        parts = ([f"[red]{bad} {VIOLATION_MARK} glossary[/]"] if bad else []) + (
            [f"[yellow]{qa} {QA_MARK} QA[/]"] if qa else []
        )
        self._approval_asked = (sid, time.monotonic())
        self.hold_status(f"[b]Approve with {' and '.join(parts)}?[/] ctrl+o again approves", CONFIRM_S)
        return False

    def toggle_approval_question(self) -> None:
        """Turn the question before approving with open issues on or off (kept in the settings)."""
        on = not load_settings()[CONFIRM_APPROVAL]
        save_setting(CONFIRM_APPROVAL, on)
        self.notify(
            "Approving with open ✗/⚠ now asks first." if on else "Approving no longer asks about ✗/⚠."
        )
