"""A resumed run gets back every part of a draft it journaled: text, score, unmet terms with their reasons,
the term ledger, the forcing cost and a failure (the Markdown ledger summary of a resumed run depends on it)."""

from __future__ import annotations

import json

from workbench.jobs.donestate import _draft, _draft_row
from workbench.records import Draft, TermHow, TermLedger


def test_a_journaled_draft_comes_back_whole() -> None:
    drafts = [
        Draft(
            "The women's federation met.",
            -0.5,
            6,
            ["巾帼"],
            ledger=[TermLedger("妇联", TermHow.PLACED), TermLedger("巾帼", TermHow.UNMET, "does not fit")],
            cost=0.25,
            reasons={"巾帼": "does not fit the length limit"},
        ),
        Draft.failure("RuntimeError: boom"),
        Draft("plain", -1.0, 1),
    ]
    row = json.loads(json.dumps(_draft_row([0, 1, 2], drafts), ensure_ascii=False))
    assert [_draft(cells) for cells in row["drafts"]] == drafts


def test_older_journal_lines_still_read() -> None:
    assert _draft(["x", -1.0, 2, []]) == Draft("x", -1.0, 2)
    assert _draft(["", 0.0, 0, [], "boom"]) == Draft.failure("boom")
