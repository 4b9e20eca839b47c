"""Precision and recall of name proposals on names collected from public news text.

``tests/data/names_news.tsv`` holds names printed in Chinese news or bilingual news pages together with
the English rendering the publication used, the Chinese clause they were printed in and the page's
address. Each clause is ingested as a document (traditional text converted to simplified) and passed to
``propose_names``; a proposal is correct when its source is a listed name of that clause and the
publication's rendering is its target or one of its alternatives (compared case-insensitively, ’ as ').

    .venv/bin/python bench/bench_names.py [--data tests/data/names_news.tsv] [--min-confidence 0.8]

Prints the counts, precision and recall over all proposals and over those at or above the threshold
(what ``translate --names`` enforces), then every miss and every wrong proposal.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data" / "names_news.tsv"


@dataclass
class Gold:
    source: str
    rendering: str
    kind: str
    context: str
    url: str


@dataclass
class Score:
    """Counts of one evaluation (all proposals, or those at or above a threshold)."""

    gold: int = 0
    proposed: int = 0
    found: int = 0  # proposals whose source is a listed name (any rendering)
    correct: int = 0  # ... with the publication's rendering
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    def line(self, label: str) -> str:
        return (f"{label}: {self.proposed} proposals, {self.found} of {self.gold} names found, {self.correct} "
                f"rendered as the publication did; precision {self.precision:.3f}, recall {self.recall:.3f}")


def load_gold(path: Path = DATA) -> list[Gold]:
    """The rows of the data file (``#`` lines are comments; the first other line is the header)."""
    rows: list[Gold] = []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    header = lines[0].split("\t")
    for ln in lines[1:]:
        rows.append(Gold(**dict(zip(header, ln.split("\t"), strict=True))))
    return rows


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def evaluate(rows: list[Gold], min_confidence: float = 0.0) -> Score:
    """Score the proposals made on each row's context against the rows listed for that context."""
    from workbench.terms.model import simplified
    from workbench.terms.names import propose_names
    from workbench.text import document_from_text

    score = Score()
    contexts: dict[str, list[Gold]] = {}
    for r in rows:
        contexts.setdefault(r.context, []).append(r)
    for context, gold in contexts.items():
        wanted = {simplified(g.source): g for g in gold}
        score.gold += len(wanted)
        document = document_from_text(context, to_simplified=True)
        proposals = [p for p in propose_names(document) if p.confidence >= min_confidence]
        hit: set[str] = set()
        for p in proposals:
            score.proposed += 1
            g = wanted.get(p.source)
            renderings = {_norm(t) for t in (p.target, *p.rendering.alternatives)}
            if g is None:
                score.wrong.append(f"{p.source} -> {p.target} ({p.confidence:.2f}): not a listed name | {context}")
                continue
            score.found += 1
            hit.add(p.source)
            if _norm(g.rendering) in renderings:
                score.correct += 1
            else:
                score.wrong.append(f"{p.source} -> {p.target} ({p.confidence:.2f}): publication has {g.rendering!r}")
        for source, g in wanted.items():
            if source not in hit:
                score.misses.append(f"{source} ({g.rendering}) | {context}")
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--min-confidence", type=float, default=0.8)
    args = parser.parse_args(argv)
    rows = load_gold(Path(args.data))
    print(f"{len(rows)} rows, {len({r.source for r in rows})} distinct names, "
          f"{len({r.url for r in rows})} pages, {len({r.context for r in rows})} clauses")
    every = evaluate(rows)
    print(every.line("all proposals"))
    enforced = evaluate(rows, args.min_confidence)
    print(enforced.line(f"confidence >= {args.min_confidence}"))
    for m in every.misses:
        print(f"  missed: {m}")
    for w in every.wrong:
        print(f"  wrong: {w}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
