"""The whole job without leaving the UI: open the seed page, draft it, fix a term, approve, export an
OmegaT project, and let the real OmegaT confirm that every segment is filled."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from tui_fixtures import wait_for

from workbench.store.project import Project
from workbench.tui.app import create_app
from workbench.tui.export_dialog import ExportChoice
from workbench.tui.messages import DraftDone, DraftFailed

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.omegat]
GLOSSARY = ROOT / "glossary" / "womens-news.tsv"
OMEGAT_CHECK = SHARED / "tools" / "omegat_check.sh"


@pytest.fixture(scope="module")
def tiny_engine(tiny_model_dir: Path):
    import torch

    from workbench.mt.registry import load_engine

    torch.set_num_threads(1)
    return load_engine("transformers", model=tiny_model_dir, threads=1)


async def test_open_draft_fix_approve_export_omegat(
    tmp_path: Path, seed_path: Path, tiny_engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    seed = tmp_path / "seed.txt"
    shutil.copyfile(seed_path, seed)
    done: list = []
    app = create_app(seed, glossary=[GLOSSARY], engine=tiny_engine, beam=1, preload=False)
    hook = lambda m: done.append(m) if isinstance(m, (DraftDone, DraftFailed)) else None  # noqa: E731
    async with app.run_test(size=(140, 45), message_hook=hook) as pilot:
        await pilot.pause()
        ed = app.screen
        total = len(ed.session.record.segments())
        # Draft everything.
        await pilot.press("f5")
        await wait_for(pilot, lambda: done, timeout=600)
        assert isinstance(done[0], DraftDone) and done[0].done == total
        # Fix a term in the first segment (the heading has 妇联 → women's federation).
        assert (ed.par, ed.seg) == (0, 0)
        await pilot.press("f4", *"Kaizhou District league organises migrant women")
        await pilot.pause()
        assert "✗ 妇联 → women's federation" in str(ed.query_one("#glossary").render())
        assert ed.query_one("#paragraphs").get_cell("0", "v").plain == "✗"
        await pilot.press(
            "f4", *"Kaizhou District women's federation builds its women's federation for migrant women"
        )
        await pilot.pause()
        assert "✗" not in str(ed.query_one("#glossary").render())
        # Approve it, then export the OmegaT project through the dialog.
        await pilot.press("ctrl+o")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*["down"] * 6)  # the list: TMX, XLIFF, Markdown, text, Word, review table, OmegaT
        assert app.screen.choice is ExportChoice.OMEGAT
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "seed-omegat" / "omegat.project").exists())
    with Project.open(tmp_path / "seed.txt.wbproj") as project:
        first = project.segments()[0]
    assert first.status == "approved" and first.final.startswith("Kaizhou District women's federation")
    omegat = tmp_path / "seed-omegat"
    sources = list((omegat / "source").iterdir())
    tmx = list((omegat / "tm" / "auto").glob("*.tmx"))
    assert (omegat / "omegat.project").is_file() and len(sources) == 1 and len(tmx) == 1
    assert "women's federation" in (omegat / "glossary" / "glossary.txt").read_text(encoding="utf-8")
    if not OMEGAT_CHECK.is_file() or not Path("/usr/share/omegat/OmegaT.jar").is_file():
        pytest.skip("OmegaT (or the shared check script) is not installed; the export itself was checked")
    out = subprocess.run(
        ["bash", str(OMEGAT_CHECK), str(sources[0]), str(tmx[0])], capture_output=True, text=True, timeout=300
    )
    result = re.search(r"RESULT total=(\d+) \S+ filled=(\d+)", out.stdout)
    assert result, out.stdout + out.stderr
    assert int(result.group(2)) == int(result.group(1)) > 0  # OmegaT fills every segment from our TMX
