"""The hostile-input corpus: values and bodies a careful attacker would send."""

XSS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert("xss-2")>',
    "javascript:alert('xss-3')",
    "<svg/onload=alert('xss-4')>",
    "[click](javascript:alert('xss-5'))",
    "<a href=\"javascript:alert('xss-6')\">x</a>",
    "<iframe src=\"javascript:alert('xss-7')\"></iframe>",
    "'-alert('xss-8')-'",
    "</textarea><script>alert('xss-9')</script>",
    "<details open ontoggle=alert('xss-10')>",
    "{{7*7}}<style>*{display:none}</style>",
]

MARKDOWN = {
    "open brackets": "[" * 8000,
    "open images": "![" * 4000,
    "emphasis runs": "*a" * 8000,
    "unclosed style": "intro\n\n<style>\n\nrest",
    "deep quotes": "> " * 5000 + "deep",
    "deep lists": "".join("  " * i + "- x\n" for i in range(300)),
    "many tables": "|a|b|\n|-|-|\n" + "|1|2|\n" * 3000,
}

STRINGS = [
    "nul\x00inside",
    "bell\x07and\x1bescape",
    "lone \ud800 surrogate",
    "\u202eright-to-left override",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "x" * 100_000,
    XSS[0],
    MARKDOWN["open brackets"],
]

NUMBERS = [10**30, -(10**30), 2**63, -1, 0, 1.5, True]

ID_VALUES = ["99999999999999999999999999", "9223372036854775808", "-1", "0"]
# Strings are percent-encoded as UTF-8; bytes as they are (invalid UTF-8).
QUERY_VALUES = [
    "nul\x00",
    "%00",
    "9" * 40,
    "-1",
    "x" * 5000,
    "<script>",
    b"\xff\xed\xa0\x80",
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def deep_json(depth: int = 5000) -> bytes:
    """A JSON document nested ``depth`` levels deep."""
    return b"[" * depth + b"]" * depth


RAW_BODIES = {
    "deep JSON": deep_json(),
    "deep object": b'{"a":' * 3000 + b"1" + b"}" * 3000,
    "invalid UTF-8": b'{"title": "\xff\xfe\xc3\x28", "body": "\xed\xa0\x80"}',
    "not JSON": b"title=hello&body=world",
    "truncated JSON": b'{"title": "unfinished',
    "JSON array": b"[1, 2, 3]",
    "JSON null": b"null",
    "JSON string": b'"just a string"',
    "huge number": b'{"title": 1' + b"0" * 5000 + b"}",
    "NaN": b'{"title": NaN, "value": Infinity}',
    "10 MB": b'{"body": "' + b"a" * (10 * 1024 * 1024) + b'"}',
}
