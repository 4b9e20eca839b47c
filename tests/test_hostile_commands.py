"""Every command of the CLI on generated hostile input (issue 25, "Done when"): no traceback, an exit
status of the documented set with a one-line error, and CPU time and peak memory that grow at most
roughly in proportion to the input.

Each command runs as a real process three times per drawn shape (:mod:`hostile_inputs`): on a tiny
input (its start-up cost), on ``n`` characters and on ``4 n``. What the input adds must grow at most
:data:`FACTOR` times as fast as the input (a quadratic step gives 16; generous because two cores are
shared), with a little slack for timer and allocator noise. CPU time and peak resident memory come from
the kernel's accounting of the child (``wait4``), so neighbours' load counts little.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT
from hostile_inputs import KINDS, REPEATS, RUNS, Inputs, Shape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

#: 4x the input may add at most this many times the CPU time and memory the smaller input added.
FACTOR = 10.0
CPU_SLACK_S = 1.5
MEMORY_SLACK_KB = 150 * 1024
#: No run of these sizes comes near it; one that does is past its bound.
TIMEOUT_S = 240
#: Exit statuses of docs/reference/exit-codes.md: done, a check found something, bad input, some
#: segments not drafted.
ALLOWED = {0, 1, 2, 3}

Args = Callable[[Inputs], list[str]]


@dataclass(frozen=True)
class Case:
    """One command: its arguments from the inputs, and the input size (characters) it is timed at."""

    args: Args
    n: int = 20_000
    script: str = ""  # a script run instead of ``python -m workbench`` (``open``, which needs a terminal)


def _export(fmt: str) -> Args:
    return lambda i: ["export", i.project, "--format", fmt, "--out", i.out("." + fmt)]


CASES: dict[str, Case] = {
    "segment txt": Case(lambda i: ["segment", i.txt]),
    "segment md": Case(lambda i: ["segment", i.md, "--format", "jsonl"]),
    "segment docx": Case(lambda i: ["segment", i.docx, "--format", "markdown"]),
    "translate": Case(lambda i: ["translate", i.txt, "--out", i.out(""), "--beam", "1"], n=1_500),
    "translate docx": Case(lambda i: ["translate", i.docx, "--out", i.out(""), "--beam", "1"], n=1_500),
    "names": Case(lambda i: ["names", i.txt, "--format", "jsonl"], n=20_000),
    "model info": Case(lambda i: ["model", "info", "--model", i.model]),
    "model convert": Case(lambda i: ["model", "convert", "--model", i.model, "--out", i.out("")]),
    "glossary show tsv": Case(lambda i: ["glossary", "show", i.glossary]),
    "glossary show tbx": Case(lambda i: ["glossary", "show", i.tbx, "--format", "jsonl"]),
    "glossary convert": Case(lambda i: ["glossary", "convert", i.glossary, i.out(".tbx")]),
    "glossary check": Case(lambda i: ["glossary", "check", i.txt, "--glossary", i.glossary]),
    "glossary mine": Case(lambda i: ["glossary", "mine", i.tmx, "--out", i.out(".tsv")]),
    "status": Case(lambda i: ["status", i.project]),
    "project backup": Case(lambda i: ["project", "backup", i.project, i.out(".wbproj")]),
    "tm import": Case(lambda i: ["tm", "import", i.tmx, "--tm", i.out(".sqlite")]),
    "tm export": Case(lambda i: ["tm", "export", "--tm", i.tm, i.out(".tmx")]),
    "tm stats": Case(lambda i: ["tm", "stats", "--tm", i.tm]),
    "tm lookup": Case(lambda i: ["tm", "lookup", "--tm", i.tm, i.query]),
    "tm concordance": Case(lambda i: ["tm", "concordance", "--tm", i.tm, "--project", i.project, i.query]),
    **{f"export {f}": Case(_export(f)) for f in ("tmx", "md", "txt", "xliff", "tbx", "tsv", "docx")},
    "import": Case(lambda i: ["import", i.project, i.xliff]),
    "qa tsv": Case(lambda i: ["qa", i.tsv]),
    "qa tmx": Case(lambda i: ["qa", i.tmx]),
    "qa xliff": Case(lambda i: ["qa", i.xliff]),
    "qa project": Case(lambda i: ["qa", i.project]),
    "evaluate": Case(lambda i: ["evaluate", "-H", i.txt, "-r", i.txt]),
    "evaluate tsv": Case(lambda i: ["evaluate", "-H", i.tsv, "-r", i.txt, "--source", i.txt]),
    "analyze": Case(lambda i: ["analyze", i.txt, i.docx]),
    "analyze project": Case(lambda i: ["analyze", i.project, "--format", "json"]),
    "align": Case(lambda i: ["align", i.txt, i.txt, "--out", i.out(".tsv")], n=20_000),
    "align md": Case(lambda i: ["align", i.md, i.md, "--out", i.out(".tmx")], n=20_000),
    "open": Case(lambda i: [i.txt], n=20_000, script="tests/hostile_open.py"),
}


def covered_commands() -> set[str]:
    """The first word or two of every case: the command (and action) it runs."""
    grouped = ("model", "glossary", "tm", "project")
    return {" ".join(name.split()[:2]) if name.split()[0] in grouped else name.split()[0] for name in CASES}


def test_every_command_and_action_has_a_case() -> None:
    """A new command or action fails here until the adversarial test runs it."""
    import argparse

    from workbench.cli import build_parser

    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    every = set()
    for name, p in sub.choices.items():
        inner = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        every |= {f"{name} {action}" for action in inner[0].choices} if inner else {name}
    every -= {"model download"}  # needs the network, which the tests never use
    assert every <= covered_commands(), sorted(every - covered_commands())


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    cpu_s: float
    peak_kb: int


def run_measured(args: list[str], env: dict[str, str], script: str = "") -> Run:
    """Run one command as a process (through ``tests/measured.py``): its exit status, output, CPU time
    and peak memory."""
    command = [sys.executable, script] if script else [sys.executable, "-m", "workbench"]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+b") as err:
            proc = subprocess.Popen(
                [sys.executable, str(ROOT / "tests" / "measured.py"), str(report), *command, *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=ROOT,
                env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
                start_new_session=True,
            )
            try:
                proc.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                pytest.fail(f"{args[:2]} ran past {TIMEOUT_S} s")
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        measured = json.loads(report.read_text(encoding="utf-8"))
    return Run(measured["code"], stdout, stderr, measured["cpu_s"], measured["peak_kb"])


def assert_clean(run: Run, what: str) -> None:
    """No traceback; an allowed exit status; an error is one ``workbench: error:`` line."""
    assert "Traceback" not in run.stderr, (what, run.stderr[-3000:])
    assert run.code in ALLOWED, (what, run.code, run.stderr[-3000:])
    errors = [line for line in run.stderr.splitlines() if line.startswith("workbench: error:")]
    if run.code == 2:
        assert len(errors) == 1, (what, run.stderr[-3000:])
    assert all(len(line) < 2000 for line in errors), what


@pytest.fixture(scope="module")
def model_env(tiny_model_dir: Path) -> dict[str, str]:
    Inputs.base_model = tiny_model_dir  # the hostile model folder: real weights, a hostile config
    return {"WORKBENCH_MODEL": str(tiny_model_dir)}


#: Every shape: deep nesting, a huge attribute, each run and repeated structure; in one line or many.
SHAPES = [
    *(Shape(kind, "", lines) for kind in KINDS if kind not in ("run", "repeat") for lines in (False, True)),
    *(Shape("run", u, lines) for u in sorted(RUNS.values()) for lines in (False, True)),
    *(Shape("repeat", u, lines) for u in sorted(REPEATS.values()) for lines in (False, True)),
]


def shapes_for(name: str) -> st.SearchStrategy[Shape]:
    """Any shape, the list turned so that each command's first example (Hypothesis's simplest, the only
    one at one example) is a different shape: across the commands, every shape runs at least once."""
    turn = sorted(CASES).index(name) * (len(SHAPES) // len(CASES) or 1) % len(SHAPES)
    return st.sampled_from(SHAPES[turn:] + SHAPES[:turn])


#: The run of each command on a tiny input (its start-up cost), measured once per session.
_START_UP: dict[str, Run] = {}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
@settings(
    max_examples=1,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # a failure is reported as found: shrinking reruns commands
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_every_command_is_bounded_on_hostile_input(
    name: str, data: st.DataObject, model_env: dict[str, str]
) -> None:
    case = CASES[name]
    shape = data.draw(shapes_for(name), label="shape")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = []
        for label, n in (("tiny", 8), ("n", case.n), ("4n", 4 * case.n)):
            if label == "tiny" and name in _START_UP:
                runs.append(_START_UP[name])  # the start-up cost hardly depends on the shape
                continue
            inputs = Inputs(folder / label, shape, n)
            run = run_measured(case.args(inputs), model_env, case.script)
            assert_clean(run, f"{name} on {shape} at {label}={n}")
            runs.append(run)
    tiny, small, large = runs
    _START_UP.setdefault(name, tiny)
    cpu_small, cpu_large = small.cpu_s - tiny.cpu_s, large.cpu_s - tiny.cpu_s
    assert cpu_large <= FACTOR * max(cpu_small, 0.0) + CPU_SLACK_S, (
        f"{name} on {shape}: CPU {tiny.cpu_s:.1f} / {small.cpu_s:.1f} / {large.cpu_s:.1f} s at 8 / n / 4n"
    )
    mem_small, mem_large = small.peak_kb - tiny.peak_kb, large.peak_kb - tiny.peak_kb
    assert mem_large <= FACTOR * max(mem_small, 0) + MEMORY_SLACK_KB, (
        f"{name} on {shape}: peak {tiny.peak_kb} / {small.peak_kb} / {large.peak_kb} KB at 8 / n / 4n"
    )
