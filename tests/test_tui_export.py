"""Pilot test: every export format of the dialog, chosen with the arrow keys, writes a valid file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tui_fixtures import make_project, wait_for

from workbench.store.project import Project
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.export_dialog import EXPORT_CHOICES, ExportChoice, ExportScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def _xml(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def check(choice: ExportChoice, path: Path) -> None:
    """What a user opening the file would check: it parses as its format and holds the work."""
    if choice is ExportChoice.TMX:
        root = _xml(path)
        assert root.tag == "tmx" and len(root.findall(".//tu")) >= 2
        assert "Sentence 0." in path.read_text(encoding="utf-8")
    elif choice is ExportChoice.XLIFF:
        root = _xml(path)
        units = [e for e in root.iter() if e.tag.endswith("trans-unit")]
        assert len(units) == 5 and "Sentence 0." in path.read_text(encoding="utf-8")
    elif choice in (ExportChoice.MARKDOWN, ExportChoice.TEXT):
        text = path.read_text(encoding="utf-8")
        assert "Sentence 0." in text and ("重庆" in text) == (choice is ExportChoice.MARKDOWN)
    elif choice is ExportChoice.DOCX:
        assert "Sentence 0." in _docx_text(path)
    elif choice is ExportChoice.DOCX_REVIEW:
        import docx

        d = docx.Document(str(path))
        assert d.tables and "Sentence 0." in _docx_text(path) and "重庆" in _docx_text(path)
    elif choice is ExportChoice.OMEGAT:
        assert (path / "omegat.project").is_file() and any((path / "source").iterdir())
        assert (path / "glossary" / "glossary.txt").is_file()
    elif choice is ExportChoice.TBX:
        root = _xml(path)
        assert any(
            e.tag.endswith("termEntry") for e in root.iter()
        ) and "women's federation" in path.read_text("utf-8")
    elif choice is ExportChoice.GLOSSARY_TSV:
        assert "妇联\twomen's federation" in path.read_text(encoding="utf-8")
    else:  # a new format in the dialog needs its check here
        raise AssertionError(f"no check for {choice}")


async def test_every_format_from_the_dialog_with_the_arrow_keys(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    with Project.open(proj) as p:
        for i, s in enumerate(p.segments()):
            p.set_draft(s.id, f"Sentence {i}.")
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for n, (choice, _label) in enumerate(EXPORT_CHOICES):
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
            dialog = app.screen
            assert dialog.query_one("#export-list").has_focus  # the list has the focus, not the path
            await pilot.press(*["down"] * n)
            assert dialog.choice is choice
            expected = tmp_path / Path(dialog.query_one("#export-path").value).name
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
            assert not any(x.severity == "error" for x in app._notifications), [
                x.message for x in app._notifications
            ]
            assert expected.exists(), choice
            check(choice, expected)


async def test_the_path_can_be_edited_after_tab(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    app = create_app(proj, glossary=[gloss], preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("down", "tab")
        box = app.screen.query_one("#export-path")
        assert box.has_focus and box.value.endswith("news.xliff")
        box.value = str(tmp_path / "elsewhere.xlf")
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "elsewhere.xlf").exists())
