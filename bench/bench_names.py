"""Precision and recall of name proposals: news clauses, running text, the seed page; calibration; speed.

(a) News: ``tests/data/names_news.tsv`` holds names printed in Chinese news or bilingual news pages together with
the English rendering the publication used, the Chinese clause they were printed in and the page's
address. Each clause is ingested as a document (traditional text converted to simplified) and passed to
``propose_names``; a proposal is correct when its source is a listed name of that clause and the
publication's rendering is its target or one of its alternatives (compared case-insensitively, ’ as ').

    .venv/bin/python bench/bench_names.py [--data tests/data/names_news.tsv] [--min-confidence 0.8]

Prints the counts, precision and recall over all proposals and over those at or above the threshold
(what ``translate --names`` enforces), then every miss and every wrong proposal.

(b) Running text: ``tests/data/names_flores.tsv`` labels every person and place (below the country
level) in the first 270 sentences of the shipped FLORES-200 devtest (zho_Hans); the sentences are one
document. Printed: names found (source and kind right), found names rendered as the English sentence
prints them, recall over all names and over the recurring ones (written twice or more), precision.

(c) The seed page (``seeds/``), labelled in ``tests/test_terms_names.py``.

Calibration: the share of right proposals in confidence bands over (a)-(c). ``--speed``: the time and
memory of ``propose_names`` on ``江苏省宿迁市沭阳县`` repeated N and 4N times (one line, and N short
lines), each size in a fresh process, and on 1 MB of running text (the FLORES sentences repeated).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from names_speed import speed, speed_child  # noqa: E402

DATA = ROOT / "tests" / "data" / "names_news.tsv"
FLORES_GOLD = ROOT / "tests" / "data" / "names_flores.tsv"
FLORES = ROOT / "workbench" / "jobs" / "data" / "flores200" / "zho_Hans.devtest.gz"
FLORES_LINES = 270


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
    judged: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) of each proposal

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.proposed} proposals, {self.found} of {self.gold} names found, {self.correct} "
            f"rendered as the publication did; precision {self.precision:.3f}, recall {self.recall:.3f}"
        )


def load_gold(path: Path = DATA) -> list[Gold]:
    """The rows of the data file (``#`` lines are comments; the first other line is the header)."""
    rows: list[Gold] = []
    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")
    ]
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
            right = g is not None and _norm(g.rendering) in renderings
            score.judged.append((p.confidence, right))
            if g is None:
                score.wrong.append(
                    f"{p.source} -> {p.target} ({p.confidence:.2f}): not a listed name | {context}"
                )
                continue
            score.found += 1
            hit.add(p.source)
            if right:
                score.correct += 1
            else:
                score.wrong.append(
                    f"{p.source} -> {p.target} ({p.confidence:.2f}): publication has {g.rendering!r}"
                )
        for source, g in wanted.items():
            if source not in hit:
                score.misses.append(f"{source} ({g.rendering}) | {context}")
    return score


