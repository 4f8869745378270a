"""StreamField blocks for knowledge pages: freedom of medium, all output sanitised."""

from functools import lru_cache

from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from hallway.markdown import render_markdown

LANGUAGES = [
    ("text", _("Plain text")),
    ("bash", "Shell"),
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("json", "JSON"),
    ("yaml", "YAML"),
    ("sql", "SQL"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("go", "Go"),
    ("rust", "Rust"),
    ("java", "Java"),
    ("haskell", "Haskell"),
    ("docker", "Dockerfile"),
    ("toml", "TOML"),
]


@lru_cache(maxsize=1024)
def markdown_html(text: str) -> str:
    """Sanitised HTML for a Markdown block (cached: the same text renders the same)."""
    return render_markdown(text)


@lru_cache(maxsize=512)
def code_html(code: str, language: str) -> str:
    """Pygments-highlighted HTML for a code sample (escaped by Pygments)."""
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return highlight(code, lexer, HtmlFormatter(cssclass="highlight"))


class MarkdownBlock(blocks.TextBlock):
    """Markdown text, rendered and sanitised like every other Markdown in Hallway."""

    @cached_property
    def field(self):
        """The textarea, named for screen readers (Wagtail gives it no <label>)."""
        field = super().field
        field.widget.attrs["aria-label"] = self.label
        return field

    def render_basic(self, value, context=None):
        return mark_safe(markdown_html(value or ""))  # noqa: S308 - sanitised by nh3

    def get_searchable_content(self, value):
        return [value or ""]

    class Meta:
        icon = "doc-full"
        label = _("Markdown")
        help_text = _(
            "Markdown: **bold**, _italic_, `code`, lists, tables, and ``` for code."
        )
        rows = 12


class CodeBlock(blocks.StructBlock):
    """A code sample with its language, highlighted by Pygments."""

    language = blocks.ChoiceBlock(choices=LANGUAGES, default="text")
    code = blocks.TextBlock()
    caption = blocks.CharBlock(required=False)

    def render_basic(self, value, context=None):
        caption = value.get("caption")
        html = code_html(value.get("code") or "", value.get("language") or "text")
        return format_html(
            '<figure class="code-block" data-language="{}">{}{}</figure>',
            value.get("language") or "text",
            mark_safe(html),  # noqa: S308 - Pygments escapes the code
            format_html("<figcaption>{}</figcaption>", caption) if caption else "",
        )

    class Meta:
        icon = "code"
        label = _("Code")


class CaptionedImageBlock(blocks.StructBlock):
    """An image with an optional caption."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "communities/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    """A note, tip or warning set apart from the text (Markdown allowed)."""

    kind = blocks.ChoiceBlock(
        choices=[
            ("note", _("Note")),
            ("tip", _("Tip")),
            ("warning", _("Warning")),
            ("danger", _("Danger")),
        ],
        default="note",
    )
    text = blocks.TextBlock()

    def render_basic(self, value, context=None):
        kind = value.get("kind") or "note"
        return format_html(
            '<aside class="callout callout-{}" role="note">'
            '<p class="callout-kind">{}</p>{}</aside>',
            kind,
            dict(self.child_blocks["kind"].field.choices).get(kind, kind),
            mark_safe(markdown_html(value.get("text") or "")),  # noqa: S308
        )

    class Meta:
        icon = "warning"
        label = _("Callout")


class RelatedQuestionBlock(blocks.StructBlock):
    """A link to a question that this page answers or builds on."""

    title = blocks.CharBlock()
    url = blocks.URLBlock()


class RelatedQuestionsBlock(blocks.ListBlock):
    """A list of related questions."""

    def __init__(self, **kwargs):
        super().__init__(RelatedQuestionBlock(), **kwargs)

    def render_basic(self, value, context=None):
        items = mark_safe(  # noqa: S308 - every part escaped by format_html
            "".join(
                str(format_html('<li><a href="{}">{}</a></li>', q["url"], q["title"]))
                for q in value
            )
        )
        return format_html(
            '<section class="related-questions"><h2>{}</h2><ul>{}</ul></section>',
            _("Related questions"),
            items,
        )

    class Meta:
        icon = "help"
        label = _("Related questions")


class KnowledgeBodyBlock(blocks.StreamBlock):
    """Everything a knowledge page body may hold."""

    markdown = MarkdownBlock()
    rich_text = blocks.RichTextBlock(
        label=_("Rich text"),
        features=[
            "h2",
            "h3",
            "h4",
            "bold",
            "italic",
            "ol",
            "ul",
            "link",
            "hr",
            "code",
            "blockquote",
            "document-link",
            "image",
            "embed",
        ],
    )
    code = CodeBlock()
    image = CaptionedImageBlock()
    document = DocumentChooserBlock(
        label=_("Document"), template="communities/blocks/document.html"
    )
    embed = EmbedBlock(label=_("Embed (video, slides)"))
    callout = CalloutBlock()
    related_questions = RelatedQuestionsBlock()
