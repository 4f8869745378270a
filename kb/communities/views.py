"""Thin views: join/leave, verify, feedback, curation and the lead dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hallway.errors import RateLimited, ValidationFailed

from . import selectors, services
from .models import CommunityPage, KnowledgePage, Membership


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.headers.get("referer") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _live_community(slug: str) -> CommunityPage:
    community = selectors.community_get(slug=slug)
    if community is None:
        raise Http404
    return community


def _live_page(page_id: int) -> KnowledgePage:
    return get_object_or_404(KnowledgePage.objects.live().public(), pk=page_id)


@require_POST
@login_required
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _live_community(slug)
    services.membership_join(community=community, user=request.user)
    messages.success(request, _("You joined %(c)s.") % {"c": community.title})
    return redirect(community.url)


@require_POST
@login_required
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _live_community(slug)
    services.membership_leave(community=community, user=request.user)
    messages.success(request, _("You left %(c)s.") % {"c": community.title})
    return redirect(community.url)


@require_POST
@login_required
def membership_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A lead gives a member another role (member, team or lead)."""
    community = _live_community(slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), community=community, user_id=user_id
    )
    try:
        services.membership_role_set(
            community=community,
            user=membership.user,
            role=request.POST.get("role", ""),
            by=request.user,
        )
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s's role was changed.")
            % {"name": membership.user.get_display_name()},
        )
    return redirect(community.url)


@require_POST
@login_required
def knowledge_page_verify(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _live_page(page_id)
    try:
        services.knowledge_page_verify(page=page, by=request.user)
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked as verified."))
    return redirect(page.url)


@require_POST
@login_required
def knowledge_page_feedback(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _live_page(page_id)
    status, error = 200, ""
    try:
        services.feedback_give(
            page=page,
            user=request.user,
            helpful=request.POST.get("helpful") == "yes",
            comment=request.POST.get("comment", ""),
        )
    except (ValidationFailed, RateLimited) as exc:
        status, error = (429 if isinstance(exc, RateLimited) else 422), str(exc)
    if request.headers.get("HX-Request"):
        context = selectors.feedback_context(page=page, viewer=request.user)
        context.update(feedback_error=error, feedback_saved=not error)
        return render(request, "communities/_feedback.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect(page.url)


@require_POST
@login_required
def curate(request: HttpRequest) -> HttpResponse:
    """Curate an answer (``kind=answer&id=N``) or a journal entry into a draft page."""
    community = None
    wanted = request.POST.get("community", "").strip()
    if wanted.isdigit():
        community = get_object_or_404(CommunityPage.objects.live(), pk=int(wanted))
    elif wanted:
        community = _live_community(wanted)
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
        return _back(request, reverse("communities:dashboard"))
    messages.success(
        request,
        _("Draft knowledge page created: edit it, then publish or submit for review."),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not selectors.curated_community_ids(request.user):
        raise PermissionDenied(_("The dashboard is for community leads and teams."))
    context = {
        "communities": CommunityPage.objects.filter(
            pk__in=selectors.curated_community_ids(request.user)
        ).order_by("title"),
        "due": selectors.knowledge_pages_due_for_review(user=request.user),
        "awaiting": selectors.knowledge_pages_awaiting_approval(user=request.user),
        "unanswered": selectors.unanswered_questions(user=request.user),
        "to_curate": selectors.answers_worth_curating(user=request.user),
        "failed_searches": selectors.failed_searches(),
    }
    return render(request, "communities/dashboard.html", context)
