"""The Ray executor: documents read and planned in Ray tasks, units drafted by an actor pool of engines.

The pipeline is Ray Data, streamed (never materialised):

1. ``from_items``: the driver's :class:`~workbench.jobs.batch.DocumentTask` rows (paths and hashes only);
2. ``flat_map`` (Ray tasks): each document is read, rebuilt into segments, given its glossary constraints
   and cut into the drafting loop's units (``workbench.jobs.batch.plan_document``); out come one header row
   (the document, for the driver to write its outputs) and one row per unit still to draft;
3. ``map_batches`` with :class:`DraftActor`, a callable class: each actor loads the engine once
   (``workbench.jobs.engines.load``, ``--threads-per-worker`` threads) and drafts one unit per call with
   ``draft_unit``, exactly as the local executor does (a pool of ``--workers`` actors: ``compute=
   ActorPoolStrategy(size=N)``, Ray 2.60's spelling of ``concurrency=N``; ``num_cpus`` = threads);
4. the driver iterates the rows as they come and hands them to its :class:`~workbench.jobs.batch.BatchDriver`,
   which writes each document as soon as its last unit is in.

Ray Data restarts a killed actor and retries its unit (``max_restarts=-1``, ``max_task_retries=-1``);
drafting is deterministic, so the retried unit gives the same drafts. Every row is its own block, so the
units of one long document spread over all the actors.

Without ``--ray-address`` a local instance is started with the machine's cores, guarded so that it dies
with this process even under ``kill -9`` (``workbench.jobs.executors.reaper``); with an address the
driver joins that cluster and leaves it running (its actors end with the driver's job).

This is the only module of the package that imports Ray.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

import ray

from workbench.errors import WorkbenchError, exception_line
from workbench.jobs import engines
from workbench.jobs.batch import BatchDriver, DocumentTask, ReadOptions, plan_document
from workbench.jobs.drafting import Claim, OnUnit, draft_unit, signature_from
from workbench.jobs.executors.options import RayOptions
from workbench.jobs.executors.reaper import (
    OWNER_VAR,
    end_orphans,
    guard_local_instance,
    instance_dir,
    release,
)
from workbench.mt.engine import ProgressFn
from workbench.records import Signature, TermConstraint
from workbench.terms.context import GlossaryContext


class RowKind(str, Enum):
    """What a row of the pipeline carries (its ``payload`` is a pickle of it)."""

    TASK = "task"
    HEADER = "header"
    UNIT = "unit"
    DRAFTS = "drafts"
    ERROR = "error"


def _row(kind: RowKind, key: str, payload: Any) -> dict[str, Any]:
    return {
        "kind": kind.value,
        "key": key,
        "payload": pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL),
    }


def _plan_rows(
    row: dict[str, Any], options: ReadOptions, termbase: Any, description: str
) -> list[dict[str, Any]]:
    """Stage 2, in a Ray task: one document read and planned."""
    task: DocumentTask = pickle.loads(row["payload"])
    glossary = _glossary(termbase, description)
    try:
        planned = plan_document(task, options, glossary)
    except Exception as exc:  # a bad input must not stop the archive: it is reported and skipped
        return [_row(RowKind.ERROR, task.output, (task.path, exception_line(exc, f"{task.path}: ")))]
    rows = []
    for unit in planned.pending_units():
        sources, constraints = planned.unit_input(unit)
        rows.append(_row(RowKind.UNIT, task.output, (unit, sources, constraints)))
    planned.constraints = None  # the driver does not need them
    return [_row(RowKind.HEADER, task.output, planned), *rows]


_GLOSSARIES: dict[str, GlossaryContext] = {}


def _glossary(termbase: Any, description: str) -> GlossaryContext:
    """The glossary context in a worker, built once per worker process."""
    if termbase is None:
        return GlossaryContext()
    key = termbase.digest()
    if key not in _GLOSSARIES:
        _GLOSSARIES[key] = GlossaryContext(termbase, description)
    return _GLOSSARIES[key]


class DraftActor:
    """Stage 3: an actor with its own engine, drafting one unit per call (``draft_unit``).

    Args:
        options: How to load the engine (threads = ``--threads-per-worker``).
        beam: Beam size.
    """

    def __init__(self, options: engines.EngineOptions, beam: int) -> None:
        logging.getLogger("ray").setLevel(logging.ERROR)
        self.engine = engines.load(options)
        self.beam = beam
        self.engine_signature = self.engine.signature()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        kinds, keys, payloads = [], [], []
        for kind, key, payload in zip(batch["kind"], batch["key"], batch["payload"], strict=True):
            if kind != RowKind.UNIT.value:
                kinds.append(kind)
                keys.append(key)
                payloads.append(payload)
                continue
            unit, sources, constraints = pickle.loads(payload)
            try:
                drafts = draft_unit(self.engine, sources, constraints, beam=self.beam)
                out = _row(RowKind.DRAFTS, key, (unit, drafts, self.engine_signature))
            except Exception as exc:  # reported for its document; the others go on
                out = _row(RowKind.ERROR, key, (key, exception_line(exc, f"{key}: drafting failed: ")))
            kinds.append(out["kind"])
            keys.append(out["key"])
            payloads.append(out["payload"])
        import numpy as np

        return {"kind": np.array(kinds, dtype=object), "key": np.array(keys, dtype=object),
                "payload": np.array(payloads, dtype=object)}  # fmt: skip


@ray.remote
def _probe(options: engines.EngineOptions) -> dict[str, str]:
    """The engine's signature as a worker loads it (also checks that workers find the model)."""
    return engines.load(options).signature()


