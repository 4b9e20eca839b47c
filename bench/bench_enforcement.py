"""Enforcement quality on a model that has learned (``bench/reference_model.py``).

Prints, in one run:

* ``model_exact A/N``: held-out synthetic sentences drafted without a glossary, exact match against
  their usual rendering (the proof the model has learned);
* ``enforced_exact fast|search|plain A/N``: held-out sentences with glossary hits, drafted with the
  shipped glossary (``glossary/womens-news.tsv``) by the CTranslate2 fast path, the transformers
  constrained search, and plain decoding (the floor), exact match against the expected English (the
  usual rendering with the approved renderings, articles and capitals agreeing), with chrF, terms
  satisfied, ``outside_exact`` (exact match once every term rendering is masked and a/an folded: the
  words outside the terms) and the time;
* ``flag ENGINE forced-term``: how the shipped ``forced-term`` check separates wrong enforced drafts
  from right ones (recall of wrong drafts, share of right drafts flagged); ``flag ENGINE cost`` and
  ``flag ENGINE doubt``: the same for each of its two signals alone (the forcing cost; the model's doubt
  about its own unconstrained best, minus its log-probability per token) at its threshold and at the
  best threshold on this run.

Usage: ``python bench/bench_enforcement.py [--seed N] [--n 500] [--size full|small] [--threads 2]``
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.reference_model import RECIPES, build, heldout_sentences  # noqa: E402
from bench.synthetic_lang import TERMS, Sentence, agree  # noqa: E402

GLOSSARY = ROOT / "glossary" / "womens-news.tsv"


def mask(text: str) -> str:
    """``text`` with every term rendering (usual or approved) replaced by ``<T>`` and a/an folded."""
    forms = sorted({t[k] for t in TERMS for k in (1, 3)}, key=len, reverse=True)
    for form in forms:
        text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", "<T>", text, flags=re.IGNORECASE)
    return re.sub(r"\b([Aa])n\b", r"\1", text)


def chrf(hyps: list[str], refs: list[str]) -> float:
    """Corpus chrF (sacrebleu)."""
    from sacrebleu.metrics import CHRF

    return CHRF().corpus_score(hyps, [refs]).score


def run_path(engine, sents: list[Sentence], constraints, beam: int):
    """Drafts of one path and its wall and CPU time (a text ``wall Xs cpu Ys``)."""
    t0, c0 = time.perf_counter(), time.process_time()
    drafts = engine.translate([s.zh for s in sents], beam=beam, constraints=constraints)
    return drafts, f"wall {time.perf_counter() - t0:.1f}s cpu {time.process_time() - c0:.1f}s"


def accepted(sent: Sentence, hits) -> list[str]:
    """The English sentences that render ``sent`` as the glossary asks, the approved one first.

    Each term takes its approved rendering, or its usual one where the glossary accepts that too (by the
    product's own check: an alternative, any case where the entry is not case-sensitive, a plural ``s``):
    春蕾计划's usual "spring bud plan" is the glossary's alternative "Spring Bud Plan", and 美丽庭院's
    "beautiful courtyards" is "Beautiful Courtyard" in the plural. A glossary that accepts the model's own
    words does not ask for them to be changed (the fast path keeps them, ledgered ``natural``).
    """
    from itertools import product

    from workbench.mt.constraints import unmet_in_text

    choices = []
    for idx in dict.fromkeys(sent.terms()):
        zh, usual, _, approved = TERMS[idx]
        cons = [c for c in hits if c.source == zh]
        ok = bool(cons) and not unmet_in_text(cons, usual)
        choices.append([(idx, approved), *([(idx, usual)] if ok else [])])
    out = [sent.english(glossary=True)]
    for combo in product(*choices):
        forms = dict(combo)
        text = "".join(p if isinstance(p, str) else forms[p[0]] for p in sent.parts)
        out.append(agree(text))
    return list(dict.fromkeys(out))


def report(name: str, drafts, sents: list[Sentence], constraints, seconds: str, hits: list) -> dict:
    """Print one ``enforced_exact`` line (``hits``: each sentence's glossary constraints, ``constraints``:
    those the path enforced, empty for plain); returns the per-draft correctness and the drafts.

    A draft is exact when it is one of the :func:`accepted` sentences; ``approved`` counts those equal to
    the one with every approved rendering. chrF is against the accepted sentence the draft equals, else
    the approved one."""
    texts = [d.text for d in drafts]
    forms = [accepted(s, h) for s, h in zip(sents, hits, strict=True)]
    right = [t in f for t, f in zip(texts, forms, strict=True)]
    approved = sum(t == f[0] for t, f in zip(texts, forms, strict=True))
    expected = [t if t in f else f[0] for t, f in zip(texts, forms, strict=True)]
    outside = sum(mask(t) == mask(e) for t, e in zip(texts, expected, strict=True))
    from workbench.mt.constraints import unmet_in_text

    met = sum(len(c) - len(unmet_in_text(c, t)) for c, t in zip(hits, texts, strict=True))
    n = len(sents)
    print(
        f"enforced_exact {name} {sum(right)}/{n} approved {approved}/{n} chrF {chrf(texts, expected):.2f} "
        f"terms_satisfied {met}/{sum(len(c) for c in hits)} outside_exact {outside}/{n} "
        f"{seconds}",
        flush=True,
    )
    return {"right": right, "drafts": drafts}


def flag_figures(name: str, drafts, right: list[bool]) -> None:
    """Recall of wrong enforced drafts and share of right ones flagged: for the shipped ``forced-term``
    check (a forced hit whose draft's forcing cost and the model's doubt about its own best are both
    above their thresholds), and for each signal alone at its threshold and at the best one on this run."""
    from workbench.records import TermNote
    from workbench.terms.ledger import FORCED, doubt_threshold, forced_threshold, is_forced

    forced = [
        (d, ok)
        for d, ok in zip(drafts, right, strict=True)
        if any(line.how.value in FORCED for line in d.ledger)
    ]
    oks = [ok for _, ok in forced]
    shipped = [
        any(
            is_forced(TermNote(line.source, "", how=line.how.value, cost=d.cost, doubt=d.doubt))
            for line in d.ledger
        )
        for d, _ in forced
    ]
    wrong = [f for f, ok in zip(shipped, oks, strict=True) if not ok]
    good = [f for f, ok in zip(shipped, oks, strict=True) if ok]
    print(
        f"flag {name} forced-term forced_drafts {len(forced)} wrong {len(wrong)} right {len(good)} "
        f"cost_threshold {forced_threshold():.3f} doubt_threshold {doubt_threshold():.3f} "
        f"recall_wrong {_share(wrong)} right_flagged {_share(good)}",
        flush=True,
    )
    signals = {
        "cost": ([d.cost or 0.0 for d, _ in forced], forced_threshold()),
        "doubt": ([d.doubt or 0.0 for d, _ in forced], doubt_threshold()),
    }
    for signal, (values, th) in signals.items():
        bad = [v for v, ok in zip(values, oks, strict=True) if not ok]
        fine = [v for v, ok in zip(values, oks, strict=True) if ok]

        def rates(t: float, bad: list[float] = bad, fine: list[float] = fine) -> tuple[str, str]:
            return _share([v > t for v in bad]), _share([v > t for v in fine])

        def gap(t: float, bad: list[float] = bad, fine: list[float] = fine) -> float:
            return sum(v > t for v in bad) / max(1, len(bad)) - sum(v > t for v in fine) / max(1, len(fine))

        best = max(sorted({0.0, *values}), key=gap, default=th)
        print(
            f"flag {name} {signal} threshold {th:.3f} recall_wrong {rates(th)[0]} right_flagged {rates(th)[1]} "
            f"best_threshold {best:.3f} recall_wrong {rates(best)[0]} right_flagged {rates(best)[1]}",
            flush=True,
        )


def _share(flags: list[bool]) -> str:
    """The share of true values, two decimals (``nan`` for none)."""
    return f"{sum(flags) / len(flags):.2f}" if flags else "nan"


def misses(sents: list[Sentence], fast, plain, right: list[bool]) -> None:
    """Sort the fast path's wrong drafts by cause (one line) and show examples on stderr: ``model`` (the
    plain draft's words outside the terms are already wrong), ``edit`` (they were right in the plain draft
    and the edit broke them), ``term`` (the words outside the terms are right, a term's form is not)."""
    causes: dict[str, list[str]] = {"model": [], "edit": [], "term": []}
    for s, f, p, ok in zip(sents, fast, plain, right, strict=True):
        want = s.english(glossary=True)
        if ok:
            continue
        cause = "model" if mask(p.text) != mask(want) else "edit" if mask(f.text) != mask(want) else "term"
        causes[cause].append(f"  fast {cause}: {s.zh} | plain: {p.text} | fast: {f.text} | want: {want}")
    print("fast_misses " + " ".join(f"{k} {len(v)}" for k, v in causes.items()), flush=True)
    for lines in causes.values():
        for line in lines[:5]:
            print(line, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="seed of the test sentences (default 1)")
    parser.add_argument("--n", type=int, default=500, help="sentences per figure (default 500)")
    parser.add_argument("--size", choices=sorted(RECIPES), default="full", help="reference model recipe")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument(
        "--model", type=Path, help="a built reference model directory (default: build or find the recipe's)"
    )
    parser.add_argument("--no-search", action="store_true", help="skip the transformers constrained search")
    args = parser.parse_args(argv)
    from workbench.mt.registry import load_engine
    from workbench.terms.context import GlossaryContext

    recipe = RECIPES[args.size]
    t0, c0 = time.perf_counter(), time.process_time()
    path = args.model or build(recipe, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(
        f"reference_model {path.name} seed {recipe.seed} steps {recipe.steps} "
        f"(found or built: wall {time.perf_counter() - t0:.1f}s cpu {time.process_time() - c0:.1f}s)"
    )
    print(f"test_seed {args.seed} n {args.n} beam {args.beam} threads {args.threads}", flush=True)
    ct2 = load_engine("ctranslate2", str(path), device="cpu", threads=args.threads)
    marian = load_engine("transformers", str(path), device="cpu", threads=args.threads)
    plain_sents = heldout_sentences(recipe, args.n, args.seed)
    usual = [s.english() for s in plain_sents]
    for name, engine in (("ctranslate2", ct2), ("transformers", marian)):
        drafts, secs = run_path(engine, plain_sents, None, args.beam)
        texts = [d.text for d in drafts]
        ok = sum(t == u for t, u in zip(texts, usual, strict=True))
        print(f"model_exact {name} {ok}/{args.n} chrF {chrf(texts, usual):.2f} {secs}", flush=True)
        wrong = [(s, t) for s, t in zip(plain_sents, texts, strict=True) if t != s.english()][:4]
        for s, t in wrong:
            print(f"  {name} miss: {s.zh} | got: {t} | want: {s.english()}", file=sys.stderr)

    glossary = GlossaryContext.load([str(GLOSSARY)])
    sents = heldout_sentences(recipe, args.n, args.seed + 1, term_share=1.0)
    constraints = [glossary.constraints(s.zh) for s in sents]
    d_fast, t_fast = run_path(ct2, sents, constraints, args.beam)
    fast = report("fast", d_fast, sents, constraints, t_fast, constraints)
    d_plain, t_plain = run_path(ct2, sents, None, args.beam)
    plain = report("plain", d_plain, sents, [], t_plain, constraints)
    flag_figures("fast", fast["drafts"], fast["right"])
    misses(sents, fast["drafts"], plain["drafts"], fast["right"])
    if not args.no_search:  # last: the slowest path
        d_search, t_search = run_path(marian, sents, constraints, args.beam)
        search = report("search", d_search, sents, constraints, t_search, constraints)
        flag_figures("search", search["drafts"], search["right"])
        # The search's misses by cause, as misses() sorts the fast path's: model (the plain draft is
        # already wrong outside the terms), search (the search changed words outside the terms), term.
        causes: dict[str, list[str]] = {"model": [], "search": [], "term": []}
        for s, d, p in zip(sents, d_search, d_plain, strict=True):
            want = s.english(glossary=True)
            if d.text != want:
                bad = "model" if mask(p.text) != mask(want) else "search"
                bad = "term" if mask(d.text) == mask(want) and bad == "search" else bad
                causes[bad].append(f"  search {bad}: {s.zh} | plain: {p.text} | got: {d.text} | want: {want}")
        print("search_misses " + " ".join(f"{k} {len(v)}" for k, v in causes.items()), flush=True)
        for lines in causes.values():
            print("\n".join(lines[:5]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
