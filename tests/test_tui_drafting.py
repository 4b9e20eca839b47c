"""Drafting from the UI with the tiny real Marian model: worker thread, progress, cancel, engine loading."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixtures import make_project, wait_for

from workbench.store.project import Project
from workbench.tui.app import create_app
from workbench.tui.editor import EditorScreen
from workbench.tui.messages import DraftDone, DraftFailed, DraftProgress, EngineFailed, EngineReady

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SIZE = (120, 40)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def tiny_engine(tiny_model_dir: Path):
    import torch

    from workbench.mt.registry import load_engine

    torch.set_num_threads(1)
    return load_engine("transformers", model=tiny_model_dir, threads=1)


def drafts_in_store(proj: Path) -> list[str | None]:
    with Project.open(proj) as p:
        return [s.draft for s in p.segments()]


class Recorder:
    """``message_hook`` that keeps the worker messages."""

    KINDS = (DraftProgress, DraftDone, DraftFailed, EngineReady, EngineFailed)

    def __init__(self) -> None:
        self.messages: list = []
        self.on_progress = lambda: None

    def __call__(self, message) -> None:
        if isinstance(message, self.KINDS):
            self.messages.append(message)
        if isinstance(message, DraftProgress):
            self.on_progress()

    def of(self, kind) -> list:
        return [m for m in self.messages if isinstance(m, kind)]


async def test_engine_loads_in_a_worker_after_the_ui_is_up(tmp_path: Path, tiny_model_dir: Path) -> None:
    from textual import events

    proj, gloss = make_project(tmp_path)
    order: list[str] = []

    def hook(message) -> None:
        if isinstance(message, events.ScreenResume) and isinstance(app.screen, EditorScreen):
            if "editor on screen" not in order:
                order.append("editor on screen")
        elif isinstance(message, (EngineReady, EngineFailed)):
            order.append(type(message).__name__)

    app = create_app(proj, glossary=[gloss], model=str(tiny_model_dir), beam=1)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("down")  # responsive while loading
        assert app.screen.par == 1
        await wait_for(pilot, lambda: len(order) >= 2, timeout=120)
        assert order == ["editor on screen", "EngineReady"]
        assert "MT: ctranslate2 ready" in str(app.screen.query_one("#status").render())


async def test_bad_model_is_reported_not_raised(tmp_path: Path) -> None:
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], model=str(tmp_path / "no-such-model"), beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await wait_for(pilot, lambda: rec.of(EngineFailed), timeout=60)
        await pilot.press("f5")  # drafting without an engine: a message, not a crash
        await wait_for(pilot, lambda: rec.of(DraftFailed) or rec.of(DraftDone), timeout=60)
        assert rec.of(DraftFailed)
        assert "MT unavailable" in str(app.screen.query_one("#status").render())


async def test_draft_all_fills_every_segment_and_keeps_the_ui_live(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path, copies=3)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        ed = app.screen
        seen: list[tuple[bool, bool]] = []
        rec.on_progress = lambda: seen.append((ed.drafting, ed.query_one("#progress").display))
        await pilot.press("f5")
        await wait_for(pilot, lambda: rec.of(DraftDone) or rec.of(DraftFailed), timeout=300)
        assert not rec.of(DraftFailed), rec.of(DraftFailed)[0].error
        done = rec.of(DraftDone)[0]
        assert (done.done, done.total, done.cancelled) == (15, 15, False)
        # Coalesced progress: at most one message per batch, never one per token.
        assert 1 <= len(rec.of(DraftProgress)) <= 15
        assert seen and all(s == (True, True) for s in seen)  # progress bar shown while drafting
        assert all(d for d in drafts_in_store(proj))
        assert not ed.drafting and not ed.query_one("#progress").display
        assert all(s.status == "drafted" for s in ed.session.record.segments())
        with Project.open(proj) as p:
            assert "backend" in (p.segments()[0].signature or "")


async def test_draft_selection_and_redraft_one_segment(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        await pilot.press("down", "f6")  # ¶2 has two segments
        await wait_for(pilot, lambda: rec.of(DraftDone), timeout=120)
        assert [d is not None for d in drafts_in_store(proj)] == [False, True, True, False, False]
        await pilot.press("down", "enter", "f7")  # re-draft ¶3's one segment, typing in its final text
        await wait_for(pilot, lambda: len(rec.of(DraftDone)) == 2, timeout=120)
        assert [d is not None for d in drafts_in_store(proj)] == [False, True, True, True, False]
        assert app.screen.query_one("#draft").render() is not None
        assert rec.of(DraftDone)[1].total == 1
        # Space marks paragraphs (¶1 and ¶4); F6 then drafts just those.
        await pilot.press("escape", "up", "up", "space", "down", "down", "space")
        table = app.screen.query_one("#paragraphs")
        assert table.marked == {0, 3} and table.get_cell("3", "n").plain == "●4"
        await pilot.press("f6")
        await wait_for(pilot, lambda: len(rec.of(DraftDone)) == 3, timeout=120)
        assert rec.of(DraftDone)[2].total == 2
        assert all(d is not None for d in drafts_in_store(proj))
        assert table.marked == set() and table.get_cell("3", "n").plain == "4"


async def test_escape_cancels_drafting_and_keeps_finished_batches(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path, copies=100)  # 500 segments
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("f5")
        await wait_for(pilot, lambda: rec.of(DraftProgress), timeout=120)
        await pilot.press("down")  # the UI answers while the worker drafts
        assert ed.par == 1 and ed.drafting
        await pilot.press("escape")
        await wait_for(pilot, lambda: rec.of(DraftDone) or rec.of(DraftFailed), timeout=120)
        done = rec.of(DraftDone)[0]
        assert done.cancelled
        stored = drafts_in_store(proj)
        n = sum(1 for d in stored if d)
        assert 0 < n < 500
        assert n == done.done  # every finished batch was saved, nothing else
        assert not app.screen.drafting


async def test_a_draft_arriving_never_overwrites_what_is_being_typed(tmp_path: Path, tiny_engine) -> None:
    proj, gloss = make_project(tmp_path)
    rec = Recorder()
    app = create_app(proj, glossary=[gloss], engine=tiny_engine, beam=1)
    async with app.run_test(size=SIZE, message_hook=rec) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("f7")  # no final yet: the editor follows the new draft
        await wait_for(pilot, lambda: rec.of(DraftDone), timeout=120)
        draft = ed.session.segment(0, 0).draft
        assert draft and ed.query_one("#final").text == draft
        await pilot.press("f4", *"my own words", "f7")  # typed, then re-drafted
        await wait_for(pilot, lambda: len(rec.of(DraftDone)) == 2, timeout=120)
        assert ed.query_one("#final").text == "my own words"
        with Project.open(proj) as p:
            seg = p.segments()[0]
        assert (seg.final, seg.status, seg.draft) == ("my own words", "edited", draft)
