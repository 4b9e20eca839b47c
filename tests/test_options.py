"""Option values are checked at parse time by one set of argument types, before any work starts."""

from __future__ import annotations

import argparse

import pytest
from cli_checks import assert_one_line_error
from conftest import run_workbench

from workbench.commands import options
from workbench.mt.threads import default_threads, resolve_threads, usable_cores


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("translate", "X", "--threads", "-1"), "--threads"),
        (("translate", "X", "--threads", "0"), "--threads"),
        (("translate", "X", "--unit-size", "0"), "--unit-size"),
        (("translate", "X", "--batch-size", "0"), "--batch-size"),
        (("translate", "X", "--batch-size", "-3"), "--batch-size"),
        (("translate", "X", "--batch-tokens", "0"), "--batch-tokens"),
        (("translate", "X", "--batch-tokens", "-100"), "--batch-tokens"),
        (("translate", "X", "--beam", "0"), "--beam"),
        (("translate", "X", "--threads", "two"), "--threads"),
        (("tm", "lookup", "中文", "--min-score", "nan"), "--min-score"),
        (("tm", "lookup", "中文", "--min-score", "inf"), "--min-score"),
        (("tm", "lookup", "中文", "--min-score", "-1"), "--min-score"),
        (("tm", "lookup", "中文", "--min-score", "101"), "--min-score"),
        (("status", "P.wbproj", "--max-violations", "-1"), "--max-violations"),
        (("export", "P.wbproj", "--out", "x.md", "--document", "0"), "--document"),
        (("open", "X", "--beam", "-2"), "--beam"),
    ],
)
def test_bad_values_are_refused_in_one_line_before_any_work(tmp_path, args, option):
    # X and P.wbproj do not exist: a parse-time refusal comes before anything looks for them.
    proc = run_workbench(*args, cwd=tmp_path)
    line = assert_one_line_error(proc, option)
    assert "no such" not in line
    assert list(tmp_path.iterdir()) == []


def test_batch_size_is_the_old_name_of_unit_size():
    from workbench.cli import build_parser
    from workbench.commands.translate import settings_from
    from workbench.jobs.drafting import DEFAULT_UNIT_SIZE

    parser = build_parser()
    for option in ("--unit-size", "--batch-size"):
        args = parser.parse_args(["translate", "X", option, "5"])
        assert settings_from(args).unit_size == 5
    assert settings_from(parser.parse_args(["translate", "X"])).unit_size == DEFAULT_UNIT_SIZE


def test_thread_counts_are_capped_at_the_cores():
    cores = usable_cores()
    assert options.thread_count("100000") == cores
    assert options.thread_count("1") == 1
    assert resolve_threads(100000) == cores
    for bad in ("0", "-1", "x"):
        with pytest.raises(argparse.ArgumentTypeError):
            options.thread_count(bad)


def test_the_default_thread_count_leaves_a_core_free():
    cores = usable_cores()
    assert default_threads() == max(1, cores - 1)
    assert resolve_threads(None) == default_threads()


def test_a_huge_thread_count_translates(tmp_path, tiny_model_dir):
    source = tmp_path / "a.txt"
    source.write_text("中文测试。\n", encoding="utf-8")
    proc = run_workbench(
        "translate",
        str(source),
        "--threads",
        "100000",
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        env={"WORKBENCH_MODEL": str(tiny_model_dir)},
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.tmx").is_file()


def test_scores_and_counts():
    assert options.score("75") == 75.0 and options.score("0") == 0.0 and options.score("100") == 100.0
    assert options.positive_int("3") == 3 and options.non_negative_int("0") == 0
    with pytest.raises(argparse.ArgumentTypeError):
        options.non_negative_int("-1")
