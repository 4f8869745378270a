"""The Wagtail home page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from hallway.http import is_htmx

from . import feed, selectors

MORE_TEMPLATE = "home/includes/hallway_items.html"


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except (TypeError, ValueError):
        return 1


def _wants_more(request) -> bool:
    """An htmx "load more" request: answer with the next items only."""
    return is_htmx(request) and "page" in request.GET


class HomePage(Page):
    """The site root: the public front page for visitors, the hallway for members."""

    intro = models.TextField(blank=True, help_text="A sentence or two under the title.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    template = "home/home_page.html"

    def get_template(self, request, *args, **kwargs):
        if _wants_more(request) and request.user.is_authenticated:
            return MORE_TEMPLATE
        return super().get_template(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        viewer = request.user
        member = getattr(viewer, "is_authenticated", False) and viewer.is_active
        if member:
            more = _wants_more(request)
            context["hallway_page"] = feed.hallway_page(
                viewer=viewer, page=_page_number(request), cumulative=not more
            )
            context["hallway"] = context["hallway_page"]["items"]
            if more:
                return context
            context["next_steps"] = selectors.next_steps(viewer=viewer)
        else:
            context.update(selectors.front_page())
        context["time_to_first_answer"] = selectors.time_to_first_answer(viewer=viewer)
        return context
