"""The stand-in Marian models the tests draft with: real models with random weights, built in seconds.

``bench/proxy_model.py`` owns the builder, because it is more than a fixture: it is the command people run
for an offline stand-in (the README, the tutorial), the benchmarks' model and the base of the reference
model. Tests reach it only through :func:`build_model` here and the session fixture ``tiny_model_dir``
(``tests/conftest.py``); everything else a test needs lives in ``tests/``.
"""

from __future__ import annotations

from pathlib import Path


def build_model(size: str, out_dir: Path, seed: int = 0, *, use_shared: bool = True) -> Path:
    """Build a stand-in model into ``out_dir`` (see ``bench.proxy_model.build_model``); returns ``out_dir``.

    Args:
        size: ``tiny`` (the test model) or ``full`` (opus-mt-zh-en's exact architecture).
        out_dir: Directory to write.
        seed: Seed for the weights; the same seed gives byte-identical weights.
        use_shared: Train the tokenizers on ``../shared`` too when it is there (False: what a fresh clone
            with nothing beside it builds).
    """
    from bench.proxy_model import build_model as build  # imports torch and transformers: only when building

    return build(size, out_dir, seed, use_shared=use_shared)
