"""Executors: what runs the drafting of a batch, in this process (``local``) or on a Ray cluster (``ray``).

Both draft the units of the one drafting loop (``workbench.jobs.drafting.plan_units`` / ``draft_unit``)
with the same engine settings and glossary constraints, so they give the same drafts and the same files.
An executor offers (:class:`~workbench.jobs.executors.executor.Executor`):

- ``signature(glossary_digest)``: the draft signature (loading the engine, or asking a worker);
- ``run_documents(driver, tasks, options, glossary, stop)``: a run without ``--project``: read and plan
  each task (``workbench.jobs.batch.plan_document``), draft its pending units, hand each unit to the
  :class:`~workbench.jobs.batch.BatchDriver` as it is done;
- ``run_units(sources, constraints, units, on_unit, stop, progress)``: the project mode: draft these units
  of one list of sources, ``on_unit`` (a commit) as each is done, in any order;
- ``close()``.

Only ``ray_executor`` imports Ray (lazily, when ``--executor ray`` is asked for).
"""

from __future__ import annotations

from typing import Any

from workbench.jobs.executors.executor import Executor
from workbench.jobs.executors.options import ExecutorKind, RayOptions

__all__ = ["Executor", "ExecutorKind", "RayOptions", "open_executor"]


def open_executor(kind: ExecutorKind, **kwargs: Any) -> Executor:
    """The executor of ``kind``, built from ``kwargs`` (see ``LocalExecutor`` and ``RayExecutor``)."""
    if kind is ExecutorKind.RAY:
        from workbench.jobs.executors.ray_executor import RayExecutor

        return RayExecutor(**kwargs)
    from workbench.jobs.executors.local import LocalExecutor

    kwargs.pop("ray", None)
    return LocalExecutor(**kwargs)
