"""Snapshot tests of the main screens (fixed size, no animation, no blinking, no varying paths)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixtures import make_project, still_screen, wait_for

from workbench.store.project import FuzzyMatch, Project
from workbench.tui.app import create_app

SIZE = (120, 40)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    proj, gloss = make_project(tmp_path)
    assert gloss is not None
    with Project.open(proj) as p:
        segs = p.segments()
        p.set_draft(segs[0].id, "Chongqing Kaizhou District Federation builds organisations")
        p.set_draft(segs[1].id, "Women's federations at all levels should study the spirit of the congress.")
        p.set_final(segs[1].id, "Women's federations at all levels must study the spirit of the congress.")
        p.approve(segs[1].id)
        p.set_draft(segs[2].id, "Women volunteers take part in rural revitalisation.")
        p.set_fuzzy_matches(
            segs[0].id,
            [FuzzyMatch(82.0, "重庆开州区妇联全力抓好组织建设", "Kaizhou District Women's Federation")],
        )
    return proj, gloss


async def settle(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.dictionary is not None, timeout=60)
    await wait_for(pilot, lambda: getattr(app.screen, "names", True) is not None, timeout=120)
    session = getattr(app.screen, "session", None)
    await wait_for(pilot, lambda: session is None or session.qa.ready, timeout=60)  # the QA pass
    await pilot.pause()
    still_screen(app)
    await pilot.pause()


def test_main_screen(project, snap_compare) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


@pytest.mark.slow
def test_main_screen_editing_with_violation(project, snap_compare) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)

    async def edit(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter", "ctrl+a", "ctrl+k", *"The Kaizhou league builds")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=edit)


def test_filter_dialog(project, snap_compare) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await pilot.pause()
        still_screen(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_export_dialog(project, snap_compare) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        still_screen(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


@pytest.mark.slow
def test_add_term_dialog(project, snap_compare) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)

    async def run(pilot) -> None:
        await settle(pilot)
        app.screen.query_one("#source").focus()
        await pilot.press("home", "right", "right", "shift+right", "shift+right")
        await pilot.press("ctrl+t")
        await pilot.pause()
        still_screen(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_open_screen_with_recent_projects(project, snap_compare) -> None:
    from workbench.tui.recent import remember

    proj, _gloss = project
    remember(proj)
    app = create_app(None, preload=False)

    async def run(pilot) -> None:
        await pilot.pause()
        still_screen(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_term_dialog(project, snap_compare) -> None:
    proj, gloss = project
    app = create_app(proj, glossary=[gloss], preload=False)

    async def run(pilot) -> None:
        await settle(pilot)
        app.screen.goto(1, 1, move_table=True)  # 巾帼志愿者积极参与乡村振兴。: one term
        await pilot.press("alt+t")
        await pilot.pause()
        still_screen(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
