"""The visibility rule as a truth table, applied to every surface."""

import pytest
from django.urls import reverse

from journals.models import Entry, EntryComment, Reaction
from journals.selectors import journal_settings_for
from journals.services import feed_token_rotate, person_follow, tag_follow
from kb.communities.services import membership_leave
from tests.journals.factories import make_comment, make_reaction

VISIBILITIES = ["private", "community", "organisation"]
VIEWERS = ["author", "member", "outsider"]
SEES = {
    "author": {"private", "community", "organisation"},
    "member": {"community", "organisation"},
    "outsider": {"organisation"},
}
TITLES = {
    "private": "PRIVATE-ENTRY",
    "community": "COMMUNITY-ENTRY",
    "organisation": "ORG-ENTRY",
}

pytestmark = pytest.mark.django_db

TABLE = [
    (viewer, vis, vis in SEES[viewer]) for viewer in VIEWERS for vis in VISIBILITIES
]


@pytest.fixture
def people(author, member, outsider):
    return {"author": author, "member": member, "outsider": outsider}


def _visible_titles(html: str) -> set[str]:
    return {vis for vis, title in TITLES.items() if title in html}


@pytest.mark.parametrize(("viewer", "vis", "sees"), TABLE)
def test_entry_detail_page(client, people, entries, viewer, vis, sees):
    client.force_login(people[viewer])
    response = client.get(reverse("journals:entry-detail", args=[entries[vis].pk]))
    assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_someones_journal_page(client, people, entries, viewer):
    client.force_login(people[viewer])
    response = client.get(reverse("journals:person", args=["alice"]))
    assert response.status_code == 200
    assert _visible_titles(response.content.decode()) == SEES[viewer]


@pytest.mark.parametrize("viewer", ["member", "outsider"])
def test_feed_of_a_follower(client, people, entries, viewer):
    person_follow(follower=people[viewer], followed=people["author"])
    client.force_login(people[viewer])
    response = client.get(reverse("journals:feed"))
    assert _visible_titles(response.content.decode()) == SEES[viewer]


