"""Atom feed of a person's organisation-visible entries, for feed readers."""

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import Entry

FEED_SIZE = 50


class PersonAtomFeed(Feed):
    """Authenticated by the reader's feed token (``?token=``), never a session."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, username: str):
        reader = selectors.reader_for_feed_token(token=request.GET.get("token", ""))
        if reader is None:
            raise Http404("Unknown feed token.")
        person = get_object_or_404(get_user_model(), username=username, is_active=True)
        self._entries = list(
            Entry.objects.visible_to(reader)
            .filter(author=person, visibility=Entry.Visibility.ORGANISATION)
            .select_related("author")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )
        return person

    def title(self, person) -> str:
        return _("%(name)s's journal") % {"name": person.get_display_name()}

    def link(self, person) -> str:
        return reverse("journals:person", kwargs={"username": person.username})

    def subtitle(self, person) -> str:
        return _("Organisation-visible entries on Hallway.")

    def items(self, person) -> list[Entry]:
        return self._entries

    def item_title(self, entry: Entry) -> str:
        return entry.display_title

    def item_description(self, entry: Entry) -> str:
        return entry.body_html

    def item_link(self, entry: Entry) -> str:
        return entry.get_absolute_url()

    def item_pubdate(self, entry: Entry):
        return entry.created_at

    def item_updateddate(self, entry: Entry):
        return entry.updated_at

    def item_author_name(self, entry: Entry) -> str:
        return entry.author.get_display_name()