class RayExecutor:
    """Drafts on a Ray cluster (see the module docstring).

    Args:
        engine: How to load the engine; its ``threads`` is replaced by ``ray.threads_per_worker``.
        beam: Beam size.
        ray: Where and how wide to run.
        say: Notes for the user.
    """

    def __init__(
        self, engine: engines.EngineOptions, beam: int, ray: RayOptions | None = None, say: Any = None
    ) -> None:
        self.ray_options = ray or RayOptions()
        if self.ray_options.threads_per_worker < 1:
            raise WorkbenchError(
                f"--threads-per-worker must be at least 1, not {self.ray_options.threads_per_worker}"
            )
        if self.ray_options.workers is not None and self.ray_options.workers < 1:
            raise WorkbenchError(f"--workers must be at least 1, not {self.ray_options.workers}")
        self.engine_options = replace(engine, threads=self.ray_options.threads_per_worker)
        self.beam = beam
        self.say = say or (lambda _m: None)
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._connected = False
        self._workers: int | None = None
        self._engine_signature: dict[str, str] | None = None

    # -- the cluster ------------------------------------------------------------------------------------
    def _connect(self) -> None:
        """Start or join the cluster (once, on first use)."""
        if self._connected:
            return
        self._connected = True
        # Ray's own notes (deprecations, its C++ core's warnings about actor arguments) would bury ours;
        # RAY_BACKEND_LOG_LEVEL=info (or debug) brings them back.
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
        logging.getLogger("ray").setLevel(logging.ERROR)
        common: dict[str, Any] = {
            "log_to_driver": False,
            "logging_level": logging.ERROR,
            "include_dashboard": False,
        }
        address = self.ray_options.address
        try:
            if address:
                _check_address(address)
                ray.init(address=address, **common)
                self.say(f"joined the Ray cluster at {address} ({self._cpus()} CPUs)")
            else:
                ended = end_orphans()
                if ended:
                    self.say(f"ended {ended} process(es) left by a killed run's local Ray instance")
                self._watchdog = guard_local_instance()
                folder = instance_dir(os.environ[OWNER_VAR])
                ray.init(num_cpus=os.cpu_count() or 1, _temp_dir=str(folder), **common)
                self.say(f"started a local Ray instance ({self._cpus()} CPUs)")
        except (ConnectionError, RuntimeError, ValueError) as exc:
            self.close()
            where = f"the Ray cluster at {address}" if address else "a local Ray instance"
            raise WorkbenchError(f"cannot start or join {where}: {exception_line(exc)}") from exc
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        # One row per block: the units of one document spread over every actor.
        context.target_max_block_size = 1

    @staticmethod
    def _cpus() -> int:
        return int(ray.cluster_resources().get("CPU", 0))  # type: ignore[no-untyped-call]  # unannotated in Ray

    @property
    def workers(self) -> int:
        """Actors in the pool.

        Raises:
            WorkbenchError: one worker would need more CPUs than the cluster has (it would wait forever).
        """
        if self._workers is not None:
            return self._workers
        cpus, threads = self._cpus(), self.ray_options.threads_per_worker
        if threads > cpus:
            raise WorkbenchError(f"--threads-per-worker {threads} is more than the cluster's {cpus} CPUs")
        if self.ray_options.workers:
            if self.ray_options.workers * threads > cpus:
                self.say(f"{self.ray_options.workers} workers × {threads} threads need more than the cluster's "
                         f"{cpus} CPUs: the rest start when CPUs are free (or nodes join)")  # fmt: skip
            self._workers = self.ray_options.workers
        else:
            self._workers = max(1, cpus // threads)
        return self._workers

    def close(self) -> None:
        """Leave the cluster (a local instance is shut down, and its leftovers ended)."""
        if self._connected and ray.is_initialized():
            ray.shutdown()
        if self._watchdog is not None:
            release(self._watchdog)
            self._watchdog = None

    # -- drafting ---------------------------------------------------------------------------------------
    def signature(self, glossary_digest: str = "") -> Signature:
        """The drafts' signature, as a worker loads the engine."""
        self._connect()
        if self._engine_signature is None:
            self.say(f"{self.workers} worker(s) of {self.ray_options.threads_per_worker} thread(s)")
            probe = _probe.options(num_cpus=self.ray_options.threads_per_worker)
            try:
                self._engine_signature = ray.get(probe.remote(self.engine_options))
            except ray.exceptions.RayTaskError as exc:
                cause = exc.cause if isinstance(exc.cause, Exception) else exc
                raise WorkbenchError(
                    f"a Ray worker cannot load the engine: {exception_line(cause)}"
                ) from None
        return signature_from(self._engine_signature, self.beam, glossary_digest)

    def _drafted(self, rows: Any, stop: threading.Event | None) -> Iterator[tuple[RowKind, str, Any]]:
        """Run ``rows`` through the actor pool; yields ``(kind, key, payload)`` as rows come back."""
        drafted = rows.map_batches(
            DraftActor,
            fn_constructor_kwargs={"options": self.engine_options, "beam": self.beam},
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers, max_tasks_in_flight_per_actor=2),
            num_cpus=self.ray_options.threads_per_worker,
        )
        rows_back = iter(drafted.iter_rows())
        while not (stop is not None and stop.is_set()):
            try:
                row = next(rows_back)
            except StopIteration:
                return
            except (ray.exceptions.RayError, ConnectionError, RuntimeError) as exc:
                if stop is not None and stop.is_set():
                    return  # Ctrl-C reached the local instance too (it shares the terminal's process group)
                cause = exc.cause if isinstance(exc, ray.exceptions.RayTaskError) else exc
                raise WorkbenchError(f"the Ray job failed: {exception_line(cause)}") from None
            kind = RowKind(row["kind"])
            payload = pickle.loads(row["payload"])
            if kind is RowKind.DRAFTS and payload[2] != self._engine_signature:
                raise WorkbenchError(
                    "a Ray worker drafts with another engine than the first one "
                    f"({Signature.from_dict(payload[2])}); every node needs the same model and settings"
                )
            yield kind, row["key"], payload

    def run_documents(
        self,
        driver: BatchDriver,
        tasks: Iterable[DocumentTask],
        options: ReadOptions,
        glossary: GlossaryContext,
        stop: threading.Event,
    ) -> None:
        """Read, plan and draft every task on the cluster; ``driver`` gets each row as it comes."""
        items = [_row(RowKind.TASK, t.output, t) for t in tasks]
        if not items:
            return
        self.signature(glossary.digest)
        planned = ray.data.from_items(items, override_num_blocks=len(items)).flat_map(
            _plan_rows,  # type: ignore[arg-type]  # Ray's signature leaves out the fn_kwargs it passes
            fn_kwargs={
                "options": options,
                "termbase": glossary.termbase,
                "description": glossary.description,
            },
            num_cpus=0,  # reading is short; the actors hold the CPUs
            compute=ray.data.TaskPoolStrategy(size=max(2, self.workers)),
        )
        for kind, key, payload in self._drafted(planned, stop):
            if kind is RowKind.HEADER:
                driver.begin(payload)
            elif kind is RowKind.DRAFTS:
                driver.unit_done(key, payload[0], payload[1])
            elif kind is RowKind.ERROR:
                driver.fail(payload[0], payload[1], key)

    def run_units(
        self,
        sources: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None,
        units: Sequence[Sequence[int]],
        on_unit: OnUnit,
        stop: threading.Event | None = None,
        progress: ProgressFn | None = None,
        claim: Claim | None = None,
    ) -> None:
        """Draft ``units`` of ``sources`` on the cluster; ``on_unit`` as each comes back (in any order);
        ``claim`` is asked for each unit as it is sent.

        Raises:
            WorkbenchError: a unit could not be drafted.
        """
        if not units:
            return
        self.signature()
        total = sum(len(u) for u in units)
        done = 0
        items = []
        for planned in units:
            # Claimed when sent: the units in flight are this run's until their drafts are committed.
            unit = claim(list(planned)) if claim is not None else list(planned)
            if not unit:
                done += len(planned)
                continue
            cons = [list(constraints[i]) for i in unit] if constraints is not None else None
            items.append(_row(RowKind.UNIT, "", (unit, [sources[i] for i in unit], cons)))
        if progress is not None:
            progress(done, total)
        if not items:
            return
        rows = ray.data.from_items(items, override_num_blocks=len(items))
        for kind, _key, payload in self._drafted(rows, stop):
            if kind is RowKind.ERROR:
                raise WorkbenchError(payload[1])
            on_unit(payload[0], payload[1])
            done += len(payload[0])
            if progress is not None:
                progress(done, total)


#: Seconds to wait for a TCP answer from a ``--ray-address`` before ``ray.init`` (which retries for minutes).
CONNECT_TIMEOUT_S = 10.0


def _check_address(address: str) -> None:
    """Refuse at once an address where nothing answers (``ray.init`` would wait for minutes).

    ``auto`` and addresses without a port are left to Ray.

    Raises:
        ConnectionError: nothing accepts a TCP connection there within :data:`CONNECT_TIMEOUT_S`.
    """
    import socket

    target = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S):
            pass
    except OSError as exc:
        reason = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ConnectionError(
            f"nothing answers at {address} within {CONNECT_TIMEOUT_S:.0f} s ({reason})"
        ) from None
