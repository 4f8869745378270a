"""Idea campaign pages: thin views over selectors and services."""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hallway.errors import RateLimited, ValidationFailed
from hallway.http import is_htmx
from hallway.providers import provider
from kb.communities.selectors import community_get, community_list

from . import permissions, selectors, services
from .forms import CampaignForm, CommentForm, IdeaForm, ReasonForm, StatusForm
from .models import Idea
from .signing import entry_token_valid

PAGE_SIZE = 30
SORT_LABELS = {
    "top": gettext_lazy("Top"),
    "new": gettext_lazy("New"),
    "trending": gettext_lazy("Trending"),
    "gems": gettext_lazy("Hidden gems"),
}


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Campaigns and idea boxes in the viewer's scope."""
    services.idea_boxes_for_member(user=request.user)
    campaigns = list(selectors.campaign_list(viewer=request.user))
    creatable = [
        c
        for c in community_list()
        if permissions.can_create_campaign(user=request.user, community=c)
    ]
    return TemplateResponse(
        request,
        "ideas/campaign_list.html",
        {
            "campaigns": [c for c in campaigns if not c.is_idea_box],
            "boxes": [c for c in campaigns if c.is_idea_box],
            "can_create": bool(creatable) or request.user.is_superuser,
            "is_responsible": selectors.responsible_campaigns(
                user=request.user
            ).exists(),
        },
    )


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    """Open a campaign: leads in their community, administrators anywhere."""
    communities = [
        c
        for c in community_list()
        if permissions.can_create_campaign(user=request.user, community=c)
    ]
    organisation = request.user.is_superuser
    if not communities and not organisation:
        raise PermissionDenied(_("Community leads and administrators open campaigns."))
    form = CampaignForm(
        request.POST or None, communities=communities, organisation=organisation
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sponsor = None
        if data["sponsor"]:
            sponsor = (
                get_user_model()
                .objects.filter(username=data["sponsor"], is_active=True)
                .first()
            )
            if sponsor is None:
                form.add_error("sponsor", _("No such person."))
        if not form.errors:
            try:
                campaign = services.campaign_create(
                    by=request.user,
                    title=data["title"],
                    description=data["description"],
                    community=data["community"] or None,
                    sponsor=sponsor,
                    closes_at=data["closes_at"],
                    votes_per_person=data["votes_per_person"],
                )
            except ValidationFailed as error:
                form.add_service_errors(error.errors)
            else:
                messages.success(request, _("The campaign is open."))
                return redirect(campaign.get_absolute_url())
    return TemplateResponse(
        request,
        "ideas/campaign_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def idea_box(request: HttpRequest, slug: str) -> HttpResponse:
    """A community's always-open idea box (members only)."""
    community = community_get(slug=slug)
    if community is None:
        raise Http404
    box = services.idea_box_for(community=community)
    selectors.campaign_get(pk=box.pk, viewer=request.user)
    return redirect(box.get_absolute_url())


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign: its ideas (sorted), the post form, similar ideas while typing."""
    campaign = selectors.campaign_get(pk=pk, viewer=request.user)
    sort = request.GET.get("sort", "top")
    if sort not in selectors.SORTS:
        sort = "top"
    form = IdeaForm(request.POST or None)
    builds_on = _builds_on(request, campaign)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(
                campaign=campaign,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                builds_on=builds_on,
                language=form.cleaned_data["language"] or None,
            )
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except (RateLimited, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your idea is posted: everyone can see it now.")
            )
            return redirect(idea.get_absolute_url())
    page = Paginator(
        selectors.idea_list(campaign=campaign, viewer=request.user, sort=sort),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "ideas/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "ideas": page.object_list,
            "sort": sort,
            "sorts": SORT_LABELS,
            "form": form,
            "builds_on": builds_on,
            "votes_left": selectors.votes_left(user=request.user, campaign=campaign),
            "can_respond": permissions.can_respond(
                user=request.user, campaign=campaign
            ),
        },
        status=400 if form.errors else 200,
    )


def _builds_on(request: HttpRequest, campaign) -> Idea | None:
    raw = (request.POST.get("builds_on") or request.GET.get("builds_on") or "")[:20]
    if not raw.isdigit():
        return None
    idea = selectors.idea_list_by_ids(ids=[int(raw)], viewer=request.user).first()
    return idea if idea is not None and idea.campaign_id == campaign.pk else None


@login_required
def moderation_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's public moderation log."""
    campaign = selectors.campaign_get(pk=pk, viewer=request.user)
    return TemplateResponse(
        request,
        "ideas/moderation_log.html",
        {
            "campaign": campaign,
            "entries": selectors.moderation_log(campaign=campaign, viewer=request.user),
        },
    )


@login_required
@require_GET
def idea_similar(request: HttpRequest) -> HttpResponse:
    """Ideas with titles like the one being typed (htmx fragment)."""
    raw = (request.GET.get("campaign") or "")[:20]
    campaign = (
        selectors.campaign_get(pk=int(raw), viewer=request.user)
        if raw.isdigit()
        else None
    )
    title = request.GET.get("title", "")[:300]
    similar = selectors.idea_similar(
        title=title, viewer=request.user, campaign=campaign
    )
    # Questions and knowledge pages too, from search when it runs (no import of
    # search, Q&A or communities here): what is already asked or written down.
    related: dict[str, list] = {"questions": [], "pages": []}
    if len(title.strip()) >= 3:
        for key, name in (
            ("questions", "similar_questions"),
            ("pages", "similar_pages"),
        ):
            find = provider(name)
            if find is not None:
                related[key] = find(title=title, viewer=request.user, limit=3) or []
    return TemplateResponse(
        request, "ideas/_similar.html", {"similar": similar, **related}
    )


@login_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One idea: credits, status and its history, votes, comments, actions."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    services.idea_view(idea=idea, user=request.user)
    context = selectors.idea_context(idea=idea, viewer=request.user)
    return TemplateResponse(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            **context,
            "comment_form": CommentForm(),
            "status_form": StatusForm(
                statuses=context["statuses"], initial={"status": idea.status}
            ),
            "reason_form": ReasonForm(),
            "merge_targets": [
                i
                for i in selectors.idea_list(
                    campaign=idea.campaign, viewer=request.user, sort="new"
                )
                if i.pk != idea.pk
            ][:100]
            if context["can_respond"]
            else [],
        },
    )


def _back(request: HttpRequest, idea: Idea) -> HttpResponse:
    return redirect(idea.get_absolute_url())


@login_required
@require_POST
def idea_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote or take a vote back (htmx swaps the vote box)."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    raw = request.POST.get("value", "")
    message = ""
    try:
        votes, my_vote = services.vote_cast(
            user=request.user, idea=idea, value=int(raw) if raw in {"0", "1"} else -9
        )
        idea.vote_count, idea.my_vote = votes, my_vote
    except (ValidationFailed, PermissionDenied, RateLimited) as error:
        message = error.text if isinstance(error, ValidationFailed) else str(error)
    if is_htmx(request):
        return TemplateResponse(
            request,
            "ideas/_vote.html",
            {
                "idea": idea,
                "vote_message": message,
                "votes_left": selectors.votes_left(
                    user=request.user, campaign=idea.campaign
                ),
            },
        )
    if message:
        messages.error(request, message)
    return redirect(request.POST.get("next_url") or idea.get_absolute_url())


@login_required
@require_POST
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the status (sponsor or lead)."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    try:
        services.idea_status_set(
            idea=idea,
            by=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationFailed as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request, _("Status changed: the author, voters and followers are told.")
        )
    return _back(request, idea)


@login_required
@require_POST
def idea_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on an idea."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    try:
        services.comment_create(
            idea=idea,
            author=request.user,
            body=request.POST.get("body", ""),
            language=request.POST.get("language") or None,
        )
    except (ValidationFailed, RateLimited) as error:
        messages.error(
            request, error.text if isinstance(error, ValidationFailed) else str(error)
        )
    return _back(request, idea)


@login_required
@require_POST
def idea_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge into another idea of the campaign (sponsor or lead)."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    raw = (request.POST.get("into") or "")[:20]
    try:
        if not raw.isdigit():
            raise ValidationFailed({"into": [_("Choose the idea to merge into.")]})
        into = selectors.idea_get(pk=int(raw), viewer=request.user)
        services.idea_merge(idea=idea, into=into, by=request.user)
    except ValidationFailed as error:
        messages.error(request, error.text)
        return _back(request, idea)
    messages.success(request, _("Merged: both authors are credited."))
    return redirect(into.get_absolute_url())


@login_required
@require_POST
def idea_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide (with a reason) or show again (leads)."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("action") == "unhide":
            services.idea_unhide(idea=idea, by=request.user, reason=reason)
        else:
            services.idea_hide(idea=idea, by=request.user, reason=reason)
    except ValidationFailed as error:
        messages.error(request, error.text)
    return _back(request, idea)


@login_required
@require_POST
def idea_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow or unfollow an idea."""
    idea = selectors.idea_get(pk=pk, viewer=request.user)
    services.idea_follow_set(
        idea=idea, user=request.user, follow=request.POST.get("follow") == "1"
    )
    return _back(request, idea)


@login_required
def from_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Turn one's own journal entry into an idea: pick a campaign, edit, post.

    The entry page hands its author a signed token; the idea keeps the entry's
    id and the entry page links back to the idea.
    """
    token = (request.POST.get("token") or request.GET.get("token") or "")[:500]
    if not entry_token_valid(token=token, entry_id=entry_id, user_id=request.user.pk):
        raise PermissionDenied(_("Only the entry's author can turn it into an idea."))
    services.idea_boxes_for_member(user=request.user)
    campaigns = selectors.campaigns_open_to(viewer=request.user)
    initial = {
        name: request.GET[name][:20000]
        for name in ("title", "body")
        if request.GET.get(name)
    }
    form = IdeaForm(request.POST or None, initial=initial)
    chosen = (request.POST.get("campaign") or "")[:20]
    if request.method == "POST" and form.is_valid():
        campaign = next((c for c in campaigns if str(c.pk) == chosen), None)
        if campaign is None:
            form.add_error(None, _("Choose a campaign or idea box."))
        else:
            try:
                idea = services.idea_create(
                    campaign=campaign,
                    author=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                    source_entry_id=entry_id,
                    language=form.cleaned_data["language"] or None,
                )
            except ValidationFailed as error:
                form.add_service_errors(error.errors)
            except (RateLimited, PermissionDenied) as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your entry is now an idea."))
                return redirect(idea.get_absolute_url())
    return TemplateResponse(
        request,
        "ideas/from_entry.html",
        {
            "form": form,
            "campaigns": campaigns,
            "chosen": chosen,
            "token": token,
            "entry_id": entry_id,
        },
        status=400 if form.errors else 200,
    )


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Ideas waiting for a response from you (sponsor) or your communities' leads."""
    return TemplateResponse(
        request,
        "ideas/overdue.html",
        {"ideas": selectors.overdue_ideas(user=request.user)},
    )


@login_required
def management(request: HttpRequest) -> HttpResponse:
    """Top ideas across your campaigns by votes and breadth of support; CSV too."""
    rows = selectors.management_rows(viewer=request.user, limit=200)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ideas.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "title",
                "campaign",
                "community",
                "author",
                "status",
                "votes",
                "voter_communities",
                "voter_departments",
                "voter_offices",
                "created_at",
                "url",
            ]
        )
        for row in rows:
            idea = row["idea"]
            writer.writerow(
                [
                    idea.pk,
                    _csv_safe(idea.title),
                    _csv_safe(idea.campaign.title),
                    idea.campaign.community.slug if idea.campaign.community_id else "",
                    idea.author.username,
                    idea.status,
                    row["votes"],
                    row["communities"],
                    row["departments"],
                    row["offices"],
                    idea.created_at.isoformat(),
                    request.build_absolute_uri(idea.get_absolute_url()),
                ]
            )
        return response
    by_breadth = sorted(
        rows,
        key=lambda r: (
            -(r["communities"] + r["departments"] + r["offices"]),
            -r["votes"],
        ),
    )
    return TemplateResponse(
        request,
        "ideas/management.html",
        {"rows": rows[:50], "by_breadth": by_breadth[:50]},
    )


def _csv_safe(text: str) -> str:
    """Cells starting with = + - @ would run as formulas in a spreadsheet."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
