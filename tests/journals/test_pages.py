"""The journal pages through the real HTTP interface, checking stored state."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from journals.models import Entry, JournalSettings, PersonFollow, Reaction, TagFollow
from journals.selectors import writing_streak
from journals.services import entry_link_question, person_follow
from kb.qa.models import Answer, Question
from tests.factories import UserFactory
from tests.journals.factories import make_comment, make_entry, make_reaction

pytestmark = pytest.mark.django_db


def test_write_an_entry(client, author, community):
    client.force_login(author)
    form = client.get(reverse("journals:write"))
    assert 'data-draft-key="journal-new"' in form.content.decode()
    response = client.post(
        reverse("journals:write"),
        {
            "prompt": "learned",
            "title": "",
            "body": "Use `EXPLAIN`.",
            "tags": "postgres, Perf",
            "visibility": "community",
            "community": community.slug,
        },
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.prompt, entry.visibility, entry.community) == (
        "learned",
        "community",
        community,
    )
    assert sorted(entry.tags.names()) == ["perf", "postgres"]
    assert "<code>EXPLAIN</code>" in entry.body_html


def test_write_form_defaults_to_my_default_visibility(client, author):
    JournalSettings.objects.create(user=author, default_visibility="organisation")
    client.force_login(author)
    html = client.get(reverse("journals:write")).content.decode()
    assert '<option value="organisation" selected>' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "visibility": "private"}, "Write something first."),
        ({"body": "x" * 20_001, "visibility": "private"}, "under 20000 characters"),
        (
            {"body": "x", "visibility": "community", "community": "data"},
            "Select a valid choice",
        ),
        ({"body": "x", "visibility": "community"}, "Choose one of your communities"),
    ],
)
def test_write_bad_input_shows_errors_and_saves_nothing(
    client, author, community, other_community, data, message
):
    client.force_login(author)
    response = client.post(reverse("journals:write"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_live_preview_renders_sanitised_markdown(client, author):
    client.force_login(author)
    response = client.post(
        reverse("journals:preview"), {"body": "**hi** <script>x</script>"}
    )
    html = response.content.decode()
    assert "<strong>hi</strong>" in html
    assert "<script>" not in html


def test_edit_own_entry(client, author, community):
    entry = make_entry(author, body="Old", tags=["a"])
    client.force_login(author)
    url = reverse("journals:entry-edit", args=[entry.pk])
    assert "Old" in client.get(url).content.decode()
    response = client.post(
        url, {"body": "New", "tags": "b", "visibility": "private", "prompt": "stuck"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.body, entry.visibility, entry.prompt) == ("New", "private", "stuck")
    assert list(entry.tags.names()) == ["b"]


def test_editing_others_entries(client, author, outsider):
    visible = make_entry(author, visibility="organisation")
    hidden = make_entry(author, visibility="private")
    client.force_login(outsider)
    assert (
        client.get(reverse("journals:entry-edit", args=[visible.pk])).status_code == 403
    )
    assert (
        client.get(reverse("journals:entry-edit", args=[hidden.pk])).status_code == 404
    )
    delete = client.post(reverse("journals:entry-delete", args=[visible.pk]))
    assert delete.status_code == 403
    assert Entry.objects.count() == 2


def test_delete_own_entry(client, author):
    entry = make_entry(author)
    client.force_login(author)
    response = client.post(reverse("journals:entry-delete", args=[entry.pk]))
    assert response["Location"] == reverse("journals:me")
    assert not Entry.objects.exists()


def test_follow_and_unfollow(client, author, outsider):
    client.force_login(outsider)
    url = reverse("journals:person-follow", args=["alice"])
    client.post(url)
    client.post(url)
    assert PersonFollow.objects.filter(follower=outsider, followed=author).count() == 1
    page = client.get(reverse("journals:person", args=["alice"])).content.decode()
    assert "Unfollow" in page
    client.post(url, {"action": "unfollow"})
    assert not PersonFollow.objects.exists()


def test_cannot_follow_myself(client, author):
    client.force_login(author)
    client.post(reverse("journals:person-follow", args=["alice"]))
    assert not PersonFollow.objects.exists()


def test_follow_a_tag(client, author, outsider):
    make_entry(author, title="TAGGED", tags=["k8s"])
    make_entry(author, title="UNTAGGED")
    client.force_login(outsider)
    client.post(reverse("journals:tag-follow"), {"tag": "#K8s"})
    assert TagFollow.objects.get().tag_name == "k8s"
    html = client.get(reverse("journals:feed")).content.decode()
    assert "TAGGED" in html and "UNTAGGED" not in html
    client.post(reverse("journals:tag-follow"), {"tag": "k8s", "action": "unfollow"})
    assert not TagFollow.objects.exists()


def test_feed_scrolls_by_cursor(client, author, outsider):
    now = timezone.now()
    for n in range(25):
        # Titles no random token holds (a CSRF token once held "g2" elsewhere).
        make_entry(
            author, title=f"Entry-{n:02d}", created_at=now - timedelta(minutes=n)
        )
    person_follow(follower=outsider, followed=author)
    client.force_login(outsider)
    first = client.get(reverse("journals:feed"))
    html = first.content.decode()
    assert "Entry-00" in html and "Entry-19" in html and "Entry-20" not in html
    more = first.context["more_url"]
    assert 'hx-trigger="revealed"' in html
    second = client.get(more, HTTP_HX_REQUEST="true")
    rows = second.content.decode()
    assert [t.name for t in second.templates][0] == "journals/_entry_rows.html"
    assert "Entry-20" in rows and "Entry-24" in rows and "Entry-19" not in rows
    assert second.context["more_url"] == ""


def test_my_journal_filters_by_tag_and_month(client, author):
    now = timezone.now()
    make_entry(author, title="NOW-TAGGED", tags=["go"])
    make_entry(author, title="NOW-PLAIN")
    make_entry(
        author, title="OLD-TAGGED", tags=["go"], created_at=now - timedelta(days=70)
    )
    client.force_login(author)
    url = reverse("journals:me")
    tagged = client.get(url, {"tag": "go"}).content.decode()
    assert (
        "NOW-TAGGED" in tagged and "OLD-TAGGED" in tagged and "NOW-PLAIN" not in tagged
    )
    month = timezone.localtime(now).strftime("%Y-%m")
    both = client.get(url, {"tag": "go", "month": month}).content.decode()
    assert "NOW-TAGGED" in both and "OLD-TAGGED" not in both


def test_heatmap_and_streak(client, author):
    now = timezone.now()
    for days_ago in [0, 1, 1, 2, 5]:
        make_entry(author, created_at=now - timedelta(days=days_ago))
    client.force_login(author)
    response = client.get(reverse("journals:me"))
    heatmap = response.context["heatmap"]
    assert heatmap["streak"] == 3
    assert heatmap["active_days"] == 4
    assert len(heatmap["weeks"]) == 53
    html = response.content.decode()
    assert "3-day streak" in html
    today = timezone.localdate().strftime("%A %-d %B %Y")
    assert f'aria-label="{today}: 1 entry"' in html


def test_streak_counts_from_yesterday_when_nothing_today(author):
    today = timezone.localdate()
    days = {today - timedelta(days=1): 1, today - timedelta(days=2): 2}
    assert writing_streak(days, today=today) == 2
    assert writing_streak({}, today=today) == 0


def test_reaction_toggle_with_htmx(client, author, outsider):
    entry = make_entry(author)
    client.force_login(outsider)
    url = reverse("journals:entry-react", args=[entry.pk])
    response = client.post(url, {"kind": "thanks"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    assert Reaction.objects.filter(user=outsider, kind="thanks").exists()
    client.post(url, {"kind": "thanks"}, HTTP_HX_REQUEST="true")
    assert not Reaction.objects.exists()


def test_comment_on_an_entry(client, author, outsider):
    entry = make_entry(author)
    client.force_login(outsider)
    client.post(reverse("journals:entry-comment", args=[entry.pk]), {"body": "Same!"})
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Same!" in html and "1 comment" in html


def test_turn_into_a_question_link_only_on_my_stuck_entries(client, author, outsider):
    stuck = make_entry(
        author, title="Flaky CI", body="It hangs.", prompt="stuck", tags=["ci"]
    )
    learned = make_entry(author, prompt="learned")
    client.force_login(author)
    response = client.get(stuck.get_absolute_url())
    link = urlparse(response.context["ask_url"])
    assert link.path == "/questions/ask/"
    assert parse_qs(link.query) == {
        "title": ["Flaky CI"],
        "body": ["It hangs."],
        "tags": ["ci"],
        "from_entry": [str(stuck.pk)],
    }
    assert "Turn into a question" in response.content.decode()
    assert (
        "Turn into a question"
        not in client.get(learned.get_absolute_url()).content.decode()
    )
    client.force_login(outsider)
    assert (
        "Turn into a question"
        not in client.get(stuck.get_absolute_url()).content.decode()
    )


def test_linked_question_shows_status_and_accepted_answer(client, author, community):
    entry = make_entry(author, prompt="stuck")
    question = Question.objects.create(
        title="Why does CI hang?",
        body="b",
        body_html="b",
        author=author,
        community=community,
    )
    answer = Answer.objects.create(
        question=question,
        author=author,
        body="Raise the timeout.",
        body_html="<p>Raise the timeout.</p>",
    )
    question.accepted_answer = answer
    question.save()
    entry_link_question(entry=entry, question_id=question.pk)
    client.force_login(author)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Why does CI hang?" in html
    assert "Open" in html and "Raise the timeout." in html
    assert "Turn into a question" not in html
    api = client.get(f"/api/v1/journal/entries/{entry.pk}").json()
    assert api["question_id"] == question.pk


def test_curate_button_only_for_curators(client, author, member, community):
    lead = UserFactory(username="lena")  # the community fixture's lead
    entry = make_entry(author, visibility="community", community=community)
    organisation = make_entry(author, visibility="organisation")
    private = make_entry(author, visibility="private")
    client.force_login(lead)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert "Curate into a knowledge page" in html
    assert 'action="/communities/curate/"' in html
    assert f'name="id" value="{entry.pk}"' in html
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert f'<option value="{community.slug}">' in html
    client.force_login(member)
    assert (
        "Curate into a knowledge page"
        not in client.get(entry.get_absolute_url()).content.decode()
    )
    client.force_login(author)
    assert (
        "Curate into a knowledge page"
        not in client.get(private.get_absolute_url()).content.decode()
    )


def test_settings_default_visibility_and_token_rotation(client, author):
    client.force_login(author)
    url = reverse("journals:settings")
    client.post(url, {"default_visibility": "organisation"})
    assert JournalSettings.objects.get(user=author).default_visibility == "organisation"
    old = JournalSettings.objects.get(user=author).feed_token
    client.post(url, {"action": "rotate"})
    assert JournalSettings.objects.get(user=author).feed_token != old


# -- constant query counts -------------------------------------------------------


def _fill(author, others, n):
    for i in range(n):
        entry = make_entry(author, title=f"N{i}", tags=[f"t{i}", "shared"])
        for other in others:
            make_reaction(entry, other, "helpful")
            make_comment(entry, other)


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("surface", ["feed", "me", "person"])
def test_list_pages_use_a_constant_number_of_queries(
    client, author, outsider, surface, django_assert_num_queries
):
    others = [UserFactory(username=f"o{i}") for i in range(3)]
    person_follow(follower=outsider, followed=author)
    viewer = author if surface == "me" else outsider
    url = {"feed": "/journals/", "me": "/journals/me/", "person": "/journals/alice/"}[
        surface
    ]
    client.force_login(viewer)
    client.get(url)  # creates the viewer's journal settings once
    _fill(author, others[:1], 1)
    one = _count_queries(client, url)
    _fill(author, others, 8)
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def test_entry_detail_uses_a_constant_number_of_queries(
    client, author, outsider, django_assert_num_queries
):
    entry = make_entry(author, tags=["a"])
    client.force_login(outsider)
    make_reaction(entry, author)
    make_comment(entry, author)
    one = _count_queries(client, entry.get_absolute_url())
    for i in range(6):
        other = UserFactory(username=f"r{i}")
        make_reaction(entry, other, "thanks")
        make_comment(entry, other)
    entry.tags.add("b", "c", "d")
    with django_assert_num_queries(one):
        assert client.get(entry.get_absolute_url()).status_code == 200


def test_only_the_author_links_a_question(author, outsider):
    from django.core.exceptions import PermissionDenied

    entry = make_entry(author, prompt="stuck")
    with pytest.raises(PermissionDenied):
        entry_link_question(entry=entry, question_id=7, by=outsider)
    entry_link_question(entry=entry, question_id=7, by=author)
    entry.refresh_from_db()
    assert entry.question_id == 7
