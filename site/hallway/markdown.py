"""Markdown to safe HTML, for every app: rendered once on save, cached on the row."""

import markdown as md
import nh3

_EXTENSIONS = [
    "fenced_code",
    "codehilite",
    "tables",
    "sane_lists",
    "smarty",
    "toc",
]
_EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"permalink": False},
}

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "details",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "th": {"align"},
    "td": {"align"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    """Keep only harmless tags and attributes; links get ``rel="nofollow noopener"``."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Render user Markdown (fenced code, highlighting, tables) to sanitised HTML."""
    html = md.markdown(
        text or "", extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS
    )
    return sanitize_html(html)


def render_plain_with_links(text: str) -> str:
    """Short plain text (comments): escaped, with bare URLs turned into links."""
    import html
    import re

    escaped = html.escape(text or "")
    linked = re.sub(
        r"(https?://[^\s<]+[^\s<.,;:!?)\]'\"])",
        r'<a href="\1">\1</a>',
        escaped,
    )
    return sanitize_html(linked)
