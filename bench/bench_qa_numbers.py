"""How well the QA numbers check separates right from wrong numbers, on human translations.

Pairs: the FLORES-200 devtest pairs (zho_Hans → eng_Latn, shipped with the package) whose source
has a digit. Clean rate: the share of those human translations that get a numbers finding (false
alarms). Caught rate: for each pair, two altered targets are generated (seeded by the line
number): one digit of one number changed, and that number deleted; a target without digits gets
one number word deleted instead. The share of altered targets that get a numbers finding.
Pairs already flagged when clean are left out of the caught rate, so an alarm the clean pair
raised anyway does not count as catching the alteration.

Usage: ``python bench/bench_qa_numbers.py [--show N]`` (prints both rates; --show lists misses).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.jobs.testsets import load_test_set
from workbench.terms.checks.numbers import check_numbers

_DIGIT = re.compile(r"[0-9０-９]")
_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion)\b",
    re.IGNORECASE,
)


@dataclass
class NumbersRates:
    """The measured rates and what they were measured on."""

    pairs: int = 0
    clean_flagged: int = 0
    altered: int = 0
    caught: int = 0
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def clean_rate(self) -> float:
        return self.clean_flagged / self.pairs if self.pairs else 0.0

    @property
    def caught_rate(self) -> float:
        return self.caught / self.altered if self.altered else 0.0


def alterations(target: str, seed: int) -> list[tuple[str, str]]:
    """``(kind, altered target)``: a digit changed and the number deleted (or a number word deleted)."""
    rng = random.Random(seed)
    numbers = list(_NUMBER.finditer(target))
    if not numbers:
        words = list(_WORD.finditer(target))
        if not words:
            return []
        m = rng.choice(words)
        return [("word deleted", re.sub(r"  +", " ", target[: m.start()] + target[m.end() :]))]
    m = rng.choice(numbers)
    k = rng.choice([i for i in range(m.start(), m.end()) if target[i].isdigit()])
    digit = rng.choice([d for d in "0123456789" if d != target[k] and not (k == m.start() and d == "0")])
    changed = target[:k] + digit + target[k + 1 :]
    deleted = re.sub(r"  +", " ", target[: m.start()] + target[m.end() :])
    return [("digit changed", changed), ("number deleted", deleted)]


def measure() -> NumbersRates:
    """Both rates on FLORES-200 devtest (module docstring)."""
    test = load_test_set("flores200-devtest")
    rates = NumbersRates()
    for line, (source, target) in enumerate(zip(test.sources, test.references[0], strict=True), start=1):
        if not _DIGIT.search(source):
            continue
        rates.pairs += 1
        if check_numbers(source, target):
            rates.clean_flagged += 1
            continue
        for kind, altered in alterations(target, line):
            rates.altered += 1
            if check_numbers(source, altered):
                rates.caught += 1
            else:
                rates.misses.append((kind, source, target, altered))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show", type=int, default=0, metavar="N", help="list N altered targets that were not caught"
    )
    args = parser.parse_args()
    r = measure()
    print(f"pairs with a digit in the source: {r.pairs} (FLORES-200 devtest zho_Hans-eng_Latn)")
    print(f"clean pairs with a numbers finding: {r.clean_flagged}/{r.pairs} = {r.clean_rate:.1%}")
    print(f"altered targets caught: {r.caught}/{r.altered} = {r.caught_rate:.1%}")
    for kind, source, target, altered in r.misses[: args.show]:
        print(f"\n{kind}:\n  zh {source}\n  en {target}\n  => {altered}")


if __name__ == "__main__":
    main()
