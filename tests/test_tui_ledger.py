"""The term ledger in the UI: a draft made in the editor is stored with its ledger, the glossary panel marks
how each term got into it with the forcing cost, and the QA panel shows ``forced-term`` (both engines)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_fixtures import make_project, wait_for

from workbench.formats.exporters import ExportKind
from workbench.records import TermHow
from workbench.store.project import Project
from workbench.terms.ledger import marker
from workbench.tui.app import create_app
from workbench.tui.messages import DraftDone, DraftFailed

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
SIZE = (120, 40)
#: How each engine forces a rendering the model does not write (CTranslate2's fast path edits, transformers searches).
FORCED = {"ct2": TermHow.PLACED, "marian": TermHow.SEARCHED}


@pytest.fixture(scope="module")
def ct2_engine(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from workbench.mt.ct2 import CT2Engine, convert_model

    ct2_dir = convert_model(tiny_model_dir, "int8", out_dir=tmp_path_factory.mktemp("ct2") / "tiny-int8")
    return CT2Engine(tiny_model_dir, device="cpu", threads=1, ct2_dir=ct2_dir)


@pytest.fixture(scope="module")
def marian_engine(tiny_model_dir: Path):
    from workbench.mt.marian import MarianEngine

    return MarianEngine(tiny_model_dir, device="cpu", threads=1)


def _panel(ed, name: str) -> str:
    return str(ed.query_one(f"#{name}").render())


@pytest.mark.parametrize("which", ["ct2", "marian"])
async def test_the_glossary_panel_marks_how_each_term_got_into_the_draft(
    tmp_path, which, request, monkeypatch
):
    monkeypatch.setenv("WORKBENCH_FORCED_COST", "0")  # every forced term is one to read first
    engine = request.getfixturevalue(f"{which}_engine")
    proj, _ = make_project(tmp_path, glossary=False)
    gloss = tmp_path / "odd.tsv"
    gloss.write_text("source\ttarget\n妇联\tzebra quantum\n", encoding="utf-8")
    done: list[object] = []
    app = create_app(proj, glossary=[gloss], engine=engine, beam=4)

    def hook(message) -> None:
        if isinstance(message, (DraftDone, DraftFailed)):
            done.append(message)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        ed = app.screen
        await pilot.press("f7")  # draft the current segment (¶1: 妇联 twice)
        await wait_for(pilot, lambda: done, timeout=300)
        assert isinstance(done[0], DraftDone)
        seg = ed.session.segment(0, 0)
        with Project.open(proj, readonly=True) as p:
            stored = p.segments()[0]
        assert (stored.draft, stored.ledger, stored.cost, stored.doubt) == (
            seg.draft, tuple(seg.ledger), seg.cost, seg.doubt
        )  # fmt: skip
        (line,) = seg.ledger
        assert line.how == FORCED[which] and seg.cost is not None and seg.doubt is not None
        # Flagged forced-term (a random model doubts everything): the model's doubt shows beside the cost.
        mark = f"{marker(line.how.value)} {line.how.value} · cost {seg.cost:.2f} · doubt {seg.doubt:.2f}"
        await wait_for(pilot, lambda: mark in _panel(ed, "glossary"))
        assert f"妇联 → zebra quantum  {mark}" in _panel(ed, "glossary")
        await wait_for(pilot, lambda: "forced-term" in _panel(ed, "qa"))
        assert "zebra quantum was" in _panel(ed, "qa")
        # The UI's export of the project carries it as ``workbench export`` does.
        xliff = ed.session.export(ExportKind.XLIFF, tmp_path / "ui.xlf").read_text("utf-8")
        assert f"term: 妇联 = zebra quantum ({line.how.value}, cost {seg.cost:.2f})" in xliff
        assert "forced-term" in xliff
        # The translator's own text: the marker still tells how the term got into the draft, and the
        # forced-term warning (about the machine draft) goes.
        await pilot.press("f4", *" indeed")
        await wait_for(pilot, lambda: f"{mark} in the draft" in _panel(ed, "glossary"))
        assert "forced-term" not in _panel(ed, "qa")
