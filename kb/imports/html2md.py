"""HTML (as in Stack Exchange dumps) to Markdown, keeping code blocks byte for byte.

Covers what post bodies use: paragraphs, headings, emphasis, inline code, code
blocks, links, images, lists, block quotes, rules, line breaks and tables (kept
as HTML). Unknown tags keep their text.
"""

import re

from bs4 import BeautifulSoup, NavigableString, Tag

_ESCAPE_RE = re.compile(r"([\\`*_\[\]])")
_BLOCKS = {"p", "pre", "ul", "ol", "blockquote", "hr", "table", "div"}
_BLOCKS |= {f"h{n}" for n in range(1, 7)}


def html_to_markdown(html: str) -> str:
    """Convert a post body from HTML to Markdown."""
    soup = BeautifulSoup(html or "", "html.parser")
    return _blocks(soup.contents).strip() + "\n"


def _blocks(nodes, nested: bool = False) -> str:
    parts: list[str] = []
    inline: list[str] = []
    for node in nodes:
        if isinstance(node, Tag) and node.name in _BLOCKS:
            if "".join(inline).strip():
                parts.append("".join(inline).strip())
            inline = []
            parts.append(_block(node, nested))
        else:
            inline.append(_inline(node))
    if "".join(inline).strip():
        parts.append("".join(inline).strip())
    return "\n\n".join(p for p in parts if p.strip())


def _fence(code: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    return "`" * max(3, longest + 1)


def _block(node: Tag, nested: bool = False) -> str:
    name = node.name
    if name == "pre":
        code = node.get_text()
        if nested:  # fenced code is not recognised inside list items
            return "\n".join(
                f"    {line}" if line else "" for line in code.rstrip("\n").split("\n")
            )
        fence = _fence(code)
        return f"{fence}\n{code.rstrip(chr(10))}\n{fence}"
    if name == "p" or name == "div":
        if name == "div":
            return _blocks(node.contents, nested)
        return _inline_all(node).strip()
    if name[0] == "h" and name[1:].isdigit():
        return "#" * int(name[1:]) + " " + _inline_all(node).strip()
    if name == "hr":
        return "---"
    if name == "blockquote":
        inner = _blocks(node.contents, nested)
        return "\n".join(f"> {line}".rstrip() for line in inner.splitlines())
    if name in ("ul", "ol"):
        return _list(node)
    return str(node)  # tables: Markdown renders raw HTML blocks as they are


def _list(node: Tag) -> str:
    items: list[str] = []
    number = int(node.get("start") or 1) if node.name == "ol" else 0
    for item in node.find_all("li", recursive=False):
        marker = f"{number}. " if node.name == "ol" else "- "
        number += 1
        body = _blocks(item.contents, nested=True) or ""
        indent = "    "
        body_lines = body.splitlines() or [""]
        lines = [marker + body_lines[0]]
        lines.extend((indent + line) if line else "" for line in body_lines[1:])
        items.append("\n".join(lines))
    loose = any("\n\n" in item for item in items)
    return ("\n\n" if loose else "\n").join(items)


def _inline_all(node: Tag) -> str:
    return "".join(_inline(child) for child in node.contents)


def _inline(node) -> str:
    if isinstance(node, NavigableString):
        text = re.sub(r"\s+", " ", str(node))
        return _ESCAPE_RE.sub(r"\\\1", text)
    if not isinstance(node, Tag):
        return ""
    name = node.name
    if name == "code":
        code = node.get_text()
        ticks = "`" * (max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
        pad = " " if code.startswith("`") or code.endswith("`") else ""
        return f"{ticks}{pad}{code}{pad}{ticks}"
    if name in ("strong", "b"):
        inner = _inline_all(node).strip()
        return f"**{inner}**" if inner else ""
    if name in ("em", "i"):
        inner = _inline_all(node).strip()
        return f"*{inner}*" if inner else ""
    if name in ("del", "s", "strike"):
        return f"<del>{_inline_all(node)}</del>"
    if name == "br":
        return "  \n"
    if name == "a":
        href = node.get("href", "")
        text = _inline_all(node).strip() or href
        title = node.get("title")
        title_part = f' "{title}"' if title else ""
        return f"[{text}](<{href}>{title_part})" if href else text
    if name == "img":
        alt = _ESCAPE_RE.sub(r"\\\1", node.get("alt", ""))
        return f"![{alt}](<{node.get('src', '')}>)"
    if name in _BLOCKS or name == "li":
        return "\n\n" + _block(node) + "\n\n"
    if name in ("kbd", "sup", "sub"):
        return f"<{name}>{node.get_text()}</{name}>"
    return _inline_all(node)
