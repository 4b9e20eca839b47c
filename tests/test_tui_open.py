"""Opening things: a source file (its project created beside it), a project, the recent list, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from tui_fixtures import make_project

from workbench.errors import WorkbenchError
from workbench.store.project import Project
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.recent import MAX_RECENT, load_recent, recent_file, remember
from workbench.tui.screens import OpenScreen

SIZE = (120, 40)


def test_opening_a_source_creates_its_project_once(tmp_path: Path, seed_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_bytes(seed_path.read_bytes())
    app = create_app(src, preload=False)
    proj = tmp_path / "page.txt.wbproj"
    assert proj.is_file() and app.session is not None
    n = len(app.session.record.segments())
    assert n > 50
    app.session.close()
    again = create_app(src, preload=False)  # reopening the source reuses the project
    assert again.session is not None and again.session.path == proj
    again.session.close()
    with Project.open(proj) as p:
        assert len(p.documents()) == 1
    assert load_recent() == [str(proj.resolve())]


def test_opening_a_word_file_and_a_paged_pdf(tmp_path: Path) -> None:
    from source_fixtures import make_docx, text_pdf, zip_bomb

    app = create_app(make_docx(tmp_path / "report.docx"), preload=False)
    assert app.session is not None
    kinds = {p.kind for p in app.session.record.paragraphs}
    assert {"heading", "item", "body"} <= kinds
    assert "巾帼" in " ".join(s.source for s in app.session.record.segments())
    app.session.close()
    lines = [f"第{n}页的正文写在这里，内容完整。" for n in range(3)] + ["— 1 —"]
    app = create_app(text_pdf(tmp_path / "page.pdf", lines), preload=False)
    assert app.session is not None
    footer = [p for p in app.session.record.paragraphs if p.kind == "footer"]
    assert [p.text for p in footer] == ["— 1 —"] and not footer[0].segments  # shown, not to translate
    app.session.close()
    with pytest.raises(WorkbenchError, match="zip bomb"):
        create_app(zip_bomb(tmp_path / "bomb.docx"), preload=False)
    assert not (tmp_path / "bomb.docx.wbproj").exists()


def test_bad_input_is_one_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="no such file"):
        create_app(tmp_path / "missing.txt", preload=False)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(WorkbenchError, match="folder"):
        create_app(folder, preload=False)
    fake = tmp_path / "fake.wbproj"
    fake.write_text("not a database", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="not a workbench project"):
        create_app(fake, preload=False)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(WorkbenchError):
        create_app(binary, preload=False)
    assert sorted(p.name for p in tmp_path.glob("*.wbproj")) == ["fake.wbproj"]  # no project for bad input


def test_cli_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "WORKBENCH_CONFIG_DIR": str(tmp_path / "config")}
    missing = subprocess.run(
        [sys.executable, "-m", "workbench", "open", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"workbench: error: {tmp_path / 'nope.txt'}: no such file"]
    proj, _ = make_project(tmp_path)
    no_tty = subprocess.run(
        [sys.executable, "-m", "workbench", "open", str(proj)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert no_tty.returncode == 2
    assert "needs a terminal" in no_tty.stderr and "Traceback" not in no_tty.stderr
    helptext = subprocess.run(
        [sys.executable, "-m", "workbench", "open", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert "--glossary" in helptext.stdout and ".wbproj" in helptext.stdout


def test_recent_list_is_capped_newest_first_and_survives_garbage(tmp_path: Path) -> None:
    paths = []
    for i in range(MAX_RECENT + 3):
        p = tmp_path / f"p{i}.wbproj"
        p.write_text("", encoding="utf-8")
        paths.append(p)
        remember(p)
    recent = load_recent()
    assert len(recent) == MAX_RECENT and recent[0] == str(paths[-1].resolve())
    paths[-1].unlink()
    assert str(paths[-1].resolve()) not in load_recent()  # gone files drop out
    recent_file().write_text("{broken", encoding="utf-8")
    assert load_recent() == []
    remember(paths[0])
    assert json.loads(recent_file().read_text(encoding="utf-8")) == [str(paths[0].resolve())]


@pytest.mark.anyio
async def test_bare_workbench_shows_recent_projects_and_opens_one(tmp_path: Path) -> None:
    proj, _ = make_project(tmp_path)
    remember(proj)
    app = create_app(None, preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        await pilot.press("enter")  # the highlighted (newest) recent project
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert app.session is not None and app.session.path == proj


@pytest.mark.slow
@pytest.mark.anyio
async def test_open_dialog_takes_a_typed_path_and_reports_bad_ones(tmp_path: Path, seed_path: Path) -> None:
    src = tmp_path / "typed.txt"
    src.write_bytes(seed_path.read_bytes())
    app = create_app(None, preload=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        await pilot.press(*str(tmp_path / "nothing.txt"), "enter")
        await pilot.pause()
        assert "no such file" in str(app.screen.query_one("#open-error").render())
        app.screen.query_one("#open-path").value = str(src)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
    assert (tmp_path / "typed.txt.wbproj").is_file()
    assert load_recent() == [str((tmp_path / "typed.txt.wbproj").resolve())]


def test_glossary_recorded_in_the_project_is_used_and_restored_when_moved(tmp_path: Path) -> None:
    from workbench.tui.session import Session

    proj, gloss = make_project(tmp_path)
    first = Session.open(proj, glossary=[gloss])
    assert [n.source for n in first.glossary.check("各级妇联", "x")] == ["妇联"]
    first.add_term("大会", "congress")
    first.close()
    gloss.unlink()  # the original term base moved away
    again = Session.open(proj)  # no --glossary: the recorded one is used
    assert {n.source for n in again.glossary.check("各级妇联开大会", "x")} == {"妇联", "大会"}
    restored = [p for p in again.glossary_paths if p.exists()]
    assert len(restored) == 2 and any("glossary-0-terms.tsv" in p.name for p in restored)
    again.close()


def test_reopening_a_changed_source_keeps_the_work_on_unchanged_segments(
    tmp_path: Path, seed_path: Path
) -> None:
    from workbench.tui.session import Session

    src = tmp_path / "page.txt"
    src.write_bytes(seed_path.read_bytes())
    first = Session.open(src)
    first.set_final(0, 0, "Kaizhou title")
    old_id = first.doc_id
    first.close()
    src.write_text(seed_path.read_text(encoding="utf-8") + "\n\n新加的一段话。\n", encoding="utf-8")
    again = Session.open(src)
    assert again.doc_id != old_id  # the new version is shown
    assert "新加的一段话" in again.record.paragraphs[-1].text
    assert again.segment(0, 0).final == "Kaizhou title"  # work on unchanged segments carried over
    again.close()


@pytest.mark.anyio
async def test_create_app_takes_an_open_project(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    with Project.open(proj) as project:
        app = create_app(project, glossary=[gloss], preload=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, EditorScreen)
            await pilot.press("enter", *"typed")
            await pilot.pause()
        assert project.segments()[0].final == "typed"
