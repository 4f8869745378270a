"""Question and answer pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def question_list(request: HttpRequest) -> HttpResponse:
    """All questions, newest first."""
    return TemplateResponse(request, "qa/question_list.html", {"questions": []})


@login_required
def question_ask(request: HttpRequest) -> HttpResponse:
    """The Ask form."""
    return TemplateResponse(request, "qa/question_ask.html", {})