@pytest.mark.parametrize("viewer", ["member", "outsider"])
def test_feed_by_followed_tag(client, people, entries, viewer):
    for entry in entries.values():
        entry.tags.set(["postgres"])
    tag_follow(follower=people[viewer], tag="Postgres")
    client.force_login(people[viewer])
    response = client.get(reverse("journals:feed"))
    assert _visible_titles(response.content.decode()) == SEES[viewer]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_my_journal_shows_only_my_own_entries(client, people, entries, viewer):
    client.force_login(people[viewer])
    response = client.get(reverse("journals:me"))
    expected = set(VISIBILITIES) if viewer == "author" else set()
    assert _visible_titles(response.content.decode()) == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_atom_feed_has_only_organisation_entries(client, people, entries, viewer):
    token = journal_settings_for(user=people[viewer]).feed_token
    response = client.get(
        reverse("journals:person-atom", args=["alice"]), {"token": token}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert _visible_titles(response.content.decode()) == {"organisation"}


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_atom_feed_without_a_valid_token_is_404(client, entries, token):
    response = client.get(
        reverse("journals:person-atom", args=["alice"]), {"token": token}
    )
    assert response.status_code == 404


def test_atom_feed_ignores_the_session(client, author, entries):
    client.force_login(author)
    response = client.get(reverse("journals:person-atom", args=["alice"]))
    assert response.status_code == 404


def test_rotated_feed_token_stops_working(client, author, entries):
    old = journal_settings_for(user=author).feed_token
    new = feed_token_rotate(user=author).feed_token
    url = reverse("journals:person-atom", args=["alice"])
    assert client.get(url, {"token": old}).status_code == 404
    assert client.get(url, {"token": new}).status_code == 200


@pytest.mark.parametrize("viewer", VIEWERS)
def test_api_list(client, bearer, people, entries, viewer):
    response = client.get(
        "/api/v1/journal/entries", {"author": "alice"}, **bearer(people[viewer])
    )
    assert response.status_code == 200
    data = response.json()
    seen = {row["title"] for row in data["results"]}
    assert seen == {TITLES[vis] for vis in SEES[viewer]}
    assert data["count"] == len(SEES[viewer])


@pytest.mark.parametrize(("viewer", "vis", "sees"), TABLE)
def test_api_detail(client, bearer, people, entries, viewer, vis, sees):
    response = client.get(
        f"/api/v1/journal/entries/{entries[vis].pk}", **bearer(people[viewer])
    )
    assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize(("viewer", "vis", "sees"), TABLE)
def test_api_reactions_and_comments_lists(
    client, bearer, people, entries, viewer, vis, sees
):
    entry = entries[vis]
    make_reaction(entry, people["author"], "thanks")
    make_comment(entry, people["author"], "SECRET-COMMENT")
    headers = bearer(people[viewer])
    base = f"/api/v1/journal/entries/{entry.pk}"
    reactions = client.get(f"{base}/reactions", **headers)
    comments = client.get(f"{base}/comments", **headers)
    if sees:
        assert reactions.json()["counts"]["thanks"] == 1
        assert comments.json()["results"][0]["body"] == "SECRET-COMMENT"
    else:
        assert reactions.status_code == 404
        assert comments.status_code == 404
        assert "SECRET-COMMENT" not in comments.content.decode()


@pytest.mark.parametrize(("viewer", "vis", "sees"), TABLE)
def test_api_reacting_and_commenting(
    client, bearer, people, entries, viewer, vis, sees
):
    entry = entries[vis]
    headers = bearer(people[viewer])
    base = f"/api/v1/journal/entries/{entry.pk}"
    reacted = client.post(
        f"{base}/reactions",
        {"kind": "helpful"},
        content_type="application/json",
        **headers,
    )
    commented = client.post(
        f"{base}/comments", {"body": "Hi"}, content_type="application/json", **headers
    )
    expected = 201 if sees else 404
    assert reacted.status_code == expected
    assert commented.status_code == expected
    assert Reaction.objects.filter(entry=entry).count() == (1 if sees else 0)
    assert EntryComment.objects.filter(entry=entry).count() == (1 if sees else 0)


@pytest.mark.parametrize(("viewer", "vis", "sees"), TABLE)
def test_page_reacting_and_commenting(client, people, entries, viewer, vis, sees):
    entry = entries[vis]
    client.force_login(people[viewer])
    reacted = client.post(
        reverse("journals:entry-react", args=[entry.pk]), {"kind": "me_too"}
    )
    commented = client.post(
        reverse("journals:entry-comment", args=[entry.pk]), {"body": "Hi"}
    )
    assert reacted.status_code == (302 if sees else 404)
    assert commented.status_code == (302 if sees else 404)
    assert Reaction.objects.filter(entry=entry).exists() == sees
    assert EntryComment.objects.filter(entry=entry).exists() == sees


@pytest.mark.parametrize("viewer", VIEWERS)
def test_counts_on_lists_count_only_visible_entries(client, people, entries, viewer):
    for entry in entries.values():
        make_reaction(entry, people["author"], "helpful")
    client.force_login(people[viewer])
    html = client.get(reverse("journals:person", args=["alice"])).content.decode()
    assert html.count("1 helpful") == len(SEES[viewer])


@pytest.mark.parametrize(
    "url",
    [
        "/journals/",
        "/journals/me/",
        "/journals/alice/",
        "/journals/write/",
        "/journals/entries/{pk}/",
    ],
)
def test_anonymous_sees_nothing(client, entries, url):
    response = client.get(url.format(pk=entries["organisation"].pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "ORG-ENTRY" not in response.content.decode()


def test_anonymous_api_is_401(client, entries):
    assert client.get("/api/v1/journal/entries").status_code == 401
    pk = entries["organisation"].pk
    assert client.get(f"/api/v1/journal/entries/{pk}").status_code == 401


def test_anonymous_queryset_is_empty(entries):
    from django.contrib.auth.models import AnonymousUser

    assert not Entry.objects.visible_to(AnonymousUser()).exists()


def test_leaving_the_community_hides_its_entries(client, member, community, entries):
    client.force_login(member)
    url = reverse("journals:entry-detail", args=[entries["community"].pk])
    assert client.get(url).status_code == 200
    membership_leave(community=community, user=member)
    assert client.get(url).status_code == 404


def test_making_an_entry_private_removes_it_from_every_surface(
    client, bearer, author, outsider, entries
):
    entry = entries["organisation"]
    make_reaction(entry, author, "helpful")
    person_follow(follower=outsider, followed=author)
    client.force_login(outsider)
    token = journal_settings_for(user=outsider).feed_token
    surfaces = {
        "feed": lambda: "ORG-ENTRY" in client.get("/journals/").content.decode(),
        "journal": lambda: (
            "ORG-ENTRY" in client.get("/journals/alice/").content.decode()
        ),
        "atom": lambda: (
            "ORG-ENTRY"
            in client.get(
                "/journals/alice/feed.atom", {"token": token}
            ).content.decode()
        ),
        "detail": lambda: client.get(entry.get_absolute_url()).status_code == 200,
        "api": lambda: (
            client.get(
                f"/api/v1/journal/entries/{entry.pk}", **bearer(outsider)
            ).status_code
            == 200
        ),
        "reactions": lambda: (
            client.get(
                f"/api/v1/journal/entries/{entry.pk}/reactions", **bearer(outsider)
            ).status_code
            == 200
        ),
    }
    assert all(check() for check in surfaces.values())

    response = client.patch(
        f"/api/v1/journal/entries/{entry.pk}",
        {"visibility": "private"},
        content_type="application/json",
        **bearer(author),
    )
    assert response.status_code == 200
    assert {name: check() for name, check in surfaces.items()} == dict.fromkeys(
        surfaces, False
    )
