"""Thin forms: shape the input; the services validate and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hallway.forms import ServiceErrorsMixin, language_field

from .models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Entry


class EntryForm(ServiceErrorsMixin, forms.Form):
    """Write or edit an entry."""

    prompt = forms.ChoiceField(
        label=_("Prompt"),
        choices=[("", _("None"))] + list(Entry.Prompt.choices),
        required=False,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title (optional)"), max_length=TITLE_MAX_LENGTH, required=False
    )
    body = forms.CharField(
        label=_("Entry"),
        # One more than allowed so the service's clear message is the one shown.
        max_length=BODY_MAX_LENGTH + 1,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, `code`, lists, links and fenced code."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Comma-separated, e.g. postgres, deploys"),
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=[])
    community = forms.ChoiceField(label=_("Community"), required=False, choices=[])
    language = language_field()

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = Entry.Visibility.choices
        self.fields["community"].choices = [("", _("Choose a community"))] + [
            (c.slug, c.title) for c in communities
        ]


class JournalSettingsForm(forms.Form):
    """Preferences for new entries."""

    default_visibility = forms.ChoiceField(
        label=_("Default visibility of new entries"),
        choices=Entry.Visibility.choices,
    )
