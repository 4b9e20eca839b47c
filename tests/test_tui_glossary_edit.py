"""Pilot tests: approving with open issues asks once and always fills the project's own TM; a term edited
and deleted in the UI is in and out of its glossary file, re-checked live and undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_workbench
from tui_fixtures import GLOSSARY, make_project, wait_for

from workbench.store.project import Project
from workbench.terms import load_termbase
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.settings import CONFIRM_APPROVAL, load_settings
from workbench.tui.term_editor import TermScreen
from workbench.tui.widgets import FinalArea

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def statuses(proj: Path) -> list[str]:
    with Project.open(proj) as p:
        return [str(s.status) for s in p.segments()]


def entries(path: Path) -> dict[str, object]:
    return {e.source: e for e in load_termbase([path]).entries}


async def test_approving_with_findings_asks_once_and_fills_the_project_tm(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    with Project.open(proj) as p:
        segs = p.segments()
        p.set_draft(segs[1].id, "All levels of the league study the congress.")  # 妇联 not rendered: ✗
        p.set_draft(segs[2].id, "Women volunteers join rural revitalization.")  # clean
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = app.screen
        ed.goto(1, 0, move_table=True)
        await pilot.press("ctrl+o")
        assert statuses(proj)[1] == "drafted"  # not yet: the status line asks
        assert "Approve with 1 ✗ glossary" in str(ed.query_one("#status").render())
        await pilot.press("ctrl+o")  # the second press approves
        assert statuses(proj)[1] == "approved" and (ed.par, ed.seg) == (1, 1)
        await pilot.press("ctrl+o")  # a clean segment: no question
        assert statuses(proj)[2] == "approved"
        # The palette's setting turns the question off (and it is remembered).
        ed.toggle_approval_question()
        assert load_settings()[CONFIRM_APPROVAL] is False
    # Both approvals are in the project's own TM, created beside the project; `tm stats` shows them.
    tm = proj.with_suffix(".tm.sqlite")
    assert tm.is_file()
    result = run_workbench("tm", "stats", "--tm", str(tm))
    assert result.returncode == 0 and f"{tm}: 2 units" in result.stdout


async def test_a_term_edited_then_deleted_in_the_ui_is_in_then_out_of_its_file(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    with Project.open(proj) as p:
        p.set_draft(p.segments()[2].id, "Female volunteers join rural revitalization.")
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = app.screen
        ed.goto(1, 1, move_table=True)  # 巾帼志愿者积极参与乡村振兴。: "female volunteers" is forbidden
        assert ed.session.violations(ed.current())
        await pilot.press("alt+t")
        await wait_for(pilot, lambda: isinstance(app.screen, TermScreen))
        dialog = app.screen
        assert dialog.query_one("#term-renderings").value == "women volunteers"
        assert dialog.query_one("#term-forbidden").value == "female volunteers"
        dialog.query_one("#term-renderings").value = "women volunteers; female volunteers"
        dialog.query_one("#term-forbidden").value = "girl volunteers"
        dialog.query_one("#term-variants").value = "巾帼志愿人员"
        dialog.query_one("#term-note").value = "ACWF usage"
        dialog.query_one("#term-note").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        e = entries(gloss)["巾帼志愿者"]
        assert (e.target, e.alternatives, e.forbidden, e.variants, e.note) == (
            "women volunteers",
            ("female volunteers",),
            ("girl volunteers",),
            ("巾帼志愿人员",),
            "ACWF usage",
        )
        assert not ed.session.violations(ed.current())  # re-checked live: now an allowed rendering
        assert "✗" not in str(ed.query_one("#seg-label").render())
        # Delete it (ctrl+r in the dialog): out of the file, the segment has no term any more.
        await pilot.press("alt+t")
        await wait_for(pilot, lambda: isinstance(app.screen, TermScreen))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert "巾帼志愿者" not in entries(gloss) and "妇联" in entries(gloss)
        assert not ed.session.terms_in(ed.current().source)
        # Both are undo steps: back to the edited term, then to the original file.
        await pilot.press("ctrl+z")
        assert entries(gloss)["巾帼志愿者"].note == "ACWF usage"
        await pilot.press("ctrl+z")
        assert gloss.read_text(encoding="utf-8") == GLOSSARY
        assert ed.session.violations(ed.current())
        assert ed.focused is not ed.query_one(FinalArea)
