"""The synthetic language and the reference model builder (bench/synthetic_lang.py, bench/reference_model.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.synthetic_lang import PATTERNS, SURNAMES, TERMS, WORD_CUT, Generator, agree, cedict_nouns, corpus


def test_the_language_has_enough_patterns_and_agrees():
    assert len(PATTERNS) >= 30
    assert (
        agree("xu Yong supported a executive committee member.")
        == "Xu Yong supported an executive committee member."
    )
    assert agree("she saw an ballast stone") == "She saw a ballast stone"


def test_the_generator_is_deterministic_and_the_glossary_changes_term_sentences():
    a = [(s.zh, s.english(), s.english(True)) for s in corpus(5, 200)]
    b = [(s.zh, s.english(), s.english(True)) for s in corpus(5, 200)]
    assert a == b
    gen = Generator(3)
    term_pattern = next(i for i, (zh, _) in enumerate(PATTERNS) if "{T}" in zh)
    s = gen.sentence(term_pattern)
    (idx,) = s.terms()[:1]
    usual, approved = TERMS[idx][1], TERMS[idx][3]
    assert TERMS[idx][0] in s.zh
    assert usual.lower() in s.english().lower() and approved.lower() in s.english(True).lower()
    assert s.english() != s.english(True)


def test_the_words_spell_the_sentence_and_a_name_is_cut_into_its_characters():
    for s in corpus(7, 300):
        assert s.words.replace(WORD_CUT, "") == s.zh
        surname = s.english().split()[0]
        if s.zh[0] in dict(SURNAMES) and dict(SURNAMES)[s.zh[0]] == surname:
            assert s.words.startswith(s.zh[0] + WORD_CUT + s.zh[1] + WORD_CUT)


def test_the_cedict_nouns_are_nouns_with_their_dictionary_measure_word():
    nouns = {n.zh: n for n in cedict_nouns()}
    assert len(nouns) == 150
    assert len({n.sg for n in nouns.values()}) == 150
    # CC-CEDICT: 电影 "movie; film; CL:部[bu4],片[pian4]..."; 军舰 "warship; CL:艘[sou1],條|条[tiao2]".
    assert (nouns["电影"].sg, nouns["电影"].mw) == ("movie", "部")
    assert (nouns["军舰"].pl, nouns["军舰"].mw) == ("warships", "艘")


def test_the_usual_renderings_are_not_the_glossary_ones():
    from workbench.terms.context import GlossaryContext

    glossary = GlossaryContext.load(
        [str(Path(__file__).resolve().parent.parent / "glossary" / "womens-news.tsv")]
    )
    for zh, usual, _det, approved in TERMS:
        (con,) = glossary.constraints(zh)
        assert approved in con.allowed
        assert usual not in con.allowed


@pytest.mark.slow
def test_the_small_build_is_deterministic_and_loads_on_both_engines(tmp_path):
    import sentencepiece as spm
    from safetensors.torch import load_file

    from bench.reference_model import RECIPES, build
    from workbench.mt.registry import load_engine

    a = build(RECIPES["small"], out=tmp_path / "a")
    b = build(RECIPES["small"], out=tmp_path / "b")
    for name in ("model.safetensors", "source.spm", "target.spm", "vocab.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # The decoder starts from <pad>, whose embedding stays zero through training: the zero start
    # embedding CTranslate2 gives a converted Marian, so both engines decode from the same state.
    config = json.loads((a / "config.json").read_text())
    pad = config["pad_token_id"]
    assert config["decoder_start_token_id"] == pad
    weights = load_file(str(a / "model.safetensors"))
    shared = next(
        w for k, w in weights.items() if k.endswith("shared.weight") or k.endswith("embed_tokens.weight")
    )
    assert float(shared[pad].abs().sum()) == 0.0
    assert float(shared[0].abs().sum()) > 0.0
    # Numbers are spelled digit by digit on both sides (copied, not learned one number at a time).
    for side in ("source.spm", "target.spm"):
        pieces = spm.SentencePieceProcessor(model_file=str(a / side)).encode("2019", out_type=str)
        assert [p.strip("\u2581") for p in pieces if p.strip("\u2581")] == ["2", "0", "1", "9"], side
    # The source model is trained on the Chinese cut into words, a name into its characters: a name is
    # one character a piece at the start of a sentence and after another word (not "给了罗" + "娜平").
    src = spm.SentencePieceProcessor(model_file=str(a / "source.spm"))
    gen = Generator(11)
    from_pattern = PATTERNS.index(("{P}是{L}人。", "{P} is from {L}."))
    gave_pattern = PATTERNS.index(("{P}给了{Q}一{N.mw}{N}。", "{P} gave {Q} a {N}."))
    for _ in range(30):
        zh = gen.sentence(from_pattern).zh
        name = zh[: zh.index("是")]
        assert src.encode(zh, out_type=str)[: len(name)] == list(name), zh
        zh = gen.sentence(gave_pattern).zh
        name = zh[zh.index("给了") + 2 : zh.index("一", zh.index("给了"))]
        pieces = src.encode(zh, out_type=str)
        at = next(i for i in range(len(pieces)) if "".join(pieces[:i]).endswith("给了"))
        assert pieces[at : at + len(name)] == list(name), (zh, pieces)
    ct2 = load_engine("ctranslate2", str(a), device="cpu", threads=1)
    marian = load_engine("transformers", str(a), device="cpu", threads=1)
    src = ["李明在北京参观了一个博物馆。"]
    # Converted through the product's converter (int8), the model drafts on both engines, and the two
    # engines score a text alike (over its tokens and the end token, by their number: the forcing cost
    # and the model's doubt compare such scores across engines).
    drafts = [engine.translate(src, beam=2)[0] for engine in (ct2, marian)]
    assert all(0 < d.n_tokens < 40 for d in drafts)  # ended by the model, not by the length limit
    pieces = [ct2.vocab.target_pieces(drafts[1].text)]
    assert ct2.score(src, pieces)[0] == pytest.approx(marian.score(src, pieces)[0], abs=0.05)  # int8
