"""The Wagtail home page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root: the public front page for visitors, the hallway for members."""

    intro = models.TextField(blank=True, help_text="A sentence or two under the title.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    template = "home/home_page.html"

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        viewer = request.user
        context["time_to_first_answer"] = selectors.time_to_first_answer(viewer=viewer)
        if getattr(viewer, "is_authenticated", False) and viewer.is_active:
            context["hallway"] = selectors.hallway_feed(viewer=viewer)
            context["next_steps"] = selectors.next_steps(viewer=viewer)
        else:
            context.update(selectors.front_page())
        return context
