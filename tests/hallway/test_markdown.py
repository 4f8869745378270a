"""Markdown rendering: linear work on hostile input, features kept, nothing swallowed.

Work is measured as the number of Python lines executed (``sys.settrace``), not
as time: four times the input may cost about four times the work, never sixteen.
"""

import sys

import pytest

from hallway.markdown import MARKDOWN_MAX_CHARS, render_markdown
from tests.hostile.executable import executable_parts

PATHOLOGICAL = {
    "open brackets": "[",
    "open images": "![",
    "unclosed links": "[a](",
    "emphasis runs": "*a",
    "strong and emphasis": "**_",
    "backticks": "`a",
    "link references": "[a]: b\n",
    "html comments": "a<!--",
    "nested quotes": "> ",
    "nested lists": "- ",
    "table rows": "|a|\n",
    "entities": "&#",
    "escapes": "\\",
}


def _lines_executed(text: str) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        render_markdown(text)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("pattern", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_rendering_work_grows_linearly_with_hostile_input(pattern):
    small = _lines_executed((pattern * 600)[:600])
    large = _lines_executed((pattern * 2400)[:2400])
    # Linear: ~4x. Python-Markdown needed ~16x (quadratic) on open brackets.
    assert large <= 6 * max(small, 1), (small, large)


def test_text_over_the_limit_is_shown_as_escaped_text():
    html = render_markdown("**<b>x</b>** " * (MARKDOWN_MAX_CHARS // 10))
    assert "<strong>" not in html
    assert "&lt;b&gt;" in html


@pytest.mark.parametrize(
    "tag",
    [
        "<style>",
        "<script>",
        "<textarea>",
        "<title>",
        "<xmp>",
        "<plaintext>",
        "<noscript>",
        "<iframe>",
        "<!--",
        "<svg><style>",
        "<template>",
    ],
)
def test_an_unclosed_raw_text_tag_does_not_swallow_the_rest(tag):
    html = render_markdown(f"before\n\n{tag}\n\nafter **bold**\n\ninline {tag} tail")
    assert "<strong>bold</strong>" in html
    assert "tail" in html
    assert "<style" not in html and "<script" not in html


def test_features_survive_the_renderer():
    html = render_markdown(
        "# Title\n\n"
        '"quoted" -- text\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "```python\nprint('<b>')\n```\n\n"
        "~~gone~~ <kbd>Ctrl</kbd> <https://example.org>\n\n"
        "<details><summary>More</summary>hidden</details>\n"
    )
    assert '<h1 id="title">Title</h1>' in html
    assert "“quoted” –" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="highlight"' in html and "&lt;b&gt;" in html
    assert "<s>gone</s>" in html and "<kbd>Ctrl</kbd>" in html
    assert 'href="https://example.org"' in html
    assert "<details><summary>More</summary>" in html


@pytest.mark.parametrize(
    "evil",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        "<svg onload=alert(1)>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_nothing_executable_survives(evil):
    html = render_markdown(f"{evil}\n\ntext")
    assert executable_parts(html, allowed_scripts=()) == []
    assert "text" in html


def test_headings_get_unique_ids():
    html = render_markdown("## Steps\n\n## Steps\n\n### Étapes & more")
    assert '<h2 id="steps">' in html and '<h2 id="steps_1">' in html
    assert '<h3 id="etapes-more">' in html


def test_links_with_forbidden_schemes_keep_only_their_text():
    html = render_markdown("[click](javascript:alert(1)) ![p](data:image/png;base64,x)")
    assert "javascript" not in html and "data:" not in html
    assert ">click</a>" in html
