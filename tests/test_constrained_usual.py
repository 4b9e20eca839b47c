"""The search's use of the model's own rendering of a term, and the rules that keep the model's own path
in the beam (measured on the reference model with ``bench/bench_enforcement.py``; here: constructed cases
on the tiny real Marian model's vocabulary)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from workbench.mt.constrained.search import generate_constrained, source_spans
from workbench.mt.constrained.state import BeamState, Candidates
from workbench.mt.constrained.step import StepInputs, candidate_progress
from workbench.mt.constrained.stepper import ModelIds
from workbench.mt.constrained.tensors import BoundaryMasks, ConstraintTensors
from workbench.mt.constrained.usual import OwnDraft, find_usual, substitute, with_usual, word_units
from workbench.mt.constraints import build_segment_constraints, target_pieces
from workbench.records import TermConstraint

ACWF = TermConstraint("全国妇联", ("All-China Women's Federation",))
MEMBER = TermConstraint("执委", ("executive committee member",))


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path):
    from workbench.mt.marian import load_marian

    torch.set_num_threads(1)
    return load_marian(tiny_model_dir, "cpu")


def _ids(tp, text: str) -> list[int]:
    ids = tp.ids(tp.pieces(text))
    assert ids is not None, text
    return list(ids)


def _attention(tp, tokens: list[int], per_word: list[int]) -> list[int]:
    """Per token, the source position of its word (``per_word``: one position per word)."""
    attended = [0] * len(tokens)
    for (a, b), position in zip(word_units(tp, tokens), per_word, strict=True):
        attended[a:b] = [position] * (b - a)
    return attended


def _attending(tp, tokens: list[int], word: int, position: int) -> list[int]:
    """Attention that is on ``position`` only where the ``word``-th word starts."""
    attended = [0] * len(tokens)
    attended[word_units(tp, tokens)[word][0]] = position
    return attended


def test_the_models_own_rendering_is_found_and_the_approved_one_takes_its_place(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [ACWF])
    tokens = _ids(tp, "Gao is praising the national women's league.")
    alone = {"全国妇联": "The national women's league and the national women's league."}
    found = find_usual(
        tp, OwnDraft(tokens, _attention(tp, tokens, [0, 3, 4, 5, 6, 7, 8]), [(6, 9)]), seg, alone
    )
    # The article and the full stop stay with the sentence; the whole rendering goes (no "… league").
    assert tp.decode(list(found[0])) == "national women's league"
    seg2, added = with_usual(seg, found, tp)
    assert added == {0: (len(seg.required[0].sequences),)}
    assert seg2.required[0].sequences[-1] == found[0]
    assert (
        tp.decode(substitute(tp, tokens, seg2, found)) == "Gao is praising the All-China Women's Federation."
    )


def test_an_empty_draft_has_no_words_and_no_rendering(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [ACWF])
    assert word_units(tp, []) == []
    assert find_usual(tp, OwnDraft([], [], [(6, 9)]), seg, {"全国妇联": "The national women's league."}) == {}


def test_a_rendering_the_model_did_not_write_while_attending_to_the_term_is_not_taken(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [ACWF])
    tokens = _ids(tp, "Gao is praising the national women's league.")
    alone = {"全国妇联": "The national women's league."}
    assert find_usual(tp, OwnDraft(tokens, [0] * len(tokens), [(6, 9)]), seg, alone) == {}
    own = OwnDraft(tokens, _attending(tp, tokens, 4, 6), [(6, 9)])
    assert find_usual(tp, own, seg, {"全国妇联": "Nothing alike."}) == {}


@pytest.mark.parametrize(
    ("draft", "per_word", "span", "expected"),
    [
        (
            "Zhu will discuss a council member.",
            [0, 2, 3, 4, 5, 5],
            (5, 6),
            "Zhu will discuss an executive committee member.",
        ),
        # At the start: a capital "An", spelled in pieces where the vocabulary has no "▁An".
        (
            "A council member received support.",
            [0, 0, 0, 1, 2],
            (0, 0),
            "An executive committee member received support.",
        ),
    ],
)
def test_the_article_before_the_replaced_rendering_agrees(tiny, draft, per_word, span, expected):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [MEMBER])
    tokens = _ids(tp, draft)
    own = OwnDraft(tokens, _attention(tp, tokens, per_word), [span])
    found = find_usual(tp, own, seg, {"执委": "A council member."})
    assert tp.decode(list(found[0])) == "council member"
    seg2, _ = with_usual(seg, found, tp)
    assert tp.decode(substitute(tp, tokens, seg2, found)) == expected


def _progress(tiny, prog: list[int], tok: list[int], best: list[int], attended: int):
    """Progress of candidates (one per hypothesis row) extending rows at ``prog`` tokens of ACWF's
    approved rendering, with the model's best tokens ``best`` and its attention on ``attended``."""
    tokenizer, model = tiny
    source = "高军丽正在支持全国妇联。"
    seg = build_segment_constraints(tokenizer, [ACWF])
    dev = torch.device("cpu")
    ct = ConstraintTensors.build([seg], dev, [source_spans(tokenizer, source, seg)])
    ids = ModelIds.of(model)
    masks = BoundaryMasks.build(target_pieces(tokenizer), model.config.vocab_size, ids.start, dev)
    beam = len(prog)
    inp = StepInputs(ct, ct.rows(torch.zeros(beam, dtype=torch.long)), ids, beam, 0, torch.tensor([40]))
    state = BeamState.initial(1, beam, (ct.n_alternatives, ct.n_constraints, ct.n_banned), ids.start, dev)
    state.prog[:, 0] = torch.tensor(prog)
    state.attended = torch.full((beam,), attended)
    state.best = torch.tensor(best)
    cands = Candidates(
        row=torch.arange(beam).unsqueeze(0),
        global_row=torch.arange(beam).unsqueeze(0),
        tok=torch.tensor([tok]),
        score=torch.full((1, beam), -1.0),
    )
    return ct, candidate_progress(cands, state, inp, masks, 0)


