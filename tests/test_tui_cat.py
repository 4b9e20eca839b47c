"""Pilot tests of the CAT tools in the editor: concordance (ctrl+k), counts and the analysis dialog (F10),
comments (F11), misspelled words marked in the final and added to the word list (ctrl+d)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixtures import make_project, wait_for

from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.tui.app import create_app
from workbench.tui.cat_screens import CommentScreen, ConcordanceScreen, TextScreen
from workbench.tui.editor import EditorScreen
from workbench.tui.widgets import FinalArea

SIZE = (120, 40)
pytestmark = pytest.mark.anyio


@pytest.fixture
def setup(tmp_path: Path):
    proj, gloss = make_project(tmp_path)
    tm_path = tmp_path / "tm.sqlite"
    with TranslationMemory.open(tm_path) as tm:
        tm.add("巾幗志願者走進社區。", "Women volunteers went into the community.", origin="old.tmx")
        tm.add("各级妇联要深入学习贯彻大会精神。", "Federations at all levels must study the congress.")
    return proj, gloss, tm_path


def editor(app) -> EditorScreen:
    assert isinstance(app.screen, EditorScreen)
    return app.screen


async def test_concordance_finds_tm_project_and_glossary(setup) -> None:
    proj, gloss, tm_path = setup
    app = create_app(proj, glossary=[gloss], tm=tm_path, preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        editor(app)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: isinstance(app.screen, ConcordanceScreen))
        for ch in "巾帼":
            await pilot.press(ch)
        await pilot.press("enter")
        hits = app.screen.query_one("#concordance-hits")
        await wait_for(pilot, lambda: "old.tmx" in str(hits.render()))
        shown = str(hits.render())
        assert "巾幗志願者走進社區。" in shown  # traditional found by the simplified query
        assert "[project] news.txt" in shown and "[glossary] terms.tsv" in shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))


async def test_counts_analysis_comment_and_spelling(setup, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_NAME", "Li Hua")
    proj, gloss, tm_path = setup
    app = create_app(proj, glossary=[gloss], tm=tm_path, preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ed = editor(app)
        status = ed.query_one("#status")
        # 21 + 28 + 19 + 25 Han characters in the document.
        await wait_for(pilot, lambda: "93 字" in str(status.render()))
        # The analysis dialog: the TM's exact match of segment 2 is counted in 100%.
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, TextScreen))
        body = str(app.screen.query_one("#text-body").render())
        assert "100%" in body and "TOTAL" in body
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        # A comment, saved in the project with the settings' name, shown in the side panel.
        await pilot.press("f11")
        await wait_for(pilot, lambda: isinstance(app.screen, CommentScreen))
        for ch in "Check the name":
            await pilot.press("space" if ch == " " else ch)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await wait_for(pilot, lambda: "Check the name" in str(ed.query_one("#comment").render()))
        with Project.open(proj, readonly=True) as p:
            seg = p.segments()[0]
            assert seg.comment == "Check the name" and p.history(seg.id)[-1].who == "Li Hua"
        # A misspelled word in the final is underlined, and ctrl+d adds it to the word list.
        final = ed.query_one(FinalArea)
        final.focus()
        final.load_text("The Kaizhou federaton met.")
        await pilot.pause()
        assert [(a, b, name) for a, b, name in final._highlights[0]] == [(12, 21, "wb.misspelled")]
        final.move_cursor((0, 15))
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: not final._highlights[0])
        words = Path(tmp_path / "config" / "words.txt")
        assert words.read_text(encoding="utf-8") == "federaton\n"
