"""``bench/run.py`` end to end on the tiny model (the speed targets themselves are the bench's job)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_bench_prints_every_ratio(tmp_path, tiny_model_dir):
    model = tmp_path / "tiny"
    model.symlink_to(tiny_model_dir, target_is_directory=True)
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--quick",
            "--threads",
            "1",
            "--model",
            str(model),
            "--no-constrained",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ratios = dict(re.findall(r"^ratio (\S+) ([0-9.]+)$", proc.stdout, re.M))
    assert set(ratios) == {
        "ct2_vs_pipeline_greedy",
        "ct2_vs_pipeline_beam4",
        "transformers_vs_pipeline_greedy",
        "transformers_vs_pipeline_beam4",
        "glossary_fast_vs_plain_fast_beam4",
        "fastpath_logprob_vs_current_search",
    }
    assert all(float(v) > 0 for v in ratios.values())
    # Every glossary hit of the seed page's first 40 segments is satisfied on the fast engine.
    satisfied, hits = map(int, re.search(r"^terms_satisfied (\d+)/(\d+)$", proc.stdout, re.M).groups())
    assert hits > 20 and satisfied == hits
    scores = dict(re.findall(r"^logprob_per_token (\S+) (-[0-9.]+)$", proc.stdout, re.M))
    assert set(scores) == {"fast_path", "current_search", "plain_unconstrained"}
    rows = re.findall(
        r"^(pipeline|transformers|ct2)\s+(\d)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+(\d+)\s+(\d+)$",
        proc.stdout,
        re.M,
    )
    assert len(rows) == 6
    for _engine, _beam, _seconds, _sent_s, _tok_s, rss, made in rows:
        assert int(rss) > 50 and int(made) > 0