def test_the_models_own_path_keeps_a_slot_however_many_banks_are_under_way():
    from workbench.mt.constrained.ops import bank_order

    scores = torch.tensor([[-1.0, -2.0, -3.0, -0.5, -0.7]])
    banks = torch.tensor([[3, 2, 1, 0, 0]])
    flags = torch.zeros_like(banks, dtype=torch.bool)
    order = bank_order(scores, banks, ~flags, flags)[0].tolist()
    # The best hypothesis without a term under way first, then rank 0 of every bank, highest first.
    assert order[:4] == [3, 0, 1, 2]


def test_a_term_does_not_start_in_place_of_an_article(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    ct = ConstraintTensors.build([build_segment_constraints(tokenizer, [ACWF])], torch.device("cpu"))
    first = int(ct.alt_tok[0, 0, 0])
    source = "高军丽正在支持全国妇联。"
    (lo, _hi), *_ = source_spans(tokenizer, source, build_segment_constraints(tokenizer, [ACWF]))
    the, word = tp.vocab["▁the"], tp.vocab["▁national"]
    _, prog = _progress(tiny, [0, 0], [first, first], [the, word], lo)
    assert prog.prog[0, :, 0].tolist() == [0, 1]  # "the" stays; the term starts where "national" would


def test_the_search_still_places_the_term_on_the_tiny_model(tiny):
    tokenizer, model = tiny
    (draft,) = generate_constrained(model, tokenizer, ["朱兰将在沈阳讨论执委。"], [[MEMBER]], beam=3)
    assert not draft.unmet
    assert "executive committee member" in draft.text.lower()


def test_a_word_the_model_wrote_for_another_source_word_stays_with_the_sentence(tiny):
    """And a rendering at the start gets the approved one with a capital."""
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    term = TermConstraint("婚俗改革", ("reform of marriage customs",))
    seg = build_segment_constraints(tokenizer, [term])
    tokens = _ids(tp, "Wedding reform received support.")
    # The bare term's own translation has "received" too (a model that only knows sentences).
    alone = {"婚俗改革": "Wedding reform received wedding reform."}
    own = OwnDraft(tokens, _attention(tp, tokens, [0, 0, 1, 2]), [(0, 0)], sinks=4)
    found = find_usual(tp, own, seg, alone)
    assert tp.decode(list(found[0])) == "Wedding reform"
    seg2, _ = with_usual(seg, found, tp)
    assert tp.decode(substitute(tp, tokens, seg2, found)) == "Reform of marriage customs received support."


@pytest.mark.parametrize(
    ("frames", "rendering"),
    [
        # Without the term the model writes "received" too, beside none of the term's words.
        (("The league received support.", "Gao received support."), "Wedding reform"),
        # No draft without the term has it: the model's word for the term, kept.
        (("Gao gave support.",), "Wedding reform received"),
        # The draft without the term made the term's own words up ("wedding reform received"): no proof.
        (("The wedding reform received support.",), "Wedding reform received"),
    ],
)
def test_a_word_written_attending_to_the_sentences_end_goes_by_the_drafts_without_the_term(
    tiny, frames: tuple[str, ...], rendering: str
):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [TermConstraint("婚俗改革", ("reform of marriage customs",))])
    tokens = _ids(tp, "Wedding reform received support.")
    alone = {"婚俗改革": "Wedding reform received wedding reform."}
    # "reform" and "received" attend to the sentence's end (positions 4 on), as a small model's do.
    own = OwnDraft(tokens, _attention(tp, tokens, [0, 5, 5, 2]), [(0, 0)], sinks=4, frames=frames)
    assert tp.decode(list(find_usual(tp, own, seg, alone)[0])) == rendering


