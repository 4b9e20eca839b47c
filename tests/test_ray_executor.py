"""``workbench translate --executor ray`` on a real local Ray cluster with the tiny model.

One head (``ray start --head``, 2 CPUs) serves the module; every run is a real ``python -m workbench
translate`` process joining it with ``--ray-address`` (two actors of one thread each), except the test of
a local instance the driver starts itself. What is compared is what a user compares: every output file,
byte for byte (the TMX header's and units' dates left out), against the local executor with the same
engine settings and one thread.

Actors are found through the GCS actor table (``ray._private.state.actors()``, the state the dashboard's
``ray.util.state.list_actors`` serves; that API needs the dashboard, which ``ray[data]`` does not install).
The head is stopped by ending the processes started for it (found by a marker in their environment), not
by ``ray stop``, which would stop every Ray instance on the machine.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tests.batch_helpers import SUMMARY, snapshot, units_written, wait_for, words
from tests.conftest import ROOT
from workbench.jobs.executors import reaper

pytestmark = pytest.mark.slow

RAY = Path(sys.executable).with_name("ray")
TEST_MARK = "WORKBENCH_TEST_RAY_HEAD"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _marked(mark: str, value: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.environ().get(mark) == value and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("ray-inputs")
    docs = base / "docs"
    (docs / "2024" / "03").mkdir(parents=True)
    (docs / "2024" / "04").mkdir(parents=True)
    good = [docs / "2024" / "03" / "p1.txt", docs / "2024" / "03" / "p2.txt", docs / "2024" / "04" / "p1.txt"]
    for k, path in enumerate(good):
        path.write_text(words(8 + 4 * k, seed=k), encoding="utf-8")
    bad = docs / "2024" / "04" / "scan.txt"
    bad.write_bytes(b"%PDF-1.4\x00\x00\x01binary\x00" * 20)
    manifest = base / "good.txt"
    manifest.write_text(
        "# the three pages\n" + "\n".join(str(p.relative_to(base)) for p in good) + "\n", encoding="utf-8"
    )
    glossary = base / "g.tsv"
    glossary.write_text(
        "妇联\twomen's federation\n全国妇联\tAll-China Women's Federation\n巾帼\twomen\n", encoding="utf-8"
    )
    return {"base": base, "docs": docs, "good": good, "bad": bad, "manifest": manifest, "glossary": glossary}


@pytest.fixture(scope="module")
def env(tmp_path_factory, tiny_model_dir) -> dict[str, str]:
    """The environment of the head and of every run: one cache (the tiny model's CTranslate2 copy)."""
    cache = tmp_path_factory.mktemp("ray-cache")
    e = {k: v for k, v in os.environ.items() if not k.startswith(("WORKBENCH_", "RAY_ADDRESS"))}
    # RAY_AUTH_MODE=disabled: the head and its drivers do not depend on a token file other Ray users of
    # this machine share (~/.ray/auth_token).
    e.update(
        {
            "XDG_CACHE_HOME": str(cache),
            "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8",
            "RAY_AUTH_MODE": "disabled",
        }
    )
    subprocess.run(
        [sys.executable, "-m", "workbench", "model", "convert", "--model", str(tiny_model_dir)],
        env=e, check=True, capture_output=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    return e


@pytest.fixture(scope="module")
def head(env):
    """A Ray head with 2 CPUs for the module; every process started for it ended afterwards."""
    port = _free_port()
    temp = Path(tempfile.mkdtemp(prefix="wbray-", dir="/tmp"))
    token = uuid.uuid4().hex
    head_env = {**env, TEST_MARK: token}
    started = subprocess.run(
        [str(RAY), "start", "--head", "--num-cpus", "2", "--port", str(port), "--node-ip-address", "127.0.0.1",
         "--include-dashboard", "false", "--disable-usage-stats", "--temp-dir", str(temp)],
        env=head_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    try:
        assert started.returncode == 0, started.stderr[-2000:]
        yield f"127.0.0.1:{port}"
    finally:
        # The head's GCS and raylet carry the mark; its agents and workers are the raylet's children.
        reaper.end_processes(reaper.with_descendants(_marked(TEST_MARK, token)))
        assert not _marked(TEST_MARK, token)
        subprocess.run(["rm", "-rf", str(temp)], check=False)


def translate(model: Path, *paths: str, out: Path, extra: tuple[str, ...] = ()) -> list[str]:
    return [
        sys.executable, "-m", "workbench", "translate", *paths, "--model", str(model), "--beam", "2",
        "--batch-size", "4", "--out", str(out), *extra,
    ]  # fmt: skip


def run(cmd: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def ray_args(address: str, *more: str) -> tuple[str, ...]:
    return (
        "--executor",
        "ray",
        "--ray-address",
        address,
        "--workers",
        "2",
        "--threads-per-worker",
        "1",
        *more,
    )


@pytest.fixture(scope="module")
def reference(inputs, env, tiny_model_dir, tmp_path_factory) -> dict:
    """The local executor's outputs, one thread: transformers and CTranslate2, with the glossary (drafted
    in this process, with the runs' cache)."""
    from workbench.cli import main

    refs = {}
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
    try:
        for engine in ("transformers", "ctranslate2"):
            out = tmp_path_factory.mktemp(f"ref-{engine}")
            args = translate(tiny_model_dir, str(inputs["docs"]), out=out, extra=(
                "--engine", engine, "--threads", "1", "--quiet", "--glossary", str(inputs["glossary"])))  # fmt: skip
            assert main(args[3:]) == 1  # the corrupt scan fails, the pages are written
            refs[engine] = snapshot(out)
            assert len(refs[engine]) == 9
    finally:
        if saved is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    return refs


def test_ray_drafts_what_the_local_executor_drafts_and_skips_the_corrupt_input(
    inputs, env, head, reference, tiny_model_dir, tmp_path
):
    out = tmp_path / "out"
    cmd = translate(
        tiny_model_dir, str(inputs["docs"]), out=out,
        extra=ray_args(head, "--quiet", "--engine", "transformers", "--glossary", str(inputs["glossary"])),
    )  # fmt: skip
    done = run(cmd, env)
    assert done.returncode == 1, done.stderr
    assert snapshot(out) == reference["transformers"]
    errors = [line for line in done.stderr.splitlines() if line.startswith("workbench: error:")]
    # the corrupt scan starts with %PDF-, so it is read as a PDF and refused as one
    assert len(errors) == 1
    assert errors[0].startswith(f"workbench: error: {inputs['bad']}: cannot read this PDF (")
    assert "Traceback" not in done.stderr
    assert SUMMARY.search(done.stderr).groups() == ("4", "3", "0", "1")
    assert len(done.stdout.split()) == 9  # the files written, one per line


def _draft_actors(address: str) -> list[dict]:
    import ray

    if not ray.is_initialized():
        os.environ["RAY_AUTH_MODE"] = "disabled"
        ray.init(address=address, log_to_driver=False, include_dashboard=False)
    return [
        a for a in ray._private.state.actors().values()
        if "DraftActor" in a["ActorClassName"] and a["State"] == "ALIVE"
    ]  # fmt: skip


@pytest.fixture
def state_api(head):
    """The head's address; this process may join it to read the actor table, and leaves it afterwards."""
    yield head
    import ray

    ray.shutdown()


def test_an_actor_killed_mid_run_is_restarted_and_the_outputs_are_identical(
    inputs, env, state_api, reference, tiny_model_dir, tmp_path
):
    head = state_api
    out = tmp_path / "out"
    glossary = (
        "--engine",
        "transformers",
        "--glossary",
        str(inputs["glossary"]),
    )  # ctranslate2: the next test
    cmd = translate(
        tiny_model_dir, f"@{inputs['manifest']}", out=out, extra=ray_args(head, "--quiet", *glossary)
    )
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: units_written(out) >= 1, 300, proc), "no unit was drafted"
        actors = _draft_actors(head)  # one or both (the second may still be loading its engine)
        assert 1 <= len(actors) <= 2 and proc.poll() is None
        victim = actors[0]
        os.kill(victim["Pid"], signal.SIGKILL)
        _stdout, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert SUMMARY.search(err).groups() == ("3", "3", "0", "0")
    expected = {k: v for k, v in reference["transformers"].items() if "scan" not in k}
    assert snapshot(out) == expected
    import ray

    restarted = ray._private.state.actors()[victim["ActorID"]]
    assert restarted["NumRestarts"] >= 1


def test_driver_killed_at_random_moments_then_resumed_ends_identical(
    inputs, env, state_api, reference, tiny_model_dir, tmp_path
):
    head = state_api
    out = tmp_path / "out"
    cmd = translate(tiny_model_dir, str(inputs["docs"]), out=out, extra=ray_args(head, "--quiet", "--engine", "ctranslate2",
                    "--glossary", str(inputs["glossary"])))  # fmt: skip
    rnd = random.Random(1303)
    points = []
    for _ in range(3):
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = units_written(out)
        if rnd.random() < 0.3:
            delay = rnd.uniform(0.5, 6.0)
            time.sleep(delay)
            where = f"t+{delay:.1f}s"
        else:
            if not wait_for(lambda b=before: units_written(out) > b, 300, proc):
                break  # the work ran out
            delay = rnd.uniform(0, 0.5)
            time.sleep(delay)
            where = f"after a unit +{delay:.2f}s"
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            points.append(where)
    assert len(points) >= 2, points
    final = run(cmd, env)
    assert final.returncode == 1, final.stderr
    assert snapshot(out) == reference["ctranslate2"], f"kill points: {points}"
    # The killed drivers' actors are gone with their jobs.
    assert wait_for(lambda: not _draft_actors(head), 60), "actors of killed drivers are still alive"


def test_a_local_instance_dies_with_its_killed_driver(inputs, env, tiny_model_dir, tmp_path):
    out = tmp_path / "out"
    extra = (
        "--executor",
        "ray",
        "--workers",
        "2",
        "--quiet",
        "--engine",
        "ctranslate2",
        "--glossary",
        str(inputs["glossary"]),
    )
    proc = subprocess.Popen(
        translate(tiny_model_dir, str(inputs["docs"]), out=out, extra=extra),
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_for(lambda: units_written(out) >= 1, 300, proc)
        owner = next(
            (p.environ().get(reaper.OWNER_VAR) for p in psutil.Process(proc.pid).children(recursive=True)
             if p.environ().get(reaper.OWNER_VAR)), None,
        )  # fmt: skip
        assert owner and owner.startswith(f"{proc.pid}-")
        # Everything the driver started: Ray's head processes, its agents, workers and actors, the watchdog.
        instance = [p for p in psutil.Process(proc.pid).children(recursive=True)]
        names = {p.name() for p in instance}
        assert {"raylet", "gcs_server"} <= names, names
        assert any("Agent" in " ".join(p.cmdline()) for p in instance), names  # the ones Ray leaves behind
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    def left() -> list[str]:
        names = []
        for p in instance:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    names.append(p.name())
            except psutil.Error:
                continue
        return names

    assert wait_for(lambda: not left(), 60), left()
    assert not _marked(reaper.OWNER_VAR, owner)


def test_the_next_run_ends_what_a_killed_driver_and_watchdog_left():
    ghost = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"],
        env={**os.environ, reaper.OWNER_VAR: "999999999-deadbeef"},
    )
    try:
        assert reaper.end_orphans() >= 1
        assert ghost.wait(timeout=10) is not None
    finally:
        if ghost.poll() is None:
            ghost.kill()


def _project_rows(path: Path) -> list[tuple]:
    from workbench.store.project import Project

    with Project.open(path, readonly=True) as p:
        return [(s.doc_id, s.paragraph, s.index, s.source, s.draft, s.score, s.status, s.signature, s.hits_hash,
                 s.ledger, s.cost) for s in p.segments()]  # fmt: skip


def test_project_mode_on_ray_commits_the_same_drafts(inputs, env, head, tiny_model_dir, tmp_path):
    rows = {}
    for name, extra in (("local", ("--threads", "1")), ("ray", ray_args(head))):
        project = tmp_path / name / "p.wbproj"
        cmd = translate(tiny_model_dir, f"@{inputs['manifest']}", out=tmp_path / name / "out",
                        extra=("--project", str(project), "--no-tm", "--glossary", str(inputs["glossary"]), *extra))  # fmt: skip
        done = run(cmd, env)
        assert done.returncode == 0, done.stderr
        rows[name] = _project_rows(project)
        assert "drafted" in done.stdout
    assert rows["ray"] == rows["local"]  # the term ledger and forcing cost included
    assert all(r[4] for r in rows["ray"]) and len(rows["ray"]) > 20
    assert any(r[9] for r in rows["ray"])


def test_a_segment_failing_on_a_ray_worker_is_recorded_and_a_rerun_drafts_it(
    inputs, env, head, reference, tiny_model_dir, tmp_path
):
    import json
    import re

    from workbench.jobs.drafting import EXIT_SEGMENTS_FAILED
    from workbench.jobs.engines import FAIL_HOOK_VAR

    page = inputs["good"][0]
    bad = page.read_text(encoding="utf-8").split("。", 1)[0] + "。"  # its first sentence: one segment
    out = tmp_path / "out"
    cmd = translate(tiny_model_dir, f"@{inputs['manifest']}", out=out,
                    extra=ray_args(head, "--quiet", "--engine", "transformers", "--glossary", str(inputs["glossary"])))  # fmt: skip
    first = run(cmd, {**env, FAIL_HOOK_VAR: re.escape(bad)})
    assert first.returncode == EXIT_SEGMENTS_FAILED, first.stderr
    assert "Traceback" not in first.stderr
    assert SUMMARY.search(first.stderr).groups() == ("3", "3", "0", "0")
    assert re.search(
        r"workbench: \d+ drafted, 1 failed: p1\.txt segment 0: RuntimeError: injected failure", first.stderr
    )
    jsonl = next(k for k in reference["transformers"] if k.endswith("03/p1.jsonl"))
    rows = [json.loads(x) for x in (out / jsonl).read_text(encoding="utf-8").splitlines()]
    assert [r["source"] for r in rows if "error" in r] == [bad]
    assert all(r["draft"] for r in rows if "error" not in r)
    # The other pages are exactly the local executor's.
    others = {
        k: v for k, v in reference["transformers"].items() if "scan" not in k and not k.startswith(jsonl[:-5])
    }
    assert {k: v for k, v in snapshot(out).items() if k in others} == others

    again = run(cmd, env)
    assert again.returncode == 0, again.stderr
    assert SUMMARY.search(again.stderr).groups() == ("3", "1", "2", "0")
    rows = [json.loads(x) for x in (out / jsonl).read_text(encoding="utf-8").splitlines()]
    assert all(r["draft"] and "error" not in r for r in rows)


def _cmdline(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


def test_a_killed_driver_and_watchdog_leave_nothing_once_the_resumed_run_is_done(
    inputs, env, tiny_model_dir, tmp_path
):
    """The worst case of ``kill -9``: the driver and its watchdog both gone. Every process of the killed
    run (Ray's agents, whose environment cannot be read, included) is ended by the next run."""
    out = tmp_path / "out"
    extra = ("--executor", "ray", "--workers", "2", "--quiet", "--engine", "ctranslate2")
    cmd = translate(tiny_model_dir, str(inputs["docs"]), out=out, extra=extra)
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[int, psutil.Process] = {}

    def watch() -> bool:
        with contextlib.suppress(psutil.Error):
            for p in psutil.Process(proc.pid).children(recursive=True):
                seen.setdefault(p.pid, p)
        return units_written(out) >= 1

    try:
        assert wait_for(watch, 300, proc)
        watch()
        names = {_cmdline(p) for p in seen.values()}
        assert any("Agent" in n for n in names), names  # the processes the environment mark cannot find
        watchdogs = [p for p in seen.values() if "workbench.jobs.executors.reaper" in _cmdline(p)]
        assert len(watchdogs) == 1
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    watchdogs[0].kill()
    killed = [p for p in seen.values() if p.pid != watchdogs[0].pid]

    resumed = run(cmd, env)
    assert resumed.returncode == 1, resumed.stderr  # the corrupt scan; the pages are written
    left = []
    for p in killed:
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{p.pid} {p.name()}")
    assert not left, left
    assert not list(Path(tempfile.gettempdir()).glob(f"{reaper.DIR_PREFIX}{proc.pid}-*"))
