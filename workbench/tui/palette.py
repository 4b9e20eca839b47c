"""Command palette provider: every editor action, each export format and each status filter."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionsProvider(Provider):
    """Lists the editor's actions (with their keys) in the command palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from workbench.tui.editor import ACTIONS, EditorScreen
        from workbench.tui.screens import EXPORTS, FILTERS

        screen = self.screen
        if not isinstance(screen, EditorScreen):
            return []
        out: list[tuple[str, str, Callable[[], object]]] = []
        for key, action, label, help_text, _bid in ACTIONS:
            if action == "escape":
                continue
            out.append((help_text, f"{label} · {key}", partial(screen.run_action, action)))
        for kind, label in EXPORTS:
            out.append((f"Export: {label}", "asks where to write it", partial(screen.action_export, kind)))
        for value, label in FILTERS:
            out.append((f"Filter: {label}", "which paragraphs the table shows", partial(screen.set_filter, value)))
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
