"""The lead dashboard and the curate action (answers or entries into pages)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hallway.errors import ValidationFailed
from hallway.http import redirect_back
from kb.communities.models import CommunityPage
from kb.communities.selectors import (
    community_get,
    curated_community_ids,
    knowledge_pages_awaiting_approval,
    knowledge_pages_due_for_review,
)

from . import selectors, services


@require_POST
@login_required
def curate(request: HttpRequest) -> HttpResponse:
    """Curate an answer (``kind=answer&id=N``) or a journal entry into a draft page."""
    community = None
    wanted = request.POST.get("community", "").strip()
    if wanted.isdigit():
        community = get_object_or_404(CommunityPage.objects.live(), pk=int(wanted))
    elif wanted:
        community = community_get(slug=wanted)
        if community is None:
            raise Http404
    try:
        object_id = int(request.POST.get("id", ""))
    except ValueError:
        object_id = 0
    try:
        page = services.knowledge_page_curate_from(
            kind=request.POST.get("kind", ""),
            object_id=object_id,
            curator=request.user,
            community=community,
        )
    except ValidationFailed as error:
        messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
        return redirect_back(request, fallback=reverse("curation:dashboard"))
    messages.success(
        request,
        _("Draft knowledge page created: edit it, then publish or submit for review."),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs a lead's attention in the communities they curate."""
    if not curated_community_ids(request.user):
        raise PermissionDenied(_("The dashboard is for community leads and teams."))
    context = {
        "communities": CommunityPage.objects.filter(
            pk__in=curated_community_ids(request.user)
        ).order_by("title"),
        "due": knowledge_pages_due_for_review(user=request.user),
        "awaiting": knowledge_pages_awaiting_approval(user=request.user),
        "unanswered": selectors.unanswered_questions(user=request.user),
        "to_curate": selectors.answers_worth_curating(user=request.user),
    }
    return render(request, "curation/dashboard.html", context)
