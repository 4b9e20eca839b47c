"""Language tags (BCP 47) as CAT tools write them, and the current time as the store and files stamp it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from workbench.errors import WorkbenchError

# BCP 47 as CAT tools use it: language[-Script][-REGION|-NNN][-variant...]
_BCP47 = re.compile(
    r"^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?(-([A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)


def normalize_lang(tag: str) -> str:
    """Normalise a language tag to BCP 47 form (``zh_cn`` -> ``zh-CN``, ``zh-hant-tw`` -> ``zh-Hant-TW``).

    Raises:
        WorkbenchError: The tag is not a well-formed BCP 47 tag.
    """
    raw = tag.strip().replace("_", "-")
    if not _BCP47.match(raw):
        raise WorkbenchError(f"{tag!r} is not a BCP 47 language tag (examples: zh-CN, zh-TW, zh-Hant, en-US)")
    parts = raw.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. ``2026-01-31T12:00:00.000Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