@dataclass
class Running:
    """Counts on one running-text document."""

    names: int = 0
    recurring: int = 0
    proposed: int = 0
    found: int = 0
    found_recurring: int = 0
    rendered: int = 0
    rendered_recurring: int = 0
    organisations: int = 0
    judged: list[tuple[float, bool]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def summary(self, label: str) -> str:
        def share(a: int, b: int) -> str:
            return f"{a}/{b} = {a / b if b else 0:.3f}"

        return (
            f"{label}: {self.names} names ({self.recurring} recurring), {self.proposed} proposals "
            f"(+{self.organisations} of organisations, not labelled, not counted)\n"
            f"  recall (found, kind right): all {share(self.found, self.names)}, "
            f"recurring {share(self.found_recurring, self.recurring)}\n"
            f"  recall (rendered as the reference): all {share(self.rendered, self.names)}, "
            f"recurring {share(self.rendered_recurring, self.recurring)}\n"
            f"  precision: names {share(self.found, self.proposed)}, "
            f"rendered as the reference {share(self.rendered, self.proposed)}"
        )


def evaluate_running(text: str, gold: dict[str, tuple[str, str, int]]) -> Running:
    """Score the proposals of one document against ``source -> (rendering, kind, count)``."""
    from workbench.terms.names import propose_names
    from workbench.text import document_from_text

    score = Running(names=len(gold), recurring=sum(1 for g in gold.values() if g[2] > 1))
    proposals = propose_names(document_from_text(text))
    seen: set[str] = set()
    for p in proposals:
        if p.kind.value == "organisation":
            score.organisations += 1
            continue  # organisations are not labelled in these sets
        score.proposed += 1
        g = gold.get(p.source)
        found = g is not None and g[1] == p.kind.value
        right = found and _norm(g[0]) in {_norm(t) for t in (p.target, *p.rendering.alternatives)}
        score.judged.append((p.confidence, bool(right)))
        if found:
            seen.add(p.source)
            score.found += 1
            score.found_recurring += g[2] > 1
            score.rendered += right
            score.rendered_recurring += right and g[2] > 1
        mark = "right" if right else "name, other rendering" if found else "not a listed name"
        score.lines.append(
            f"  {mark}: {p.source} -> {p.target} ({p.confidence:.2f}, {p.kind.value}, "
            f"{p.evidence[0].pattern.value})"
        )
    score.lines += [f"  missed: {s} ({g[0]}, {g[1]}, x{g[2]})" for s, g in gold.items() if s not in seen]
    return score


def flores_gold(path: Path = FLORES_GOLD) -> tuple[str, dict[str, tuple[str, str, int]]]:
    """The labelled FLORES-200 sentences as one text, and their names."""
    import gzip

    lines = [
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")
    ]
    gold = {}
    for ln in lines[1:]:
        source, rendering, kind, count = ln.split("\t")
        gold[source] = (rendering, kind, int(count))
    with gzip.open(FLORES, "rt", encoding="utf-8") as f:
        sentences = f.read().splitlines()[:FLORES_LINES]
    return "\n".join(sentences) + "\n", gold


def seed_gold() -> tuple[str, dict[str, tuple[str, str, int]]]:
    """The seed page and the names the tests list for it."""
    from tests.test_terms_names import SEED_PERSONS, SEED_PLACES

    seed = next((ROOT / "seeds").glob("000_*.txt"))
    gold = {s: (t, "person", 1) for s, t in SEED_PERSONS.items()}
    gold.update({s: (t, "place", 1) for s, t in SEED_PLACES.items()})
    return seed.read_text(encoding="utf-8"), gold


def calibration(judged: list[tuple[float, bool]]) -> list[str]:
    """The share of right proposals in confidence bands."""
    out = []
    for low, high in ((0.9, 1.01), (0.8, 0.9), (0.5, 0.8), (0.0, 0.5)):
        band = [right for conf, right in judged if low <= conf < high]
        share = f"{sum(band) / len(band):.3f}" if band else "-"
        out.append(
            f"  confidence [{low:.1f}, {min(high, 1.0):.1f}{']' if high > 1 else ')'}: "
            f"{len(band)} proposals, share right {share}"
        )
    above = [right for conf, right in judged if conf >= 0.8]
    out.append(
        f"  confidence >= 0.8: {sum(above)}/{len(above)} right = {sum(above) / max(1, len(above)):.3f}"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--min-confidence", type=float, default=0.8)
    parser.add_argument("--verbose", action="store_true", help="print every miss and wrong proposal")
    parser.add_argument("--speed", action="store_true", help="also measure time and memory")
    parser.add_argument("--speed-child", nargs=2, metavar=("N", "FORM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.speed_child:
        return speed_child(int(args.speed_child[0]), args.speed_child[1])
    rows = load_gold(Path(args.data))
    print(
        f"(a) news: {len(rows)} rows, {len({r.source for r in rows})} distinct names, "
        f"{len({r.url for r in rows})} pages, {len({r.context for r in rows})} clauses"
    )
    every = evaluate(rows)
    print(every.line("all proposals"))
    enforced = evaluate(rows, args.min_confidence)
    print(enforced.line(f"confidence >= {args.min_confidence}"))
    if args.verbose:
        print("\n".join([f"  missed: {m}" for m in every.misses] + [f"  wrong: {w}" for w in every.wrong]))
    running = evaluate_running(*flores_gold())
    print(running.summary(f"(b) running text, FLORES-200 devtest zho_Hans lines 1-{FLORES_LINES}"))
    seed = evaluate_running(*seed_gold())
    print(seed.summary("(c) seed page"))
    if args.verbose:
        print("\n".join(running.lines + seed.lines))
    judged = every.judged + running.judged + seed.judged
    print("calibration over (a)-(c):")
    print("\n".join(calibration(judged)))
    for label, part in (("(a)", every.judged), ("(b)", running.judged), ("(c)", seed.judged)):
        above = [right for conf, right in part if conf >= 0.8]
        print(f"  {label} confidence >= 0.8: {sum(above)}/{len(above)} right")
    if args.speed:
        speed()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
