"""The personal hallway feed: what a member could answer, read, join or meet.

Five sections (questions I could answer, new knowledge pages in my communities,
ideas, journal entries, people to meet), each capped and interleaved. Every
section runs a fixed number of queries whatever the data size: candidate rows
are fetched with ``LIMIT`` and related rows with ``select_related`` or one
``prefetch_related`` per list. Journal entries are read only through
``Entry.objects.visible_to``.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import zip_longest

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Q,
    Value,
    When,
)
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hallway.providers import provider
from journals.models import Entry, EntryTag, PersonFollow, TagFollow
from journals.selectors import entry_ids_tagged
from kb.communities.models import CommunityPage, Membership
from kb.communities.selectors import community_ids_for, knowledge_pages_visible
from kb.ideas.selectors import ideas_in_my_communities
from kb.qa.models import Answer, Question, TaggedQuestion
from people.models import Profile, User

FEED_LIMIT = 20
MAX_PAGES = 5
CAPS = {"question": 6, "page": 4, "entry": 6, "idea": 3, "person": 4}
KIND_ORDER = ("question", "page", "entry", "idea", "person")
RECENT_DAYS = 30
EXPERTISE_TAGS = 30
TOPIC_TAGS = 50
CANDIDATE_ROWS = 300


@dataclass(frozen=True)
class HallwayItem:
    """One row of the hallway: what it is, where it leads and why it is here."""

    kind: str  # "question" | "page" | "entry" | "idea" | "person"
    key: int
    title: str
    url: str
    reason: str
    summary: str = ""
    when: datetime | None = None
    outside: bool = False
    tags: tuple[str, ...] = ()


@dataclass
class Circle:
    """Who and what counts as "mine" for the viewer (communities, department)."""

    community_ids: set[int] = field(default_factory=set)
    department: str = ""
    office: str = ""


# -- the viewer's circle ------------------------------------------------------


def circle_for(viewer) -> Circle:
    """The viewer's communities, department and office."""
    circle = Circle(community_ids=community_ids_for(viewer))
    row = Profile.objects.filter(user=viewer).values("department", "office").first()
    if row:
        circle.department = (row["department"] or "").strip()
        circle.office = (row["office"] or "").strip()
    return circle


def _people_in_circle(circle: Circle, *, viewer):
    """Subquery of user ids sharing a community or the department with the viewer."""
    ids = Q(pk=viewer.pk)
    if circle.community_ids:
        ids |= Q(
            pk__in=Membership.objects.filter(
                community_id__in=circle.community_ids
            ).values("user_id")
        )
    if circle.department:
        ids |= Q(profile__department__iexact=circle.department)
    return User.objects.filter(ids).values("pk")


def _profile_url(user) -> str:
    """The person's profile page if the people app has one, else their journal."""
    for name in ("people:profile", "people:person", "people:detail"):
        try:
            return reverse(name, kwargs={"username": user.username})
        except NoReverseMatch:
            continue
    return reverse("journals:person", kwargs={"username": user.username})


# -- questions I could answer --------------------------------------------------


def expertise_tags(*, viewer) -> dict[str, dict]:
    """Tags the viewer answered in: ``{tag: {"answers": n, "accepted": n}}``,
    from search's expertise selector (``expertise_tags``)."""
    find = provider("expertise_tags")
    rows = find(user=viewer, limit=EXPERTISE_TAGS) if find is not None else []
    return {
        row["tag"]: {"answers": row["answers"], "accepted": row["accepted"]}
        for row in rows
    }


def _question_outside_q(circle: Circle) -> Q:
    """Questions from another community, or by someone in another department/office."""
    outside = ~Q(community_id__in=circle.community_ids)
    for name, mine in (
        ("department", circle.department),
        ("office", circle.office),
    ):
        if mine:
            path = f"author__profile__{name}"
            outside |= Q(**{f"{path}__gt": ""}) & ~Q(**{f"{path}__iexact": mine})
    return outside


def _question_reason(question, expertise: dict, circle: Circle) -> tuple[str, bool]:
    tags = [t.name for t in question.tags.all()]
    matched = sorted(
        (t for t in tags if t in expertise),
        key=lambda t: (-expertise[t]["accepted"], -expertise[t]["answers"], t),
    )
    tag = matched[0] if matched else (tags[0] if tags else "")
    if tag and expertise.get(tag, {}).get("accepted"):
        because = _("because your answers about %(tag)s were accepted") % {"tag": tag}
    else:
        because = _("because you answered about %(tag)s") % {"tag": tag}
    if not question.is_outside:
        return because, False
    if question.community_id not in circle.community_ids:
        where = _("from the %(name)s community") % {"name": question.community.title}
    elif getattr(question, "author_department", ""):
        where = _("from the %(name)s department") % {"name": question.author_department}
    else:
        where = _("from the %(name)s office") % {"name": question.author_office}
    return _("Outside your circle, %(where)s: %(because)s") % {
        "where": where,
        "because": because,
    }, True


