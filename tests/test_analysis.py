"""`workbench analyze`: counts and TM match bands on documents built with known repetitions, exact and
fuzzy TM matches and a known number of Han characters."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from conftest import run_workbench as cli
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from workbench.jobs.analysis import Band, band_for
from workbench.store.project import Project
from workbench.store.tm import TranslationMemory
from workbench.text import document_from_text
from workbench.text.counts import english_words, han_characters

A = "全国妇联召开第十三次执委会议。"  # 14 Han characters; exact in the TM
B = "会议听取并审议了工作报告。"  # 12; exact
C = "会议号召广大妇女建功新时代。"  # 13; TM has it with ！ (score 92.9: 85-94)
E = "这是一个全新的句子没有任何匹配。"  # 15; nothing like it
F = "今年全县共培训女干部两千人次。"  # 14; TM: 今年全市共培训妇女干部三千人次。 (83.9: 75-84)
H = "为深入学习贯彻党的二十大精神，全市各级妇联组织广泛开展宣讲活动，推动会议精神进基层。"  # 39; one changed: 95-99
G = "市妇联举办家庭教育讲座活动。"  # 13; TM: 区妇联举办亲子阅读讲座。 (53.8: 50-74)
J = "全面推进妇女儿童事业高质量发展。"  # 15; exact
TM_UNITS = [
    (A, "The ACWF held its 13th executive meeting."),
    (B, "The meeting heard and reviewed the work report."),
    ("会议号召广大妇女建功新时代！", "The meeting called on women to excel in the new era!"),
    ("今年全市共培训妇女干部三千人次。", "This year the city trained 3,000 women cadres."),
    (
        H.replace("宣讲", "宣传"),
        "To study the spirit of the 20th Congress, federations held publicity events.",
    ),
    ("区妇联举办亲子阅读讲座。", "The district federation held a reading talk."),
    (J, "Advance the high-quality development of the cause of women and children."),
]
# Document a: A B | C E F | A   -> A: 101 (its neighbour B is exact), B: 100 (neighbour C is not), A again: repetition
# Document b: H G | B J         -> H 95-99, G 50-74, B: repetition (across documents), J: 101 (neighbour B exact)
DOC_A = f"{A}{B}\n\n{C}{E}{F}\n\n{A}\n"
DOC_B = f"{H}{G}\n\n{B}{J}\n"
HAN_A = 14 + 12 + 13 + 15 + 14 + 14
HAN_B = 39 + 13 + 12 + 15


@pytest.fixture
def job(tmp_path):
    (tmp_path / "a.txt").write_text(DOC_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(DOC_B, encoding="utf-8")
    with TranslationMemory.open(tmp_path / "tm.sqlite") as tm:
        for s, t in TM_UNITS:
            tm.add(s, t)
    return tmp_path


def test_the_planted_scores_are_what_the_bands_say():
    assert 85 <= fuzz.ratio(C, TM_UNITS[2][0]) < 95
    assert 75 <= fuzz.ratio(F, TM_UNITS[3][0]) < 85
    assert 95 <= fuzz.ratio(H, TM_UNITS[4][0]) < 100
    assert 50 <= fuzz.ratio(G, TM_UNITS[5][0]) < 75
    assert [han_characters(s) for s in (A, B, C, E, F, H, G, J)] == [14, 12, 13, 15, 14, 39, 13, 15]


def test_analyze_json_counts_repetitions_bands_and_han_characters(job):
    r = cli(
        "analyze", str(job / "a.txt"), str(job / "b.txt"), "--tm", str(job / "tm.sqlite"), "--format", "json"
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    a, b = data["documents"]
    assert a["name"] == "a.txt" and b["name"] == "b.txt"
    assert a["segments"] == 6 and b["segments"] == 4
    assert a["han_characters"] == HAN_A and b["han_characters"] == HAN_B
    assert a["characters"] == len(DOC_A.replace("\n", ""))
    assert a["repetitions"] == 1 and b["repetitions"] == 1
    assert a["match_bands"] == {
        "101": 1,
        "100": 1,
        "95-99": 0,
        "85-94": 1,
        "75-84": 1,
        "50-74": 0,
        "no_match": 1,
    }
    assert b["match_bands"] == {
        "101": 1,
        "100": 0,
        "95-99": 1,
        "85-94": 0,
        "75-84": 0,
        "50-74": 1,
        "no_match": 0,
    }
    total = data["total"]
    assert total["segments"] == 10 and total["han_characters"] == HAN_A + HAN_B and total["repetitions"] == 2
    assert sum(total["match_bands"].values()) + total["repetitions"] == total["segments"]
    assert total["repetition_han_characters"] == 14 + 12
    assert total["band_han_characters"]["101"] == 14 + 15


def test_analyze_csv_and_text(job):
    r = cli(
        "analyze", str(job / "a.txt"), str(job / "b.txt"), "--tm", str(job / "tm.sqlite"), "--format", "csv"
    )
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["document"] for row in rows] == ["a.txt", "b.txt", "TOTAL"]
    assert rows[2]["han_characters"] == str(HAN_A + HAN_B) and rows[2]["no_match"] == "1"
    r = cli("analyze", str(job / "a.txt"), "--tm", str(job / "tm.sqlite"))
    assert r.returncode == 0, r.stderr
    assert "101%" in r.stdout and "repetitions" in r.stdout and f"{HAN_A}" in r.stdout


def test_analyze_project_counts_english_words_of_drafts_and_finals(job):
    path = job / "p.wbproj"
    with Project.open(path, create=True) as p:
        doc_id = p.add_document(document_from_text(DOC_A, str(job / "a.txt")))
        first, second = p.segments(doc_id)[:2]
        p.set_final(first.id, "The All-China Women's Federation held its executive meeting.")  # 8 words
        p.set_draft(second.id, "The meeting heard and reviewed the 2023 work report.")  # 9 words
    r = cli("analyze", str(path), "--tm", str(job / "tm.sqlite"), "--format", "json")
    assert r.returncode == 0, r.stderr
    total = json.loads(r.stdout)["total"]
    assert (total["final_words"], total["draft_words"], total["segments"]) == (8, 9, 6)
    r = cli("analyze", str(path), str(job / "a.txt"))
    assert r.returncode == 2 and r.stderr.startswith("workbench: error:")


def test_without_tm_every_first_occurrence_is_no_match(job, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty"))
    r = cli("analyze", str(job / "b.txt"), "--format", "json", env={"XDG_DATA_HOME": str(tmp_path / "empty")})
    assert r.returncode == 0, r.stderr
    total = json.loads(r.stdout)["total"]
    assert total["match_bands"]["no_match"] == 4 and total["repetitions"] == 0


def test_english_words_are_counted_as_a_translator_would():
    assert english_words("Women's well-being rose 3.5% in 2023, to 10,000.") == 8
    assert english_words("") == 0 and english_words(None) == 0


@given(st.floats(min_value=0, max_value=100))
def test_bands_cover_every_score_once(score):
    band = band_for(score)
    lows = {Band.EXACT: 100, Band.HIGH: 95, Band.MEDIUM: 85, Band.LOW: 75, Band.FAINT: 50, Band.NONE: 0}
    highs = {Band.EXACT: 101, Band.HIGH: 100, Band.MEDIUM: 95, Band.LOW: 85, Band.FAINT: 75, Band.NONE: 50}
    # Scores are floored after a 1e-9 allowance: rapidfuzz's 49.999999999999986 is the 50 a person reads.
    whole = math.floor(score + 1e-9)
    assert lows[band] <= whole < highs[band]
