"""Site-wide views that belong to no single app."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON health for load balancers and people: 200 when the site can serve."""
    report, serving = health_report()
    return JsonResponse(report, status=200 if serving else 503)
