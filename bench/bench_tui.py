"""TUI responsiveness in a real terminal (tmux): time to first screen, and key latency while drafting.

Usage: python -m bench.bench_tui [--model DIR] [--runs 3]
(default model: the tiny proxy, built into a temporary folder). Prints one line per measurement and a
summary; nothing is timed inside the unit tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"


def _tmux(sock: str, *args: str) -> str:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True, timeout=30).stdout


def _wait(sock: str, pattern: str, timeout: float, poll: float = 0.01) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if re.search(pattern, _tmux(sock, "capture-pane", "-p", "-t", "b")):
            return time.monotonic() - t0
        time.sleep(poll)
    raise SystemExit(f"timed out waiting for {pattern!r}")


def run_once(work: Path, model: Path, sock: str) -> tuple[float, float, list[float]]:
    """One launch: seconds to first screen, to model ready, and key latencies while drafting."""
    for p in work.glob("seed.txt*"):
        p.unlink()
    shutil.copyfile(SEED, work / "seed.txt")
    env = [
        "-e",
        f"WORKBENCH_MODEL={model}",
        "-e",
        f"WORKBENCH_CONFIG_DIR={work / 'cfg'}",
        "-e",
        f"XDG_DATA_HOME={work / 'data'}",
    ]
    cmd = f"env -u COLUMNS -u LINES {sys.executable} -m workbench open seed.txt --beam 1"
    t0 = time.monotonic()
    subprocess.run(
        [
            "tmux",
            "-L",
            sock,
            "new-session",
            "-d",
            "-s",
            "b",
            "-x",
            "140",
            "-y",
            "45",
            "-c",
            str(work),
            *env,
            cmd,
        ],
        check=True,
        timeout=30,
    )
    _wait(sock, r"\d+ segments ·", 60)
    first = time.monotonic() - t0  # from spawning the process to the filled editor on screen
    _wait(sock, "MT: .* ready", 300)
    ready = time.monotonic() - t0
    _tmux(sock, "send-keys", "-t", "b", "F5")
    _wait(sock, "drafting", 30)
    latencies = []
    for i in range(5):
        want = f"¶ {i + 2}/"
        t1 = time.monotonic()
        _tmux(sock, "send-keys", "-t", "b", "Down")
        _wait(sock, re.escape(want), 30)
        latencies.append(time.monotonic() - t1)
    still = "drafting" in _tmux(sock, "capture-pane", "-p", "-t", "b")
    _tmux(sock, "send-keys", "-t", "b", "Escape")
    time.sleep(1)
    _tmux(sock, "send-keys", "-t", "b", "C-q")
    time.sleep(1)
    _tmux(sock, "kill-server")
    if not still:
        print("  (drafting ended before the key presses finished; latencies may not be under load)")
    return first, ready, latencies


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed")
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        work = Path(tmp)
        model = args.model
        if model is None:
            from bench.proxy_model import build_model

            model = build_model("tiny", work / "model")
        firsts, lats = [], []
        for r in range(args.runs):
            sock = f"bench-tui-{os.getpid()}-{r}"  # a fresh tmux server per run
            first, ready, latencies = run_once(work, model, sock)
            firsts.append(first)
            lats.extend(latencies)
            print(
                f"run {r + 1}: first screen {first:.2f} s, model ready {ready:.2f} s, "
                f"key latency while drafting max {max(latencies) * 1000:.0f} ms "
                f"(median {sorted(latencies)[len(latencies) // 2] * 1000:.0f} ms)"
            )
        print(
            f"first screen: best {min(firsts):.2f} s, worst {max(firsts):.2f} s (target < 1 s); "
            f"key latency while drafting: worst {max(lats) * 1000:.0f} ms over {len(lats)} presses"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
