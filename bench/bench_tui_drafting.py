"""Drafting in the UI against the command line: the same page, engine, model, beam and threads, in one run.

The UI is the real app driven by Pilot (F5 = draft all), with the table showing the page's top and the
first paragraph selected; the command line is ``workbench translate`` in a child process. Prints:

- ``first_visible_draft_s``: from F5 to the first draft of a paragraph visible in the table;
- ``page_drafted_ui_s``: from F5 to the end of drafting in the UI;
- ``page_drafted_cli_s``: from the engine loaded (its "loaded in" line) to the exit of ``translate``;
- ``ratio first_visible_vs_page`` (target <= 0.1) and ``ratio ui_vs_cli`` (target <= 1.15);
- ``page_cpu_ui_s``, ``page_cpu_cli_s`` and ``ratio ui_vs_cli_cpu``: the CPU seconds of the same spans (the
  UI's process from F5 to the end, the command line's from the engine loaded to its exit). The two wall
  times are taken one after the other, so on a shared machine a change of load between them moves the
  wall ratio; the CPU ratio moves much less.

Usage: python -m bench.bench_tui_drafting [--model DIR] [--lines N] [--beam 4] [--threads 2]
(default model: the full-size stand-in, ``bench/proxy_model.py --size full``, built into a temporary
folder; default engine: the product's default). ``--lines N`` takes the first N lines of the seed page.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_4a826f62d946bd6d.txt"
SIZE = (140, 45)


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (0 where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_now() -> float:
    """CPU seconds (user + system) this process has used so far, all threads."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cli_seconds(page: Path, model: Path, beam: int, threads: int, out: Path) -> tuple[float, float]:
    """``workbench translate`` of ``page``: seconds from the engine loaded to the process exit, and the CPU
    seconds the process used meanwhile."""
    cmd = [sys.executable, "-m", "workbench", "translate", str(page), "--out", str(out), "--model", str(model),
           "--beam", str(beam), "--threads", str(threads)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_DATA_HOME": str(out / "data")}
    proc = subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env, cwd=ROOT
    )
    loaded: list[float] = []
    tail: list[str] = []

    def read() -> None:
        assert proc.stderr is not None
        for chunk in iter(lambda: proc.stderr.read(1), ""):  # type: ignore[union-attr]
            tail.append(chunk)
            if not loaded and re.search(r"loaded in [\d.]+ s", "".join(tail[-400:])):
                loaded.extend((time.monotonic(), _cpu_of(proc.pid)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    end = time.monotonic()
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    reader.join(5)
    if rc != 0 or not loaded:
        raise SystemExit(f"translate failed (exit {rc}):\n{''.join(tail)[-2000:]}")
    return end - loaded[0], usage.ru_utime + usage.ru_stime - loaded[1]


async def ui_seconds(page: Path, engine: object, beam: int, work: Path) -> tuple[float, float, int, float]:
    """The UI: seconds from F5 to the first visible draft and to the end of drafting; segments drafted; CPU
    seconds the process used from F5 to the end (the UI, the engine and this bench's looks at the table)."""
    from workbench.tui.app import create_app
    from workbench.tui.messages import DraftDone, DraftFailed
    from workbench.tui.widgets import ParagraphTable

    ended: list[tuple[float, float, object]] = []

    def hook(message: object) -> None:  # the moment the UI learns that drafting ended
        if isinstance(message, DraftDone | DraftFailed) and not ended:
            ended.append((time.monotonic(), _cpu_now(), message))

    os.environ["WORKBENCH_CONFIG_DIR"] = str(work / "cfg")
    app = create_app(page, engine=engine, beam=beam)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        ed = app.screen
        table = ed.query_one(ParagraphTable)
        ed.goto(0, 0, move_table=True)
        await pilot.pause()
        visible = table.positions[: max(1, table.size.height - 1)]
        paragraphs = ed.session.record.paragraphs
        t0, cpu0 = time.monotonic(), _cpu_now()
        await pilot.press("f5")
        first = None
        while not ended:
            if first is None and any(s.draft for p in visible for s in paragraphs[p].segments):
                first = time.monotonic() - t0
            # Looking at the table costs CPU that the engine then lacks: often until the first draft on
            # screen, then only to notice the end (its time comes from the message hook).
            await pilot.pause(0.05 if first is None else 0.5)
        end, cpu1, message = ended[0]
        total = end - t0
        if isinstance(message, DraftFailed):
            raise SystemExit(f"UI drafting failed: {message.error}")
        if first is None:
            first = total
        n = sum(1 for s in ed.session.record.segments() if s.draft)
    return first, total, n, cpu1 - cpu0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model directory (default: build the full-size stand-in)")
    parser.add_argument("--lines", type=int, default=0, help="first N lines of the seed page (default: all)")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-tui-drafting-") as tmp:
        work = Path(tmp)
        model = args.model
        if model is None:
            sys.path.insert(0, str(ROOT))
            from bench.proxy_model import build_model

            t = time.monotonic()
            model = build_model("full", work / "model")
            print(f"built the full-size stand-in in {time.monotonic() - t:.0f} s", flush=True)
        lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
        page_lines = lines[: args.lines] if args.lines else lines
        cli_page, ui_page = work / "cli" / "page.txt", work / "ui" / "page.txt"
        for p in (cli_page, ui_page):
            p.parent.mkdir(parents=True)
            p.write_text("".join(page_lines), encoding="utf-8")

        from workbench.jobs.engines import DEFAULT_ENGINE, EngineOptions, load
        from workbench.mt.registry import resolve_engine

        engine_name = resolve_engine(DEFAULT_ENGINE)
        print(f"page: {len(page_lines)} lines of {SEED.name}; engine {engine_name}, beam {args.beam}, "
              f"threads {args.threads}; a loaded shared machine: compare only figures of one run", flush=True)  # fmt: skip
        cli, cli_cpu = cli_seconds(cli_page, model, args.beam, args.threads, work / "cli" / "out")
        print(f"page_drafted_cli_s {cli:.2f}", flush=True)
        engine = load(EngineOptions(DEFAULT_ENGINE, str(model), threads=args.threads))
        first, ui, n, ui_cpu = asyncio.run(ui_seconds(ui_page, engine, args.beam, work / "ui"))
        print(f"segments {n}")
        print(f"first_visible_draft_s {first:.2f}")
        print(f"page_drafted_ui_s {ui:.2f}")
        print(f"page_drafted_cli_s {cli:.2f}")
        print(f"page_cpu_ui_s {ui_cpu:.2f}")
        print(f"page_cpu_cli_s {cli_cpu:.2f}")
        print(f"ratio first_visible_vs_page {first / ui:.3f} (target <= 0.1)")
        print(f"ratio ui_vs_cli {ui / cli:.3f} (target <= 1.15)")
        # CPU seconds hardly depend on what else the machine runs; wall seconds do (see the docstring).
        print(f"ratio ui_vs_cli_cpu {ui_cpu / cli_cpu:.3f}" if cli_cpu else "ratio ui_vs_cli_cpu n/a")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
