"""Form pieces every app shares."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def language_field() -> forms.ChoiceField:
    """The "Written in" choice of a content form: empty means detect it."""
    return forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Detect the language")), *settings.LANGUAGES],
    )


class ServiceErrorsMixin:
    """Show a service's ``ValidationFailed`` errors on the matching fields.

    Errors for names the form has no field for become non-field errors.
    """

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Add each message to its field (or to the form as a whole)."""
        for field, messages in errors.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]
