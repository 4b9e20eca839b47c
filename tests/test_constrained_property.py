"""Property: with random term bases and source texts, every matched term is rendered as the glossary says.

Real parts end to end: a term base built from random entries, the terms layer's Matcher and
constraints_for, then both ways of enforcing it: the constrained beam search on the tiny Marian model
(transformers) and the fast path of the CTranslate2 engine on the same model converted to int8; and
the terms layer's check_target (the same check the CLI, the exports and the UI show).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.mt.constrained.search import generate_constrained
from workbench.records import TermConstraint

SEGMENTS = [
    "重庆开州区妇联全力抓好在外流动妇联组织建设",
    "身在异乡，仍可感受家乡“娘家人”呵护",
    "为奋力谱写中国式现代化哈尔滨篇章贡献巾帼智慧和力量。",
    "深入实施“巾帼聚心工程”，推进美丽庭院建设。",
    "表彰三八红旗手和巾帼文明岗，推动乡村振兴和高质量发展。",
    "2023年12月12日，哈尔滨市妇女第二十一次代表大会胜利召开。",
]

# Renderings with the shapes real glossaries have: multi-word, apostrophes, capitals, digits, hyphens.
WORDS = [
    "women's",
    "Women's Federation",
    "March 8th",
    "Red-Banner Pacesetter",
    "Beautiful Courtyard",
    "natal family",
    "ACWF",
    "high-quality development",
    "rural revitalization",
    "Belt and Road",
    "2023",
    "Chinese modernization",
    "civilized post",
    "Spring Bud",
]
FORBIDDEN = ["headscarf", "kerchief", "maiden home", "floating", "Hometown people"]


@st.composite
def cases(draw):
    text = draw(st.sampled_from(SEGMENTS))
    if draw(st.booleans()):
        text += draw(st.sampled_from(SEGMENTS))
    chars = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    n_terms = draw(st.integers(1, 3))
    entries = []
    used: set[str] = set()
    for _ in range(n_terms):
        start = draw(st.sampled_from(chars))
        length = draw(st.integers(1, 4))
        source = text[start : start + length]
        if not source.strip() or source in used or not ("\u4e00" <= source[-1] <= "\u9fff"):
            continue
        used.add(source)
        renderings = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3, unique=True))
        target = " ".join(renderings[:2]) if draw(st.booleans()) else renderings[0]
        alternatives = tuple(r for r in renderings[1:] if r.casefold() != target.casefold())
        forbidden = tuple(draw(st.lists(st.sampled_from(FORBIDDEN), max_size=2, unique=True)))
        entries.append((source, target, alternatives, forbidden))
    return text, entries


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path):
    import torch

    from workbench.mt.marian import load_marian

    torch.set_num_threads(1)
    return load_marian(tiny_model_dir, "cpu")


@pytest.fixture(scope="module")
def tiny_ct2(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    from workbench.mt.ct2 import CT2Engine, convert_model

    ct2_dir = convert_model(tiny_model_dir, "int8", out_dir=tmp_path_factory.mktemp("ct2") / "tiny-int8")
    return CT2Engine(tiny_model_dir, device="cpu", threads=1, ct2_dir=ct2_dir)


@pytest.fixture(params=["search", "fast"])
def enforce(request: pytest.FixtureRequest):
    """``enforce(text, constraints, beam) -> Draft`` by the transformers search or the CTranslate2 fast path."""
    if request.param == "search":
        tokenizer, model = request.getfixturevalue("tiny")

        def by_search(text: str, cons: list[TermConstraint], beam: int):
            return generate_constrained(model, tokenizer, [text], [cons], beam=beam)[0]

        return by_search
    engine = request.getfixturevalue("tiny_ct2")

    def by_fast_path(text: str, cons: list[TermConstraint], beam: int):
        return engine.translate([text], beam=beam, constraints=[cons])[0]

    return by_fast_path


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.slow
@given(case=cases(), beam=st.sampled_from([2, 4]))
def test_every_matched_term_is_rendered_and_no_forbidden_rendering_appears(enforce, case, beam):
    from workbench.terms import Entry, Matcher, TermBase, check_target, constraints_for

    text, raw = case
    tb = TermBase([Entry(source=s, target=t, alternatives=a, forbidden=f) for s, t, a, f in raw])
    hits = Matcher(tb).find(text)
    if not hits:
        return
    draft = enforce(text, constraints_for(hits), beam)
    notes = check_target(hits, draft.text)
    failed = [(n.source, n.problem) for n in notes if not n.ok]
    assert failed == [], draft.text
    assert draft.unmet == []
