"""The UI on a project holding one 20-million-character segment (issue 25, item 3): the editor shows,
every part of it stays bounded (table row, source, panels, QA, names, status line), and ctrl+q quits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tui_fixtures import wait_for

from workbench.safe_read import MAX_SEGMENT_CHARS
from workbench.store.project import Project
from workbench.text.model import Document, Paragraph
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.widgets import MAX_SHOWN_CHARS, FinalArea, ParagraphTable

pytestmark = pytest.mark.anyio

SIZE = (120, 40)
PHRASE = "江苏省宿迁市沭阳县人民政府发布了第12号文件"  # all Han but the two digits
LENGTH = 20_000_000


def huge_project(tmp_path: Path) -> Path:
    """A project whose only segment is 20 million characters (stored whole: no segmenter cut it)."""
    huge = PHRASE * (LENGTH // len(PHRASE))
    source = tmp_path / "huge.txt"
    source.write_text(huge + "\n", encoding="utf-8")
    proj = tmp_path / "huge.txt.wbproj"
    paragraph = Paragraph(0, "body", huge, (1, 1), (huge,))
    with Project.open(proj, create=True) as project:
        project.add_document(Document(str(source), "utf-8", "simplified", (paragraph,)))
        (segment,) = project.segments()
        project.set_final(segment.id, "Document No. 12 of the Shuyang County government.")
    return proj


@pytest.mark.slow
async def test_a_20_million_character_segment_shows_and_ctrl_q_quits(tmp_path: Path) -> None:
    proj = huge_project(tmp_path)
    han = LENGTH // len(PHRASE) * (len(PHRASE) - 2)
    app = create_app(proj, preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), timeout=120)
        ed = app.screen
        # the status line counts the whole segment once the document's QA pass is in
        await wait_for(pilot, lambda: f"{han} 字" in str(ed.query_one("#status").render()), timeout=120)
        await wait_for(pilot, lambda: "QA ✓" in str(ed.query_one("#status").render()), timeout=120)
        row = ed.query_one(ParagraphTable).get_cell("0", "source").plain
        assert row.startswith(PHRASE[:4]) and len(row) < 200  # a bounded prefix
        source = ed.query_one("#source").text
        assert len(source) < MAX_SHOWN_CHARS + 100 and source.endswith("more characters not shown)")
        qa = str(ed.query_one("#qa").render())
        assert f"not checked: over the {MAX_SEGMENT_CHARS:,}-character segment cap" in qa
        assert "¶ 1/1" in str(ed.query_one("#seg-label").render())
        # names are found off the UI thread, in pieces of at most the cap: the panel says it is at it
        glossary = str(ed.query_one("#glossary").render())
        assert "finding names" in glossary or "name" in glossary
        await pilot.press("enter")  # typing in the final stays possible and bounded
        await wait_for(pilot, lambda: app.focused is ed.query_one(FinalArea), timeout=60)
        await pilot.press("end", "space", *"More")
        await wait_for(pilot, lambda: ed.query_one("#final").text.endswith(" More"), timeout=60)
        start = time.monotonic()
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, timeout=30)
        assert time.monotonic() - start < 30
    assert app.return_code == 0
    with Project.open(proj, readonly=True) as project:
        assert project.segments()[0].final.endswith(" More")  # what was typed is kept
