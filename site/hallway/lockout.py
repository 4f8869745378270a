"""What someone sees after too many failed sign-ins (django-axes lockout)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """429 with a clear message and ``Retry-After``: JSON for the API, a page
    otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-in attempts for this account. "
        "Try again in %(minutes)d minutes, or reset your password."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request, "registration/locked_out.html", {"message": message}, status=429
        )
    response["Retry-After"] = str(minutes * 60)
    return response
