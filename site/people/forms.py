"""The profile form (rules live in ``services.profile_update``)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hallway.forms import ServiceErrorsMixin

from .services import BIO_MAX, FIELD_MAX


class ProfileForm(ServiceErrorsMixin, forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=150)
    office = forms.CharField(
        label=_("Office or location"), max_length=FIELD_MAX, required=False
    )
    department = forms.CharField(
        label=_("Department"), max_length=FIELD_MAX, required=False
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Separate with commas, e.g. English, Dutch."),
    )
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=BIO_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, up to %(n)d characters.") % {"n": BIO_MAX},
    )
    language = forms.ChoiceField(
        label=_("Language of Hallway"),
        required=False,
        choices=[("", _("As my browser says")), *settings.LANGUAGES],
        help_text=_("Pages, notifications and e-mails come in this language."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
