"""The search page."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def search(request: HttpRequest) -> HttpResponse:
    """Search everything the reader may see."""
    query = request.GET.get("q", "").strip()
    return TemplateResponse(
        request, "search/search.html", {"query": query, "results": []}
    )
