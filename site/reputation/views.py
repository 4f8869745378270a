"""People pages: directory, profiles and participation (editing is in ``people``)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from kb.communities.models import CommunityPage
from kb.communities.selectors import community_get, curated_community_ids, is_curator
from people.selectors import person_get

from .selectors import (
    LEVEL_LABELS,
    directory_filters,
    level_from,
    participation_share,
    people_list,
    profile_context,
    with_activity,
)

FILTERS = ("q", "office", "department", "community", "tag")


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Active people, filtered by name, office, department, community or tag."""
    chosen = {name: request.GET.get(name, "").strip() for name in FILTERS}
    people = people_list(
        query=chosen["q"],
        office=chosen["office"],
        department=chosen["department"],
        community=chosen["community"],
        tag=chosen["tag"].lower(),
    )
    page = Paginator(with_activity(people), 50).get_page(request.GET.get("page"))
    for person in page:
        person.level = level_from(person)
        person.level_label = LEVEL_LABELS[person.level]
    return TemplateResponse(
        request,
        "people/directory.html",
        {
            "page": page,
            "chosen": chosen,
            "querystring": urlencode({k: v for k, v in chosen.items() if v}),
            "is_lead": bool(curated_community_ids(request.user)),
            **directory_filters(),
        },
    )


@login_required
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A person's profile (a simple read-only one for imported accounts)."""
    person = person_get(username=username)
    if person is None:
        raise Http404(_("No such person."))
    context = profile_context(person=person, viewer=request.user)
    template = "people/profile.html" if person.is_active else "people/imported.html"
    return TemplateResponse(request, template, context)


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """For leads: the share of a community's members at each participation level."""
    slug = request.GET.get("community", "").strip()
    if not slug:
        communities = CommunityPage.objects.filter(
            pk__in=curated_community_ids(request.user)
        ).order_by("title")
        if not communities:
            raise PermissionDenied(_("Only community leads see participation."))
        return TemplateResponse(
            request, "people/participation.html", {"communities": communities}
        )
    community = community_get(slug=slug)
    if community is None:
        raise Http404(_("No such community."))
    if not is_curator(request.user, community):
        raise PermissionDenied(_("Only this community's leads see its participation."))
    return TemplateResponse(
        request,
        "people/participation.html",
        {"community": community, "share": participation_share(community=community)},
    )
