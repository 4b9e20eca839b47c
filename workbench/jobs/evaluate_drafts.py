"""Systems drafted on the spot for ``workbench evaluate --model``: each evaluation source is one
segment, drafted by the one drafting loop (``workbench.jobs.drafting``), with the glossary enforced,
without it, or both (two systems side by side).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.jobs import engines
from workbench.jobs.drafting import draft_signature, run_drafting
from workbench.jobs.evaluate import System, WorkbenchSignature
from workbench.terms.context import GlossaryContext

#: ``progress_for(description, total)``: a context manager yielding ``progress(done, total)`` or None.
ProgressFactory = Callable[[str, int], Any]


class DraftMode(str, Enum):
    """Which drafted systems to evaluate."""

    PLAIN = "plain"
    GLOSSARY = "glossary"
    BOTH = "both"


@dataclass(frozen=True)
class DraftSettings:
    """How to draft the evaluation sources.

    Attributes:
        engine: How to load the engine.
        beam: Beam size.
        mode: Without the glossary, with it enforced, or both.
    """

    engine: engines.EngineOptions = field(default_factory=engines.EngineOptions)
    beam: int = 4
    mode: DraftMode = DraftMode.GLOSSARY


def draft_systems(
    sources: Sequence[str],
    settings: DraftSettings,
    glossary: GlossaryContext | None,
    progress_for: ProgressFactory,
    term_lists: Sequence[Sequence[Any]] | None = None,
) -> list[System]:
    """Draft ``sources`` once per requested mode and return the systems, named after the model.

    With ``term_lists`` (each source's own WMT23 term list), the enforced system enforces them too.

    Raises:
        WorkbenchError: a bad beam, a glossary mode without a glossary, or a model that cannot be loaded.
    """
    if settings.beam < 1:
        raise WorkbenchError(f"--beam must be at least 1, not {settings.beam}")
    if settings.mode is not DraftMode.PLAIN and not glossary and term_lists is None:
        raise WorkbenchError(f"--draft {settings.mode.value} needs --glossary or --terms")
    engines.check_model(settings.engine)
    engine = engines.load(settings.engine)
    name = Path(settings.engine.model).name if settings.engine.model else "opus-mt-zh-en"
    uses = {DraftMode.PLAIN: [False], DraftMode.GLOSSARY: [True], DraftMode.BOTH: [False, True]}[
        settings.mode
    ]
    systems = []
    for use in uses:
        context = glossary if use else None
        label = f"{name}+{'glossary' if glossary else 'terms'}" if use else name
        constraints = [context.constraints(s) for s in sources] if context else None
        if use and term_lists is not None:
            from workbench.jobs.lines import line_constraints

            constraints = line_constraints(sources, term_lists, context)
        with progress_for(f"drafting {label}", len(sources)) as progress:
            drafts = run_drafting(
                engine, list(sources), beam=settings.beam, constraints=constraints, progress=progress
            )
        signature = draft_signature(engine, settings.beam, context.digest if context else "")
        hypotheses = [d.text if d is not None else "" for d in drafts]
        systems.append(
            System(
                label, "(drafted)", hypotheses, list(sources), WorkbenchSignature.from_signature(signature)
            )
        )
    return systems
