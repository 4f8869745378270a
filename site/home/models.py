"""The Wagtail home page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    """The site root: a welcome for visitors, the way in for members."""

    intro = models.TextField(blank=True, help_text="A sentence or two under the title.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    template = "home/home_page.html"
