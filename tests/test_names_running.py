"""Names in running text: the lexical analyser's word boundaries, recurring names, family roles, foreign names.

Every input is a small document built here; proposals come from the real jieba dictionary and the real
CC-CEDICT index. The speed test compares two input sizes in one process (a ratio, no absolute time).
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.terms.names import NameKind, propose_names
from workbench.text import document_from_text


def proposals(text: str) -> dict[str, object]:
    return {p.source: p for p in propose_names(document_from_text(text + "\n"))}


# Demonstratives, pronouns, verbs and conjunctions before 村/市/区, and words a cue mistook for names: each
# sentence is written three times, so recurrence cannot rescue the fragment either.
JUNK = [
    ("这个狼村里的人都认识他。", ("这个狼村", "个狼村", "狼村")),
    ("我们狼村的人从来不怕冷。", ("我们狼村", "们狼村", "狼村")),
    ("他离开狼村去了很远的地方。", ("离开狼村", "开狼村", "狼村")),
    ("她盯着狼村的方向看了很久。", ("盯着狼村", "着狼村", "狼村")),
    ("除非市政府同意，这件事办不成。", ("除非市", "非市")),
    ("整个村子都醒了。", ("整个村", "个村")),
    ("我们区的学校很多。", ("我们区", "们区")),
    ("这个市的人口不多。", ("这个市", "个市")),
    ("那里说，今天不下雨。", ("那里",)),
    ("他盯着说，不要走。", ("盯着",)),
]


@pytest.mark.parametrize(("sentence", "fragments"), JUNK)
def test_fragments_of_ordinary_words_are_not_names(sentence, fragments):
    found = proposals(sentence * 3)
    assert not any(f in found for f in fragments), {s: p.target for s, p in found.items()}


def test_a_real_place_after_a_demonstrative_keeps_its_own_boundaries():
    found = proposals("我们来到金峰镇。金峰镇的人很热情。")
    assert found["金峰镇"].target == "Jinfeng Town"
    assert "们来到金峰镇" not in found and "来到金峰镇" not in found


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        ("曾婆婆笑着说，今年的收成不错。", "曾婆婆", "Granny Zeng"),
        ("华叔说：“先吃饭。”大家都听华叔的。", "华叔", "Uncle Hua"),
        ("王阿姨每天早上都去公园。王阿姨今年六十岁。", "王阿姨", "Auntie Wang"),
    ],
)
def test_family_role_forms_put_the_role_first(text, source, target):
    p = proposals(text)[source]
    assert (p.kind, p.target) == (NameKind.PERSON, target)


def test_a_role_word_after_a_non_surname_is_not_a_name():
    found = proposals("中华叔叔来了。他婆婆说了。这个婆婆很好。")
    assert not [s for s in found if s.endswith(("叔叔", "婆婆"))]


def test_a_recurring_name_with_no_cue_is_proposed_and_a_single_one_is_not():
    text = "林小雨走进教室，坐在窗边。老师看了看林小雨，没有说话。放学后林小雨一个人回家。"
    p = proposals(text)["林小雨"]
    assert p.target == "Lin Xiaoyu" and p.confidence >= 0.8
    assert "林小雨" not in proposals("林小雨走进教室，坐在窗边。")


def test_interpunct_names_and_their_short_form_are_foreign_names():
    text = "美国总统唐纳德·特朗普发表声明。随后，特朗普离开了白宫。"
    found = proposals(text)
    assert found["唐纳德·特朗普"].target == "Donald Trump"
    assert found["特朗普"].target == "Trump"
    unknown = proposals("杰米·西米诺夫曾表示，公司成立之初很难。西米诺夫说，销售额大增。")
    # A transliteration CC-CEDICT does not know is found, but its pinyin is no rendering to enforce.
    assert unknown["西米诺夫"].kind is NameKind.PERSON and unknown["西米诺夫"].confidence < 0.8
    assert any("spelling" in r for r in unknown["西米诺夫"].reasons)


def test_states_abroad_take_their_english_name():
    found = proposals("一名医生在俄亥俄州被捕。俄亥俄州当局表示，调查仍在进行。")
    assert found["俄亥俄州"].target == "Ohio"


def test_countries_are_not_proposed_as_names():
    found = proposals("美国和加拿大的代表在瑞典会面。美国代表说，加拿大同意了。")
    assert not {"美国", "加拿大", "瑞典"} & set(found)


def test_the_analyser_is_loaded_only_when_names_are_looked_for():
    code = (
        "import sys, workbench.cli, workbench.terms.names, workbench.commands.names\n"
        "assert 'jieba' not in sys.modules, 'jieba loaded at start'\n"
        "from workbench.terms.names import propose_names\n"
        "from workbench.text import document_from_text\n"
        "propose_names(document_from_text('林小雨说。\\n'))\n"
        "assert 'jieba' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)


def _cpu_seconds(text: str) -> float:
    """CPU time of proposing the names of ``text``, with the garbage of earlier tests collected first and
    the collector paused, so a collection of what other tests left behind does not count."""
    document = document_from_text(text)
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        propose_names(document)
        return time.process_time() - start
    finally:
        gc.enable()


@pytest.mark.parametrize("separator", ["", "\n"])
def test_repeated_place_chains_take_near_linear_time(separator):
    """江苏省宿迁市沭阳县 repeated (one line, or short lines): 4x the input may cost at most 8x the time."""
    unit = "江苏省宿迁市沭阳县" + separator
    _cpu_seconds(unit * 10)  # dictionaries loaded
    small = min(_cpu_seconds(unit * 1000) for _ in range(2))
    large = min(_cpu_seconds(unit * 4000) for _ in range(2))
    assert large / small < 8, (small, large)
    found = proposals(unit * 50)
    assert found["沭阳县"].target == "Shuyang County" and len(found["沭阳县"].evidence) <= 20


LEADS = ["这个", "那个", "我们", "他们", "整个", "离开", "盯着", "除非", "这里", "那里", "每个", "走进了"]
GENERICS = ["村", "市", "区", "县", "镇"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lead=st.sampled_from(LEADS),
    body=st.text(alphabet="狼山河石桥花园", min_size=1, max_size=2),
    generic=st.sampled_from(GENERICS),
    times=st.integers(min_value=1, max_value=3),
)
def test_no_proposed_name_starts_with_a_demonstrative_pronoun_verb_or_conjunction(lead, body, generic, times):
    text = f"他说{lead}{body}{generic}的人都来了。" * times
    for source in proposals(text):
        assert not any(source.startswith(w) for w in LEADS), source
        assert lead not in source, source
