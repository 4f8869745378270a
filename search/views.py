"""Search pages: results, autocomplete for the header box, click tracking, report."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from hallway.languages import site_languages
from kb.communities.selectors import community_list, curated_community_ids

from .analytics import search_log_click, search_log_response, search_report, user_hash
from .expertise import expert_list
from .models import SearchLog
from .queries import KINDS, SearchParams
from .services import autocomplete as autocomplete_service
from .services import search_content

PAGE_SIZE = 20


def _params(request: HttpRequest) -> SearchParams:
    kind = request.GET.get("kind", "")
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 500))
    except ValueError:
        page = 1
    language = request.GET.get("language", "")
    return SearchParams(
        q=request.GET.get("q", "").strip()[:200],
        kind=kind if kind in KINDS else "",
        tag=request.GET.get("tag", "").strip()[:50],
        community=request.GET.get("community", "").strip()[:80],
        author=request.GET.get("author", "").strip()[:150],
        language=language if language in site_languages() else "",
        page=page,
        page_size=PAGE_SIZE,
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search everything the reader may see; an empty query shows recent content."""
    params = _params(request)
    response = search_content(params, viewer=request.user)
    log = search_log_response(params=params, response=response, viewer=request.user)
    pages = (response.total + PAGE_SIZE - 1) // PAGE_SIZE
    # The facet counts communities by slug; people read their titles.
    titles = dict(community_list().values_list("slug", "title"))
    community_facets = [
        (slug, titles.get(slug, slug), count)
        for slug, count in response.facets.get("community", {}).items()
    ]
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "community_facets": community_facets,
            "query": params.q,
            "params": params,
            "response": response,
            "results": response.results,
            "log": log,
            "kinds": KINDS,
            "page_number": params.page,
            "has_next": params.page < pages,
            "has_previous": params.page > 1,
        },
    )


@require_GET
def experts_page(request: HttpRequest) -> HttpResponse:
    """Who knows about X: people ranked by what they answered and wrote about it."""
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    q = request.GET.get("q", "").strip()[:200]
    found = expert_list(q=q, viewer=request.user, limit=20) if q else []
    return TemplateResponse(
        request,
        "search/experts.html",
        {"query": q, "experts": found or [], "unavailable": q and found is None},
    )


@login_required
@require_GET
def go(request: HttpRequest, log_id: int, rank: int) -> HttpResponse:
    """Record which of my own results I clicked, then go there.

    Only the person who searched may follow a log's links (someone else's log
    would reveal what they found and let anyone record clicks for them).
    """
    log = get_object_or_404(SearchLog, pk=log_id, user_hash=user_hash(request.user))
    url = search_log_click(log=log, rank=rank)
    if url is None:
        raise Http404
    return HttpResponseRedirect(url)


@require_GET
def autocomplete(request: HttpRequest) -> HttpResponse:
    """Suggestions under the header search box (htmx fragment)."""
    suggestions = autocomplete_service(request.GET.get("q", ""), viewer=request.user)
    return TemplateResponse(
        request, "search/_autocomplete.html", {"suggestions": suggestions}
    )


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """What people searched for and did not find (community leads and admins)."""
    if not (request.user.is_authenticated and curated_community_ids(request.user)):
        raise PermissionDenied
    return TemplateResponse(request, "search/report.html", {"report": search_report()})
