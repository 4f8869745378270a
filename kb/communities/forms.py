"""The knowledge page editor's form; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hallway.forms import ServiceErrorsMixin, language_field

from .selectors import Section
from .services import PAGE_SUMMARY_MAX, PAGE_TEXT_MAX, PAGE_TITLE_MAX


class KnowledgePageForm(ServiceErrorsMixin, forms.Form):
    """Title, summary, tags, language and one textarea per text block."""

    title = forms.CharField(
        label=_("Title"),
        max_length=PAGE_TITLE_MAX + 50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=PAGE_SUMMARY_MAX + 100,
        help_text=_("One or two sentences: what will the reader learn?"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Up to 10, separated by spaces or commas, e.g. deploy ci."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = language_field()
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            if not section.editable:
                continue
            self.fields[f"section-{section.index}"] = forms.CharField(
                label=section.label,
                required=False,
                max_length=PAGE_TEXT_MAX + 1000,
                initial=section.text,
                help_text=_(
                    "Markdown: **bold**, _italic_, `code`, lists, tables, and "
                    "``` for code."
                ),
                widget=forms.Textarea(attrs={"rows": 14}),
            )

    def texts(self) -> dict[int, str]:
        """The edited text of each text block, by its position in the body."""
        return {
            section.index: self.cleaned_data.get(f"section-{section.index}") or ""
            for section in self.sections
            if section.editable
        }

    def section_rows(self) -> list[tuple[Section, forms.BoundField | None]]:
        """Each body block with its field (``None`` for blocks kept as they are)."""
        return [
            (section, self[f"section-{section.index}"] if section.editable else None)
            for section in self.sections
        ]
