"""The numbers check on human translations: few false alarms, nearly every altered number caught."""

from __future__ import annotations

import gzip

import pytest
from conftest import ROOT, SHARED

from bench.bench_qa_numbers import alterations, measure

DATA = ROOT / "workbench" / "jobs" / "data" / "flores200"


def test_rates_on_flores_devtest(capsys: pytest.CaptureFixture[str]) -> None:
    rates = measure()
    with capsys.disabled():
        print(
            f"\nnumbers check on FLORES-200 devtest: {rates.pairs} pairs with a digit in the source; "
            f"clean pairs flagged {rates.clean_flagged}/{rates.pairs} = {rates.clean_rate:.1%}; "
            f"altered targets caught {rates.caught}/{rates.altered} = {rates.caught_rate:.1%}"
        )
    assert rates.pairs > 150
    assert rates.altered >= 1.8 * rates.pairs  # two alterations per pair, one when the target has no digit
    assert rates.clean_rate <= 0.05
    assert rates.caught_rate >= 0.95


def test_alterations_change_or_delete_one_number() -> None:
    target = "About 400 Royal Bengal tigers and 30,000 spotted deer live there."
    kinds = dict(alterations(target, 7))
    assert set(kinds) == {"digit changed", "number deleted"}
    assert kinds["digit changed"] != target and len(kinds["digit changed"]) == len(target)
    assert len(kinds["number deleted"]) < len(target)
    [(kind, altered)] = alterations("Over four million people went to Rome.", 1)
    assert kind == "word deleted"
    assert altered in ("Over million people went to Rome.", "Over four people went to Rome.")


@pytest.mark.skipif(not (SHARED / "data" / "flores200").is_dir(), reason="../shared/data/flores200 not here")
def test_shipped_flores_files_are_the_original_ones() -> None:
    for name in ("zho_Hans.devtest", "eng_Latn.devtest"):
        shipped = gzip.decompress((DATA / f"{name}.gz").read_bytes())
        assert shipped == (SHARED / "data" / "flores200" / name).read_bytes()
