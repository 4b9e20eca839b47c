"""The documentation says what the code does: a generated command reference, current screenshots,
one version, a short README."""

from __future__ import annotations

import argparse
import sys
import tomllib

from tests.conftest import ROOT, run_workbench

sys.path.insert(0, str(ROOT / "scripts"))

import cli_reference
import screenshots


def test_the_command_reference_is_generated_from_the_parsers() -> None:
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert page == cli_reference.render(), (
        "docs/reference/cli.md is stale: run python scripts/cli_reference.py"
    )


def test_the_command_reference_names_every_command_and_option() -> None:
    from workbench.cli import build_parser

    page = cli_reference.render()
    parser = build_parser()
    for name, sub in cli_reference._subparsers(parser):
        assert f"`workbench {name}`" in page
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                assert f"`{option}`" in page, (name, option)


def test_the_screenshots_are_the_ui_snapshots() -> None:
    assert screenshots.stale() == [], "docs/img is stale: run python scripts/screenshots.py"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/img/editor.svg" in readme


def test_one_version_from_the_package_metadata() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    result = run_workbench("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"workbench {declared}"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{declared}]" in changelog


def test_the_readme_fits_on_two_screens_and_links_into_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for page in ("docs/tutorial.md", "docs/reference/cli.md", "CONTRIBUTING.md"):
        assert page in readme
        assert (ROOT / page).is_file()
