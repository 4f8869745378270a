"""Forms for the question pages; the rules themselves live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hallway.forms import ServiceErrorsMixin, language_field
from kb.communities.selectors import (
    community_list,
    default_community,
    general_community,
)

from .models import Question
from .services import BODY_MAX, COMMENT_MAX, TITLE_MAX


class QuestionForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX + 50,
        help_text=_("Be specific: what would you type into a search box?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Body"),
        max_length=BODY_MAX + 1000,
        help_text=_("Markdown: fenced code blocks, tables, links."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Up to 5, separated by spaces or commas, e.g. python django."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = language_field()


class AskForm(QuestionForm):
    community = forms.ChoiceField(
        label=_("Community"),
        help_text=_(
            "Not sure? Leave it on the general community: everyone can answer there."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        general = general_community()
        choices = [(c.slug, c.title) for c in community_list()]
        if general is not None:
            # Everyday questions first: no specific community needed.
            label = _("%(general)s (no specific community)") % {
                "general": general.title
            }
            choices = [(general.slug, label)] + [
                choice for choice in choices if choice[0] != general.slug
            ]
        else:
            self.fields["community"].help_text = ""
        self.fields["community"].choices = choices
        default = general or default_community()
        if default is not None and not self.is_bound:
            self.fields["community"].initial = default.slug


class AnswerForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=BODY_MAX + 1000,
        help_text=_("Markdown: fenced code blocks, tables, links."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    language = language_field()


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX + 100,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
    )
    language = language_field()


class CloseForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Question.CloseReason.choices)
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of (question number)"), required=False, min_value=1
    )
