#!/usr/bin/env python
"""Django's command-line utility for Hallway."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# `site` is a standard-library module, so site/ is a folder on the path, not a package.
sys.path[:0] = [str(ROOT), str(ROOT / "site")]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hallway.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
