"""Constrained beam search on the tiny real Marian model: variants, EOS blocking, bans, limits, cancel."""

from __future__ import annotations

import copy
import json
import shutil
import threading
from pathlib import Path

import pytest

from workbench.errors import Cancelled
from workbench.mt.constrained.search import generate_constrained
from workbench.mt.constraints import (
    build_segment_constraints,
    case_forms,
    forbidden_present,
    rendering_present,
    rendering_sequences,
    target_pieces,
    unmet_in_text,
)
from workbench.records import TermConstraint

SOURCES = [
    "重庆开州区妇联全力抓好在外流动妇联组织建设",
    "身在异乡，仍可感受家乡“娘家人”呵护",
    "为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",
]


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path):
    import torch

    from workbench.mt.marian import load_marian

    torch.set_num_threads(1)
    tokenizer, model = load_marian(tiny_model_dir, "cpu")
    return tokenizer, model


def test_case_forms_add_sentence_initial_capital_and_sensible_lowercase():
    assert case_forms("women's") == ["women's", "Women's"]
    assert case_forms("Women's") == ["Women's", "women's"]
    # More than one capital: a name, never lowercased; months stay capitalised.
    assert case_forms("Beautiful Courtyard") == ["Beautiful Courtyard"]
    assert case_forms("March 8th") == ["March 8th"]
    assert case_forms("ACWF") == ["ACWF"]


def test_sequences_cover_boundary_and_glued_forms(tiny):
    tokenizer, _ = tiny
    tp = target_pieces(tokenizer)
    seqs = rendering_sequences(tp, "women's federation")
    bounded = [s for s, _, glued in seqs if not glued]
    glued = [s for s, _, g in seqs if g]
    assert bounded and glued
    assert len({s for s, _, _ in seqs}) == len(seqs)  # deduplicated
    for seq in bounded:
        assert tp.id_to_piece[seq[0]].startswith("▁")
    for seq in glued:
        assert not tp.id_to_piece[seq[0]].startswith("▁")
    forms = {tp.decode(s) for s, _, _ in seqs}
    assert forms == {"women's federation", "Women's federation"}
    # Glued after an opening quote, the rendering follows the quote directly.
    quote = tp.ids(tp.pieces("“"))
    assert quote is not None
    assert tp.decode([*quote, *glued[0]]) in ("“women's federation", "“Women's federation")


def test_text_checks_follow_the_glossary_rules():
    assert rendering_present("women's federation", "The Women’s Federations met.")
    assert not rendering_present("women", "womenfolk gathered")
    assert forbidden_present("headscarf", "a Headscarf")
    assert not forbidden_present("women", "the women's federation", allowed=("women's federation",))
    terms = [TermConstraint("巾帼", ("women's",), ("headscarf",))]
    assert unmet_in_text(terms, "women's strength") == []
    assert unmet_in_text(terms, "women's headscarf") == ["巾帼"]
    assert unmet_in_text(terms, "strength") == ["巾帼"]


def test_constraints_are_placed_in_every_segment_of_a_batch(tiny):
    tokenizer, model = tiny
    cons = [
        [TermConstraint("妇联", ("Women's Federation", "women's federation"))],
        [TermConstraint("娘家人", ("natal family",), ("maiden home",))],
        [
            TermConstraint("巾帼", ("women's",), ("headscarf",)),
            TermConstraint("中国式现代化", ("Chinese modernization",)),
        ],
    ]
    drafts = generate_constrained(model, tokenizer, SOURCES, cons, beam=4)
    assert len(drafts) == 3
    for draft, terms in zip(drafts, cons, strict=True):
        assert draft.unmet == []
        assert unmet_in_text(terms, draft.text) == [], draft.text
        assert draft.n_tokens > 0


def test_unconstrained_search_matches_transformers_beam_search(tiny):
    import torch

    tokenizer, model = tiny
    tp = target_pieces(tokenizer)
    ours = generate_constrained(model, tokenizer, SOURCES, None, beam=4, max_new_tokens=12, min_new_tokens=12)
    batch = tokenizer(SOURCES, return_tensors="pt", padding=True)
    with torch.inference_mode():
        out = model.generate(
            **batch,
            num_beams=4,
            max_new_tokens=12,
            min_new_tokens=12,
            forced_eos_token_id=None,
            do_sample=False,
        )
    theirs = [tp.decode(seq[1:]) for seq in out.tolist()]
    assert [d.text for d in ours] == theirs
    assert all(d.n_tokens == 12 for d in ours)


