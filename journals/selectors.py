"""Reads about journals: every surface goes through ``Entry.objects.visible_to``."""

import base64
import binascii
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from kb.communities.models import CommunityPage
from kb.communities.selectors import curated_community_ids
from kb.qa.models import Question

from .models import (
    Entry,
    EntryComment,
    EntryQuerySet,
    EntryTag,
    JournalSettings,
    PersonFollow,
    Reaction,
    TagFollow,
)

FEED_PAGE_SIZE = 20
HEATMAP_WEEKS = 53


def entry_list_visible(*, viewer) -> EntryQuerySet:
    """Entries ``viewer`` may see, newest first, ready for listing."""
    return Entry.objects.visible_to(viewer).for_listing()


def entry_get_visible(*, viewer, pk) -> Entry:
    """The entry if ``viewer`` may see it; ``Http404`` otherwise (never 403)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such entry.") from None
    entry = entry_list_visible(viewer=viewer).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def entry_principals(entry: Entry) -> dict:
    """Who may read ``entry``, for permission-aware indexes (pure, no queries)."""
    everyone = entry.visibility == Entry.Visibility.ORGANISATION
    community_ids = (
        [entry.community_id]
        if entry.visibility == Entry.Visibility.COMMUNITY and entry.community_id
        else []
    )
    return {
        "visibility": entry.visibility,
        "user_ids": [entry.author_id],
        "community_ids": community_ids,
        "everyone": everyone,
    }


# -- cursors ------------------------------------------------------------------


def _encode_cursor(entry: Entry) -> str:
    raw = f"{entry.created_at.isoformat()}|{entry.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        stamp, pk = raw.rsplit("|", 1)
        return datetime.fromisoformat(stamp), int(pk)
    except (ValueError, binascii.Error, UnicodeError):
        return None


def _page_by_cursor(
    entries: EntryQuerySet, *, cursor: str | None, limit: int
) -> tuple[list[Entry], str | None]:
    """One page of ``entries`` (newest first) after ``cursor``, and the next cursor."""
    entries = entries.order_by("-created_at", "-pk")
    position = _decode_cursor(cursor) if cursor else None
    if position is not None:
        stamp, pk = position
        entries = entries.filter(
            Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk)
        )
    rows = list(entries[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor


# -- pages ----------------------------------------------------------------------


def feed_page(
    *, viewer, cursor: str | None = None, limit: int = FEED_PAGE_SIZE
) -> tuple[list[Entry], str | None]:
    """Entries by people and with tags ``viewer`` follows, newest first."""
    people = PersonFollow.objects.filter(follower=viewer).values("followed_id")
    tags = list(
        TagFollow.objects.filter(follower=viewer).values_list("tag_name", flat=True)
    )
    matches = Q(author_id__in=people)
    if tags:
        tagged = entry_ids_tagged(tags)
        matches |= Q(pk__in=tagged)
    entries = entry_list_visible(viewer=viewer).filter(matches).exclude(author=viewer)
    return _page_by_cursor(entries, cursor=cursor, limit=limit)


def entry_ids_tagged(tag_names: list[str]):
    """Subquery of entry ids tagged with any of ``tag_names`` (case-insensitive)."""

    query = Q()
    for name in tag_names:
        query |= Q(tag__name__iexact=name)
    return EntryTag.objects.filter(query).values("content_object_id")


def person_journal_page(
    *, viewer, author, cursor: str | None = None, limit: int = FEED_PAGE_SIZE
) -> tuple[list[Entry], str | None]:
    """``author``'s entries that ``viewer`` may see, newest first."""
    entries = entry_list_visible(viewer=viewer).filter(author=author)
    return _page_by_cursor(entries, cursor=cursor, limit=limit)


def my_journal_page(
    *,
    viewer,
    tag: str = "",
    month: str = "",
    cursor: str | None = None,
    limit: int = FEED_PAGE_SIZE,
) -> tuple[list[Entry], str | None]:
    """My own entries, newest first, optionally of one tag and one month (YYYY-MM)."""
    entries = entry_list_visible(viewer=viewer).filter(author=viewer)
    if tag:
        entries = entries.filter(pk__in=entry_ids_tagged([tag]))
    parsed = parse_month(month)
    if parsed:
        entries = entries.filter(
            created_at__year=parsed.year, created_at__month=parsed.month
        )
    return _page_by_cursor(entries, cursor=cursor, limit=limit)


def parse_month(month: str) -> date | None:
    """``"2026-11"`` → the first of that month; ``None`` for anything else."""
    try:
        year, number = (int(part) for part in month.split("-"))
        return date(year, number, 1)
    except (ValueError, TypeError):
        return None


