"""The live Markdown preview every editor uses (Q&A, journals)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .markdown import render_markdown

PREVIEW_MAX_LENGTH = 30000


@login_required
@require_POST
def markdown_preview(request: HttpRequest, empty_hint: bool = False) -> HttpResponse:
    """Rendered (sanitised) Markdown of ``body`` (or of the field named by
    ``?field=``, for forms with several texts); ``empty_hint`` says so when blank."""
    name = request.GET.get("field") or "body"
    return TemplateResponse(
        request,
        "includes/_markdown_preview.html",
        {
            "html": render_markdown(request.POST.get(name, "")[:PREVIEW_MAX_LENGTH]),
            "empty_hint": empty_hint,
        },
    )
