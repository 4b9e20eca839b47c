"""``workbench translate FILE --lines [--terms TERMS.jsonl]``: every line one segment, per-line term lists.

No paragraph rebuilding and no SRX cutting: line *i* (0-based) is segment *i*, drafted through the one
drafting loop (:func:`workbench.jobs.drafting.run_drafting`) and written as ``DIR/<stem>.jsonl``, one
object per line. ``--terms`` gives line *i*'s own term list (WMT23 format, :mod:`workbench.terms.wmt`):
each term whose Chinese is in the line is enforced exactly as a glossary hit is, beside the glossary's
own hits (a listed term wins over a glossary hit of the same words). An empty line is written with an
empty draft and never sent to the model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.jobs.drafting import draft_signature, run_drafting
from workbench.mt.constraints import unmet_in_text
from workbench.records import Draft, TermConstraint, TermNote
from workbench.terms.context import GlossaryContext
from workbench.terms.ledger import apply_ledger
from workbench.terms.wmt import ListedTerm, constraints_for_line, merge_constraints, parse_term_lists

#: ``progress_for(description, total)``: a context manager yielding ``progress(done, total)`` or None.
ProgressFactory = Callable[[str, int], AbstractContextManager[Any]]


def line_constraints(
    sources: Sequence[str], term_lists: Sequence[Sequence[ListedTerm]], glossary: GlossaryContext | None
) -> list[list[TermConstraint]]:
    """Per line: its own listed terms found in it, then the glossary's other hits."""
    out = []
    for source, terms in zip(sources, term_lists, strict=True):
        own = constraints_for_line(source, terms)
        out.append(merge_constraints(own, glossary.constraints(source) if glossary else []))
    return out


def line_notes(
    source: str, draft: Draft, own: Sequence[TermConstraint], glossary: GlossaryContext | None
) -> list[TermNote]:
    """The term notes of one line: its listed terms, then the glossary hits they did not override."""
    notes = [
        TermNote(
            c.source,
            c.allowed[0],
            ok=not (failed := unmet_in_text([c], draft.text)),
            problem="missing" if failed else "",
        )
        for c in own
    ]
    if glossary:
        notes += [
            n
            for n in glossary.check(source, draft.text)
            if not any(n.source in c.source or c.source in n.source for c in own)
        ]
    return apply_ledger(notes, draft)


def draft_lines(
    engine: Any,
    sources: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]],
    *,
    beam: int,
    unit_size: int,
    progress: Any = None,
) -> list[Draft]:
    """Drafts of every line (an empty line gets an empty draft without the model)."""
    todo = [i for i, s in enumerate(sources) if s.strip()]
    cons = [list(constraints[i]) for i in todo]
    drafts = run_drafting(
        engine,
        [sources[i] for i in todo],
        beam=beam,
        constraints=cons if any(cons) else None,
        unit_size=unit_size,
        progress=progress,
    )
    out = [Draft("", 0.0, 0) for _ in sources]
    for i, d in zip(todo, drafts, strict=True):
        out[i] = d if d is not None else Draft("", 0.0, 0)
    return out


def line_rows(
    sources: Sequence[str],
    drafts: Sequence[Draft],
    own: Sequence[Sequence[TermConstraint]],
    glossary: GlossaryContext | None,
    signature: str,
) -> list[dict[str, Any]]:
    """One JSON object per line: segment, source, draft, score, n_tokens, signature, terms, unmet."""
    from workbench.jobs.outputs import term_row

    rows = []
    for i, (source, draft) in enumerate(zip(sources, drafts, strict=True)):
        row: dict[str, Any] = {
            "segment": i,
            "source": source,
            "draft": draft.text,
            "score": round(draft.score, 4),
            "n_tokens": draft.n_tokens,
            "signature": signature,
        }
        if draft.unmet:
            row["unmet"] = list(draft.unmet)
        notes = line_notes(source, draft, own[i], glossary) if source.strip() else []
        if notes:
            row["terms"] = [term_row(n) for n in notes]
        rows.append(row)
    return rows


def translate_lines(settings: Any, terms: str | None, progress_for: ProgressFactory) -> int:
    """Draft every line of the one input of ``settings`` and write ``DIR/<stem>.jsonl``.

    Args:
        settings: The run's :class:`~workbench.jobs.translate.TranslateSettings` (one input file).
        terms: The per-line term lists (WMT23 JSONL), or None.
        progress_for: Makes the progress display.

    Returns:
        0.

    Raises:
        WorkbenchError: not exactly one input, unreadable input or term lists, a line count mismatch.
    """
    from workbench.atomic import write_text_atomic
    from workbench.formats.lines import read_lines
    from workbench.jobs import engines
    from workbench.jobs.outputs import check_writable
    from workbench.jobs.translate import load_engine_timed

    if len(settings.files) != 1 or not Path(settings.files[0]).is_file():
        raise WorkbenchError("--lines takes exactly one input file (one segment per line)")
    path = Path(settings.files[0])
    sources = read_lines(path)
    lists = parse_term_lists(read_lines(terms), str(terms), len(sources)) if terms else [[] for _ in sources]
    glossary = GlossaryContext.load(list(settings.glossary)) if settings.glossary else None
    own = [constraints_for_line(s, t) for s, t in zip(sources, lists, strict=True)]
    constraints = line_constraints(sources, lists, glossary)
    engines.check_model(settings.engine)
    check_writable(settings.out)
    out = settings.out / f"{path.stem}.jsonl"
    if out.resolve() == path.resolve():
        raise WorkbenchError(f"{out}: the output would overwrite the input")
    engine = load_engine_timed(settings)
    with progress_for(f"drafting {path.name}", sum(1 for s in sources if s.strip())) as progress:
        drafts = draft_lines(
            engine, sources, constraints, beam=settings.beam, unit_size=settings.unit_size, progress=progress
        )
    digest = glossary.digest if glossary else ""
    signature = str(draft_signature(engine, settings.beam, digest))
    rows = line_rows(sources, drafts, own, glossary, signature)
    write_text_atomic(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    settings.say(f"wrote {out} ({len(rows)} lines)")
    return 0
