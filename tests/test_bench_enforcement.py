"""The enforcement benchmark's definition of a right draft (bench/bench_enforcement.py)."""

from __future__ import annotations

from bench.bench_enforcement import GLOSSARY, accepted
from bench.synthetic_lang import TERMS, Sentence
from workbench.terms.context import GlossaryContext


def _sentence(*sources: str) -> Sentence:
    index = {t[0]: i for i, t in enumerate(TERMS)}
    parts: list[str | tuple[int]] = ["Li supported the "]
    for k, source in enumerate(sources):
        parts += [" and the " if k else "", (index[source],)]
    parts.append(" in Yunnan.")
    return Sentence("李在云南支持" + "和".join(sources) + "。", parts)


def test_a_usual_rendering_the_glossary_accepts_is_right_and_one_it_does_not_is_not():
    glossary = GlossaryContext.load([str(GLOSSARY)])
    # 春蕾计划: the usual "spring bud plan" is the glossary's alternative "Spring Bud Plan" (any case).
    sent = _sentence("春蕾计划", "娘家人")
    forms = accepted(sent, glossary.constraints(sent.zh))
    assert forms[0] == "Li supported the Spring Bud Project and the family back home in Yunnan."
    assert "Li supported the spring bud plan and the family back home in Yunnan." in forms
    # 娘家人's usual "maternal family" is no rendering the glossary accepts: never right.
    assert not any("maternal family" in f for f in forms)
    assert len(forms) == 2
