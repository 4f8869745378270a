"""The Dutch catalogue is complete: every message of the source has a Dutch
translation, none is fuzzy, and the placeholders match (msgfmt checks them too)."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("locale/nl/LC_MESSAGES/*.po"))
SOURCE_FOLDERS = ["site", "kb", "journals", "search", "templates"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def test_there_is_a_dutch_catalogue():
    assert ROOT / "locale/nl/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_message_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} without Dutch: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy (check and remove the flag): {fuzzy[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_translations_keep_the_placeholders(path):
    wrong = []
    for entry in polib.pofile(str(path)).translated_entries():
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        )
        for source, text in pairs:
            # Dutch may drop the count in the singular ("één dag"), not elsewhere.
            if entry.msgid_plural:
                continue
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append(entry.msgid)
    assert not wrong, wrong


def test_catalogue_holds_every_message_of_the_source(tmp_path, settings, monkeypatch):
    """A string added to the code or a template but not to the catalogue fails
    here: run `make messages`, translate it, commit the .po."""
    if shutil.which("xgettext") is None:
        pytest.skip("collecting messages needs xgettext (Debian: gettext)")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(
            ROOT / folder,
            tmp_path / folder,
            ignore=lambda _dir, names: [
                n for n in names if "." in n and not n.endswith((".py", ".html"))
            ],
        )
    (tmp_path / "locale/nl/LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nl"], verbosity=0)
    collected = polib.pofile(str(tmp_path / "locale/nl/LC_MESSAGES/django.po"))
    known = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))
    }
    missing = sorted(e.msgid for e in collected if (e.msgctxt, e.msgid) not in known)
    assert not missing, f"not in the catalogue (make messages): {missing[:20]}"
