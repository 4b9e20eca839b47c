"""Refresh the documentation's screenshots from the UI snapshot tests.

The screenshots in ``docs/img/`` are SVG renderings of the real Textual app, made by
``tests/test_tui_snapshots.py`` (pytest-textual-snapshot drives the app with Pilot and saves each
screen). After ``pytest tests/test_tui_snapshots.py --snapshot-update``, run
``python scripts/screenshots.py`` to copy them here; ``tests/test_docs.py`` fails while a copy is stale.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_tui_snapshots"
IMAGES = ROOT / "docs" / "img"

#: docs/img name -> the snapshot test that renders it.
SCREENSHOTS = {
    "editor.svg": "test_main_screen.svg",
    "editing-violation.svg": "test_main_screen_editing_with_violation.svg",
    "add-term.svg": "test_add_term_dialog.svg",
    "filter.svg": "test_filter_dialog.svg",
    "export.svg": "test_export_dialog.svg",
    "open-screen.svg": "test_open_screen_with_recent_projects.svg",
}


def stale() -> list[str]:
    """The screenshots whose copy differs from (or lacks) the snapshot."""
    return [
        name
        for name, snap in SCREENSHOTS.items()
        if not (IMAGES / name).is_file() or (IMAGES / name).read_bytes() != (SNAPSHOTS / snap).read_bytes()
    ]


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    for name, snap in SCREENSHOTS.items():
        shutil.copyfile(SNAPSHOTS / snap, IMAGES / name)
    print(f"{len(SCREENSHOTS)} screenshots in {IMAGES.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
