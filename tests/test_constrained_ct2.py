"""The CTranslate2 backend keeps the glossary guarantee on its own: n-best check, then term placement."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.errors import Cancelled
from workbench.mt.constrained.placement import (
    Alignment,
    Draftable,
    Edit,
    apply_edits,
    choose_edit,
    unit_starts,
)
from workbench.mt.constraints import (
    TargetPieces,
    build_segment_constraints,
    forbidden_present,
    rendering_present,
    unmet_in_text,
)
from workbench.records import TermConstraint

SOURCES = [
    "重庆开州区妇联全力抓好在外流动妇联组织建设",
    "身在异乡，仍可感受家乡“娘家人”呵护",
]


@pytest.fixture(scope="module")
def ct2_dir(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.mt.ct2 import convert_model

    return convert_model(tiny_model_dir, "int8", out_dir=tmp_path_factory.mktemp("ct2") / "tiny-int8")


@pytest.fixture(scope="module")
def engine(tiny_model_dir: Path, ct2_dir: Path):
    from workbench.mt.ct2 import CT2Engine

    return CT2Engine(tiny_model_dir, device="cpu", threads=1, ct2_dir=ct2_dir)


def test_terms_the_nbest_already_has_are_kept_as_decoded(engine):
    plain = engine.translate(SOURCES, beam=4)
    words = [d.text.split()[0] for d in plain]
    cons = [[TermConstraint("妇联", (words[0],))], [TermConstraint("娘家人", (words[1],))]]
    drafts = engine.translate(SOURCES, beam=4, constraints=cons)
    assert [d.text for d in drafts] == [d.text for d in plain]
    assert [d.score for d in drafts] == pytest.approx([d.score for d in plain])
    assert all(d.unmet == [] for d in drafts)


def test_terms_the_model_never_writes_are_placed(engine):
    plain = engine.translate(SOURCES, beam=4)
    favourite = plain[0].text.split()[0]
    cons = [
        [TermConstraint("妇联", ("Women's Federation",), (favourite,))],
        [TermConstraint("娘家人", ("natal family",), ("maiden home",))],
    ]
    assert all(unmet_in_text(c, d.text) for c, d in zip(cons, plain, strict=True))  # the plain drafts miss
    drafts = engine.translate(SOURCES, beam=4, constraints=cons)
    for draft, terms in zip(drafts, cons, strict=True):
        assert draft.unmet == []
        assert unmet_in_text(terms, draft.text) == [], draft.text
    assert rendering_present("Women's Federation", drafts[0].text)
    assert not forbidden_present(favourite, drafts[0].text, ("Women's Federation",))


def test_an_edited_draft_is_scored_again_by_the_model(engine):
    from workbench.mt.constrained.fast import constrain_batch

    cons = [[TermConstraint("娘家人", ("natal family",))]]
    (hyp,) = constrain_batch(engine, SOURCES[1:], cons, beam=4, min_new=0, max_new=40)
    assert rendering_present("natal family", hyp.text) and hyp.unmet == ()
    assert hyp.score == pytest.approx(engine.score(SOURCES[1:], [hyp.pieces])[0])
    assert hyp.text == engine.vocab.detokenize(list(hyp.pieces))


def test_a_term_with_no_producible_rendering_is_reported_not_dropped(engine):
    cons = [[TermConstraint("妇联", ("   ",))], [TermConstraint("娘家人", ("natal family",))]]
    drafts = engine.translate(SOURCES, beam=2, constraints=cons)
    assert drafts[0].unmet == ["妇联"]
    assert drafts[1].unmet == [] and rendering_present("natal family", drafts[1].text)


def test_cancel_before_the_search_raises(engine):
    from workbench.mt.constrained.fast import constrain_batch

    event = threading.Event()
    event.set()
    with pytest.raises(Cancelled):
        constrain_batch(engine, SOURCES, [[], []], beam=2, min_new=0, max_new=10, cancel=event)


def test_a_glossary_run_loads_neither_torch_nor_transformers(tiny_model_dir: Path, ct2_dir: Path):
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.mt.ct2 import CT2Engine\n"
        "from workbench.records import TermConstraint as T\n"
        f"e = CT2Engine(Path({str(tiny_model_dir)!r}), device='cpu', threads=1, ct2_dir=Path({str(ct2_dir)!r}))\n"
        f"d = e.translate({SOURCES!r}, beam=4, constraints=[[T('妇联', (\"Women's Federation\",))], [T('娘家人', ('natal family',))]])\n"
        "assert all(x.unmet == [] for x in d), d\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


# ---- placement, on the tiny model's real target vocabulary (no decoding) -------------------------


@pytest.fixture(scope="module")
def tp(tiny_model_dir: Path) -> TargetPieces:
    from workbench.mt.vocab import MarianVocab

    return TargetPieces.from_vocab(MarianVocab(tiny_model_dir))


def test_units_start_at_words_and_punctuation_only():
    pieces = ["▁wo", "men", "folk", ",", "▁", "n", "at", "<0xE2>", "▁the", "'", "s"]
    assert unit_starts(pieces) == [0, 3, 4, 8, 9]


def test_a_term_replaces_the_words_aligned_to_its_source(tp):
    pieces = tp.pieces("The women wear a scarf today.")  # ▁The ▁women ▁wear ▁a ▁s... ▁today .
    hyp = Draftable(pieces)
    # Source tokens 0..4; the words "women wear" attend to source tokens 2-3, the rest elsewhere.
    weights = [[1.0, 0, 0, 0, 0] for _ in pieces]
    weights[1] = [0, 0, 0.9, 0.1, 0]
    weights[2] = [0, 0, 0.1, 0.9, 0]
    term = tuple(tp.pieces("natal family"))
    edit = choose_edit(hyp, Alignment(weights), (2, 4), 5, term, set(), 0)
    assert (edit.lo, edit.hi) == (1, 3)
    out = apply_edits(hyp, [edit])
    assert out.pieces == [pieces[0], *term, *pieces[3:]]
    assert out.locked == [False] + [True] * len(term) + [False] * (len(pieces) - 3)


def test_without_alignment_a_term_goes_where_its_source_position_says(tp):
    pieces = tp.pieces("one two three four five six seven eight")
    hyp = Draftable(pieces)
    term = tuple(tp.pieces("natal family"))
    late = choose_edit(hyp, None, (8, 9), 9, term, set(), 0)
    early = choose_edit(hyp, None, (0, 1), 9, term, set(), 0)
    assert late.lo == late.hi and early.lo == early.hi  # insertions
    assert early.lo < late.lo
    text = (
        "".join(apply_edits(hyp, [early, Edit(late.lo, late.hi, term, 1)]).pieces).replace("▁", " ").strip()
    )
    assert text.startswith("natal family one") and text.count("natal family") == 2


def test_a_forbidden_rendering_in_the_hypothesis_is_replaced_by_the_approved_one(tp, tiny_model_dir: Path):
    from workbench.mt.constrained.fast import place_terms
    from workbench.mt.ct2 import NBest
    from workbench.mt.vocab import MarianVocab

    vocab = MarianVocab(tiny_model_dir)
    term = TermConstraint("巾帼", ("women",), ("headscarf",))
    seg = build_segment_constraints(tp, [term])
    base = NBest(tp.pieces("The headscarf brigade works, and the Headscarf team too."), -1.0, [])
    pieces, failing = place_terms(vocab, tp, "巾帼建功", seg, base)
    text = vocab.detokenize(pieces)
    assert failing == [] and unmet_in_text([term], text) == [], text
    assert "headscarf" not in text.lower() and rendering_present("women", text)


def test_placed_terms_are_never_glued_to_a_neighbouring_word(tp, tiny_model_dir: Path):
    from workbench.mt.constrained.fast import place_terms
    from workbench.mt.ct2 import NBest
    from workbench.mt.vocab import MarianVocab

    vocab = MarianVocab(tiny_model_dir)
    terms = [TermConstraint("妇联", ("women",)), TermConstraint("家", ("family",))]
    seg = build_segment_constraints(tp, terms)
    # Glued pieces everywhere and no alignment (insertions): the only places a term may go are the
    # unit boundaries.
    base = NBest(["▁x", "y", "z", "q", ",", "▁ab", "c", "d"], -1.0, [])
    pieces, failing = place_terms(vocab, tp, "妇联家", seg, base)
    text = vocab.detokenize(pieces)
    assert failing == [] and unmet_in_text(terms, text) == [], text
    assert "xyzq" in text and "abcd" in text  # no word was split


def test_a_term_keeps_the_article_before_the_words_it_replaces(tp):
    pieces = tp.pieces("They met the heroines today.")
    hyp = Draftable(pieces)
    units = hyp.units()
    weights = [[1.0, 0, 0, 0] for _ in pieces]
    for k in (2, 3):  # "the" and "heroines" both attend to the term's source tokens
        weights[units[k][0]] = [0, 0.95, 0.05, 0]
    term = tuple(tp.pieces("women"))
    edit = choose_edit(hyp, Alignment(weights), (1, 3), 4, term, set(), 0)
    assert (edit.lo, edit.hi) == (3, 4)  # "the" stays


def test_the_run_with_most_attention_wins_over_a_stray_word(tp):
    pieces = tp.pieces("Yang wrote about mass groups.")
    hyp = Draftable(pieces)
    units = hyp.units()
    weights = [[1.0, 0, 0, 0] for _ in pieces]
    weights[units[0][0]] = [0.1, 0.9, 0, 0]  # the surname: one strong stray token
    weights[units[3][0]] = [0.2, 0.8, 0, 0]
    weights[units[4][0]] = [0.2, 0.8, 0, 0]
    edit = choose_edit(hyp, Alignment(weights), (1, 3), 4, tuple(tp.pieces("mass organizations")), set(), 0)
    assert (edit.lo, edit.hi) == (3, 5)


def test_words_left_over_from_the_models_own_rendering_are_dropped(tp, tiny_model_dir: Path):
    from workbench.mt.constrained.fast import place_terms
    from workbench.mt.ct2 import NBest
    from workbench.mt.vocab import MarianVocab

    vocab = MarianVocab(tiny_model_dir)
    term = TermConstraint("巾帼志愿者", ("women volunteers",))
    seg = build_segment_constraints(tp, [term])
    pieces = tp.pieces("They thank heroine volunteers in Henan.")
    hyp = Draftable(pieces)
    units = hyp.units()
    weights = [[1.0, 0, 0, 0] for _ in pieces]
    weights[units[2][0]] = [0, 0.9, 0.1, 0]  # only "heroine" aligns to the term's source tokens
    base = NBest(pieces, -1.0, weights)
    # How the model renders the term on its own: "heroine volunteers" always, "in" only sometimes after it.
    own = [
        "Heroine volunteers received heroine volunteers in Yunnan.",
        "Heroine volunteers and heroine volunteers.",
    ]
    out, failing = place_terms(vocab, tp, "巾帼志愿者", seg, base, own={"巾帼志愿者": own})
    assert failing == []
    assert vocab.detokenize(out) == "They thank women volunteers in Henan."
    # Without the model's own rendering nothing is trimmed: the term is still there, the leftover too.
    out, _ = place_terms(vocab, tp, "巾帼志愿者", seg, base)
    assert vocab.detokenize(out) == "They thank women volunteers volunteers in Henan."


def test_the_models_own_words_for_a_term_win_over_a_name_attention_points_at(tp):
    from workbench.mt.constrained.placement import known_words

    pieces = tp.pieces("Yang wrote about mass groups.")  # from 关于群团组织，杨婷写了…: the topic comes first
    hyp = Draftable(pieces)
    units = hyp.units()
    weights = [[1.0, 0, 0, 0] for _ in pieces]
    weights[units[0][0]] = [0.1, 0.9, 0, 0]  # attention points the term's source at the surname only
    known = known_words(["Mass groups and mass groups in Dalian.", "Ma Jing followed mass groups together."])
    term = tuple(tp.pieces("mass organizations"))
    edit = choose_edit(hyp, Alignment(weights), (1, 3), 4, term, set(), 0, known=known)
    assert (edit.lo, edit.hi) == (3, 5)
    # Without the model's own words the aligned surname is all there is to go by.
    assert (choose_edit(hyp, Alignment(weights), (1, 3), 4, term, set(), 0).lo, 0) == (0, 0)


def _aligned(tp, text: str, on_term: Sequence[str]):
    """``text`` as pieces with an alignment where the first piece of each word in ``on_term`` attends to
    source tokens 1-2 (the term) and every other piece to token 0."""
    pieces = tp.pieces(text)
    hyp = Draftable(pieces)
    weights = [[1.0, 0, 0, 0] for _ in pieces]
    for s, e in hyp.units():
        if "".join(pieces[s:e]).replace("▁", " ").strip() in on_term:
            weights[s] = [0, 0.9, 0.1, 0]
    return hyp, weights


def test_a_word_the_model_writes_after_its_rendering_only_once_stays_outside_the_run(tp):
    from workbench.mt.constrained.placement import known_words

    # 新征程得到了…的支持: "received" attends to the term too, and every one of the model's own texts has it,
    # but only after the first of the two times they render the term: it is not part of the rendering.
    hyp, weights = _aligned(
        tp, "The new expedition received the support of Zhu Ying.", {"new", "expedition", "received"}
    )
    own = [
        "The new expedition received the new expedition.",
        "The new expedition received the new expedition in Yunnan.",
    ]
    term = tuple(tp.pieces("new journey"))
    edit = choose_edit(hyp, Alignment(weights), (1, 3), 4, term, set(), 0, known=known_words(own), own=own)
    assert (edit.lo, edit.hi) == (1, 3)  # "new expedition"; "The" and "received" stay


def test_the_and_before_a_term_is_not_replaced(tp):
    from workbench.mt.constrained.placement import known_words

    hyp, weights = _aligned(
        tp, "Hu praises the lovely families and needy children in Sichuan.", {"and", "needy", "children"}
    )
    own = ["Needy children and needy children together.", "Needy children and needy children in Yunnan."]
    term = tuple(tp.pieces("children in difficult circumstances"))
    edit = choose_edit(hyp, Alignment(weights), (1, 3), 4, term, set(), 0, known=known_words(own), own=own)
    out = "".join(apply_edits(hyp, [edit]).pieces).replace("▁", " ").strip()
    assert out == "Hu praises the lovely families and children in difficult circumstances in Sichuan."


def _place(tp, tiny_model_dir, text, on_term, term, source, own):
    from workbench.mt.constrained.fast import place_terms
    from workbench.mt.ct2 import NBest
    from workbench.mt.vocab import MarianVocab

    vocab = MarianVocab(tiny_model_dir)
    seg = build_segment_constraints(tp, [term])
    hyp, weights = _aligned(tp, text, on_term)
    pieces, failing = place_terms(
        vocab, tp, source, seg, NBest(hyp.pieces, -1.0, weights), own={term.source: own}
    )
    assert failing == []
    return vocab.detokenize(pieces)


def test_words_that_end_every_sentence_the_model_made_up_around_a_term_stay(tp, tiny_model_dir: Path):
    # The model's own texts for 妇联 are invented sentences that all end "... the women's league together.":
    # "together" follows the rendering every time, yet it renders the segment's own 一起.
    own = [
        "Zhang Ling and Zhu Ling supported the women's league together.",
        "Zhang Gang and Zhu Ling followed the women's league together.",
    ]
    term = TermConstraint("妇联", ("women's federation",))
    text = _place(
        tp,
        tiny_model_dir,
        "Li and Huang praised the women's league together.",
        {"women", "league"},
        term,
        "妇联",
        own,
    )
    assert text == "Li and Huang praised the women's federation together."


def test_a_word_the_edit_left_twice_at_the_seam_is_dropped(tp, tiny_model_dir: Path):
    # Only "grid" aligns; one of the model's own texts lacks "management", so it is not known as the
    # model's word for the term; the seam "management management" says it was left over all the same.
    own = ["Grid management received grid management.", "Luo Mei and Liu Mei met in Yunnan on Grid."]
    term = TermConstraint("网格化管理", ("grid-based management",))
    text = _place(
        tp, tiny_model_dir, "Li Hua discussed grid management in Hangzhou.", {"grid"}, term, "网格化管理", own
    )
    assert text == "Li Hua discussed grid-based management in Hangzhou."


def test_the_last_word_of_the_models_rendering_is_replaced_though_its_own_texts_stray(
    tp, tiny_model_dir: Path
):
    from workbench.mt.constrained.placement import known_words

    # The model's own texts for 娘家人 repeat its rendering in a frame it invents, once with a stutter
    # ("maternal maternal family"): "family" follows "maternal" at most places, so it is part of the rendering.
    hyp, weights = _aligned(
        tp, "Guo Ping cares a lot about the maternal family.", {"the", "maternal", "family"}
    )
    own = [
        "The maternal family received the maternal family.",
        "The maternal family received the maternal maternal family.",
    ]
    term = tuple(tp.pieces("family back home"))
    edit = choose_edit(hyp, Alignment(weights), (1, 3), 4, term, set(), 0, known=known_words(own), own=own)
    assert (edit.lo, edit.hi) == (7, 9)  # "maternal family"; "the" stays
    # A rendering with a glued "'s" whose own texts name another term in the frame: "league" is replaced too.
    own = [
        "The women's league received the women's league.",
        "The women's league received the women's house.",
    ]
    term_c = TermConstraint("妇联", ("women's federation",))
    text = _place(
        tp,
        tiny_model_dir,
        "Delegates promoted the women's league.",
        {"the", "women", "league"},
        term_c,
        "妇联",
        own,
    )
    assert text == "Delegates promoted the women's federation."


def test_an_article_that_is_no_piece_of_the_vocabulary_is_spelled_in_pieces():
    from workbench.mt.constrained.agreement import fix_articles

    pieces = ["▁A", "▁executive", "▁member", "▁came", "."]
    locked = [False, True, True, False, False]
    vocab = {"▁A", "▁a", "▁an", "n"}
    out = fix_articles(Draftable(pieces, locked=locked), vocab, lambda w: ["▁A", "n"] if w == "An" else [w])
    assert out.pieces == ["▁A", "n", "▁executive", "▁member", "▁came", "."]
    assert out.locked == [False, False, True, True, False, False] and len(out.origin) == 6
    # Without a way to spell it, or when its pieces are not in the vocabulary, the article stays.
    assert fix_articles(Draftable(pieces, locked=locked), vocab).pieces[0] == "▁A"
    assert fix_articles(Draftable(pieces, locked=locked), {"▁A"}, lambda w: ["▁A", "n"]).pieces[0] == "▁A"


def test_the_nbest_search_bans_nothing_and_a_forbidden_rendering_is_replaced_whole(engine):
    # The n-best search is the plain one: its best is the model's own draft, so a forbidden rendering the
    # model writes is there whole, to be replaced whole (a ban made a learned model spell it askew:
    # "Chinese-stylele modernization"), and the forcing cost is measured against the model's real best.
    plain = engine.translate(SOURCES[:1], beam=4)
    word = plain[0].text.split()[0]
    cons = [[TermConstraint("妇联", ("zebra quantum",), (word,))]]
    (draft,) = engine.translate(SOURCES[:1], beam=4, constraints=cons)
    assert draft.unmet == [] and not forbidden_present(word, draft.text, ("zebra quantum",))
    assert draft.cost == pytest.approx(plain[0].score - draft.score, abs=1e-3)
    # The model's own draft with its first word (and any repeat of it) replaced: nothing else moved.
    rest = [w for w in plain[0].text.split()[1:] if w != word]
    assert draft.text.split() == ["zebra", "quantum", *rest]


def test_a_term_present_only_in_the_words_written_for_another_term_is_placed_too(tp, tiny_model_dir: Path):
    from workbench.mt.constrained.borrowed import source_span
    from workbench.mt.constrained.fast import place_terms
    from workbench.mt.ct2 import NBest
    from workbench.mt.vocab import MarianVocab

    vocab = MarianVocab(tiny_model_dir)
    source = "宣传妇联和巾帼"
    federation = TermConstraint("妇联", ("women's federation",))
    heroines = TermConstraint("巾帼", ("women's",))
    seg = build_segment_constraints(tp, [federation, heroines])
    pieces = tp.pieces("They promote the women's league and the heroines")
    hyp = Draftable(pieces)
    n = len(vocab.source_pieces(source)) + 1
    at = {"妇联": source_span(vocab, source, "妇联")[0], "巾帼": source_span(vocab, source, "巾帼")[0]}
    weights = [[0.0] * n for _ in pieces]
    for s, e in hyp.units():
        word = "".join(pieces[s:e]).replace("▁", " ").strip()
        on = at["妇联"] if word in {"women", "'s", "league"} else at["巾帼"] if word == "heroines" else n - 1
        for k in range(s, e):
            weights[k][on] = 1.0
    # "women's" is there, but the model wrote it for 妇联 (its "women's league"): 巾帼's own rendering is
    # "heroines", and both are replaced (before, "women's" counted for 巾帼 and stayed: "the women's
    # women's federation and the heroines").
    best = NBest(pieces, -1.0, weights)
    out, failing = place_terms(vocab, tp, source, seg, best)
    assert failing == []
    assert vocab.detokenize(out) == "They promote the women's federation and the women's"
    # The ledger says so: 巾帼 was placed, not natural ("women's" in the model's own best was 妇联's).
    from workbench.mt.constrained.fast import _borrowed_in_best
    from workbench.mt.constrained.ledger import term_ledger
    from workbench.records import TermHow

    borrowed = _borrowed_in_best(vocab, source, seg, [best])
    assert borrowed == ["巾帼"]
    final, own = vocab.detokenize(out), vocab.detokenize(pieces)
    ledger = term_ledger(
        seg.terms, final, best_text=own, method=TermHow.PLACED, base_text=own, borrowed=borrowed
    )
    assert [(line.source, line.how) for line in ledger] == [
        ("妇联", TermHow.PLACED),
        ("巾帼", TermHow.PLACED),
    ]
