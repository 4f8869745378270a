"""Reads about communities, for every app (the public surface of this app)."""

import operator
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast, Length, Substr
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision
from wagtail.query import PageQuerySet

from hallway.charts import chart_weeks

from .models import (
    CommunityPage,
    KnowledgePage,
    KnowledgeSource,
    Membership,
    MembershipRequest,
    PageFeedback,
)
from .toc import html_with_toc

CURATOR_ROLES = (Membership.Role.LEAD, Membership.Role.TEAM)


def community_list() -> QuerySet[CommunityPage]:
    """Live communities, by title."""
    return CommunityPage.objects.live().order_by("title")


def community_get(*, slug: str) -> CommunityPage | None:
    """The live community with this slug, or ``None``."""
    return community_list().filter(slug=slug).first()


def default_community() -> CommunityPage | None:
    """Where content goes when no community is named: the first one created."""
    return CommunityPage.objects.live().order_by("pk").first()


def general_community() -> CommunityPage | None:
    """The community for everyday questions (``HALLWAY_GENERAL_COMMUNITY_SLUG``)."""
    return (
        CommunityPage.objects.live()
        .filter(slug=settings.HALLWAY_GENERAL_COMMUNITY_SLUG)
        .first()
    )


def community_ids_for(user) -> set[int]:
    """Ids of the communities ``user`` belongs to (any role); empty for anonymous."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(user=user).values_list("community_id", flat=True)
    )


def is_member(user, community: CommunityPage) -> bool:
    """Whether ``user`` belongs to ``community`` (any role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, community=community).exists()


def is_curator(user, community: CommunityPage) -> bool:
    """Whether ``user`` leads (or is on the team of) ``community``, or is an admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, community=community, role__in=CURATOR_ROLES
    ).exists()


def curated_community_ids(user) -> set[int]:
    """Ids of the communities ``user`` may curate and moderate."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return set(CommunityPage.objects.values_list("pk", flat=True))
    return set(
        Membership.objects.filter(user=user, role__in=CURATOR_ROLES).values_list(
            "community_id", flat=True
        )
    )


# -- community and knowledge pages -------------------------------------------


def community_leads(*, community: CommunityPage) -> list:
    """Users leading ``community``, then its team, by name."""
    memberships = (
        Membership.objects.filter(community=community, role__in=CURATOR_ROLES)
        .select_related("user")
        .order_by("role", "user__display_name", "user__username")  # leads first
    )
    return list(memberships)


def community_members(*, community: CommunityPage, limit: int = 48) -> list:
    """The newest members of ``community`` (any role)."""
    return list(
        Membership.objects.filter(community=community)
        .select_related("user")
        .order_by("-joined_at")[:limit]
    )


def knowledge_pages_visible():
    """The one visibility rule for knowledge pages everywhere they are listed,
    searched or notified about: live, with no Wagtail view restriction on the page
    or above it (those are read only on the page, where Wagtail asks for login,
    group or password), and no unpublished page above it (an unpublished
    community hides everything in it). ``knowledge_page_principals`` states the
    same rule for one page."""

    return pages_readable_by_anyone(KnowledgePage.objects.live())


