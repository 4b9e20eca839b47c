"""A small MarianMT model that has *learned* (a synthetic zh→en language), for measuring enforcement.

Every other model these machines can run has random weights, so no benchmark can ask whether an
enforced draft still reads right. This one is trained here, on the synthetic language of
``bench/synthetic_lang.py``: same classes as the product's (``MarianMTModel`` + ``MarianTokenizer`` with
its own SentencePiece models, saved with ``save_pretrained``, convertible to CTranslate2 through the
product's converter), seeded, and cached by a content hash of its recipe under ``models/`` (git-ignored;
never committed).

The recipe is an MT engineer's for a small budget: own BPE SentencePiece models (digits split, so
numbers are copied; the source model is trained on the Chinese cut into its words, as Chinese is
word-segmented before subword training, so no piece spans two words and a name is one character a piece),
a joint vocabulary with tied embeddings, token-based length-bucketed batches, AdamW with a linear warmup
and a linear decay, label smoothing 0.1, dropout 0.1. The decoder starts from ``<pad>`` (a zero
embedding), as opus-mt's does and as CTranslate2 decodes a converted Marian.

Measured (``bench/bench_enforcement.py --seed 1 --n 500``): a unigram source model trained on the raw
Chinese learnt pieces across words (``给了罗``: "gave" and a surname; ``杨军`` then ``平的``), and the model
dropped or doubled name syllables (465/500 exact on CTranslate2); with the source cut into words (and
BPE on both sides), 491/500.

Usage: ``python bench/reference_model.py [--seed N] [--size full|small] [--out DIR] [--probe STEPS]``
prints the model directory, its build's wall and CPU time, then ``model_exact ENGINE A/N`` on held-out
sentences for CTranslate2 and transformers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.proxy_model import _joint_vocab, _pieces  # noqa: E402
from bench.synthetic_lang import TERMS, WORD_CUT, Sentence, corpus  # noqa: E402

MODELS = ROOT / "models"


@dataclass(frozen=True)
class Recipe:
    """Everything the weights depend on (its hash names the cache folder).

    The full recipe is sized by measured throughput: a d_model-256 2+2-layer Marian trains at about
    2,200 target tokens per CPU-second on one thread; 1,400 steps of about 1,200 target tokens (3.6
    passes over 40,000 sentences) take about 13 CPU-minutes with the tokenizers. One thread keeps the
    float sums (and the weights) the same on every run; two threads gave the same weights run to run too,
    but no shorter wall time on the shared 2-core machine (and 60% more CPU time).
    """

    seed: int = 1
    n_train: int = 40000
    steps: int = 1400
    batch_tokens: int = 1400  # padded tokens of the longer side per batch
    lr: float = 2e-3
    warmup: int = 200  # linear warmup, then linear decay to ``lr / 20`` at the last step
    d_model: int = 256
    layers: int = 2
    heads: int = 4
    ffn: int = 1024
    src_vocab: int = 2000  # a soft cap: the source BPE stops at the language's words (about 1,300 pieces)
    tgt_vocab: int = 1500
    threads: int = 1


#: The reference model (about 15 CPU-minutes) and the tests' smaller run.
RECIPES = {
    "full": Recipe(),
    "small": Recipe(n_train=600, steps=12, batch_tokens=600, d_model=32, layers=1, heads=2, ffn=64,
                    src_vocab=1000, tgt_vocab=500, warmup=4),
}  # fmt: skip


def recipe_hash(recipe: Recipe) -> str:
    """Hash of the recipe and of the code that turns it into weights."""
    h = hashlib.sha256(json.dumps(asdict(recipe), sort_keys=True).encode())
    for name in ("reference_model.py", "synthetic_lang.py", "proxy_model.py"):
        h.update((ROOT / "bench" / name).read_bytes())
    return h.hexdigest()[:16]


def model_dir(recipe: Recipe) -> Path:
    """Where the model of ``recipe`` is cached."""
    return MODELS / f"reference-{recipe_hash(recipe)}"


def train_sentences(recipe: Recipe) -> list[Sentence]:
    """The training sentences (usual renderings only: the model never sees an approved one)."""
    return corpus(recipe.seed, recipe.n_train)


def heldout_sentences(recipe: Recipe, n: int, seed: int, *, term_share: float = 0.45) -> list[Sentence]:
    """``n`` sentences of generator seed ``seed`` that are not in the training set."""
    train = {s.zh for s in train_sentences(recipe)}
    return corpus(10_000 + seed, n, exclude=train, term_share=term_share)


def _train_spm(sentences: list[str], vocab_size: int, *, cut: str = "") -> bytes:
    """A BPE SentencePiece model with digits split (numbers are spelled digit by digit on both sides, so
    they are copied rather than learned one by one) and byte fallback; deterministic. BPE keeps whole
    words as pieces where the vocabulary allows (a unigram model of this size cut English into odd
    fragments, ``▁w r ote``, a third more pieces per sentence).

    ``cut``: the sentences are cut into words with it (the source side): no piece spans two words, and
    no leading "▁" (Chinese has no spaces), so a word is the same pieces at the start of a sentence.
    """
    import io

    import sentencepiece as spm

    buf = io.BytesIO()
    cut_options = {"pretokenization_delimiter": cut, "add_dummy_prefix": False} if cut else {}
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=buf, model_type="bpe", vocab_size=vocab_size,
        hard_vocab_limit=False, character_coverage=1.0, byte_fallback=True, split_digits=True,
        unk_id=0, bos_id=-1, eos_id=1, pad_id=-1, num_threads=1, minloglevel=2, **cut_options,
    )  # fmt: skip
    return buf.getvalue()


def _tokenizer(out: Path, sents: list[Sentence], recipe: Recipe):
    from transformers import MarianTokenizer

    zh = [s.words for s in sents]
    en = [s.english() for s in sents] + [t[3] for t in TERMS] + [t[3][:1].upper() + t[3][1:] for t in TERMS]
    src = _train_spm(zh, recipe.src_vocab, cut=WORD_CUT)
    tgt = _train_spm(en, recipe.tgt_vocab)
    (out / "source.spm").write_bytes(src)
    (out / "target.spm").write_bytes(tgt)
    vocab = _joint_vocab(_pieces(src), _pieces(tgt), None)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    tok = MarianTokenizer(
        source_spm=str(out / "source.spm"),
        target_spm=str(out / "target.spm"),
        vocab=str(out / "vocab.json"),
        source_lang="zho",
        target_lang="eng",
    )
    tok.save_pretrained(str(out))
    return tok, vocab["<pad>"], len(vocab)


def _model(recipe: Recipe, pad: int, n_vocab: int):
    """An untrained Marian of ``recipe``'s size; the decoder starts from ``<pad>`` (a zero embedding), as
    opus-mt's does and as CTranslate2 assumes of a converted Marian (``start_from_zero_embedding``)."""
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    config = MarianConfig(
        vocab_size=n_vocab, decoder_vocab_size=n_vocab, d_model=recipe.d_model,
        encoder_layers=recipe.layers, decoder_layers=recipe.layers,
        encoder_attention_heads=recipe.heads, decoder_attention_heads=recipe.heads,
        encoder_ffn_dim=recipe.ffn, decoder_ffn_dim=recipe.ffn, max_position_embeddings=128,
        activation_function="swish", scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, static_position_embeddings=True, pad_token_id=pad,
        decoder_start_token_id=pad, eos_token_id=0, bos_token_id=0, forced_eos_token_id=0,
        dropout=0.1, attention_dropout=0.0, activation_dropout=0.0, init_std=0.02,
    )  # fmt: skip
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        num_beams=4, bad_words_ids=[[pad]], max_length=None, pad_token_id=pad,
        decoder_start_token_id=pad, eos_token_id=0, bos_token_id=0, forced_eos_token_id=0,
    )  # fmt: skip
    return model


