"""Journal events notify only people who may see the entry (a truth table)."""

import pytest
from django_tasks_db.models import DBTaskResult

from journals.models import Entry, PersonFollow
from journals.services import comment_create, entry_create, entry_delete, entry_update
from notifications.fanout import (
    entry_comment_fanout,
    entry_created_fanout,
    entry_visibility_recheck,
)
from notifications.models import Kind, Notification
from tests.factories import UserFactory
from tests.journals.factories import make_comment, make_entry

pytestmark = pytest.mark.django_db

V = Entry.Visibility


@pytest.fixture
def people(community, user, other_user):
    """alice writes; bram is in her community; olga is outside it; ivy is inactive."""
    olga = UserFactory(username="olga")
    ivy = UserFactory(username="ivy", is_active=False)
    return {"author": user, "member": other_user, "outsider": olga, "inactive": ivy}


def _notified(kind) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (V.PRIVATE, set()),
        (V.COMMUNITY, {"bram"}),
        (V.ORGANISATION, {"bram", "olga"}),
    ],
)
def test_followers_hear_of_entries_they_may_see(
    people, community, visibility, expected
):
    for key in ("member", "outsider", "inactive"):
        PersonFollow.objects.create(follower=people[key], followed=people["author"])
    entry = make_entry(
        people["author"],
        visibility=visibility,
        community=community if visibility == V.COMMUNITY else None,
    )
    entry_created_fanout(entry_id=entry.pk)
    assert _notified(Kind.NEW_ENTRY_BY_FOLLOWED_PERSON) == expected


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (V.PRIVATE, set()),
        (V.COMMUNITY, {"bram"}),
        (V.ORGANISATION, {"bram", "olga"}),
    ],
)
def test_mentions_in_an_entry_respect_its_visibility(
    people, community, visibility, expected
):
    entry = make_entry(
        people["author"],
        body="Pairing with @bram and @olga (and @ivy) on the cache today.",
        visibility=visibility,
        community=community if visibility == V.COMMUNITY else None,
    )
    entry_created_fanout(entry_id=entry.pk)
    assert _notified(Kind.MENTION) == expected


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        (V.PRIVATE, set()),
        (V.COMMUNITY, {"bram"}),
        (V.ORGANISATION, {"bram", "olga"}),
    ],
)
def test_mentions_in_a_comment_respect_the_entrys_visibility(
    people, community, visibility, expected
):
    entry = make_entry(
        people["author"],
        visibility=visibility,
        community=community if visibility == V.COMMUNITY else None,
    )
    comment = make_comment(entry, people["author"], body="@bram @olga @ivy look!")
    entry_comment_fanout(comment_id=comment.pk)
    assert _notified(Kind.MENTION) == expected


def test_a_comment_tells_the_entrys_author(people, community):
    entry = make_entry(people["author"], visibility=V.COMMUNITY, community=community)
    comment = make_comment(entry, people["member"], body="Nice find.")
    entry_comment_fanout(comment_id=comment.pk)
    row = Notification.objects.get()
    assert (row.recipient, row.kind) == (people["author"], Kind.COMMENT_ON_MY_POST)
    assert row.url == f"{entry.get_absolute_url()}#comment-{comment.pk}"


def test_entries_by_one_person_are_grouped(people):
    PersonFollow.objects.create(follower=people["member"], followed=people["author"])
    for title in ("One", "Two", "Three"):
        entry = make_entry(people["author"], title=title)
        entry_created_fanout(entry_id=entry.pk)
    row = Notification.objects.get()
    assert row.count == 3
    assert "3 new entries" in row.text
    assert "Three" in row.text


def _queued(task_name: str) -> list[list]:
    rows = DBTaskResult.objects.filter(task_path__endswith=task_name)
    return sorted(row.args_kwargs["args"] for row in rows)


def test_writing_an_entry_enqueues_the_fan_out(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = entry_create(
            author=people["author"], body="Notes.", visibility=V.ORGANISATION
        )
    assert _queued("fanout_entry_task") == [[entry.pk]]


def test_commenting_on_an_entry_enqueues_the_fan_out(
    people, django_capture_on_commit_callbacks
):
    entry = make_entry(people["author"])
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(entry=entry, author=people["member"], body="Nice.")
    assert _queued("fanout_entry_comment_task") == [[comment.pk]]


def test_narrowing_an_entry_withdraws_notifications_others_cannot_see(
    people, community
):
    for key in ("member", "outsider"):
        PersonFollow.objects.create(follower=people[key], followed=people["author"])
    entry = make_entry(people["author"], visibility=V.ORGANISATION)
    entry_created_fanout(entry_id=entry.pk)
    assert _notified(Kind.NEW_ENTRY_BY_FOLLOWED_PERSON) == {"bram", "olga"}

    Entry.objects.filter(pk=entry.pk).update(
        visibility=V.COMMUNITY, community=community
    )
    assert entry_visibility_recheck(entry_id=entry.pk) == 1
    assert _notified(Kind.NEW_ENTRY_BY_FOLLOWED_PERSON) == {"bram"}

    pk = entry.pk
    entry.delete()
    assert entry_visibility_recheck(entry_id=pk) == 1
    assert not Notification.objects.exists()


def test_editing_an_entry_enqueues_the_recheck(
    people, django_capture_on_commit_callbacks
):
    entry = make_entry(people["author"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, by=people["author"], visibility=V.PRIVATE)
    assert _queued("recheck_entry_task") == [[entry.pk]]


def test_deleting_an_entry_any_way_enqueues_the_recheck(
    people, django_capture_on_commit_callbacks
):
    """The author's delete, a moderator's in the admin or a cascade: all announced."""
    mine, moderated = make_entry(people["author"]), make_entry(people["author"])
    pks = [mine.pk, moderated.pk]
    with django_capture_on_commit_callbacks(execute=True):
        entry_delete(entry=mine, by=people["author"])
        moderated.delete()
    assert _queued("recheck_entry_task") == sorted([pk] for pk in pks)
