"""``workbench open FILE`` without a terminal: the real app, headless (Textual's test driver), shown and
quit with ctrl+q. Run as a script by the adversarial test of every command; exits as the CLI would."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.errors import WorkbenchError


async def _open(path: str) -> int:
    from workbench.tui.app import create_app

    app = create_app(Path(path), preload=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    return app.return_code or 0


if __name__ == "__main__":
    try:
        code = asyncio.run(_open(sys.argv[1]))
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        code = 2
    sys.exit(code)
