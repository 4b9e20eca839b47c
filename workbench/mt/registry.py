"""A small lazy registry of MT backends: nothing heavy is imported until an engine is loaded."""

from __future__ import annotations

import importlib
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.mt.engine import Engine

#: Engine name -> "module:class"; modules are imported only when the engine is loaded.
ENGINES = {
    "transformers": "workbench.mt.marian:MarianEngine",
    "ctranslate2": "workbench.mt.ct2:CT2Engine",
}


def engine_names() -> tuple[str, ...]:
    """Names accepted by ``--engine``."""
    return tuple(ENGINES)


def load_engine(
    name: str,
    model: str | Path | None = None,
    device: str = "auto",
    threads: int | None = None,
    **options,
) -> Engine:
    """Resolve the model and load the named backend on it.

    Args:
        name: ``transformers`` or ``ctranslate2``.
        model: Hub id or directory (default: ``$WORKBENCH_MODEL``, else opus-mt-zh-en).
        device: ``auto``, ``cpu`` or ``cuda``.
        threads: Compute threads (None: the library's default).
        **options: Backend options such as ``batch_tokens`` or ``length_policy``.

    Raises:
        WorkbenchError: unknown engine, or a model that cannot be found or loaded.
    """
    if name not in ENGINES:
        raise WorkbenchError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    from workbench.mt.models import model_name, resolve_model

    spec = str(model) if model is not None else None
    model_dir = resolve_model(spec)
    module_name, class_name = ENGINES[name].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(model_dir, model_id=model_name(model_dir, spec), device=device, threads=threads, **options)
