"""``status``, ``export`` (TMX) and the OmegaT export of a large project, as a user runs them.

Builds a project of N drafted segments (default 60,000) with the store's API, then times
``python -m workbench status``, ``export --out P.tmx`` and ``export --omegat DIR`` as separate
processes (start-up included), and prints one line per command plus the seconds per 10,000 segments.

Usage: ``python bench/bench_large_project.py [--segments N] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build(path: Path, n: int) -> None:
    """A project of ``n`` drafted segments (one document, one segment per paragraph)."""
    from workbench.store.project import Project
    from workbench.text import document_from_text

    text = "\n\n".join(f"第{i}条 这是第{i}段的内容，共有{i % 97}项规定。" for i in range(n))
    source = path.with_suffix(".txt")
    source.write_text(text, encoding="utf-8")
    with Project.open(path, create=True) as p:
        p.add_document(document_from_text(text, str(source)))
        p.set_drafts(
            [
                (s.id, f"Article {i}: this paragraph holds {i % 97} rules.", None)
                for i, s in enumerate(p.segments())
            ]
        )


def timed(*args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=60_000)
    parser.add_argument("--keep", type=Path, help="build the project in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wb-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    project = folder / "large.wbproj"
    if not project.exists():
        start = time.perf_counter()
        build(project, args.segments)
        print(f"built {args.segments} segments in {time.perf_counter() - start:.1f} s")
    per = args.segments / 10_000
    for name, cmd in (
        ("status", ("status", str(project))),
        ("export tmx", ("export", str(project), "--out", str(folder / "large.tmx"), "--force")),
        ("export omegat", ("export", str(project), "--omegat", str(folder / f"omegat-{time.time_ns()}"))),
    ):
        seconds = timed(*cmd)
        print(f"{name}: {seconds:.1f} s ({seconds / per:.2f} s per 10,000 segments)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