def questions_i_could_answer(
    *, viewer, circle: Circle, cap: int = CAPS["question"]
) -> list[HallwayItem]:
    """Open questions without an accepted answer in my tags, half from outside."""
    expertise = expertise_tags(viewer=viewer)
    if not expertise:
        return []
    tagged = TaggedQuestion.objects.filter(tag__name__in=list(expertise)).values(
        "content_object_id"
    )
    mine = Answer.objects.filter(author=viewer, is_deleted=False).values("question_id")
    base = (
        Question.objects.visible_to(viewer)
        .open()
        # Imported questions by people who have left wait for nobody.
        .filter(accepted_answer__isnull=True, pk__in=tagged, author__is_active=True)
        .exclude(author=viewer)
        .exclude(pk__in=mine)
        .annotate(
            is_outside=Case(
                When(_question_outside_q(circle), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("community")
        .prefetch_related("tags")
        .order_by("answer_count", "-created_at", "-pk")
    )
    base = base.annotate(
        author_department=F("author__profile__department"),
        author_office=F("author__profile__office"),
    )
    outside = list(base.filter(is_outside=True)[:cap])
    inside = list(base.filter(is_outside=False)[:cap])
    # Fair share: alternate, so outside questions get half the slots when they exist.
    picked = [q for pair in zip_longest(outside, inside) for q in pair if q][:cap]
    items = []
    for question in picked:
        reason, is_outside = _question_reason(question, expertise, circle)
        items.append(
            HallwayItem(
                kind="question",
                key=question.pk,
                title=question.title,
                url=question.get_absolute_url(),
                reason=reason,
                summary=ngettext(
                    "%(n)s answer in %(community)s",
                    "%(n)s answers in %(community)s",
                    question.answer_count,
                )
                % {"n": question.answer_count, "community": question.community.title},
                when=question.created_at,
                outside=is_outside,
                tags=tuple(t.name for t in question.tags.all()),
            )
        )
    return items


# -- new knowledge pages in my communities ---------------------------------------


def new_pages_in_my_communities(
    *, viewer, circle: Circle, now: datetime, cap: int = CAPS["page"]
) -> list[HallwayItem]:
    """Published, public knowledge pages of the last month in my communities."""
    if not circle.community_ids:
        return []
    communities = list(CommunityPage.objects.live().filter(pk__in=circle.community_ids))
    if not communities:
        return []
    subtree = Q()
    for community in communities:
        subtree |= Q(path__startswith=community.path, depth__gt=community.depth)
    pages = list(
        knowledge_pages_visible()
        .filter(subtree, first_published_at__gte=now - timedelta(days=RECENT_DAYS))
        .exclude(owner=viewer)
        .order_by("-first_published_at", "-pk")[:cap]
    )
    items = []
    for page in pages:
        community = next(c for c in communities if page.path.startswith(c.path))
        items.append(
            HallwayItem(
                kind="page",
                key=page.pk,
                title=page.title,
                url=page.url or "",
                reason=_("New in %(community)s") % {"community": community.title},
                summary=page.summary,
                when=page.first_published_at,
            )
        )
    return items


# -- ideas ----------------------------------------------------------------------


def ideas_for_me(
    *, viewer, now: datetime, cap: int = CAPS["idea"]
) -> list[HallwayItem]:
    """New ideas of the last month in campaigns of my communities (not my own)."""
    ideas = [
        idea
        for idea in ideas_in_my_communities(viewer=viewer, limit=cap * 2)
        if idea.author_id != viewer.pk
        and idea.created_at >= now - timedelta(days=RECENT_DAYS)
    ][:cap]
    return [
        HallwayItem(
            kind="idea",
            key=idea.pk,
            title=idea.title,
            url=idea.get_absolute_url(),
            reason=_("An idea in %(community)s: vote, comment or build on it")
            % {"community": getattr(idea.campaign.community, "title", "")},
            summary=idea.campaign.title,
            when=idea.created_at,
        )
        for idea in ideas
    ]


# -- journal entries ------------------------------------------------------------


def entries_for_me(
    *, viewer, circle: Circle, now: datetime, cap: int = CAPS["entry"]
) -> list[HallwayItem]:
    """Entries by people I follow, and by people outside my circle on tags I follow."""
    since = now - timedelta(days=RECENT_DAYS)
    followed = PersonFollow.objects.filter(follower=viewer).values("followed_id")
    visible = (
        Entry.objects.visible_to(viewer)
        .exclude(author=viewer)
        .filter(created_at__gte=since, author__is_active=True)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("-created_at", "-pk")
    )
    by_people = list(visible.filter(author_id__in=followed)[:cap])
    tags = list(
        TagFollow.objects.filter(follower=viewer).values_list("tag_name", flat=True)
    )
    by_tags: list[Entry] = []
    if tags:
        by_tags = list(
            visible.filter(pk__in=entry_ids_tagged(tags))
            .exclude(author_id__in=followed)
            .exclude(author_id__in=_people_in_circle(circle, viewer=viewer))[:cap]
        )
    followed_tags = {t.lower() for t in tags}
    from_people = {entry.pk for entry in by_people}
    items, seen = [], set()
    for entry in [e for pair in zip_longest(by_people, by_tags) for e in pair if e]:
        if entry.pk in seen:
            continue
        seen.add(entry.pk)
        names = tuple(t.name for t in entry.tags.all())
        if entry.pk in from_people:
            reason = _("Because you follow %(name)s") % {
                "name": entry.author.get_display_name()
            }
            outside = False
        else:
            tag = next((n for n in names if n.lower() in followed_tags), "")
            reason = _("Outside your circle: you follow #%(tag)s") % {"tag": tag}
            outside = True
        items.append(
            HallwayItem(
                kind="entry",
                key=entry.pk,
                title=entry.display_title,
                url=entry.get_absolute_url(),
                reason=reason,
                summary=_("by %(name)s") % {"name": entry.author.get_display_name()},
                when=entry.created_at,
                outside=outside,
                tags=names,
            )
        )
    return items[:cap]


# -- people I might want to meet ---------------------------------------------------


def my_topics(*, viewer) -> list[str]:
    """Tags I asked, answered or wrote about (lower case)."""
    asked_or_answered = (
        TaggedQuestion.objects.filter(content_object__is_deleted=False)
        .filter(
            Q(content_object__author=viewer)
            | Q(
                content_object__answers__author=viewer,
                content_object__answers__is_deleted=False,
            )
        )
        .values_list("tag__name", flat=True)
        .distinct()[:TOPIC_TAGS]
    )
    written = (
        EntryTag.objects.filter(content_object__author=viewer)
        .values_list("tag__name", flat=True)
        .distinct()[:TOPIC_TAGS]
    )
    names = {n.lower() for n in asked_or_answered} | {n.lower() for n in written}
    return sorted(names)


def people_to_meet(
    *, viewer, circle: Circle, cap: int = CAPS["person"]
) -> list[HallwayItem]:
    """Active people working on my tags, in another community or department."""
    topics = my_topics(viewer=viewer)
    if not topics:
        return []
    scores: Counter = Counter()
    per_tag: dict[int, Counter] = defaultdict(Counter)
    sources = (
        Answer.objects.visible()
        .filter(
            question__is_deleted=False,
            question__community__live=True,
            question__tags__name__in=topics,
        )
        .values_list("author_id", "question__tags__name"),
        Question.objects.visible()
        .filter(tags__name__in=topics)
        .values_list("author_id", "tags__name"),
        # Only entries the viewer may read: a private entry must not reveal a topic.
        Entry.objects.visible_to(viewer)
        .filter(tags__name__in=topics)
        .values_list("author_id", "tags__name"),
    )
    for rows in sources:
        counted = (
            rows.exclude(author_id=viewer.pk)
            .filter(author__is_active=True)
            .annotate(n=Count("pk"))
            .order_by("-n")[:CANDIDATE_ROWS]
        )
        for author_id, tag, n in counted:
            scores[author_id] += n
            per_tag[author_id][tag.lower()] += n
    if not scores:
        return []
    followed = PersonFollow.objects.filter(follower=viewer).values("followed_id")
    people = User.objects.filter(pk__in=list(scores), is_active=True).exclude(
        pk__in=_people_in_circle(circle, viewer=viewer)
    )
    people = people.exclude(pk__in=followed)
    people = people.annotate(
        department=F("profile__department"), office=F("profile__office")
    )
    found = {person.pk: person for person in people}
    ranked = sorted(found, key=lambda pk: (-scores[pk], pk))[:cap]
    their_community: dict[int, str] = {}
    for membership in (
        Membership.objects.filter(user_id__in=ranked, community__live=True)
        .select_related("community")
        .order_by("community__title")
    ):
        their_community.setdefault(membership.user_id, membership.community.title)
    items = []
    for pk in ranked:
        person = found[pk]
        tag = per_tag[pk].most_common(1)[0][0]
        department = getattr(person, "department", "") or ""
        if department and circle.department:
            where = _("in the %(name)s department") % {"name": department}
        elif pk in their_community:
            where = _("in the %(name)s community") % {"name": their_community[pk]}
        else:
            where = _("outside your communities")
        items.append(
            HallwayItem(
                kind="person",
                key=person.pk,
                title=person.get_display_name(),
                url=_profile_url(person),
                reason=_("Also works on %(tag)s, %(where)s")
                % {"tag": tag, "where": where},
                summary=", ".join(t for t, _n in per_tag[pk].most_common(3)),
                outside=True,
                tags=tuple(t for t, _n in per_tag[pk].most_common(3)),
            )
        )
    return items


# -- the feed -------------------------------------------------------------------


def interleave(sections: dict[str, list[HallwayItem]], *, limit: int) -> list:
    """Round-robin over the kinds (so none floods the feed), without duplicates."""
    feed: list[HallwayItem] = []
    seen: set = set()
    queues = [list(sections.get(kind, [])) for kind in KIND_ORDER]
    while len(feed) < limit and any(queues):
        for queue in queues:
            while queue:
                item = queue.pop(0)
                if (item.kind, item.key) not in seen:
                    seen.add((item.kind, item.key))
                    feed.append(item)
                    break
            if len(feed) >= limit:
                break
    return feed


def hallway_sections(
    *, viewer, now: datetime | None = None, scale: int = 1
) -> dict[str, list]:
    """Each section of the viewer's hallway, capped (``scale`` times), unmixed."""
    now = now or timezone.now()
    circle = circle_for(viewer)
    caps = {kind: cap * scale for kind, cap in CAPS.items()}
    return {
        "question": questions_i_could_answer(
            viewer=viewer, circle=circle, cap=caps["question"]
        ),
        "page": new_pages_in_my_communities(
            viewer=viewer, circle=circle, now=now, cap=caps["page"]
        ),
        "entry": entries_for_me(
            viewer=viewer, circle=circle, now=now, cap=caps["entry"]
        ),
        "idea": ideas_for_me(viewer=viewer, now=now, cap=caps["idea"]),
        "person": people_to_meet(viewer=viewer, circle=circle, cap=caps["person"]),
    }


def hallway_page(
    *,
    viewer,
    now: datetime | None = None,
    page: int = 1,
    limit: int = FEED_LIMIT,
    cumulative: bool = False,
) -> dict:
    """Page ``page`` of the feed (or pages 1..``page``) and whether more may follow.

    Each section with a larger cap starts with the smaller cap's rows, so the
    items already shown are the interleaving of those prefixes.
    """
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return {"items": [], "has_more": False, "next_page": None}
    page = min(max(page, 1), MAX_PAGES)
    sections = hallway_sections(viewer=viewer, now=now, scale=page)
    pages: list[list[HallwayItem]] = []
    seen: set[tuple[str, int]] = set()
    for number in range(1, page + 1):
        prefixes = {
            kind: rows[: CAPS[kind] * number] for kind, rows in sections.items()
        }
        fresh = [
            item
            for item in interleave(prefixes, limit=limit * number)
            if (item.kind, item.key) not in seen
        ][:limit]
        seen.update((item.kind, item.key) for item in fresh)
        pages.append(fresh)
    feed = [item for rows in pages for item in rows] if cumulative else pages[-1]
    full = any(len(sections[kind]) >= CAPS[kind] * page for kind in CAPS)
    has_more = page < MAX_PAGES and full
    return {
        "items": feed,
        "has_more": has_more,
        "next_page": page + 1 if has_more else None,
    }


def hallway_feed(
    *, viewer, now: datetime | None = None, limit: int = FEED_LIMIT
) -> list[HallwayItem]:
    """The viewer's personal feed: kinds interleaved, each item with its reason."""
    return hallway_page(viewer=viewer, now=now, limit=limit)["items"]
