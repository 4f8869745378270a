"""Site-wide views that belong to no single app."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON health for load balancers and people: 200 when the site can serve."""
    report, serving = health_report()
    return JsonResponse(report, status=200 if serving else 503)


# The design tokens shown on the style guide, as (CSS variable, what it is for).
STYLEGUIDE_COLOURS = [
    ("--color-ink", "text"),
    ("--color-muted", "secondary text"),
    ("--color-surface", "quiet backgrounds"),
    ("--color-line", "rules and borders"),
    ("--color-brand", "header"),
    ("--color-accent", "links and primary actions"),
    ("--color-accent-soft", "highlights, unread"),
    ("--color-ok", "success, verified"),
    ("--color-warn", "attention"),
    ("--color-danger", "errors, destructive"),
    ("--color-focus", "keyboard focus"),
]
STYLEGUIDE_SPACES = [f"--space-{n}" for n in range(1, 8)]
STYLEGUIDE_TYPE = ["--text-xs", "--text-sm", "--text-base", "--text-lg", "--text-xl"]


@require_GET
@staff_member_required
def styleguide(request: HttpRequest) -> HttpResponse:
    """The living style guide: tokens and components, for developers (staff only)."""
    return render(
        request,
        "styleguide.html",
        {
            "colours": STYLEGUIDE_COLOURS,
            "spaces": STYLEGUIDE_SPACES,
            "type_sizes": STYLEGUIDE_TYPE,
        },
    )
