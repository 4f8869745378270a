"""Template tags other apps' pages use to link to ideas (no Python import of
``kb.ideas`` needed: journals' entry page loads this library)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ..selectors import ideas_from_entry, overdue_ideas
from ..signing import entry_token

register = template.Library()


@register.inclusion_tag("ideas/_from_entry.html", takes_context=True)
def ideas_for_entry(context, entry) -> dict:
    """``{% ideas_for_entry entry %}``: ideas this entry became, and for its author
    a "Turn into an idea" link (signed, so only the author can link the entry)."""
    user = context["request"].user
    ideas = ideas_from_entry(entry_id=entry.pk, viewer=user)
    turn_url = ""
    if getattr(user, "pk", None) == entry.author_id:
        params = {
            "title": (entry.title or entry.body.strip().splitlines()[0])[:200],
            "body": entry.body[:5000],
            "token": entry_token(entry_id=entry.pk, user_id=user.pk),
        }
        turn_url = (
            reverse("ideas:from-entry", kwargs={"entry_id": entry.pk})
            + "?"
            + urlencode(params)
        )
    return {"entry_ideas": ideas, "turn_url": turn_url}


@register.inclusion_tag("ideas/_overdue_section.html", takes_context=True)
def overdue_ideas_section(context) -> dict:
    """``{% overdue_ideas_section %}``: the leads' dashboard box of ideas still
    waiting for any response after their campaign's response days."""
    return {"overdue": overdue_ideas(user=context["request"].user, limit=20)}
