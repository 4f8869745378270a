"""A table of contents from rendered HTML: unique ids on h2/h3, and their titles."""

import re

from django.utils.html import strip_tags
from django.utils.text import slugify

_HEADING = re.compile(r"<h([23])([^>]*)>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r'\sid="[^"]*"')


def html_with_toc(html: str) -> tuple[str, list[dict]]:
    """Give every h2/h3 a unique id; return the HTML and ``[{level, id, title}]``."""
    toc: list[dict] = []
    seen: set[str] = set()

    def replace(match: re.Match) -> str:
        level, attrs, inner = match.group(1), match.group(2), match.group(3)
        title = strip_tags(inner).strip()
        base = slugify(title)[:60] or "section"
        anchor, n = base, 2
        while anchor in seen:
            anchor = f"{base}-{n}"
            n += 1
        seen.add(anchor)
        toc.append({"level": int(level), "id": anchor, "title": title})
        attrs = _ID.sub("", attrs)
        return f'<h{level}{attrs} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(replace, html), toc