def _batches(pairs: list[tuple[list[int], list[int]]], budget: int, rng: random.Random) -> list[list[int]]:
    """Length-bucketed batches of indexes under ``budget`` padded tokens (shuffled)."""
    order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
    out, cur, longest = [], [], 0
    for i in order:
        n = max(len(pairs[i][0]), len(pairs[i][1]))
        if cur and max(longest, n) * (len(cur) + 1) > budget:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def _ids(spm_path: Path, texts: list[str], vocab: dict[str, int]) -> list[list[int]]:
    """Token ids as MarianTokenizer gives them (pieces through vocab.json, then ``</s>``), but fast."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    unk = vocab["<unk>"]
    return [[vocab.get(p, unk) for p in pieces] + [0] for pieces in sp.encode(texts, out_type=str)]


def _lr_factor(recipe: Recipe, step: int) -> float:
    """Linear warmup to ``recipe.lr``, then linear decay to a twentieth of it at the last step."""
    if step < recipe.warmup:
        return (step + 1) / recipe.warmup
    left = (recipe.steps - step) / max(1, recipe.steps - recipe.warmup)
    return 0.05 + 0.95 * max(0.0, left)


def _tensors(pairs: list[tuple[list[int], list[int]]], idx: list[int], pad: int):
    """Source ids, mask, decoder inputs (``<pad>`` first, then the target shifted) and labels."""
    import torch

    s_len = max(len(pairs[i][0]) for i in idx)
    t_len = max(len(pairs[i][1]) for i in idx)
    ids = torch.full((len(idx), s_len), pad)
    mask = torch.zeros((len(idx), s_len), dtype=torch.long)
    labels = torch.full((len(idx), t_len), -100)
    dec_in = torch.full((len(idx), t_len), pad)
    for r, i in enumerate(idx):
        s, t = pairs[i]
        ids[r, : len(s)] = torch.tensor(s)
        mask[r, : len(s)] = 1
        labels[r, : len(t)] = torch.tensor(t)
        dec_in[r, 1 : len(t)] = torch.tensor(t[:-1])
    return ids, mask, dec_in, labels


def _probe(model, tok, sents: list[Sentence]) -> int:
    """Greedy exact matches of ``model`` (in training) on ``sents``: a progress figure for the log."""
    import torch

    model.eval()
    with torch.no_grad():
        enc = tok([s.zh for s in sents], return_tensors="pt", padding=True)
        out = model.generate(**enc, num_beams=1, max_new_tokens=64)
    model.train()
    texts = tok.batch_decode(out, skip_special_tokens=True)
    return sum(t == s.english() for t, s in zip(texts, sents, strict=True))


def train(recipe: Recipe, out: Path, *, log=None, probe_every: int = 0) -> Path:
    """Build and train the model of ``recipe`` into ``out`` (deterministic for the recipe).

    Args:
        recipe: The recipe.
        out: Directory to write.
        log: Called with progress lines (None: silent).
        probe_every: Every so many steps, log greedy exact match on 100 held-out sentences (0: never;
            it does not change the weights).
    """
    import torch

    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(recipe.threads)
    torch.manual_seed(recipe.seed)
    rng = random.Random(recipe.seed)
    sents = train_sentences(recipe)
    if log is not None:
        log(f"{len(sents)} sentences generated")
    tok, pad, n_vocab = _tokenizer(out, sents, recipe)
    model = _model(recipe, pad, n_vocab)
    emb = model.get_input_embeddings().weight
    with torch.no_grad():
        emb[pad].zero_()
    src = _ids(out / "source.spm", [s.zh for s in sents], tok.get_vocab())
    tgt = _ids(out / "target.spm", [s.english() for s in sents], tok.get_vocab())
    pairs = list(zip(src, tgt, strict=True))
    if log is not None:
        log(f"tokenizer trained: {n_vocab} pieces, {sum(map(len, tgt))} target tokens per epoch")
    probe = heldout_sentences(recipe, 100, 99) if probe_every else []
    opt = torch.optim.AdamW(model.parameters(), lr=recipe.lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: _lr_factor(recipe, step))
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.1)
    model.train()
    step, t0, c0, queue, n_tok = 0, time.time(), time.process_time(), [], 0
    while step < recipe.steps:
        if not queue:
            queue = _batches(pairs, recipe.batch_tokens, rng)
        ids, mask, dec_in, labels = _tensors(pairs, queue.pop(), pad)
        logits = model(input_ids=ids, attention_mask=mask, decoder_input_ids=dec_in).logits
        loss = loss_fn(logits.reshape(-1, logits.size(-1)), labels.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        with torch.no_grad():  # the decoder's start embedding stays zero (tied to the output layer)
            emb[pad].zero_()
        step += 1
        n_tok += int((labels != -100).sum())
        if log is not None and (step % 50 == 0 or step == recipe.steps):
            wall, cpu = time.time() - t0, time.process_time() - c0
            log(
                f"step {step}/{recipe.steps} loss {loss.item():.3f} {n_tok} target tokens "
                f"wall {wall:.0f}s cpu {cpu:.0f}s ({n_tok / max(cpu, 1e-9):.0f} tokens per CPU-second)"
            )
        if log is not None and probe_every and step % probe_every == 0:
            log(f"step {step} greedy exact {_probe(model, tok, probe)}/{len(probe)}")
    model.eval()
    model.save_pretrained(str(out))
    (out / "recipe.json").write_text(json.dumps(asdict(recipe), indent=1), encoding="utf-8")
    return out


def build(recipe: Recipe | str = "full", *, out: Path | None = None, log=None, probe_every: int = 0) -> Path:
    """The cached model of ``recipe`` (trained on first use; a finished model has ``recipe.json``)."""
    if isinstance(recipe, str):
        recipe = RECIPES[recipe]
    target = out or model_dir(recipe)
    if (target / "recipe.json").is_file():
        return target
    tmp = target.with_name(target.name + ".part")
    if tmp.exists():
        import shutil

        shutil.rmtree(tmp)
    train(recipe, tmp, log=log, probe_every=probe_every)
    tmp.rename(target)
    return target


def exact_match(
    model_path: Path, sents: list[Sentence], *, engine: str = "ctranslate2", beam: int = 4
) -> tuple[int, list[str]]:
    """Exact matches of the model's drafts (no glossary) against the usual renderings, and the drafts."""
    from workbench.mt.registry import load_engine

    eng = load_engine(engine, str(model_path), device="cpu", threads=2)
    drafts = [d.text for d in eng.translate([s.zh for s in sents], beam=beam)]
    return sum(d == s.english() for d, s in zip(drafts, sents, strict=True)), drafts


def main(argv: list[str] | None = None) -> int:
    """CLI: build (or find) the reference model and print its held-out exact match."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(RECIPES), default="full")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--n", type=int, default=300, help="held-out sentences to check")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--probe", type=int, default=0, help="log greedy exact match every so many steps")
    args = parser.parse_args(argv)
    recipe = RECIPES[args.size]
    changes = {k: v for k, v in (("seed", args.seed), ("steps", args.steps)) if v is not None}
    if changes:
        recipe = Recipe(**{**asdict(recipe), **changes})
    t0, c0 = time.time(), time.process_time()
    path = build(
        recipe, out=args.out, log=lambda m: print(m, file=sys.stderr, flush=True), probe_every=args.probe
    )
    print(path)
    print(f"build wall {time.time() - t0:.1f}s cpu {time.process_time() - c0:.1f}s")
    if args.n:
        sents = heldout_sentences(recipe, args.n, 0)
        for engine in ("ctranslate2", "transformers"):
            ok, _ = exact_match(path, sents, engine=engine)
            print(f"model_exact {engine} {ok}/{args.n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
