"""A small lazy registry of MT backends: nothing heavy is imported until an engine is loaded."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.mt.engine import Engine

#: Engine name -> "module:class"; modules are imported only when the engine is loaded.
ENGINES = {
    "transformers": "workbench.mt.marian:MarianEngine",
    "ctranslate2": "workbench.mt.ct2:CT2Engine",
}
#: The default: the fastest backend that keeps the glossary guarantee here (see :func:`resolve_engine`).
AUTO = "auto"
#: What ``--device`` accepts: ``auto`` is CUDA when a GPU is there, else the CPU.
DEVICES = ("auto", "cpu", "cuda")


def engine_names() -> tuple[str, ...]:
    """Names accepted by ``--engine`` (``auto`` first: the default)."""
    return (AUTO, *ENGINES)


def backend_names() -> tuple[str, ...]:
    """The backends themselves, without ``auto``."""
    return tuple(ENGINES)


def resolve_engine(name: str) -> str:
    """The backend ``name`` stands for: ``auto`` is ``ctranslate2`` when it is installed, else ``transformers``.

    Both keep the glossary guarantee; CTranslate2 int8 drafts several times faster on a CPU (README,
    benchmark) and loads in under a second, so it wins wherever it can run.
    """
    if name != AUTO:
        return name
    return "ctranslate2" if importlib.util.find_spec("ctranslate2") is not None else "transformers"


def load_engine(
    name: str,
    model: str | Path | None = None,
    device: str = "auto",
    threads: int | None = None,
    **options: Any,
) -> Engine:
    """Resolve the model and load the named backend on it.

    Args:
        name: ``auto``, ``transformers`` or ``ctranslate2``.
        model: Hub id or directory (default: ``$WORKBENCH_MODEL``, else opus-mt-zh-en).
        device: ``auto``, ``cpu`` or ``cuda``.
        threads: Compute threads (None: the library's default).
        **options: Backend options such as ``batch_tokens``, ``length_policy`` or (CTranslate2)
            ``notice``, called with a one-line message before a first-use conversion.

    Raises:
        WorkbenchError: unknown engine, or a model that cannot be found or loaded.
    """
    name = resolve_engine(name)
    if name not in ENGINES:
        raise WorkbenchError(f"unknown engine {name!r}; choose one of: {', '.join(engine_names())}")
    from workbench.mt.models import model_name, resolve_model

    spec = str(model) if model is not None else None
    model_dir = resolve_model(spec)
    module_name, class_name = ENGINES[name].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if name != "ctranslate2":
        options.pop("notice", None)
    engine: Engine = cls(
        model_dir, model_id=model_name(model_dir, spec), device=device, threads=threads, **options
    )
    return engine
