"""Forms for the idea pages; the rules themselves live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hallway.forms import ServiceErrorsMixin, language_field

from .services import BODY_MAX, COMMENT_MAX, DESCRIPTION_MAX, REASON_MAX, TITLE_MAX


class CampaignForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Question to the organisation"),
        max_length=TITLE_MAX + 50,
        help_text=_("For example: How do we halve the paperwork of a lease contract?"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. What you are looking for and what happens next."),
    )
    community = forms.ChoiceField(label=_("Scope"), required=False)
    sponsor = forms.CharField(
        label=_("Sponsor (username)"),
        required=False,
        max_length=150,
        help_text=_("Who promises an answer. Empty: you."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    votes_per_person = forms.IntegerField(
        label=_("Votes per person"),
        required=False,
        min_value=1,
        help_text=_("Empty: no limit."),
    )

    def __init__(self, *args, communities=(), organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The whole organisation"))] if organisation else []
        choices += [(c.slug, c.title) for c in communities]
        self.fields["community"].choices = choices


class IdeaForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Your idea in one line"),
        max_length=TITLE_MAX + 50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Details"),
        max_length=BODY_MAX + 1000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: links, lists, images by link."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Up to 5, separated by spaces or commas."),
    )
    language = language_field()


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX + 100,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = language_field()


class StatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    note = forms.CharField(
        label=_("Note (required when declining or “not now”)"),
        required=False,
        max_length=REASON_MAX + 100,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(statuses)


class ReasonForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX + 100,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
