"""The alignment review (``workbench open --align``), driven with Pilot: a merged bead goes into the TM."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from tui_fixtures import wait_for

from workbench.jobs.align import align_documents, split_documents
from workbench.store.tm import TranslationMemory
from workbench.tui.align_review import AlignReviewApp

pytestmark = pytest.mark.anyio
DATA = Path(__file__).resolve().parent.parent / "workbench" / "jobs" / "data" / "flores200"
ZH = gzip.decompress((DATA / "zho_Hans.devtest.gz").read_bytes()).decode("utf-8").splitlines()[424:428]
EN = gzip.decompress((DATA / "eng_Latn.devtest.gz").read_bytes()).decode("utf-8").splitlines()[424:428]


async def test_merged_bead_is_confirmed_and_written_to_the_tm(tmp_path):
    pair = align_documents(split_documents(["".join(ZH)], [" ".join(EN)]))
    assert [(b.zh, b.en) for b in pair.beads] == [((k,), (k,)) for k in range(4)]
    tm_path = tmp_path / "tm.sqlite"
    app = AlignReviewApp(pair, tm_path)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one("#beads")
        await wait_for(pilot, lambda: table.row_count == 4)
        row = app.order().index(2)  # the bead of the third sentences, wherever its score puts it
        table.move_cursor(row=row)
        await wait_for(pilot, lambda: app.selected() == 2)
        await pilot.press("m")
        await wait_for(pilot, lambda: table.row_count == 3)
        merged = pair.beads[2]
        assert (merged.zh, merged.en) == ((2, 3), (2, 3)) and app.is_confirmed(merged)
        await pilot.press("w")
        await wait_for(pilot, lambda: app.added is not None)
    assert app.added == 1  # only the merged bead was confirmed
    with TranslationMemory.open(tm_path, create=False, readonly=True) as tm:
        unit = tm.exact(ZH[2] + ZH[3])
        assert unit is not None and unit.target == EN[2] + " " + EN[3] and unit.origin == "aligned"
        assert tm.exact(ZH[0]) is None


async def test_mined_candidates_accepted_edited_rejected_then_written(tmp_path):
    from workbench.terms import load_termbase
    from workbench.terms.model import Entry
    from workbench.tui.mine_review import MineReviewApp

    out = tmp_path / "accepted.tsv"
    out.write_text("source\ttarget\n会议\tmeeting\n", encoding="utf-8")
    cands = [
        Entry("妇联", "women's federation", note="count=4"),
        Entry("新时代", "new", note="count=3"),
        Entry("医院", "hospital", note="count=3"),
    ]
    app = MineReviewApp(cands, out)
    async with app.run_test(size=(140, 30)) as pilot:
        table = app.query_one("#candidates")
        await wait_for(pilot, lambda: table.row_count == 3)
        await pilot.press("a")  # accept 妇联, go to 新时代
        await wait_for(pilot, lambda: app.selected() == 1)
        await pilot.press("e")
        box = app.query_one("#edit")
        await wait_for(pilot, lambda: box.has_focus)
        box.value = ""
        await pilot.press(*"new era", "enter")
        await wait_for(pilot, lambda: app.candidates[1].target == "new era")
        await pilot.press("down", "r", "w")
        await wait_for(pilot, lambda: app.written is not None)
    tb = load_termbase(out)
    assert {(e.source, e.target) for e in tb} == {
        ("会议", "meeting"),
        ("妇联", "women's federation"),
        ("新时代", "new era"),
    }
