"""Journal pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    """Entries from the people and tags I follow."""
    return TemplateResponse(request, "journals/feed.html", {"entries": []})
