"""``status`` and every export of a large project, as a user runs them.

Builds a project of N drafted segments (default 60,000) with the store's API, then times
``python -m workbench status`` twice (the first run fills the project's QA cache, see
``workbench.store.qa_cache``; the second reads it), then ``export`` to TMX, XLIFF, Markdown, Word, the
Word review table and an OmegaT project, each as a separate process (start-up included). Prints one line
per command: wall-clock and CPU seconds (the child's user + system time, which a loaded machine inflates
less), seconds per 10,000 segments, and the ratio of the first ``status`` to the cached one.

Usage: ``python bench/bench_large_project.py [--segments N] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import os
import resource
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


def timed(*args: str) -> tuple[float, float]:
    """Run ``python -m workbench ARGS``; its wall-clock and CPU (user + system) seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


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
    out = str(folder / "large")
    runs = (
        ("status (first: fills the QA cache)", ("status", str(project))),
        ("status", ("status", str(project))),
        ("export tmx", ("export", str(project), "--out", out + ".tmx", "--force")),
        ("export xliff", ("export", str(project), "--out", out + ".xliff", "--force")),
        ("export md", ("export", str(project), "--out", out + ".md", "--force")),
        ("export docx", ("export", str(project), "--out", out + ".docx", "--force")),
        ("export review table", ("export", str(project), "--out", out + "-review.docx", "--layout", "table", "--force")),
        ("export omegat", ("export", str(project), "--omegat", str(folder / f"omegat-{time.time_ns()}"))),
    )  # fmt: skip
    cpu_of: dict[str, float] = {}
    for name, cmd in runs:
        seconds, cpu = timed(*cmd)
        cpu_of[name] = cpu
        print(f"{name}: {seconds:.1f} s wall, {cpu:.1f} s CPU ({cpu / per:.2f} s CPU per 10,000 segments)")
    first, cached = cpu_of[runs[0][0]], cpu_of["status"]
    print(f"ratio first status / cached status (CPU): {first / cached:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
