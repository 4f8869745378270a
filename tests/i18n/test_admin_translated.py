"""The Wagtail admin's own screens for Hallway's models speak Dutch too (#13):
every column and filter of a listing, and each model's name, is marked for
translation (the catalogue test then insists on its Dutch)."""

import importlib

import pytest
from django.utils import translation
from django.utils.functional import Promise

from kb.qa.models import Answer

HOOKS = ["kb.qa.wagtail_hooks", "journals.wagtail_hooks", "integrations.wagtail_hooks"]


def viewsets():
    found = []
    for name in HOOKS:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and getattr(value, "model", None) is not None
                and isinstance(getattr(value, "list_display", None), list | tuple)
            ):
                found.append(value)
    return found


@pytest.mark.parametrize("viewset", viewsets(), ids=lambda v: v.__name__)
def test_listing_columns_and_filters_are_translated(viewset):
    model = viewset.model
    assert isinstance(model._meta.verbose_name, Promise)
    assert isinstance(model._meta.verbose_name_plural, Promise)
    filters = getattr(viewset, "list_filter", None)
    names = [*viewset.list_display, *(filters if isinstance(filters, list) else [])]
    for name in names:
        if name == "__str__":
            continue
        label = model._meta.get_field(name).verbose_name
        assert isinstance(label, Promise), f"{model.__name__}.{name} has no label"


def test_an_answer_names_itself_in_dutch(db):
    with translation.override("nl"):
        assert str(Answer(pk=3, question_id=7)) == "Antwoord 3 op vraag 7"
