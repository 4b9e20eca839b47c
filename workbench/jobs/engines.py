"""The one engine loader of the CLI, the project mode, the UI and the workers of a cluster."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import WorkbenchError
from workbench.mt.engine import Engine
from workbench.records import Draft

#: Test hook (docs/how-to/drafting-failures.md): a regular expression; drafting any segment whose source matches it
#: fails, in every engine this loader makes (CLI, project mode, UI, the workers of a cluster), so tests can
#: see one bad segment handled end to end. Unset in normal use.
FAIL_HOOK_VAR = "WORKBENCH_TEST_FAIL_SOURCE"

#: The engine used when none is named: the fastest that keeps the glossary guarantee here
#: (``workbench.mt.registry.resolve_engine``).
DEFAULT_ENGINE = "auto"


@dataclass(frozen=True)
class EngineOptions:
    """How to load the MT engine.

    Attributes:
        engine: Backend name (see ``workbench.mt.registry``).
        model: Hub id or directory (None: ``$WORKBENCH_MODEL``, else opus-mt-zh-en).
        device: ``auto``, ``cpu`` or ``cuda``.
        threads: Compute threads (None: the backend's default).
        batch_tokens: Padded source tokens × beam per engine batch (None: the default).
        fail_source: The test hook :data:`FAIL_HOOK_VAR`, read where the options are made (the driver) so
            that it travels with them to the workers of a cluster.
    """

    engine: str = DEFAULT_ENGINE
    model: str | None = None
    device: str = "auto"
    threads: int | None = None
    batch_tokens: int | None = None
    fail_source: str | None = field(default_factory=lambda: os.environ.get(FAIL_HOOK_VAR) or None)


def check_model(options: EngineOptions) -> None:
    """Find the model without loading it: a missing model is one error line before any work starts.

    Raises:
        WorkbenchError: the model cannot be found (offline with an empty cache, a bad directory …).
    """
    from workbench.mt.models import resolve_model

    resolve_model(options.model)


def load(options: EngineOptions, notice: Callable[[str], None] | None = None) -> Engine:
    """Load the engine described by ``options``; ``notice`` hears of a first-use model conversion.

    Raises:
        WorkbenchError: unknown engine, or a model that cannot be found or loaded.
    """
    from workbench.mt.registry import load_engine

    extra: dict[str, Any] = {}
    if options.batch_tokens:
        extra["batch_tokens"] = options.batch_tokens
    if notice is not None:
        extra["notice"] = notice
    try:
        engine = load_engine(
            options.engine, options.model, device=options.device, threads=options.threads, **extra
        )
    except OSError as exc:  # a full disk (no temporary folder), an unreadable file in a loader
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        raise WorkbenchError(
            f"cannot load the model {options.model or ''}: {exc.strerror or exc}{where}"
        ) from None
    return FailingEngine(engine, options.fail_source) if options.fail_source else engine


class FailingEngine:
    """An engine that raises on every call holding a source that matches ``pattern`` (the test hook
    :data:`FAIL_HOOK_VAR`; tests also wrap an engine with it directly).

    Args:
        engine: The real engine.
        pattern: A regular expression searched in each source.
    """

    def __init__(self, engine: Engine, pattern: str) -> None:
        self.inner = engine
        self.name = engine.name
        self.pattern = re.compile(pattern)

    def translate(self, sources: Sequence[str], **kwargs: Any) -> list[Draft]:
        """The inner engine's drafts; raises ``RuntimeError`` when a source matches."""
        bad = next((s for s in sources if self.pattern.search(s)), None)
        if bad is not None:
            raise RuntimeError(f"injected failure ({FAIL_HOOK_VAR}) on {bad[:20]!r}")
        return self.inner.translate(sources, **kwargs)

    def signature(self) -> dict[str, str]:
        """The inner engine's signature."""
        return self.inner.signature()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
