"""Glossary terms edited from the editor: which entries a segment has, which file each came from, and
rewriting that file (atomically, in its own format) with an entry replaced or deleted. No Textual import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError


def terms_in(session: Any, source: str) -> list[Any]:
    """The glossary entries found in ``source``, in text order, each once."""
    out: list[Any] = []
    for hit in session.glossary.hits(source):
        if hit.entry not in out:
            out.append(hit.entry)
    return out


def term_file(session: Any, entry: Any) -> Path:
    """The glossary file an entry was read from (its ``location`` is ``FILE:LINE``).

    Raises:
        WorkbenchError: the entry comes from no file the session reads (e.g. a proposed name).
    """
    name = entry.location.rsplit(":", 1)[0] if entry.location else ""
    files = [*session.glossary_paths, session.glossary_file]
    for path in files:
        if name and path.exists() and (str(path) == name or path.resolve() == Path(name).resolve()):
            return path
    raise WorkbenchError(
        f"{entry.source}: its glossary file ({name or 'unknown'}) is not one this project reads"
    )


def edit_term(session: Any, entry: Any, replacement: Any | None) -> Path:
    """Replace a glossary entry in its file by ``replacement`` (None deletes it), atomically; the
    glossary is reloaded and re-checked, and the change is one undo step.

    Raises:
        WorkbenchError: the file cannot be read or written, or no longer holds the entry.
    """
    from workbench.terms.formats import detect_format, load_termbase

    path = term_file(session, entry)
    entries = list(load_termbase([path], strict=False).entries)
    if entry not in entries:
        raise WorkbenchError(
            f"{path.name} no longer holds {entry.source} → {entry.target} (changed on disk?)"
        )
    at = entries.index(entry)
    if replacement is None:
        del entries[at]
        label = f"term {entry.source} deleted"
    else:
        entries[at] = replacement
        label = f"term {entry.source} edited"
    session.write_glossary(path, entries, label, detect_format(path, path.read_bytes()))
    return path
