"""Small request/response helpers every app's views share."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request: HttpRequest, *, fallback: str) -> HttpResponse:
    """Back to ``next`` or the referrer if it is on this site, else ``fallback``."""
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent this request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"
