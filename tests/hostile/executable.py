"""Find what a browser could execute in an HTML document (for hostile-input tests)."""

from html.parser import HTMLParser

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


class _Finder(HTMLParser):
    def __init__(self, allowed_scripts: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            elif name in _URL_ATTRIBUTES and value.startswith(_BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            elif name == "style" and ("expression(" in value or "url(" in value):
                self.found.append(f"<{tag} style={value[:40]}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not any(src.startswith(prefix) for prefix in self.allowed_scripts):
                self.found.append(f"<script src={src[:40]!r}>")
        elif tag in {"iframe", "object", "embed", "base", "meta", "form"}:
            if tag == "form" or tag == "meta":
                return
            self.found.append(f"<{tag}>")


def executable_parts(html: str, *, allowed_scripts=("/static/",)) -> list[str]:
    """Tags, handlers and URLs in ``html`` that would run script; [] when none."""
    finder = _Finder(frozenset(allowed_scripts))
    finder.feed(html)
    finder.close()
    return finder.found
