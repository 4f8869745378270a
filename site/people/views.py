"""People pages: the directory (profiles arrive with the people issue)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .selectors import people_list


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Everyone with an active account, by name."""
    page = Paginator(people_list(query=request.GET.get("q", "")), 50).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "people/directory.html", {"page": page})
