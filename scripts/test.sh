#!/usr/bin/env bash
# Installs everything needed, then runs the whole test suite (and ruff).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
