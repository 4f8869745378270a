"""No literal interface text in templates: every word a person reads goes through
{% trans %} / {% blocktrans %} (or comes from Python, already translated)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [
    path
    for path in [
        ROOT / "templates",
        *ROOT.glob("*/templates"),
        *ROOT.glob("*/*/templates"),
    ]
    if path.relative_to(ROOT).parts[0] not in {"tests", ".venv", ".cache"}
]

# Names and marks that read the same in every language.
ALLOWED = {"Hallway", "Markdown", "Atom", "RSS", "API", "OpenAPI", "Wagtail", "ms"}
# Attributes a person reads (or hears from a screen reader).
READABLE_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label", "label")

_REMOVE = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%\s*(blocktrans|blocktranslate)\b.*?{%\s*end\1\s*%}", re.S),
    # CSS class names, not text
    re.compile(r"{%\s*block body_class\s*%}.*?{%\s*endblock\s*%}", re.S),
    re.compile(r"<(script|style|pre|code)\b.*?</\1>", re.S | re.I),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
_NAMES = "|".join(READABLE_ATTRIBUTES)
_ATTRIBUTE = re.compile(rf"""\s({_NAMES})\s*=\s*("([^"]*)"|'([^']*)')""", re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")


def _without_tags(text: str) -> str:
    for pattern in _REMOVE:
        text = pattern.sub(" ", text)
    return text


def literal_text(source: str) -> list[str]:
    """The pieces of ``source`` a person would read that are not translated."""
    # Attribute values first (before the tags around them are dropped); the
    # template tags inside them (trans, variables) are removed like elsewhere.
    found = []
    for match in _ATTRIBUTE.finditer(_REMOVE[0].sub(" ", source)):
        value = match.group(3) if match.group(3) is not None else match.group(4)
        found.extend(_words(_without_tags(value)))
    found.extend(_words(_TAG.sub(" ", _without_tags(source))))
    return found


def _words(text: str) -> list[str]:
    text = _ENTITY.sub(" ", text)
    pieces = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n|<|>", text)]
    return [
        piece
        for piece in pieces
        if any(word not in ALLOWED for word in _WORD.findall(piece))
    ]


def test_scanner_finds_literal_text_and_lets_translated_text_through():
    assert literal_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert literal_text('<img alt="A photo" src="x">') == ["A photo"]
    assert literal_text('<p>{% trans "Hello" %}</p>') == []
    assert literal_text("<p>{% blocktrans %}Hi {{ x }}{% endblocktrans %}</p>") == []
    assert literal_text("<a title=\"{% trans 'Home' %}\">Hallway</a>") == []


def test_templates_have_no_untranslated_text():
    untranslated = {}
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            pieces = literal_text(path.read_text())
            if pieces:
                untranslated[str(path.relative_to(ROOT))] = pieces
    assert not untranslated, untranslated
