"""Helpers of the batch tests (local and Ray executors): inputs, output snapshots, waiting on a run."""

from __future__ import annotations

import random
import re
import subprocess
import time
from pathlib import Path

from tests.conftest import SEED
from workbench.jobs.donestate import STATE_DIR

DATES = re.compile(rb' (creationdate|changedate)="[^"]*"')
SUMMARY = re.compile(r"(\d+) documents?: (\d+) done, (\d+) skipped \(done before\), (\d+) failed")


def words(n_paras: int, seed: int) -> str:
    """Chinese-looking paragraphs of short sentences, some with glossary terms (deterministic)."""
    rnd = random.Random(seed)
    chars = [c for c in SEED.read_text(encoding="utf-8") if "\u4e00" <= c <= "\u9fff"]
    terms = ["妇联", "巾帼", "全国妇联"]
    paras = []
    for _ in range(n_paras):
        sentences = []
        for _ in range(3):
            body = "".join(rnd.choice(chars) for _ in range(rnd.randint(4, 10)))
            if rnd.random() < 0.3:
                body += rnd.choice(terms)
            sentences.append(body + "。")
        paras.append("".join(sentences))
    return "\n\n".join(paras) + "\n"


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file under ``out`` (the done-state left out), TMX dates blanked."""
    files = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and STATE_DIR not in p.parts:
            data = p.read_bytes()
            files[p.relative_to(out).as_posix()] = DATES.sub(b"", data) if p.suffix == ".tmx" else data
    return files


def units_written(out: Path) -> int:
    """Units drafted so far by the runs on ``out``: those of open documents plus those of documents done."""
    state = out / STATE_DIR
    units = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (state / "units").glob("*.jsonl"))
    done = state / "done.jsonl"
    return units + (1000 * len(done.read_text(encoding="utf-8").splitlines()) if done.exists() else 0)


def wait_for(cond, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False
