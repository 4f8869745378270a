"""Markdown to safe HTML, for every app: rendered once on save, cached on the row.

Rendering is markdown-it-py (CommonMark, linear time in the input; Python-Markdown
took quadratic time on inputs such as thousands of ``[``) with tables,
strikethrough, typographic quotes and Pygments highlighting of fenced code, then
sanitised by nh3. Raw HTML in Markdown keeps only the tags we allow: any other
``<`` is shown as text, so an unclosed ``<style>``, ``<script>``, ``<textarea>``
or comment cannot swallow the rest of a post.
"""

import html as html_lib
import re

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block.html_block import html_block as _html_block
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

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

# Longest Markdown source rendered as Markdown; longer text (never accepted by
# the services' own limits) is shown escaped, as plain text.
MARKDOWN_MAX_CHARS = 100_000
# Longest code block given to Pygments; longer blocks are shown unhighlighted.
HIGHLIGHT_MAX_CHARS = 20_000
# Deepest nesting of blocks and inlines (quotes in lists in quotes ...).
MAX_NESTING = 20

# A ``<`` in raw HTML that does not open or close an allowed tag.
_TAG_NAMES = "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True))
_NOT_ALLOWED_TAG = re.compile(rf"<(?!/?(?:{_TAG_NAMES})(?=[\s/>]|$))")
_FORMATTER = HtmlFormatter(cssclass="highlight")


def _only_allowed_tags(raw: str) -> str:
    return _NOT_ALLOWED_TAG.sub("&lt;", raw)


def _render_html_token(self, tokens, idx, options, env) -> str:
    return _only_allowed_tags(tokens[idx].content)


def _render_fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    code = token.content
    if language and len(code) <= HIGHLIGHT_MAX_CHARS:
        try:
            lexer = get_lexer_by_name(language)
        except ClassNotFound:
            lexer = None
        if lexer is not None:
            return highlight(code, lexer, _FORMATTER)
    return f'<div class="highlight"><pre><code>{escapeHtml(code)}</code></pre></div>\n'


def _html_block_of_allowed_tags(state, start_line, end_line, silent) -> bool:
    start = state.bMarks[start_line] + state.tShift[start_line]
    if _NOT_ALLOWED_TAG.match(state.src, start):
        return False  # read as a paragraph, where the tag is shown as text
    return _html_block(state, start_line, end_line, silent)


def _heading_ids(state) -> None:
    """Give each heading an id from its text (``## Steps`` → ``id="steps"``)."""
    seen: set[str] = set()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        base = slugify(tokens[index + 1].content)[:80] or "section"
        anchor, n = base, 1
        while anchor in seen:
            anchor = f"{base}_{n}"
            n += 1
        seen.add(anchor)
        token.attrSet("id", anchor)


def _parser() -> MarkdownIt:
    parser = MarkdownIt(
        "commonmark",
        {"typographer": True, "maxNesting": MAX_NESTING, "html": True},
    ).enable(["table", "strikethrough", "replacements", "smartquotes"])
    parser.block.ruler.at(
        "html_block",
        _html_block_of_allowed_tags,
        {"alt": ["paragraph", "reference", "blockquote"]},
    )
    # Every link becomes a link; nh3 then drops hrefs with schemes we do not allow
    # (javascript:, data:), so ``[click](javascript:...)`` shows as "click".
    parser.validateLink = lambda url: True
    parser.core.ruler.push("heading_ids", _heading_ids)
    parser.add_render_rule("html_block", _render_html_token)
    parser.add_render_rule("html_inline", _render_html_token)
    parser.add_render_rule("fence", _render_fence)
    return parser


_MD = _parser()


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
    text = text or ""
    if len(text) > MARKDOWN_MAX_CHARS:
        return sanitize_html(f"<pre>{html_lib.escape(text)}</pre>")
    return sanitize_html(_MD.render(text))


def render_plain_with_links(text: str) -> str:
    """Short plain text (comments): escaped, with bare URLs turned into links."""
    escaped = html_lib.escape(text or "")
    linked = re.sub(
        r"(https?://[^\s<]+[^\s<.,;:!?)\]'\"])",
        r'<a href="\1">\1</a>',
        escaped,
    )
    return sanitize_html(linked)
