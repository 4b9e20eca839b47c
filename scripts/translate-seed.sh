#!/usr/bin/env bash
# The main job: translate the seed page with the shipped glossary, writing Markdown and TMX to out/.
# The model is Helsinki-NLP/opus-mt-zh-en (from the Hugging Face cache, downloaded on first use),
# or whatever WORKBENCH_MODEL / --model names.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/workbench translate seeds/000_4a826f62d946bd6d.txt \
  --glossary glossary/womens-news.tsv --out out "$@"