def test_eos_is_blocked_until_every_constraint_is_met(tiny_model_dir: Path):
    import torch

    from workbench.mt.marian import load_marian

    tokenizer, model = load_marian(tiny_model_dir, "cpu")
    eos = model.config.eos_token_id
    with torch.no_grad():
        model.final_logits_bias[0, eos] += 50.0  # the model now wants to stop at once
    plain = generate_constrained(model, tokenizer, SOURCES[:1], None, beam=4)
    assert plain[0].n_tokens == 0 and plain[0].text == ""
    cons = [[TermConstraint("妇联", ("women's federation",)), TermConstraint("巾帼", ("March 8th",))]]
    draft = generate_constrained(model, tokenizer, SOURCES[:1], cons, beam=4)[0]
    assert draft.unmet == []
    assert rendering_present("women's federation", draft.text) and rendering_present("March 8th", draft.text)


def test_forbidden_rendering_the_model_prefers_is_banned(tiny):
    tokenizer, model = tiny
    plain = generate_constrained(model, tokenizer, SOURCES[:1], None, beam=4, max_new_tokens=10)[0]
    words = [w for w in plain.text.split() if w]
    assert words, plain.text
    favourite = words[0]
    assert forbidden_present(favourite, plain.text)
    cons = [[TermConstraint("妇联", ("women's federation",), (favourite,))]]
    draft = generate_constrained(model, tokenizer, SOURCES[:1], cons, beam=4, max_new_tokens=10)[0]
    assert not forbidden_present(favourite, draft.text, ("women's federation",)), draft.text
    assert rendering_present("women's federation", draft.text)
    assert draft.unmet == []


def test_pad_is_never_generated(tiny_model_dir: Path):
    import torch

    from workbench.mt.marian import load_marian

    tokenizer, model = load_marian(tiny_model_dir, "cpu")
    with torch.no_grad():
        model.final_logits_bias[0, model.config.pad_token_id] += 1000.0  # the model now wants only <pad>
    cons = [[TermConstraint("妇联", ("women's federation",))], []]
    drafts = generate_constrained(
        model, tokenizer, SOURCES[:2], cons, beam=3, max_new_tokens=8, min_new_tokens=8
    )
    for draft in drafts:
        assert draft.n_tokens == 8
        # Every one of the 8 tokens is a real piece (a <pad> would decode to nothing).
        assert len(draft.text.replace(" ", "")) >= 8, draft.text
    assert rendering_present("women's federation", drafts[0].text)


def test_length_limit_reports_the_term_instead_of_dropping_it(tiny):
    tokenizer, model = tiny
    long_term = TermConstraint(
        "党组书记、主席", ("Secretary of the Leading Party Members' Group and President",)
    )
    short_term = TermConstraint("妇联", ("women's federation",))
    draft = generate_constrained(
        model, tokenizer, SOURCES[:1], [[long_term, short_term]], beam=4, max_new_tokens=6
    )[0]
    assert "党组书记、主席" in draft.unmet
    assert draft.n_tokens <= 6
    # With the default length the same terms fit: the default leaves room for the constraints.
    draft = generate_constrained(model, tokenizer, SOURCES[:1], [[long_term, short_term]], beam=4)[0]
    assert draft.unmet == []
    assert unmet_in_text([long_term, short_term], draft.text) == []