def test_a_forbidden_usual_rendering_may_be_written_and_is_replaced(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    term = TermConstraint("中国式现代化", ("Chinese modernization",), ("Chinese-style modernization",))
    seg = build_segment_constraints(tokenizer, [term])
    assert seg.banned  # the forbidden rendering is banned in the search
    tokens = _ids(tp, "Gao supports Chinese-style modernization.")
    alone = {"中国式现代化": "Chinese-style modernization."}
    found = find_usual(tp, OwnDraft(tokens, _attention(tp, tokens, [1, 2, 0, 0]), [(0, 0)]), seg, alone)
    assert tp.decode(list(found[0])) == "Chinese-style modernization"
    seg2, _ = with_usual(seg, found, tp)
    # The usual rendering is the search's alternative, so its ban is lifted; the winner never keeps it.
    assert not any(list(q) == list(found[0])[-len(q) :] for q in seg2.banned)
    assert tp.decode(substitute(tp, tokens, seg2, found)) == "Gao supports Chinese modernization."


@pytest.mark.parametrize("choice", [0, 1])
def test_where_the_drafts_without_the_term_cannot_tell_the_model_chooses(tiny, choice: int):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [TermConstraint("婚俗改革", ("reform of marriage customs",))])
    tokens = _ids(tp, "Wedding reform received support.")
    alone = {"婚俗改革": "Wedding reform received wedding reform."}
    # The only draft without the term has "received" beside "reform", a word of the run it made up.
    own = OwnDraft(
        tokens,
        _attention(tp, tokens, [0, 5, 5, 2]),
        [(0, 0)],
        sinks=4,
        frames=("The reform received support.",),
    )
    asked: list[list[str]] = []

    def prefer(drafts) -> int:
        asked.append([tp.decode(list(d)) for d in drafts])
        return choice

    found = find_usual(tp, own, seg, alone, prefer)
    # Asked once, about "received": the approved rendering in place of the run with it, and without it.
    assert asked == [["Reform of marriage customs support.", "Reform of marriage customs received support."]]
    assert tp.decode(list(found[0])) == ("Wedding reform received", "Wedding reform")[choice]


def test_the_drafts_without_the_term_are_asked_for_only_when_a_run_needs_them(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seg = build_segment_constraints(tokenizer, [TermConstraint("婚俗改革", ("reform of marriage customs",))])
    tokens = _ids(tp, "Wedding reform received support.")
    alone = {"婚俗改革": "Wedding reform received wedding reform."}
    # "received" was written attending to the sentence's end: only those drafts can tell.
    assert (
        find_usual(tp, OwnDraft(tokens, _attention(tp, tokens, [0, 5, 5, 2]), [(0, 0)], 4, None), seg, alone)
        is None
    )
    # Written attending to another source word: no need.
    found = find_usual(
        tp, OwnDraft(tokens, _attention(tp, tokens, [0, 0, 1, 2]), [(0, 0)], 4, None), seg, alone
    )
    assert found is not None and tp.decode(list(found[0])) == "Wedding reform"
