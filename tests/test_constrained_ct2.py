"""The CTranslate2 backend keeps the glossary guarantee: n-best check first, constrained search for misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.mt.constraints import forbidden_present, rendering_present, unmet_in_text
from workbench.records import TermConstraint

SOURCES = [
    "重庆开州区妇联全力抓好在外流动妇联组织建设",
    "身在异乡，仍可感受家乡“娘家人”呵护",
]


@pytest.fixture(scope="module")
def ct2_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.mt.ct2 import convert_model

    return convert_model(tiny_model_dir, "int8", out_dir=tmp_path_factory.mktemp("ct2") / "tiny-int8")


def _engine(tiny_model_dir: Path, ct2_dir: Path):
    from workbench.mt.ct2 import CT2Engine

    return CT2Engine(tiny_model_dir, device="cpu", threads=1, ct2_dir=ct2_dir)


def test_terms_the_nbest_already_has_need_no_fallback(tiny_model_dir: Path, ct2_dir: Path):
    engine = _engine(tiny_model_dir, ct2_dir)
    plain = engine.translate(SOURCES, beam=4)
    words = [d.text.split()[0] for d in plain]
    cons = [[TermConstraint("妇联", (words[0],))], [TermConstraint("娘家人", (words[1],))]]
    drafts = engine.translate(SOURCES, beam=4, constraints=cons)
    assert engine._fallback is None  # the transformers model was never loaded
    assert [d.text for d in drafts] == [d.text for d in plain]
    assert all(d.unmet == [] for d in drafts)


def test_terms_the_model_never_writes_are_placed_by_the_fallback_search(tiny_model_dir: Path, ct2_dir: Path):
    engine = _engine(tiny_model_dir, ct2_dir)
    plain = engine.translate(SOURCES, beam=4)
    favourite = plain[0].text.split()[0]
    cons = [
        [TermConstraint("妇联", ("Women's Federation",), (favourite,))],
        [TermConstraint("娘家人", ("natal family",), ("maiden home",))],
    ]
    assert all(unmet_in_text(c, d.text) for c, d in zip(cons, plain, strict=True))  # the plain drafts miss
    drafts = engine.translate(SOURCES, beam=4, constraints=cons)
    assert engine._fallback is not None
    for draft, terms in zip(drafts, cons, strict=True):
        assert draft.unmet == []
        assert unmet_in_text(terms, draft.text) == [], draft.text
    assert rendering_present("Women's Federation", drafts[0].text)
    assert not forbidden_present(favourite, drafts[0].text, ("Women's Federation",))
