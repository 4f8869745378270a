"""Fill Dutch translations into a gettext catalogue from the command line.

Used after ``make messages`` to translate new strings without an editor::

    python tools/po_fill.py locale/nl/LC_MESSAGES/django.po 'Ideas=>Ideeën' \
        '%(n)s vote=>%(n)s stem||%(n)s stemmen'

``msgid=>msgstr`` sets a translation; for a plural entry the msgstr holds the
singular and plural forms separated by ``||``. A filled entry loses its
*fuzzy* flag. ``--missing`` lists entries that still lack a translation.
"""

from __future__ import annotations

import argparse
import sys

import polib


def fill(path: str, pairs: list[str]) -> int:
    """Set translations in the catalogue at *path*; return how many were set."""
    catalogue = polib.pofile(path, wrapwidth=79)
    by_id = {entry.msgid: entry for entry in catalogue}
    done = 0
    for pair in pairs:
        if "=>" not in pair:
            raise SystemExit(f"Expected 'msgid=>msgstr', got {pair!r}.")
        msgid, msgstr = pair.split("=>", 1)
        entry = by_id.get(msgid)
        if entry is None:
            raise SystemExit(f"Not in {path}: {msgid!r}. Run `make messages` first?")
        if entry.msgid_plural:
            forms = msgstr.split("||")
            if len(forms) != 2:
                raise SystemExit(f"Plural entry {msgid!r} needs 'one||many'.")
            entry.msgstr_plural = {0: forms[0], 1: forms[1]}
        else:
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        done += 1
    catalogue.save(path)
    return done


def missing(path: str) -> list[str]:
    """The msgids at *path* that are untranslated or fuzzy."""
    catalogue = polib.pofile(path)
    todo = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    return [entry.msgid for entry in todo]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogue", help="path to a .po file")
    parser.add_argument("pairs", nargs="*", help="msgid=>msgstr (plural: one||many)")
    parser.add_argument(
        "--missing", action="store_true", help="list what still needs a translation"
    )
    args = parser.parse_args(argv)
    if args.missing:
        for msgid in missing(args.catalogue):
            print(repr(msgid))
        return 0
    print(f"{fill(args.catalogue, args.pairs)} translation(s) set in {args.catalogue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