def test_rendering_that_needs_unknown_pieces_is_reported_unplaceable(tiny_model_dir: Path, tmp_path: Path):
    from transformers import MarianTokenizer

    from workbench.mt.marian import load_marian

    _, model = load_marian(tiny_model_dir, "cpu")
    crippled = tmp_path / "tok"
    shutil.copytree(tiny_model_dir, crippled, ignore=shutil.ignore_patterns("*.safetensors", "*.bin"))
    vocab = json.loads((crippled / "vocab.json").read_text(encoding="utf-8"))
    # Without these pieces "€" can only come out as <unk> (as with a model that lacks byte fallback).
    for piece in ("<0xE2>", "<0x82>", "<0xAC>", "€", "▁€"):
        vocab.pop(piece, None)
    (crippled / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer.from_pretrained(str(crippled))
    euro = TermConstraint("欧元", ("€",))
    women = TermConstraint("妇联", ("women's federation",))
    segs = build_segment_constraints(tokenizer, [euro, women])
    assert segs.unplaceable == ("欧元",)
    draft = generate_constrained(model, tokenizer, SOURCES[:1], [[euro, women]], beam=4)[0]
    assert draft.unmet == ["欧元"]
    assert rendering_present("women's federation", draft.text)


def test_search_is_deterministic(tiny):
    tokenizer, model = tiny
    cons = [[TermConstraint("妇联", ("women's federation",))], [], [TermConstraint("巾帼", ("women's",))]]
    first = generate_constrained(model, tokenizer, SOURCES, cons, beam=4)
    second = generate_constrained(model, tokenizer, SOURCES, cons, beam=4)
    assert [(d.text, d.score, d.n_tokens) for d in first] == [(d.text, d.score, d.n_tokens) for d in second]


class _CountingEvent(threading.Event):
    """An Event that becomes set after it has been polled ``after`` times (a user pressing cancel mid-search)."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.polls = 0

    def is_set(self) -> bool:
        self.polls += 1
        if self.polls > self.after:
            self.set()
        return super().is_set()


def test_cancel_between_steps_raises(tiny):
    tokenizer, model = tiny
    cons = [[TermConstraint("妇联", ("women's federation",))]] * 3
    event = _CountingEvent(after=3)
    with pytest.raises(Cancelled):
        generate_constrained(model, tokenizer, SOURCES, cons, beam=4, cancel=event)
    assert event.polls == 4  # stopped at the fourth poll, mid-search
    already = threading.Event()
    already.set()
    with pytest.raises(Cancelled):
        generate_constrained(model, tokenizer, SOURCES, cons, beam=4, cancel=already)


def test_marian_engine_routes_constrained_batches_only(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch):
    import workbench.mt.constrained.search as constrained_mod
    from workbench.mt.marian import MarianEngine

    calls: list[int] = []
    real = constrained_mod.search_constrained

    def spy(*args, **kwargs):
        calls.append(len(args[2]))
        return real(*args, **kwargs)

    monkeypatch.setattr(constrained_mod, "search_constrained", spy)
    engine = MarianEngine(tiny_model_dir, device="cpu", threads=1)
    plain = engine.translate(SOURCES, beam=4)
    assert calls == []
    cons = [[TermConstraint("妇联", ("women's federation",))], [], [TermConstraint("巾帼", ("women's",))]]
    drafts = engine.translate(SOURCES, beam=4, constraints=cons)
    assert sum(calls) == 2  # only the two segments with terms took the constrained path
    assert drafts[1].text == plain[1].text
    for draft, terms in zip(drafts, cons, strict=True):
        assert unmet_in_text(terms, draft.text) == [] and draft.unmet == []


def test_model_is_not_modified(tiny):
    tokenizer, model = tiny
    before = copy.deepcopy(model.final_logits_bias)
    generate_constrained(
        model, tokenizer, SOURCES[:1], [[TermConstraint("妇联", ("women's federation",))]], beam=2
    )
    assert bool((before == model.final_logits_bias).all())


def test_capitalised_form_only_starts_a_sentence(tiny):
    import re

    tokenizer, model = tiny
    terms = [TermConstraint("妇联", ("women's federation",)), TermConstraint("娘家人", ("natal family",))]
    drafts = generate_constrained(model, tokenizer, SOURCES, [terms] * 3, beam=4)
    for draft in drafts:
        assert draft.unmet == []
        for m in re.finditer(r"Women's federation|Natal family", draft.text):
            before = draft.text[: m.start()].rstrip()
            assert before == "" or before[-1] in ".!?:;\"“”'‘(（[【…。！？：；", draft.text


def test_bank_order_fills_the_beam_round_robin_over_banks():
    import torch

    from workbench.mt.constrained.ops import bank_order

    # One sentence, six candidates: banks 2, 2, 1, 0, 0, 0 with assorted scores; one infeasible, one dead.
    scores = torch.tensor([[-5.0, -1.0, -2.0, -0.5, -0.1, float("-inf")]])
    bank = torch.tensor([[2, 2, 1, 0, 0, 0]])
    valid = scores > float("-inf")
    infeasible = torch.tensor([[False, False, False, True, False, False]])
    order = bank_order(scores, bank, valid, infeasible)[0].tolist()
    # The best of bank 0 (the model's own path, 4) first, then rank 0 of each other bank, highest bank
    # first (1, 2), then rank 1 (0), then the infeasible, then the dead.
    assert order == [4, 1, 2, 0, 3, 5]


def test_one_plural_s_may_follow_a_term_ending_in_a_letter(tiny_model_dir: Path):
    import torch

    from workbench.mt.marian import load_marian

    tokenizer, model = load_marian(tiny_model_dir, "cpu")
    tp = target_pieces(tokenizer)
    with torch.no_grad():
        model.final_logits_bias[0, tp.vocab["s"]] += 1000.0  # the model now wants "s" everywhere
    terms = [TermConstraint("妇联", ("women's federation",)), TermConstraint("2023年", ("2023",))]
    draft = generate_constrained(model, tokenizer, SOURCES[:1], [terms], beam=4)[0]
    assert draft.unmet == []
    assert "women's federations" in draft.text.replace("Women", "women"), draft.text
    assert "federationss" not in draft.text and "2023s" not in draft.text, draft.text
    assert unmet_in_text(terms, draft.text) == []


def test_case_sensitive_terms_keep_their_exact_case(tiny):
    tokenizer, model = tiny
    term = TermConstraint("妇联", ("women's federation",), case_sensitive=True)
    segs = build_segment_constraints(tokenizer, [term])
    assert set(segs.required[0].renderings) == {"women's federation"}
    assert unmet_in_text([term], "Women's federation") == ["妇联"]
    draft = generate_constrained(model, tokenizer, SOURCES[:1], [[term]], beam=4)[0]
    assert "women's federation" in draft.text and draft.unmet == []
