"""Command palette provider: the commands the current screen offers (the editor: every action, each
export format and each status filter)."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: ``(name, help, callback)`` as a screen's ``palette_commands()`` returns them.
PaletteCommand = tuple[str, str, Callable[[], object]]


class ActionsProvider(Provider):
    """Lists the current screen's ``palette_commands()`` in the command palette."""

    def _commands(self) -> list[PaletteCommand]:
        commands = getattr(self.screen, "palette_commands", None)
        return list(commands()) if commands is not None else []

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
