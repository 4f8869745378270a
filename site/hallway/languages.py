"""The language a piece of content is written in (``en`` or ``nl``).

Detected with py3langid (a maintained fork of langid.py: a small naive Bayes
model, a few milliseconds per text) restricted to the site's languages; the
author can always override it.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ValidationFailed

# Code, links and Markdown punctuation say nothing about the language.
_NOISE = re.compile(r"```.*?```|`[^`]*`|https?://\S+|[#*_>\[\]()|~-]+", re.S)
# Shorter texts are guessed poorly: they get the author's interface language.
MIN_LETTERS = 12


def site_languages() -> list[str]:
    """The language codes content can be written in."""
    return [code for code, _name in settings.LANGUAGES]


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(site_languages())
    return identifier


def detect_language(text: str, *, fallback: str = "") -> str:
    """The site language ``text`` is most likely written in, else ``fallback``
    (or the site default) when the text is too short to tell."""
    fallback = fallback if fallback in site_languages() else settings.LANGUAGE_CODE
    plain = _NOISE.sub(" ", text or "")
    if sum(ch.isalpha() for ch in plain) < MIN_LETTERS:
        return fallback
    language, _probability = _identifier().classify(plain)
    return language if language in site_languages() else fallback


def content_language(
    *, chosen: str | None, text: str, author=None, current: str = ""
) -> str:
    """The language to store for content: the author's choice when given (checked),
    else detected from ``text``; ``ValidationFailed`` for an unknown choice."""
    if chosen:
        if chosen not in site_languages():
            raise ValidationFailed(
                {
                    "language": [
                        _("Choose one of: %(codes)s.")
                        % {"codes": ", ".join(site_languages())}
                    ]
                }
            )
        return chosen
    return detect_language(text, fallback=current or getattr(author, "language", ""))
