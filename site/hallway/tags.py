"""One rule for turning what people type into tag names, used by every app."""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[,\s]+")


def tags_parse(raw: str | Iterable[str] | None) -> list[str]:
    """Tag names from a comma- or space-separated string (as on Stack Overflow:
    multi-word tags use hyphens) or from a list, where a multi-word item becomes
    one hyphenated tag: lower-case, without a leading "#", each once, in order.
    ``tags_clean`` also checks them."""
    if raw is None:
        return []
    items = _SEPARATORS.split(raw) if isinstance(raw, str) else raw
    names: list[str] = []
    for item in items:
        name = re.sub(r"\s+", "-", str(item).strip().lstrip("#").lower())
        if name and name not in names:
            names.append(name)
    return names


# 1-35 lowercase letters, digits or . + # - (Stack Overflow's tag shape).
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9.+#-]{0,34}$")


def tags_clean(
    raw: str | Iterable[str] | None, *, max_tags: int
) -> tuple[list[str], list[str]]:
    """The tag names in ``raw`` and what is wrong with them (no messages when
    they are fine): Q&A, knowledge pages and ideas share this rule."""
    names = tags_parse(raw)
    bad = [name for name in names if not TAG_RE.match(name)]
    if bad:
        return names, [
            _(
                "Malformed tag(s): %(tags)s. Use 1-35 lowercase letters, digits "
                "or . + # - (starting with a letter or digit)."
            )
            % {"tags": ", ".join(bad)[:200]}
        ]
    if len(names) > max_tags:
        return names, [_("At most %(n)d tags.") % {"n": max_tags}]
    return names, []
