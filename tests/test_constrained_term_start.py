"""Where the constrained search may start a term: where the model attends to the term's source.

Without this rule a term (often its shortest variant) was started at the first token of the draft, where
it costs the model as much as anywhere else, and the sentence after it fell apart ("Gao ACWF is
supporting the national women's league.").
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from workbench.mt.constrained.search import generate_constrained, source_spans
from workbench.mt.constrained.state import BeamState, Candidates
from workbench.mt.constrained.step import StepInputs, candidate_progress
from workbench.mt.constrained.stepper import MarianStepper, ModelIds
from workbench.mt.constrained.tensors import BoundaryMasks, ConstraintTensors
from workbench.mt.constraints import build_segment_constraints, target_pieces
from workbench.records import TermConstraint

SOURCE = "高军丽正在支持全国妇联。"
TERM = TermConstraint("全国妇联", ("All-China Women's Federation", "ACWF"))


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path):
    from workbench.mt.marian import load_marian

    torch.set_num_threads(1)
    tokenizer, model = load_marian(tiny_model_dir, "cpu")
    return tokenizer, model


def test_the_span_is_the_terms_source_tokens(tiny):
    tokenizer, _model = tiny
    seg = build_segment_constraints(tokenizer, [TERM])
    ((first, last),) = source_spans(tokenizer, SOURCE, seg)
    pieces = tokenizer.convert_ids_to_tokens(tokenizer(SOURCE)["input_ids"])
    assert "".join(pieces[first : last + 1]).replace("\u2581", "") == "全国妇联"
    missing = build_segment_constraints(tokenizer, [TermConstraint("妇女之家", ("Women's Home",))])
    assert source_spans(tokenizer, SOURCE, missing) == [(-1, -1)]


def _progress(tiny, attended: list[int], wants_end: list[bool], alt: int = 0, best: list[int] | None = None):
    """Progress of two hypotheses that both produce the first token of the term's alternative ``alt``."""
    tokenizer, model = tiny
    seg = build_segment_constraints(tokenizer, [TERM])
    spans = [source_spans(tokenizer, SOURCE, seg)]
    dev = torch.device("cpu")
    ct = ConstraintTensors.build([seg], dev, spans)
    ids = ModelIds.of(model)
    tp = target_pieces(tokenizer)
    masks = BoundaryMasks.build(tp, model.config.vocab_size, ids.start, dev)
    beam = 2
    inp = StepInputs(ct, ct.rows(torch.zeros(beam, dtype=torch.long)), ids, beam, 0, torch.tensor([40]))
    state = BeamState.initial(1, beam, (ct.n_alternatives, ct.n_constraints, ct.n_banned), ids.start, dev)
    state.attended = torch.tensor(attended)
    state.wants_end = torch.tensor(wants_end)
    first = int(ct.alt_tok[0, alt, 0])
    state.best = torch.tensor([first if b else 0 for b in best]) if best is not None else state.best
    cands = Candidates(
        row=torch.tensor([[0, 1]]),
        global_row=torch.tensor([[0, 1]]),
        tok=torch.tensor([[first, first]]),
        score=torch.tensor([[-1.0, -1.0]]),
    )
    return spans[0][0], candidate_progress(cands, state, inp, masks, 0)


def test_a_term_starts_only_where_the_model_attends_to_its_source(tiny):
    (lo, _hi), prog = _progress(tiny, attended=[0, 0], wants_end=[False, False])
    assert lo > 0
    assert prog.prog[0, :, 0].tolist() == [0, 0]
    _, prog = _progress(tiny, attended=[lo, 0], wants_end=[False, False])
    started = prog.prog[0, :, 0].tolist()
    assert started == [1, 0]  # attending to 全国妇联: may start; attending to 高军: may not
    assert prog.displaced[0].tolist() == [False, False]


def test_a_variant_starts_only_where_the_model_writes_it_itself(tiny):
    tokenizer, _model = tiny
    seg = build_segment_constraints(tokenizer, [TERM])
    acwf = next(k for k, r in enumerate(seg.required[0].renderings) if r == "ACWF")
    (lo, _hi), _ = _progress(tiny, attended=[0, 0], wants_end=[False, False])
    _, prog = _progress(tiny, attended=[lo, lo], wants_end=[False, False], alt=acwf, best=[True, False])
    assert prog.prog[0, :, acwf].tolist() == [1, 0]


def test_a_hypothesis_about_to_end_may_start_it_as_a_last_resort_and_is_marked(tiny):
    (lo, _hi), _ = _progress(tiny, attended=[0, 0], wants_end=[False, False])
    _, prog = _progress(tiny, attended=[lo, 0], wants_end=[False, True])
    assert prog.prog[0, :, 0].tolist() == [1, 1]
    assert prog.displaced[0].tolist() == [False, True]


def test_the_stepper_reports_attention_and_gives_the_model_back_its_kernels(tiny):
    tokenizer, model = tiny
    before = model.config._attn_implementation
    enc = tokenizer([SOURCE], return_tensors="pt")
    stepper = MarianStepper(model, enc["input_ids"], enc["attention_mask"], 2, attend=True)
    ids = ModelIds.of(model)
    stepper.log_probs(torch.full((2, 1), ids.start))
    assert stepper.attended is not None
    assert stepper.attended.shape == (2,)
    assert 0 <= int(stepper.attended.max()) < enc["input_ids"].shape[1]
    stepper.close()
    assert model.config._attn_implementation == before


def test_the_term_is_still_guaranteed(tiny):
    tokenizer, model = tiny
    (draft,) = generate_constrained(model, tokenizer, [SOURCE], [[TERM]], beam=3)
    assert not draft.unmet
    assert "All-China Women's Federation" in draft.text or "ACWF" in draft.text