def my_journal_filters(*, user) -> dict:
    """The tags and months of ``user``'s entries, for the filter controls."""

    tags = (
        EntryTag.objects.filter(content_object__author=user)
        .values_list("tag__name", flat=True)
        .distinct()
        .order_by("tag__name")
    )
    months = Entry.objects.filter(author=user).dates(
        "created_at", "month", order="DESC"
    )
    return {"tags": list(tags), "months": list(months)}


def writing_days(*, user, today: date | None = None) -> dict[date, int]:
    """Entries written per local day over the heatmap's period."""
    today = today or timezone.localdate()
    start = today - timedelta(weeks=HEATMAP_WEEKS)
    rows = (
        Entry.objects.filter(author=user, created_at__date__gte=start)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return dict(rows)


def writing_streak(days: dict[date, int], *, today: date) -> int:
    """Consecutive days with an entry, ending today (or yesterday if none yet today)."""
    day = today if days.get(today) else today - timedelta(days=1)
    streak = 0
    while days.get(day):
        streak += 1
        day -= timedelta(days=1)
    return streak


def heatmap(*, user, today: date | None = None) -> dict:
    """Weeks (columns, Monday first) of days with entry counts, plus the streak."""
    today = today or timezone.localdate()
    days = writing_days(user=user, today=today)
    last_monday = today - timedelta(days=today.weekday())
    first_monday = last_monday - timedelta(weeks=HEATMAP_WEEKS - 1)
    weeks = []
    for week in range(HEATMAP_WEEKS):
        monday = first_monday + timedelta(weeks=week)
        cells = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            count = days.get(day, 0)
            cells.append(
                {
                    "date": day,
                    "count": count,
                    "level": min(count, 4),
                    "future": day > today,
                }
            )
        weeks.append(cells)
    return {
        "weeks": weeks,
        "streak": writing_streak(days, today=today),
        "active_days": sum(1 for n in days.values() if n),
        "total": sum(days.values()),
    }


# -- one entry ----------------------------------------------------------------


def reaction_summary(*, entry: Entry, viewer) -> dict:
    """Counts per kind and the kinds ``viewer`` chose (entry assumed visible)."""
    counts = dict(
        Reaction.objects.filter(entry=entry)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    mine = set(
        Reaction.objects.filter(entry=entry, user=viewer).values_list("kind", flat=True)
    )
    return {
        "kinds": [
            {
                "kind": kind,
                "label": label,
                "count": counts.get(kind, 0),
                "mine": kind in mine,
            }
            for kind, label in Reaction.Kind.choices
        ],
        "counts": {kind: counts.get(kind, 0) for kind in Reaction.Kind.values},
        "mine": sorted(mine),
    }


def comment_list(*, entry: Entry) -> list[EntryComment]:
    """Comments on a (visible) entry, oldest first."""
    return list(EntryComment.objects.filter(entry=entry).select_related("author"))


def linked_question(*, entry: Entry, viewer) -> dict | None:
    """The question made from ``entry`` with its status and accepted answer, if any."""
    if not entry.question_id:
        return None
    question = (
        Question.objects.visible_to(viewer)
        .select_related("accepted_answer", "accepted_answer__author")
        .filter(pk=entry.question_id)
        .first()
    )
    if question is None:
        return None
    return {
        "question": question,
        "status": question.get_status_display(),
        "accepted_answer": question.accepted_answer,
    }


def curate_communities(*, entry: Entry, viewer) -> list:
    """Communities ``viewer`` may curate this entry into (empty: no button)."""
    if entry.visibility == Entry.Visibility.PRIVATE:
        return []
    curated = curated_community_ids(viewer)
    if entry.visibility == Entry.Visibility.COMMUNITY:
        ids: set[int] = {entry.community_id} & curated  # type: ignore[assignment]
    else:
        ids = curated
    if not ids:
        return []
    return list(CommunityPage.objects.filter(pk__in=ids).order_by("title"))


def is_following(*, follower, followed) -> bool:
    """Whether ``follower`` follows ``followed``'s journal."""
    return PersonFollow.objects.filter(follower=follower, followed=followed).exists()


def followed_tags(*, user) -> list[str]:
    """Tag names ``user`` follows, alphabetically."""
    return list(
        TagFollow.objects.filter(follower=user)
        .order_by("tag_name")
        .values_list("tag_name", flat=True)
    )


def followed_people(*, user) -> list:
    """People ``user`` follows, by name."""
    return [
        follow.followed
        for follow in PersonFollow.objects.filter(follower=user)
        .select_related("followed")
        .order_by("followed__display_name", "followed__username")
    ]


def journal_settings_for(*, user) -> JournalSettings:
    """``user``'s journal settings (created with defaults on first use)."""
    found, _created = JournalSettings.objects.get_or_create(user=user)
    return found


def reader_for_feed_token(*, token: str):
    """The active person owning this Atom feed token, or ``None``."""
    if not token:
        return None
    found = (
        JournalSettings.objects.select_related("user")
        .filter(feed_token=token, user__is_active=True)
        .first()
    )
    return found.user if found else None
