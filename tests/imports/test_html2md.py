"""HTML post bodies to Markdown: code stays byte for byte, structure survives."""

import re

from hallway.markdown import render_markdown
from kb.imports.html2md import html_to_markdown

CODE = "def f(x):\n    return x * 2  # `tick` <b>not bold</b>\n\n\n  end"


def test_code_blocks_survive_the_round_trip():
    html = (
        "<p>Run <code>a*b_c</code>:</p>\n<pre><code>"
        + CODE.replace("<", "&lt;").replace(">", "&gt;")
        + "\n</code></pre>"
    )
    markdown = html_to_markdown(html)

    assert f"```\n{CODE}\n```" in markdown
    assert "`a*b_c`" in markdown
    rendered = render_markdown(markdown)
    assert "return x * 2  # `tick` &lt;b&gt;not bold&lt;/b&gt;\n\n\n  end" in rendered


def test_fences_inside_code_get_a_longer_fence():
    markdown = html_to_markdown("<pre><code>```\nnested\n```\n</code></pre>")
    assert markdown.startswith("````\n```\nnested\n```\n````")


def test_lists_links_quotes_and_images():
    html = (
        '<p>See <a href="https://x.org/a_b">the <em>docs</em></a> and '
        "<strong>this</strong>.</p>"
        "<ul><li><p>one</p><pre><code>code in a list\n</code></pre></li>"
        "<li>two<br>lines</li></ul>"
        "<blockquote><p>quoted</p></blockquote>"
        '<ol start="3"><li>three</li></ol>'
        '<p><img src="https://i.stack.imgur.com/x.png" alt="shot"></p><h2>Head</h2>'
    )
    markdown = html_to_markdown(html)
    rendered = render_markdown(markdown)

    assert "[the *docs*](<https://x.org/a_b>)" in markdown
    assert "**this**" in markdown
    assert "> quoted" in markdown
    assert "3. three" in markdown
    assert "![shot](<https://i.stack.imgur.com/x.png>)" in markdown
    assert "## Head" in markdown
    assert '<a href="https://x.org/a_b"' in rendered
    assert "<li>\n<p>one</p>" in rendered
    assert "code in a list" in rendered and "<pre>" in rendered
    assert "two<br>" in rendered
    # Attribute order is the renderer's business; the image and its text are ours.
    assert re.search(
        r'<img (?=[^>]*src="https://i\.stack\.imgur\.com/x\.png")(?=[^>]*alt="shot")',
        rendered,
    )


def test_text_that_looks_like_markdown_is_escaped():
    markdown = html_to_markdown("<p>2*3*4 and snake_case_name [x]</p>")
    assert render_markdown(markdown).strip() == "<p>2*3*4 and snake_case_name [x]</p>"
