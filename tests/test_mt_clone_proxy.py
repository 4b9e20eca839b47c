"""The README's main job on the full-size stand-in a fresh clone builds (issue 19, item 1).

A clone with nothing beside it trains the stand-in's tokenizers on its own text only
(``bench/proxy_model.py --no-shared``): English is then spelled in short pieces, the random model's
drafts run to the length cap, and placing the glossary's terms into such a draft used to make it
longer than the model's 512 positions (``RuntimeError: No position encodings are defined for
positions >= 512`` while rescoring; nothing written). Both engines must now finish with every one of
the seed page's 234 hits rendered as the shipped glossary says.

Slow: the full model decodes every segment to its length cap (minutes per engine on two cores).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, run_workbench

pytestmark = pytest.mark.slow

GLOSSARY = ROOT / "glossary" / "womens-news.tsv"


@pytest.fixture(scope="module")
def clone_proxy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.model_fixtures import build_model

    return build_model("full", tmp_path_factory.mktemp("clone-proxy") / "model", use_shared=False)


@pytest.mark.parametrize("engine", ["auto", "transformers"])
def test_main_job_on_the_clone_proxy_renders_every_hit(clone_proxy: Path, tmp_path: Path, engine: str):
    out = tmp_path / "out"
    env = {"WORKBENCH_MODEL": str(clone_proxy), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = ["translate", str(SEED), "--glossary", str(GLOSSARY), "--out", str(out), "--engine", engine]
    proc = run_workbench(*args, env=env, timeout=5400)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [
        json.loads(line) for line in (out / f"{SEED.stem}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    terms = [t for r in rows for t in r.get("terms", [])]
    assert len(terms) == 234
    assert [t for t in terms if not t["ok"]] == []
    assert [r["unmet"] for r in rows if r.get("unmet")] == []
