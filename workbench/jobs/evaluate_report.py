"""How ``workbench evaluate`` shows an :class:`~workbench.jobs.evaluate.Evaluation`: a table, or JSON."""

from __future__ import annotations

from typing import Any

from workbench.jobs.evaluate import Evaluation, SystemScore


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _terms(score: SystemScore) -> tuple[str, str, str]:
    t = score.terms
    if t is None:
        return "-", "-", "-"
    if not t.hits:
        return "n/a (0 hits)", "n/a", "n/a"
    return (
        f"{_pct(t.exact_rate)} ({t.exact}/{t.hits})",
        f"{_pct(t.fuzzy_rate)} ({t.fuzzy}/{t.hits})",
        _pct(t.consistency),
    )


def render_text(ev: Evaluation, per_segment: bool = False) -> str:
    """The side-by-side table, the signatures, notes and (on request) per-segment scores."""
    header = ["system", "BLEU", "chrF2", "TER", "terms exact", "terms fuzzy", "term consistency"]
    rows = [header]
    for s in ev.systems:
        rows.append([s.system.name, _num(s.bleu), _num(s.chrf), _num(s.ter), *_terms(s)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    refs = f"references: {', '.join(ev.references)}" if ev.references else "no references (term metrics only)"
    lines.append(f"{ev.segments} segments; {refs}")
    for r in rows:
        lines.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    if ev.metric_signatures:
        lines += [f"sacrebleu {name}|{sig}" for name, sig in ev.metric_signatures.items()]
    if ev.glossary:
        lines.append(f"term glossary: {ev.glossary}")
    for s in ev.systems:
        w = s.wmt_terms
        if w is not None:
            lines.append(
                f"WMT23 term success {s.system.name}: raw {_pct(w.raw_rate)} ({w.raw}/{w.terms}), "
                f"lemmatized {_pct(w.lemma_rate)} ({w.lemmatized}/{w.terms})"
            )
    for s in ev.systems:
        lines.append(
            f"workbench {s.system.name}: {s.system.signature}|file:{s.system.path}|scored-by:{ev.version}"
        )
        for note in s.system.notes:
            lines.append(f"  note: {note}")
    if per_segment:
        lines.append("")
        lines.append("segment  " + "  ".join(f"{s.system.name}: BLEU chrF2 TER terms" for s in ev.systems))
        for i in range(ev.segments):
            cells = []
            for s in ev.systems:
                seg = s.segments[i]
                terms = f"{seg.term_exact}/{seg.term_hits}" if s.terms is not None else "-"
                cells.append(f"{_num(seg.bleu)} {_num(seg.chrf)} {_num(seg.ter)} {terms}")
            lines.append(f"{i + 1:>7}  " + "  |  ".join(cells))
    return "\n".join(lines) + "\n"


def as_json(ev: Evaluation, per_segment: bool = False) -> dict[str, Any]:
    """Plain data for ``--format json``."""
    systems = []
    for s in ev.systems:
        t = s.terms
        entry: dict[str, Any] = {
            "name": s.system.name,
            "file": s.system.path,
            "signature": s.system.signature.as_dict(),
            "signature_text": str(s.system.signature),
            "bleu": s.bleu,
            "chrf": s.chrf,
            "ter": s.ter,
            "terms": None
            if t is None
            else {
                "hits": t.hits,
                "exact": t.exact,
                "fuzzy": t.fuzzy,
                "exact_rate": t.exact_rate,
                "fuzzy_rate": t.fuzzy_rate,
                "repeated": t.repeated,
                "consistent": t.consistent,
                "consistency": t.consistency,
            },
            "notes": list(s.system.notes),
        }
        if s.wmt_terms is not None:
            w = s.wmt_terms
            entry["wmt_terms"] = {
                "terms": w.terms,
                "raw": w.raw,
                "lemmatized": w.lemmatized,
                "raw_rate": w.raw_rate,
                "lemma_rate": w.lemma_rate,
            }
        if per_segment:
            entry["segments"] = [
                {
                    "bleu": g.bleu,
                    "chrf": g.chrf,
                    "ter": g.ter,
                    "term_hits": g.term_hits,
                    "term_exact": g.term_exact,
                    "term_missed": g.term_missed,
                }
                for g in s.segments
            ]
        systems.append(entry)
    return {
        "segments": ev.segments,
        "test_set": ev.test_set,
        "references": ev.references,
        "sacrebleu": ev.metric_signatures,
        "glossary": ev.glossary,
        "version": ev.version,
        "systems": systems,
    }
