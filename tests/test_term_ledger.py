"""The term ledger: how each term got into a draft, on both engines, and the forced-term check."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.records import Draft, TermConstraint, TermHow, TermLedger, TermNote
from workbench.terms.ledger import apply_ledger, forced_notes

SOURCES = ["重庆开州区妇联全力抓好在外流动妇联组织建设", "身在异乡，仍可感受家乡“娘家人”呵护"]
#: An English rendering no random model produces on its own.
ODD = "zebra quantum"


@pytest.fixture(scope="module")
def ct2_engine(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from workbench.mt.ct2 import CT2Engine, convert_model

    ct2_dir = convert_model(tiny_model_dir, "int8", out_dir=tmp_path_factory.mktemp("ct2") / "tiny-int8")
    return CT2Engine(tiny_model_dir, device="cpu", threads=1, ct2_dir=ct2_dir)


@pytest.fixture(scope="module")
def marian_engine(tiny_model_dir: Path):
    from workbench.mt.marian import MarianEngine

    return MarianEngine(tiny_model_dir, device="cpu", threads=1)


def _hows(draft: Draft) -> dict[str, TermHow]:
    return {line.source: line.how for line in draft.ledger}


@pytest.mark.parametrize("which", ["ct2", "marian"])
def test_a_term_the_model_writes_is_natural_and_one_it_cannot_is_forced(which, request):
    engine = request.getfixturevalue(f"{which}_engine")
    plain = engine.translate(SOURCES, beam=4)
    own = plain[0].text.split()[0]
    cons = [
        [TermConstraint("妇联", (own,)), TermConstraint("组织", (ODD,))],
        [TermConstraint("娘家人", (ODD,))],
    ]
    drafts = engine.translate(SOURCES, beam=4, constraints=cons)
    forced = TermHow.PLACED if which == "ct2" else TermHow.SEARCHED
    rendering = {"妇联": own, "组织": ODD, "娘家人": ODD}
    for d, p, cs in zip(drafts, plain, cons, strict=True):
        hows = _hows(d)
        assert set(hows) == {c.source for c in cs}
        for line in d.ledger:
            word = rendering[line.source]
            if line.how == TermHow.NATURAL:
                assert word.lower() in p.text.lower() and word.lower() in d.text.lower()
            elif line.how == TermHow.UNMET:
                assert word.lower() not in d.text.lower() and line.reason
            else:
                assert (
                    line.how == forced
                    and word.lower() in d.text.lower()
                    and word.lower() not in p.text.lower()
                )
        assert d.cost is not None and d.cost >= 0
    assert _hows(drafts[1])["娘家人"] in (forced, TermHow.UNMET)
    if which == "ct2":  # the fast path keeps the model's word and places what it can spell
        assert _hows(drafts[0]) == {"妇联": TermHow.NATURAL, "组织": forced}
        assert _hows(drafts[1]) == {"娘家人": forced}
    else:
        assert forced in {line.how for d in drafts for line in d.ledger}


@pytest.mark.parametrize("which", ["ct2", "marian"])
def test_only_natural_terms_cost_nothing(which, request):
    engine = request.getfixturevalue(f"{which}_engine")
    plain = engine.translate(SOURCES[:1], beam=4)
    word = plain[0].text.split()[-1]
    drafts = engine.translate(SOURCES[:1], beam=4, constraints=[[TermConstraint("妇联", (word,))]])
    if which == "marian" and word.lower() not in drafts[0].text.lower():
        # The search on random weights may fail to end with a whole-word copy: then it is unmet, with a reason.
        (line,) = drafts[0].ledger
        assert line.how == TermHow.UNMET and line.reason
        return
    assert _hows(drafts[0]) == {"妇联": TermHow.NATURAL}
    if which == "ct2" or drafts[0].text == plain[0].text:  # the fast path returns the model's own best
        assert drafts[0].text == plain[0].text
        assert drafts[0].cost == 0
    else:  # the search may still end elsewhere (random weights): the cost says how far
        assert drafts[0].cost is not None and drafts[0].cost >= 0


def test_notes_take_how_and_cost_and_forced_ones_are_flagged():
    draft = Draft(
        "x",
        -1.0,
        1,
        ledger=[TermLedger("妇联", TermHow.PLACED), TermLedger("巾帼", TermHow.NATURAL)],
        cost=0.8,
    )
    notes = [
        TermNote("妇联", "women's federation"),
        TermNote("巾帼", "women's"),
        TermNote("娘家人", "x", ok=False, problem="missing"),
    ]
    out = apply_ledger(notes, draft)
    assert [n.how for n in out] == ["placed", "natural", ""]
    assert out[0].cost == 0.8
    # The model's doubt about its own best: minus its log-probability per token (-1.0 - 0.8 → 0.2 … the
    # draft's score is -1.0 and forcing cost it 0.8, so the unconstrained best scored -0.2).
    assert out[0].doubt == pytest.approx(0.2) and draft.doubt == pytest.approx(0.2)
    flagged = forced_notes(out, threshold=0.5, doubt=0.1)
    assert [q.check for q in flagged] == ["forced-term"]
    assert "妇联" in flagged[0].message and "doubt 0.20" in flagged[0].message
    assert forced_notes(out, threshold=1.0, doubt=0.1) == []
    assert forced_notes(out, threshold=0.5, doubt=0.3) == []  # the model was sure of its own sentence


def test_the_article_before_a_placed_term_agrees_with_it():
    from workbench.mt.constrained.agreement import article_for, fix_articles
    from workbench.mt.constrained.placement import Draftable

    pieces = ["▁He", "▁met", "▁a", "▁executive", "▁committee", "▁member", "."]
    locked = [False, False, False, True, True, True, False]
    vocab = {"▁a", "▁an", "▁A", "▁An"}
    out = fix_articles(Draftable(pieces, locked=locked), vocab)
    assert out.pieces[2] == "▁an"
    back = fix_articles(Draftable(["▁An", "▁ballast", "▁stone"], locked=[False, True, True]), vocab)
    assert back.pieces[0] == "▁A"
    # An article before a word the model wrote itself is left alone, as is one with no piece to become.
    assert fix_articles(Draftable(["▁a", "▁apple"], locked=[False, False]), vocab).pieces[0] == "▁a"
    assert fix_articles(Draftable(["▁a", "▁egg"], locked=[False, True]), {"▁a"}).pieces[0] == "▁a"
    assert [article_for(w) for w in ("executive", "university", "hour", "ballast")] == ["an", "a", "an", "a"]


def test_the_search_ledger_in_constructed_cases(marian_engine):
    from workbench.mt.constrained.ledger import searched_ledger

    plain = [Draft("The women's league met.", -0.5, 5)]
    cons = [
        [
            TermConstraint("妇联", ("women's league",)),
            TermConstraint("会议", ("meeting",)),
            TermConstraint("巾帼", ("heroines",)),
        ]
    ]
    searched = [Draft("The women's league held a meeting.", -0.9, 7)]
    (out,) = searched_ledger(searched, plain, cons, marian_engine.tokenizer)
    assert _hows(out) == {"妇联": TermHow.NATURAL, "会议": TermHow.SEARCHED, "巾帼": TermHow.UNMET}
    assert out.cost == pytest.approx(0.4)
    (same,) = searched_ledger(plain, plain, [cons[0][:1]], marian_engine.tokenizer)
    assert _hows(same) == {"妇联": TermHow.NATURAL} and same.cost == 0
