"""Plain English output: one paragraph per line, final translations where there are any, else drafts."""

from __future__ import annotations

from workbench.formats.common import paragraph_target
from workbench.records import DocumentRecord
from workbench.safexml import xml_clean


def render_text(doc: DocumentRecord) -> str:
    """Render the English text of ``doc``.

    Each source paragraph gives one line (segment translations joined by a space); a paragraph with no
    translation at all gives no line, so the output is clean English prose.

    Args:
        doc: The document record.

    Returns:
        The text, one paragraph per line, ending with a newline (empty string when nothing is translated).
    """
    lines = [paragraph_target(p) for p in doc.paragraphs]
    lines = [" ".join(xml_clean(line).split()) for line in lines if line.strip()]
    return "\n".join(lines) + "\n" if lines else ""
