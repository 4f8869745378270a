"""Wagtail's page tree for code that builds pages itself: the demo loader and the
relevance evaluation's scratch site."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page


def tree_root() -> Page:
    """Wagtail's tree root, recreated (with the default locale) when a database
    flush removed the rows Wagtail's migrations made."""
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
    return root
