"""One rule for turning what people type into tag names, used by every app."""

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[,\s]+")


def tags_parse(raw: str | Iterable[str] | None) -> list[str]:
    """Tag names from a comma- or space-separated string (as on Stack Overflow:
    multi-word tags use hyphens) or from a list, where a multi-word item becomes
    one hyphenated tag: lower-case, without a leading "#", each once, in order.
    Each app validates the names (how many, which characters) itself."""
    if raw is None:
        return []
    items = _SEPARATORS.split(raw) if isinstance(raw, str) else raw
    names: list[str] = []
    for item in items:
        name = re.sub(r"\s+", "-", str(item).strip().lstrip("#").lower())
        if name and name not in names:
            names.append(name)
    return names
