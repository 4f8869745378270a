"""The home page over HTTP: the hallway for members, the front page for visitors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journals.models import Entry
from kb.qa.models import Question
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.home.factories import (
    answered_in,
    follow_person,
    follow_tag,
    open_question,
)
from tests.journals.factories import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(home, user):
    return make_community(slug="platform", title="Platform engineering", members=[user])


@pytest.fixture
def data(home):
    return make_community(slug="data", title="Data")


def test_visitors_see_the_public_front_page(client, home, user, platform):
    open_question("kubernetes", community=platform, title="Public question here")
    make_page(platform, title="Public knowledge page")
    make_entry(user, title="ORG-JOURNAL-ENTRY")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert "How Hallway works" in html
    assert "Public question here" in html
    assert "Public knowledge page" in html
    assert "ORG-JOURNAL-ENTRY" not in html
    assert "Your hallway" not in html


def test_members_see_their_hallway_with_reasons(client, home, user, platform, data):
    bram = UserFactory(username="bramv", display_name="Bram V")
    answered_in("kubernetes", viewer=user, community=platform)
    question = open_question("kubernetes", community=data, title="Pods keep dying")
    page = make_page(platform, title="Rolling deploys")
    follow_person(user, bram)
    entry = make_entry(bram, title="Tuning the ingress")
    make_entry(bram, title="SECRET-NOTE", visibility=Entry.Visibility.PRIVATE)
    client.force_login(user)

    html = client.get("/").content.decode()

    assert "Your hallway" in html
    assert f'href="{question.get_absolute_url()}"' in html
    assert "Outside your circle, from the Data community" in html
    assert f'href="{page.url}"' in html
    assert "New in Platform engineering" in html
    assert f'href="{entry.get_absolute_url()}"' in html
    assert "Because you follow Bram V" in html
    assert "SECRET-NOTE" not in html
    assert "How Hallway works" not in html


def test_new_members_get_next_steps(client, home):
    newcomer = UserFactory(username="newbie")
    client.force_login(newcomer)

    html = client.get("/").content.decode()

    assert "Your hallway is quiet for now" in html
    assert "Follow a few tags or people" in html
    assert "Join a community" in html
    assert "?sort=unanswered" in html


def test_follow_step_disappears_once_following(client, home, user, other_user):
    follow_tag(user, "python")
    client.force_login(user)

    html = client.get("/").content.decode()

    assert "Follow a few tags or people" not in html


def test_time_to_first_answer_and_unanswered_link(client, home, user, platform):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    q = open_question("x", community=platform)
    Question.objects.filter(pk=q.pk).update(
        created_at=now - timedelta(hours=5), first_answer_at=now - timedelta(hours=2)
    )
    open_question("x", community=platform)
    client.force_login(user)

    html = client.get("/").content.decode()

    assert "Time to first answer" in html
    assert ">3 h</p>" in html
    assert "Median in your communities" in html
    assert "1 question is waiting for a first answer" in html


def _arrange(user, platform, data, *, n: int) -> None:
    """``n`` rows of every kind the hallway reads."""
    answered_in("kubernetes", viewer=user, community=platform)
    friend = UserFactory()
    follow_person(user, friend)
    follow_tag(user, "python")
    make_community(slug=f"far{n}", title=f"Far {n}", members=[])
    for i in range(n):
        author = UserFactory()
        open_question("kubernetes", community=platform, author=author)
        open_question("kubernetes", community=data)
        make_page(platform, title=f"Page number {i}")
        make_entry(friend, title=f"Friend {i}", tags=["kubernetes"])
        make_entry(UserFactory(), title=f"Stranger {i}", tags=["python", "rust"])
        make_entry(author, title=f"Author {i}", tags=["kubernetes"])


def _count_queries(client) -> int:
    client.get("/")  # publishing pages empties Wagtail's cache of site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_member_page_queries_do_not_grow_with_data(client, home, user, platform, data):
    client.force_login(user)
    _arrange(user, platform, data, n=1)
    few = _count_queries(client)
    _arrange(user, platform, data, n=8)
    many = _count_queries(client)

    assert many == few
    html = client.get("/").content.decode()
    for kind in ("question", "page", "entry", "person"):
        assert f'data-kind="{kind}"' in html
    assert "Outside your circle: you follow #python" in html


def test_visitor_page_queries_do_not_grow_with_data(client, home, user, platform):
    open_question("kubernetes", community=platform)
    make_page(platform, title="Only page")
    few = _count_queries(client)
    for i in range(8):
        open_question("kubernetes", community=platform)
        make_page(platform, title=f"Page number {i}")
    many = _count_queries(client)

    assert many == few


def _feed_links(html: str) -> list[str]:
    import re

    return re.findall(r'<h3 class="hallway-title"><a href="([^"]+)"', html)


def test_show_more_loads_the_next_items_without_repeats(
    client, home, user, platform, data
):
    _arrange(user, platform, data, n=12)
    client.force_login(user)

    first = client.get("/").content.decode()
    more = client.get("/?page=2", HTTP_HX_REQUEST="true").content.decode()
    both = client.get("/?page=2").content.decode()

    assert 'hx-get="?page=2"' in first
    assert "<html" not in more
    first_links, more_links = _feed_links(first), _feed_links(more)
    assert len(first_links) == 20
    assert more_links
    assert not set(first_links) & set(more_links)
    assert _feed_links(both) == first_links + more_links
    assert 'hx-get="?page=3"' in more


def test_show_more_queries_do_not_grow_with_data(client, home, user, platform, data):
    client.force_login(user)
    _arrange(user, platform, data, n=1)
    client.get("/?page=2", HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as few:
        client.get("/?page=2", HTTP_HX_REQUEST="true")
    _arrange(user, platform, data, n=12)
    client.get("/?page=2", HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as many:
        client.get("/?page=2", HTTP_HX_REQUEST="true")

    assert len(many) == len(few)


def test_visitors_get_the_front_page_for_show_more(client, home):
    response = client.get("/?page=2", HTTP_HX_REQUEST="true")

    assert "How Hallway works" in response.content.decode()
