"""Thin views: join/leave, roles, verify and feedback."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hallway.errors import RateLimited, ValidationFailed
from hallway.http import is_htmx

from . import selectors, services
from .models import CommunityPage, KnowledgePage, Membership


def _live_community(slug: str) -> CommunityPage:
    community = selectors.community_get(slug=slug)
    if community is None:
        raise Http404
    return community


def _live_page(page_id: int) -> KnowledgePage:
    return get_object_or_404(selectors.knowledge_pages_visible(), pk=page_id)


def community_tree(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's knowledge pages as a tree (only pages anyone may read)."""
    community = selectors.community_readable_get(slug=slug)
    if community is None:
        raise Http404
    return render(
        request,
        "communities/knowledge_tree.html",
        {
            "community": community,
            "tree": selectors.knowledge_tree(community=community),
        },
    )


@require_POST
@login_required
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Join, or ask to join, as the community's join policy says."""
    community = _live_community(slug)
    try:
        membership = services.membership_request(community=community, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(community.url)
    if membership is None:
        messages.success(
            request,
            _("You asked to join %(c)s; a lead will decide.") % {"c": community.title},
        )
    else:
        messages.success(request, _("You joined %(c)s.") % {"c": community.title})
    return redirect(community.url)


@require_POST
@login_required
def join_request_decide(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """A lead approves or declines someone's request to join."""
    community = _live_community(slug)
    person = get_object_or_404(get_user_model(), pk=user_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.membership_request_decide(
            community=community, user=person, approve=approve, by=request.user
        )
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        text = _("%(name)s is now a member.") if approve else _("Request declined.")
        messages.success(request, text % {"name": person.get_display_name()})
    return redirect(community.url)


@require_POST
@login_required
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A lead adds someone by username (how invite-only communities grow)."""
    community = _live_community(slug)
    username = request.POST.get("username", "").strip()
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        messages.error(request, _("Nobody is called “%(u)s”.") % {"u": username[:150]})
        return redirect(community.url)
    services.membership_add(community=community, user=person, by=request.user)
    messages.success(
        request, _("%(name)s is now a member.") % {"name": person.get_display_name()}
    )
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
    if is_htmx(request):
        context = selectors.feedback_context(page=page, viewer=request.user)
        context.update(feedback_error=error, feedback_saved=not error)
        return render(request, "communities/_feedback.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect(page.url)
