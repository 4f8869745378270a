"""Template context shared by every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def hallway(request: HttpRequest) -> dict[str, Any]:
    """Site name and whether search runs on Elasticsearch or its fallback."""
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "SEARCH_ON_ELASTICSEARCH": bool(settings.ELASTICSEARCH_URL),
    }
