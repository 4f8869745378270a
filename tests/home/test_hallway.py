"""The hallway feed: each section's selection rules, reasons and privacy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from home import feed, selectors
from home.feed import HallwayItem, hallway_feed, hallway_sections, interleave
from journals.models import Entry
from kb.communities.models import KnowledgePage
from kb.communities.services import membership_join
from kb.qa import services as qa
from kb.qa.models import Question
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.home.factories import (
    answered_in,
    follow_person,
    follow_tag,
    open_question,
    set_profile,
)
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(user):
    return make_community(slug="platform", title="Platform engineering", members=[user])


@pytest.fixture
def data(db):
    return make_community(slug="data", title="Data")


def _titles(items, kind=None):
    return [i.title for i in items if kind is None or i.kind == kind]


# -- questions I could answer ---------------------------------------------------


def test_questions_in_my_answered_tags_with_the_reason(user, platform):
    answered_in("kubernetes", viewer=user, community=platform)
    wanted = open_question("kubernetes", community=platform, title="Pods keep dying")
    open_question("golang", community=platform, title="Other tag question")

    questions = hallway_sections(viewer=user)["question"]

    assert _titles(questions) == ["Pods keep dying"]
    assert questions[0].url == wanted.get_absolute_url()
    assert questions[0].reason == "because you answered about kubernetes"
    assert questions[0].outside is False


def test_accepted_answers_give_their_own_reason(user, platform):
    answered_in("kubernetes", viewer=user, community=platform, accepted=True)
    open_question("kubernetes", community=platform)

    [item] = hallway_sections(viewer=user)["question"]

    assert item.reason == "because your answers about kubernetes were accepted"


def test_questions_skip_mine_answered_accepted_closed_and_deleted(user, platform):
    answered_in("kubernetes", viewer=user, community=platform)
    open_question(
        "kubernetes", community=platform, author=user, title="Mine, not theirs"
    )
    done = open_question("kubernetes", community=platform, title="Already by me")
    make_answer(question=done, author=user)
    accepted = open_question(
        "kubernetes", community=platform, title="Accepted question"
    )
    answer = make_answer(question=accepted)
    qa.answer_accept(answer=answer, by=accepted.author)
    closed = open_question("kubernetes", community=platform, title="Closed question")
    Question.objects.filter(pk=closed.pk).update(status=Question.Status.CLOSED)
    gone = open_question("kubernetes", community=platform, title="Deleted question")
    Question.objects.filter(pk=gone.pk).update(is_deleted=True)
    answered = open_question("kubernetes", community=platform, title="Has an answer")
    make_answer(question=answered)

    titles = _titles(hallway_sections(viewer=user)["question"])

    assert titles == ["Has an answer"]


def test_questions_by_people_who_left_are_left_out(user, platform):
    answered_in("kubernetes", viewer=user, community=platform)
    gone = UserFactory(is_active=False)
    open_question("kubernetes", community=platform, author=gone)

    assert hallway_sections(viewer=user)["question"] == []


def test_no_expertise_no_questions(user, platform):
    open_question("kubernetes", community=platform)

    assert hallway_sections(viewer=user)["question"] == []


def test_fair_share_of_questions_from_other_communities(user, platform, data):
    answered_in("python", viewer=user, community=platform)
    for n in range(8):
        open_question("python", community=platform, title=f"Inside question {n}")
        open_question("python", community=data, title=f"Outside question {n}")

    questions = hallway_sections(viewer=user)["question"]

    assert len(questions) == feed.CAPS["question"]
    outside = [q for q in questions if q.outside]
    assert len(outside) == feed.CAPS["question"] // 2
    assert all(q.title.startswith("Outside") for q in outside)
    assert outside[0].reason == (
        "Outside your circle, from the Data community: "
        "because you answered about python"
    )


def test_only_outside_questions_still_fill_the_section(user, platform, data):
    answered_in("python", viewer=user, community=platform)
    for n in range(8):
        open_question("python", community=data, title=f"Outside question {n}")

    questions = hallway_sections(viewer=user)["question"]

    assert len(questions) == feed.CAPS["question"]


def test_without_communities_every_question_is_outside(other_user, data):
    answered_in("python", viewer=other_user, community=data)
    open_question("python", community=data, title="Python question")

    [item] = hallway_sections(viewer=other_user)["question"]

    assert item.outside is True
    assert item.reason.startswith("Outside your circle, from the Data community")


def test_another_department_in_my_community_counts_as_outside(user, platform):
    set_profile(user, department="Finance")
    answered_in("excel", viewer=user, community=platform)
    colleague = UserFactory()
    stranger = UserFactory()
    set_profile(colleague, department="Finance")
    set_profile(stranger, department="Research")
    open_question("excel", community=platform, author=colleague, title="Colleague asks")
    open_question("excel", community=platform, author=stranger, title="Stranger asks")

    items = {i.title: i for i in hallway_sections(viewer=user)["question"]}

    assert items["Colleague asks"].outside is False
    assert items["Stranger asks"].outside is True
    assert "from the Research department" in items["Stranger asks"].reason


# -- knowledge pages -------------------------------------------------------------


def test_new_pages_in_my_communities(user, platform, data):
    page = make_page(platform, title="Rolling deploys")
    make_page(data, title="Not my community")
    make_page(platform, title="A draft", publish=False)
    mine = make_page(platform, title="My own page")
    KnowledgePage.objects.filter(pk=mine.pk).update(owner=user)

    pages = hallway_sections(viewer=user)["page"]

    assert _titles(pages) == ["Rolling deploys"]
    assert pages[0].reason == "New in Platform engineering"
    assert pages[0].url == page.url


def test_old_pages_are_not_new(user, platform):
    page = make_page(platform, title="Old")
    KnowledgePage.objects.filter(pk=page.pk).update(
        first_published_at=timezone.now() - timedelta(days=90)
    )

    assert hallway_sections(viewer=user)["page"] == []


# -- journal entries --------------------------------------------------------------


def test_entries_of_people_i_follow(user, other_user):
    follow_person(user, other_user)
    make_entry(other_user, title="Bram's note")

    [item] = hallway_sections(viewer=user)["entry"]

    assert item.title == "Bram's note"
    assert item.reason == "Because you follow Bram de Vries"


def test_private_and_foreign_community_entries_never_show(user, other_user, data):
    follow_person(user, other_user)
    follow_tag(user, "python")
    make_entry(
        other_user,
        title="PRIVATE",
        visibility=Entry.Visibility.PRIVATE,
        tags=["python"],
    )
    make_entry(
        other_user,
        title="COMMUNITY",
        visibility=Entry.Visibility.COMMUNITY,
        community=data,
        tags=["python"],
    )
    stranger = UserFactory()
    make_entry(
        stranger,
        title="STRANGER-PRIVATE",
        visibility=Entry.Visibility.PRIVATE,
        tags=["python"],
    )

    assert hallway_sections(viewer=user)["entry"] == []
    assert "PRIVATE" not in str(hallway_feed(viewer=user))


def test_community_entries_show_to_members(user, other_user, platform):
    follow_person(user, other_user)
    make_entry(
        other_user,
        title="For the platform",
        visibility=Entry.Visibility.COMMUNITY,
        community=platform,
    )

    assert _titles(hallway_sections(viewer=user)["entry"]) == ["For the platform"]


def test_entries_on_followed_tags_from_outside_my_circle(user, platform, data):
    follow_tag(user, "python")
    stranger = UserFactory(display_name="Sam Stranger")
    make_community(slug="research", title="Research", members=[stranger])
    neighbour = UserFactory()

    membership_join(community=platform, user=neighbour)
    make_entry(stranger, title="Stranger on python", tags=["python"])
    make_entry(neighbour, title="Neighbour on python", tags=["python"])
    make_entry(stranger, title="Stranger on rust", tags=["rust"])

    entries = hallway_sections(viewer=user)["entry"]

    assert _titles(entries) == ["Stranger on python"]
    assert entries[0].reason == "Outside your circle: you follow #python"
    assert entries[0].outside is True


def test_same_department_keeps_an_entry_inside_my_circle(user, platform):
    set_profile(user, department="Finance")
    follow_tag(user, "python")
    colleague = UserFactory()
    set_profile(colleague, department="finance")
    stranger = UserFactory()
    set_profile(stranger, department="Research")
    make_entry(colleague, title="Colleague on python", tags=["python"])
    make_entry(stranger, title="Stranger on python", tags=["python"])

    assert _titles(hallway_sections(viewer=user)["entry"]) == ["Stranger on python"]


def test_entries_from_inactive_people_are_left_out(user, other_user):
    follow_person(user, other_user)
    make_entry(other_user, title="Before leaving")
    other_user.is_active = False
    other_user.save(update_fields=["is_active"])

    assert hallway_sections(viewer=user)["entry"] == []


# -- people to meet ---------------------------------------------------------------


def test_people_on_my_topics_in_another_community(user, platform, data):
    answered_in("spark", viewer=user, community=platform)
    expert = UserFactory(display_name="Erin Expert")
    make_community(slug="analytics", title="Analytics", members=[expert])
    answered_in("spark", viewer=expert, community=data)
    neighbour = UserFactory()

    membership_join(community=platform, user=neighbour)
    answered_in("spark", viewer=neighbour, community=platform)
    gone = UserFactory(is_active=False)
    answered_in("spark", viewer=gone, community=data)

    people = hallway_sections(viewer=user)["person"]

    names = _titles(people)
    assert "Erin Expert" in names
    assert neighbour.get_display_name() not in names
    assert gone.get_display_name() not in names
    assert user.get_display_name() not in names
    erin = next(p for p in people if p.title == "Erin Expert")
    assert erin.reason == "Also works on spark, in the Analytics community"


def test_people_with_another_department(user, platform):
    set_profile(user, department="Finance")
    answered_in("excel", viewer=user, community=platform)

    analyst = UserFactory(display_name="Ana Analyst")
    membership_join(community=platform, user=analyst)  # same community...
    set_profile(analyst, department="Research")  # ...but another department
    make_entry(analyst, title="Pivot tables", tags=["excel"])

    people = hallway_sections(viewer=user)["person"]

    # Sharing a community keeps her in my circle.
    assert "Ana Analyst" not in _titles(people)


def test_private_entries_do_not_reveal_topics(user, platform):
    make_entry(user, title="Mine, not theirs", tags=["secret-project"])
    quiet = UserFactory(display_name="Quiet Writer")
    make_entry(
        quiet,
        title="Hidden",
        visibility=Entry.Visibility.PRIVATE,
        tags=["secret-project"],
    )

    assert hallway_sections(viewer=user)["person"] == []


def test_people_i_follow_are_not_suggested(user, other_user, platform, data):
    make_entry(user, title="Mine, not theirs", tags=["graphs"])
    make_entry(other_user, title="Theirs", tags=["graphs"])
    [bram] = hallway_sections(viewer=user)["person"]
    assert bram.title == "Bram de Vries"
    assert bram.reason == "Also works on graphs, outside your communities"

    follow_person(user, other_user)

    assert hallway_sections(viewer=user)["person"] == []


# -- the mixed feed ------------------------------------------------------------


def _item(kind, key):
    return HallwayItem(kind=kind, key=key, title=f"{kind}{key}", url="/", reason="r")


def test_interleave_alternates_kinds_caps_and_dedupes():
    sections = {
        "question": [_item("question", n) for n in range(5)],
        "page": [_item("page", 1)],
        "entry": [_item("entry", 1), _item("entry", 1), _item("entry", 2)],
        "person": [],
    }

    feed = interleave(sections, limit=6)

    assert [(i.kind, i.key) for i in feed] == [
        ("question", 0),
        ("page", 1),
        ("entry", 1),
        ("question", 1),
        ("entry", 2),
        ("question", 2),
    ]


def test_feed_mixes_kinds_with_reasons(user, other_user, platform):
    answered_in("kubernetes", viewer=user, community=platform)
    open_question("kubernetes", community=platform, title="Question one")
    make_page(platform, title="P1")
    follow_person(user, other_user)
    make_entry(other_user, title="E1")

    feed = hallway_feed(viewer=user)

    # The askers of my old answers also work on kubernetes: people to meet.
    assert [i.kind for i in feed][:4] == ["question", "page", "entry", "person"]
    assert all(i.reason for i in feed)


def test_anonymous_and_inactive_get_no_feed(user):
    from django.contrib.auth.models import AnonymousUser

    assert hallway_feed(viewer=AnonymousUser()) == []
    user.is_active = False
    assert hallway_feed(viewer=user) == []


# -- time to first answer ------------------------------------------------------


def test_median_time_to_first_answer_in_my_communities(user, platform, data):
    now = timezone.now()
    for hours in (1, 2, 10):
        q = open_question("x", community=platform)
        Question.objects.filter(pk=q.pk).update(
            created_at=now - timedelta(days=1),
            first_answer_at=now - timedelta(days=1) + timedelta(hours=hours),
        )
    elsewhere = open_question("x", community=data)
    Question.objects.filter(pk=elsewhere.pk).update(
        created_at=now - timedelta(days=1),
        first_answer_at=now - timedelta(days=1) + timedelta(hours=20),
    )
    old = open_question("x", community=platform)
    Question.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=40),
        first_answer_at=now - timedelta(days=39),
    )
    open_question("x", community=platform)  # still waiting

    stat = selectors.time_to_first_answer(viewer=user, now=now)

    assert stat["scope"] == "communities"
    assert stat["median"] == timedelta(hours=2)
    assert stat["median_text"] == "2 h"
    assert stat["answered"] == 3
    assert stat["waiting"] == 1


def test_median_is_site_wide_without_communities(other_user, data):
    now = timezone.now()
    q = open_question("x", community=data)
    Question.objects.filter(pk=q.pk).update(
        created_at=now - timedelta(hours=5), first_answer_at=now - timedelta(hours=4)
    )

    stat = selectors.time_to_first_answer(viewer=other_user, now=now)

    assert stat["scope"] == "site"
    assert stat["median_text"] == "60 min" or stat["median_text"] == "1 h"


def test_duration_text():
    assert selectors.duration_text(timedelta(minutes=45)) == "45 min"
    assert selectors.duration_text(timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert selectors.duration_text(timedelta(days=3)) == "3 days"
