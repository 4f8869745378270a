from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hallway.providers import provide


class SearchConfig(AppConfig):
    """Elasticsearch: documents, the indexing outbox, queries and search pages."""

    name = "search"
    label = "hallway_search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Django's ready(): importing these at module top would load models too early.
        from . import expertise, services

        provide("similar_questions", services.similar_questions)
        provide("similar_pages", services.similar_pages)
        provide("experts", expertise.expert_list)
        provide("expertise_tags", expertise.expertise_tags)
