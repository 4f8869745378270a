"""Count what issue #17 keeps out of the tree: first-party imports inside
functions without a comment saying why, and ``except ImportError`` /
``except LookupError`` guards around imports.

    python tools/layering.py            # app code (site, kb, journals, search)
    python tools/layering.py tests      # any folders
    python tools/layering.py --list     # every hit, with file and line
    python tools/layering.py --max 15   # also fail above 15 outside migrations

An import inside a function counts as explained when a comment sits on its
line or on the lines just above it (within the run of imports it belongs to),
for example "Django's ready(): models are loaded now" or "a migration".
Exits 1 when an unexplained import or a guard is found, or when imports inside
functions outside migrations number more than ``--max``, so it can gate CI: a
new one needs a comment and a deliberate raise of the ceiling in the Makefile.
"""

import ast
import sys
from pathlib import Path

FIRST_PARTY = {"hallway", "people", "home", "notifications", "reputation", "kb"}
FIRST_PARTY |= {"journals", "search", "integrations", "uploads", "tools", "tests"}
DEFAULT_ROOTS = ("site", "kb", "journals", "search")
SKIP_PARTS = {".venv", ".cache", "node_modules", "__pycache__"}


def _first_party(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").split(".")[0] in FIRST_PARTY
    return any(alias.name.split(".")[0] in FIRST_PARTY for alias in node.names)


def _explained(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line or in the block of imports just above it."""
    if "#" in lines[lineno - 1]:
        return True
    index = lineno - 2
    while index >= 0:
        text = lines[index].strip()
        if text.startswith("#"):
            return True
        if not text or text.startswith(("from ", "import ", ")")) or text.endswith(","):
            index -= 1
            continue
        return False
    return False


def scan(path: Path) -> tuple[list[tuple[int, bool, str]], list[int]]:
    """Imports inside functions (line, explained, text) and import guards (lines)."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    imports: dict[int, tuple[int, bool, str]] = {}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom) and _first_party(node):
                line = node.lineno
                text = lines[line - 1].strip()
                imports[line] = (line, _explained(lines, line), text)
    guards = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(node)
        ):
            for handler in node.handlers:
                names = ast.unparse(handler.type) if handler.type else ""
                if "ImportError" in names or "LookupError" in names:
                    guards.append(handler.lineno)
    return sorted(imports.values()), guards


def main(argv: list[str]) -> int:
    show = "--list" in argv
    ceiling = None
    if "--max" in argv:
        at = argv.index("--max")
        ceiling = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2 :]
    roots = [a for a in argv if not a.startswith("--")] or list(DEFAULT_ROOTS)
    total = unexplained = guard_count = in_migrations = 0
    for root in roots:
        for path in sorted(Path(root).rglob("*.py")):
            if SKIP_PARTS.intersection(path.parts):
                continue
            imports, guards = scan(path)
            for lineno, explained, text in imports:
                total += 1
                in_migrations += "migrations" in path.parts
                unexplained += not explained
                if show or not explained:
                    mark = "explained  " if explained else "UNEXPLAINED"
                    print(f"{mark} {path}:{lineno}: {text}")
            for lineno in guards:
                guard_count += 1
                print(f"GUARD       {path}:{lineno}: except ImportError/LookupError")
    outside = total - in_migrations
    print(
        f"{' '.join(roots)}: {total} first-party imports inside functions "
        f"({outside} outside migrations), {unexplained} without a comment; "
        f"{guard_count} import guards"
    )
    if ceiling is not None and outside > ceiling:
        print(f"More than {ceiling} imports inside functions outside migrations.")
        return 1
    return 1 if unexplained or guard_count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