def pages_readable_by_anyone(pages: QuerySet) -> QuerySet:
    """``pages`` (any page queryset) without those under a Wagtail view
    restriction (on the page or above it) or below an unpublished page: what
    lists, search and the page API may show to anyone."""

    # Subqueries rather than Wagtail's .public() (which reads every restriction
    # first): lazy, so callers keep their query counts. A tree path starts
    # with the path of each ancestor.
    restricted = PageViewRestriction.objects.filter(
        page__depth__lte=OuterRef("depth"),
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    unpublished_above = Page.objects.filter(
        live=False,
        depth__lt=OuterRef("depth"),
        path=Substr(OuterRef("path"), 1, Length("path")),
    )
    return pages.filter(~Exists(restricted), ~Exists(unpublished_above))


def knowledge_page_principals(page) -> dict:
    """Who may read ``page`` outside the page itself (lists, search, API,
    notifications): anyone when ``knowledge_pages_visible`` holds it, nobody
    otherwise."""
    readable = (
        page.live
        and not page.get_view_restrictions().exists()
        and not page.get_ancestors().filter(live=False).exists()
    )
    return {
        "public": readable,
        "everyone": readable,
        "user_ids": [],
        "community_ids": [],
    }


def knowledge_page_list(*, community: CommunityPage | None = None, limit: int = 10):
    """Published, public knowledge pages, newest first (optionally in one community)."""
    pages = knowledge_pages_visible()
    if community is not None:
        pages = pages.descendant_of(community)
    return pages.order_by("-first_published_at")[:limit]


def community_readable_get(*, slug: str) -> CommunityPage | None:
    """The live community with this slug that anyone may read (no Wagtail view
    restriction on or above it, nothing unpublished above it), or ``None``."""
    return pages_readable_by_anyone(community_list()).filter(slug=slug).first()


@dataclass
class TreeNode:
    """One knowledge page in a community's page tree, with the pages below it."""

    page: KnowledgePage
    children: list["TreeNode"] = field(default_factory=list)


def knowledge_tree(*, community: CommunityPage) -> list[TreeNode]:
    """The knowledge pages of ``community`` anyone may read, as a tree in the
    editors' order, in one query. A page shows only when every page above it
    does (``knowledge_pages_visible`` hides whole branches), so no page is
    left without its parent."""
    pages = knowledge_pages_visible().descendant_of(community).order_by("path")
    nodes: dict[str, TreeNode] = {}
    roots: list[TreeNode] = []
    for page in pages:
        node = TreeNode(page=page)
        nodes[page.path] = node
        parent = nodes.get(page.path[: -page.steplen])
        if parent is not None:
            parent.children.append(node)
        elif page.depth == community.depth + 1:
            roots.append(node)
    return roots


def community_page_context(*, community: CommunityPage, viewer) -> dict:
    """Everything the community page shows, in a constant number of queries."""
    membership = (
        Membership.objects.filter(community=community, user=viewer).first()
        if getattr(viewer, "is_authenticated", False)
        else None
    )
    viewer_is_lead = getattr(viewer, "is_superuser", False) or (
        membership is not None and membership.role == Membership.Role.LEAD
    )
    signed_in = getattr(viewer, "is_authenticated", False)
    return {
        "join_requests": list(
            MembershipRequest.objects.filter(community=community)
            .select_related("user")
            .order_by("created_at")
        )
        if viewer_is_lead
        else [],
        "join_requested": signed_in
        and membership is None
        and MembershipRequest.objects.filter(community=community, user=viewer).exists(),
        "leads": community_leads(community=community),
        "members": community_members(community=community),
        "member_count": Membership.objects.filter(community=community).count(),
        "knowledge_pages": list(knowledge_page_list(community=community)),
        "membership": membership,
        "viewer_is_curator": is_curator(viewer, community),
        "viewer_is_lead": viewer_is_lead,
        "roles": Membership.Role.choices,
    }


def feedback_counts(*, page) -> dict[str, int]:
    """How many readers found ``page`` helpful and not helpful."""
    from django.db.models import Count, Q

    counts = PageFeedback.objects.filter(page=page).aggregate(
        yes=Count("pk", filter=Q(helpful=True)),
        no=Count("pk", filter=Q(helpful=False)),
    )
    return {"helpful": counts["yes"] or 0, "not_helpful": counts["no"] or 0}


def feedback_context(*, page, viewer) -> dict:
    """The feedback widget's state for ``viewer``."""

    mine = (
        PageFeedback.objects.filter(page=page, user=viewer).first()
        if getattr(viewer, "is_authenticated", False)
        else None
    )
    return {"page": page, "counts": feedback_counts(page=page), "my_feedback": mine}


def knowledge_page_context(*, page, viewer) -> dict:
    """Everything a knowledge page shows around its body."""

    body_html, toc = html_with_toc(page.body_html)
    community = page.community
    curator = community is not None and is_curator(viewer, community)
    context = {
        "community": community,
        "body_with_ids": body_html,
        "toc": toc if len(toc) >= 3 else [],
        "sources": list(page.sources.all()),
        "viewer_is_curator": curator,
        "rights": knowledge_page_rights(page=page, user=viewer),
        "owners": list(page.owners.all()),
        **feedback_context(page=page, viewer=viewer),
    }
    if curator:
        context["feedback_comments"] = list(
            PageFeedback.objects.filter(page=page)
            .exclude(comment="")
            .select_related("user")
            .order_by("-updated_at")[:20]
        )
    return context


def curations_for(kind: str, object_id: int) -> list:
    """Published knowledge pages curated from this answer/entry, for "Curated into"."""
    return list(
        knowledge_pages_visible()
        .filter(sources__kind=kind, sources__object_id=object_id)
        .distinct()
        .order_by("title")
    )


def curations_for_many(kind: str, object_ids: list[int]) -> dict[int, list]:
    """``curations_for`` for many sources at once: ``{object_id: [pages]}``.

    One query when nothing was curated from them (most question pages), two
    otherwise: the knowledge-page rule, costly for Django to build, is asked
    only about pages that exist."""

    pairs = list(
        KnowledgeSource.objects.filter(kind=kind, object_id__in=list(object_ids))
        .select_related("page")
        .order_by("page__title")
    )
    if not pairs:
        return {}
    readable = set(
        knowledge_pages_visible()
        .filter(pk__in={source.page_id for source in pairs})
        .values_list("pk", flat=True)
    )
    result: dict[int, list] = {}
    for source in pairs:
        if source.page_id not in readable:
            continue
        pages = result.setdefault(source.object_id, [])  # type: ignore[arg-type]
        if source.page not in pages:
            pages.append(source.page)
    return result


# -- lead dashboard -----------------------------------------------------------


def pages_under(model, community_ids: set[int]) -> PageQuerySet:
    """Pages of ``model`` anywhere below these communities (one query finds
    the communities; the pages are one more when read)."""
    subtree = model.objects.none()
    for community in CommunityPage.objects.filter(pk__in=community_ids):
        subtree |= model.objects.descendant_of(community)
    return subtree


def knowledge_pages_due_for_review(*, user) -> list:
    """Live pages in ``user``'s curated communities that need review, oldest first."""
    from django.db.models import Prefetch

    ids = curated_community_ids(user)
    if not ids:
        return []
    pages = (
        pages_under(KnowledgePage, ids)
        .live()
        .select_related("verified_by")
        .prefetch_related(Prefetch("sources", queryset=KnowledgeSource.objects.all()))
    )
    due = [page for page in pages if page.needs_review]
    return sorted(due, key=lambda p: p.review_due_at or p.latest_revision_created_at)


# What counts as a review in the page history: publishing (a new or re-published
# version) and the lead's "verify" action.
REVIEW_ACTIONS = ("wagtail.publish", "hallway.page.verify")


def review_weeks(*, community_ids: set[int], weeks: int = 12, now=None) -> list[dict]:
    """Per week (oldest first, Monday to Sunday) for the live knowledge pages of
    these communities: how many were due for review at the week's end, and how
    many were reviewed (published or verified) during it.

    Rebuilt from the page history (Wagtail's log of publications and the
    verify action), so it needs no snapshots: a page is due once its review
    interval has passed since its last check before that moment, or a source
    changed after that check. Four queries."""
    pages = list(
        pages_under(KnowledgePage, community_ids)
        .live()
        .values(
            "pk",
            "first_published_at",
            "last_published_at",
            "verified_at",
            "review_interval_days",
        )
    )
    ids = [page["pk"] for page in pages]
    checks: dict[int, list] = {pk: [] for pk in ids}
    for page_id, moment in PageLogEntry.objects.filter(
        page_id__in=ids, action__in=REVIEW_ACTIONS
    ).values_list("page_id", "timestamp"):
        checks[page_id].append(moment)
    changes: dict[int, list] = {pk: [] for pk in ids}
    for page_id, moment in KnowledgeSource.objects.filter(
        page_id__in=ids, changed_at__isnull=False
    ).values_list("page_id", "changed_at"):
        changes[page_id].append(moment)
    for page in pages:
        # The page's own dates count too (imported or demo pages carry dates
        # older than their log; verifications before the log began).
        moments = checks[page["pk"]]
        moments += [page[k] for k in ("last_published_at", "verified_at") if page[k]]
    result = []
    for week in chart_weeks(weeks, now):
        due = reviewed = 0
        for page in pages:
            moments = [m for m in checks[page["pk"]] if m <= week.end]
            born = page["first_published_at"] or min(moments, default=None)
            if born is None or born > week.end:
                continue
            last = max(moments, default=born)
            interval = timedelta(days=page["review_interval_days"])
            changed = any(last < m <= week.end for m in changes[page["pk"]])
            if last + interval <= week.end or changed:
                due += 1
            if any(m >= week.start for m in moments):
                reviewed += 1
        result.append({"week": week.monday, "due": due, "reviewed": reviewed})
    return result


def knowledge_pages_awaiting_approval(*, user) -> list:
    """Workflow states in progress for pages under ``user``'s curated communities."""
    from wagtail.models import Page, WorkflowState

    ids = curated_community_ids(user)
    if not ids:
        return []
    page_ids = [str(pk) for pk in pages_under(Page, ids).values_list("pk", flat=True)]
    states = (
        WorkflowState.objects.active()
        .filter(
            base_content_type=_page_content_type(),
            object_id__in=page_ids,
        )
        .select_related("requested_by", "current_task_state__task")
        .order_by("created_at")
    )
    pages = Page.objects.in_bulk([int(s.object_id) for s in states])
    return [
        {"state": state, "page": pages.get(int(state.object_id))}
        for state in states
        if int(state.object_id) in pages
    ]


def _page_content_type():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    return ContentType.objects.get_for_model(Page)


# -- editing knowledge pages in Hallway's own screens ---------------------------


@dataclass(frozen=True)
class PageRights:
    """What one person may do with one knowledge page, from Wagtail's page
    permissions (the community's groups) and its locks (a page in review is
    locked to everyone but the reviewers)."""

    edit: bool = False
    publish: bool = False
    add_child: bool = False
    locked: bool = False


def knowledge_page_rights(*, page: Page, user) -> PageRights:
    """``user``'s rights on ``page`` (a knowledge page or a community)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PageRights()
    perms = page.permissions_for_user(user)
    locked = bool(perms.page_locked())
    return PageRights(
        edit=perms.can_edit() and not locked,
        publish=perms.can_publish(),
        add_child=perms.can_add_subpage(),
        locked=locked,
    )


def knowledge_page_for_editor(*, page_id: int, user) -> KnowledgePage | None:
    """The knowledge page ``page_id`` when ``user`` may edit it or read it, in a
    live community; ``None`` otherwise (a draft stays unknown to everyone who
    may not edit it)."""
    page = KnowledgePage.objects.filter(pk=page_id).first()
    if page is None:
        return None
    community = CommunityPage.objects.live().ancestor_of(page)
    if not pages_readable_by_anyone(community).exists():
        return None
    if knowledge_pages_visible().filter(pk=page.pk).exists():
        return page
    perms = page.permissions_for_user(user) if user.is_authenticated else None
    return page if perms is not None and perms.can_edit() else None


@dataclass(frozen=True)
class Section:
    """One block of a knowledge page's body as Hallway's editor shows it:
    Markdown and callout text are edited in place; the other blocks (images,
    code, embeds …) are kept as they are and only named."""

    index: int
    kind: str
    label: str
    text: str = ""
    editable: bool = False
    note_kind: str = ""


def knowledge_page_sections(page: KnowledgePage) -> list[Section]:
    """The body of ``page`` as editor sections; always at least one Markdown
    section (appended after the last block when the page has none)."""
    stream_block = KnowledgePage._meta.get_field("body").stream_block
    sections: list[Section] = []
    for index, raw in enumerate(page.body.raw_data):
        kind = raw.get("type", "")
        child = stream_block.child_blocks.get(kind)
        label = str(child.label) if child is not None else kind
        value = raw.get("value")
        if kind == "markdown":
            sections.append(
                Section(index, kind, label, text=value or "", editable=True)
            )
        elif kind == "callout" and isinstance(value, dict):
            sections.append(
                Section(
                    index,
                    kind,
                    label,
                    text=value.get("text") or "",
                    editable=True,
                    note_kind=value.get("kind") or "note",
                )
            )
        else:
            sections.append(Section(index, kind, label))
    if not any(s.kind == "markdown" for s in sections):
        stream_markdown = stream_block.child_blocks["markdown"]
        sections.append(
            Section(len(sections), "markdown", str(stream_markdown.label), "", True)
        )
    return sections


def knowledge_page_published_text(*, page_id: int) -> tuple[str, set[int]] | None:
    """The live text of knowledge page ``page_id`` (its title and every Markdown
    and callout section) and who wrote its revisions; ``None`` when it is not
    live. What uploads needs to know which files a published page links."""
    page = KnowledgePage.objects.live().filter(pk=page_id).first()
    if page is None:
        return None
    texts = [s.text for s in knowledge_page_sections(page) if s.editable]
    authors = set(
        page.revisions.exclude(user_id=None).values_list("user_id", flat=True)
    )
    if page.owner_id:
        authors.add(page.owner_id)
    return "\n".join([page.title, *texts]), authors


def knowledge_page_revisions_linking(keys: Collection[str]) -> set[str]:
    """Which of ``keys`` (upload keys) the text of some knowledge page revision
    holds, published or not: what a draft links must stay until it is
    published (uploads' clean-up asks). One query, however many keys."""
    if not keys:
        return set()
    texts = (
        Revision.page_revisions.filter(
            content_type=ContentType.objects.get_for_model(KnowledgePage)
        )
        .annotate(text=Cast("content", TextField()))
        .filter(reduce(operator.or_, (Q(text__contains=key) for key in keys)))
        .values_list("text", flat=True)
    )
    found: set[str] = set()
    for text in texts:
        found |= {key for key in keys if key in text}
    return found


def knowledge_page_history(*, page: KnowledgePage, limit: int = 50) -> list[dict]:
    """The page's revisions, newest first, each with its author, whether it is
    the live one and whether it waits for a lead's review (Wagtail's review
    publishes the latest revision); two queries whatever the length."""
    revisions = list(
        page.revisions.select_related("user").order_by("-created_at", "-pk")[:limit]
    )
    reviewing = page.workflow_in_progress
    return [
        {
            "revision": revision,
            "title": (revision.content or {}).get("title", ""),
            "live": page.live and revision.pk == page.live_revision_id,
            "in_review": reviewing and revision.pk == page.latest_revision_id,
        }
        for revision in revisions
    ]
