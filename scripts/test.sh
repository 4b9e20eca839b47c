#!/usr/bin/env bash
# Installs everything needed, then runs the checks and the tests.
#   bash scripts/test.sh          the whole suite; CI runs exactly this (.ci/run)
#   bash scripts/test.sh --fast   every test not marked `slow`: a developer's lane, a few minutes
# Further arguments go to pytest (e.g. `bash scripts/test.sh --fast -x tests/test_text_segments.py`).
set -euo pipefail
cd "$(dirname "$0")/.."
fast=0
if [ "${1:-}" = "--fast" ]; then
  fast=1
  shift
fi
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports --no-cache
.venv/bin/mypy  # strict below the UI, on the commands and on the UI's seams (pyproject.toml)
site=$(mktemp -d)
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir "$site"
rm -rf "$site"
if [ "$fast" = 1 ]; then
  exec .venv/bin/python -m pytest -m "not slow" "$@"
fi
exec .venv/bin/python -m pytest "$@"
