#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: system tools (OmegaT, tmux, LibreOffice) where apt is available,
# a virtual environment in .venv with the CPU build of torch and the project installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  need=()
  [ -f /usr/share/omegat/OmegaT.jar ] || need+=(omegat)
  command -v tmux >/dev/null 2>&1 || need+=(tmux)
  command -v strace >/dev/null 2>&1 || need+=(strace)  # injects a kill inside a checkpoint (tests)
  if [ ${#need[@]} -gt 0 ]; then
    echo "setup: apt-get install ${need[*]}" >&2
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; } >/tmp/workbench-apt.log 2>&1 \
      || echo "setup: apt-get failed (see /tmp/workbench-apt.log); tests that need ${need[*]} will be skipped" >&2
  fi
  # LibreOffice headless for the Word round-trip test (measured: about 30 s to install, no recommends).
  if ! command -v soffice >/dev/null 2>&1; then
    echo "setup: apt-get install libreoffice-writer-nogui" >&2
    { [ ${#need[@]} -gt 0 ] || apt-get update -q; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-writer-nogui; } \
      >>/tmp/workbench-apt.log 2>&1 \
      || echo "setup: LibreOffice did not install (see /tmp/workbench-apt.log); the Word round trip skips its conversion" >&2
  fi
  # The spelling check: libenchant-2 with its Hunspell provider and the en_US/en_GB dictionaries.
  if [ ! -f /usr/share/hunspell/en_US.dic ] || [ ! -f /usr/share/hunspell/en_GB.dic ] \
      || ! ls /usr/lib/*/libenchant-2.so.2 >/dev/null 2>&1; then
    echo "setup: apt-get install libenchant-2-2 hunspell-en-us hunspell-en-gb" >&2
    { apt-get update -q; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libenchant-2-2 \
        hunspell-en-us hunspell-en-gb; } >>/tmp/workbench-apt.log 2>&1 \
      || echo "setup: the Hunspell dictionaries did not install (see /tmp/workbench-apt.log); the spelling check reports nothing" >&2
  fi
fi
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
if ! .venv/bin/python -c 'import torch' >/dev/null 2>&1; then
  .venv/bin/pip install -q --upgrade pip
  # The CPU wheel; a bare `torch` requirement would pull a multi-GB CUDA build.
  .venv/bin/pip install -q torch==2.13.0
fi
stamp=.venv/.workbench-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q -e '.[dev]'
  touch "$stamp"
fi
