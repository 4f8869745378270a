"""Thin views: join/leave, roles, verify and feedback."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hallway.errors import RateLimited, ValidationFailed
from hallway.http import is_htmx

from . import selectors, services
from .forms import KnowledgePageForm
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
            "rights": selectors.knowledge_page_rights(
                page=community, user=request.user
            ),
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


# -- editing knowledge pages in Hallway's own screens ---------------------------

_SAVED_MESSAGES = {
    services.PageAction.PUBLISH: gettext_lazy("The page is published."),
    services.PageAction.SUBMIT: gettext_lazy(
        "Your version is sent to the community's leads for review."
    ),
    services.PageAction.DRAFT: gettext_lazy("Your draft is saved."),
}


def _page_action(request: HttpRequest) -> str:
    return request.POST.get("action", services.PageAction.DRAFT)


def _page_editor(
    request: HttpRequest,
    *,
    form: KnowledgePageForm,
    save: Callable[[str], KnowledgePage],
    context: dict,
) -> HttpResponse:
    """The page editor's round trip: a valid POST is saved with the chosen action
    (``save(action)``) and redirected; otherwise the form shows, with the
    service's errors on their fields."""
    if request.method == "POST" and form.is_valid():
        action = _page_action(request)
        try:
            page = save(action)
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except RateLimited as error:
            form.add_error(None, str(error))
        else:
            return _saved_redirect(request, page, action)
    return render(
        request,
        "communities/knowledge_page_edit.html",
        {"form": form, **context},
        status=400 if form.errors else 200,
    )


def _saved_redirect(request: HttpRequest, page: KnowledgePage, action: str):
    messages.success(request, str(_SAVED_MESSAGES[action]))
    page = KnowledgePage.objects.get(pk=page.pk)
    if action == services.PageAction.PUBLISH and page.url:
        return redirect(page.url)
    return redirect("communities:knowledge-page-history", page.pk)


@login_required
def knowledge_page_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    """Edit a knowledge page in Hallway's editor: a new Wagtail revision,
    published or sent to the community's review as the person's rights say."""
    page = selectors.knowledge_page_for_editor(page_id=page_id, user=request.user)
    if page is None:
        raise Http404
    rights = selectors.knowledge_page_rights(page=page, user=request.user)
    if rights.locked:
        messages.info(
            request,
            _("This page is waiting for review; you can edit it again after."),
        )
        return redirect("communities:knowledge-page-history", page.pk)
    if not rights.edit:
        raise PermissionDenied(_("Only members of the community can edit its pages."))
    draft = page.get_latest_revision_as_object()
    form = KnowledgePageForm(
        request.POST or None,
        sections=selectors.knowledge_page_sections(draft),
        initial={
            "title": draft.title,
            "summary": draft.summary,
            "tags": " ".join(sorted(t.name for t in draft.tags.all())),
            "language": draft.language,
            "base_revision": page.latest_revision_id,
        },
    )

    def save(action: str) -> KnowledgePage:
        services.knowledge_page_save(
            page=page,
            by=request.user,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            texts=form.texts(),
            tags=form.cleaned_data["tags"],
            language=form.cleaned_data["language"] or None,
            base_revision_id=form.cleaned_data["base_revision"],
            action=action,
        )
        return page

    return _page_editor(
        request,
        form=form,
        save=save,
        context={
            "page": page,
            "draft": draft,
            "rights": rights,
            "community": page.community,
            "heading": _("Edit page"),
        },
    )


def _new_page(request: HttpRequest, parent, community: CommunityPage) -> HttpResponse:
    rights = selectors.knowledge_page_rights(page=parent, user=request.user)
    if not rights.add_child:
        raise PermissionDenied(_("Only members of the community can add pages."))
    form = KnowledgePageForm(
        request.POST or None,
        sections=selectors.knowledge_page_sections(KnowledgePage()),
    )

    def save(action: str) -> KnowledgePage:
        return services.knowledge_page_add(
            parent=parent,
            by=request.user,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            text=form.texts().get(0, ""),
            tags=form.cleaned_data["tags"],
            language=form.cleaned_data["language"] or None,
            action=action,
        )

    return _page_editor(
        request,
        form=form,
        save=save,
        context={
            "parent": parent,
            "rights": rights,
            "community": community,
            "heading": _("New page"),
        },
    )


@login_required
def knowledge_page_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new page at the top of a community's page tree."""
    community = selectors.community_readable_get(slug=slug)
    if community is None:
        raise Http404
    return _new_page(request, community, community)


@login_required
def knowledge_page_new_child(request: HttpRequest, page_id: int) -> HttpResponse:
    """A new page below a knowledge page."""
    parent = selectors.knowledge_page_for_editor(page_id=page_id, user=request.user)
    if parent is None or parent.community is None:
        raise Http404
    return _new_page(request, parent, parent.community)


def knowledge_page_history(request: HttpRequest, page_id: int) -> HttpResponse:
    """Every revision of a page, for the people who may edit it (drafts and
    revisions waiting for review are not for readers)."""
    page = selectors.knowledge_page_for_editor(page_id=page_id, user=request.user)
    if page is None:
        raise Http404
    rights = selectors.knowledge_page_rights(page=page, user=request.user)
    if not (rights.edit or rights.locked):
        raise PermissionDenied(_("Only members of the community can see its drafts."))
    return render(
        request,
        "communities/knowledge_page_history.html",
        {
            "page": page,
            "community": page.community,
            "rights": rights,
            "history": selectors.knowledge_page_history(page=page),
        },
    )
