"""The JSON API at /api/v1/journal/: shapes, bad input, permissions, limits."""

import pytest

from journals.models import Entry, EntryComment, Reaction
from journals.services import journal_settings_update
from tests.journals.factories import make_entry

pytestmark = pytest.mark.django_db

URL = "/api/v1/journal/entries"
ENTRY_KEYS = {
    "id",
    "author",
    "title",
    "body",
    "body_html",
    "tags",
    "visibility",
    "community",
    "created_at",
    "updated_at",
    "url",
    "question_id",
}


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def test_create_entry_returns_the_entry(client, bearer, author, community):
    response = post(
        client,
        URL,
        {
            "body": "Learned **EXPLAIN ANALYZE**.",
            "title": "Query plans",
            "tags": ["Postgres", "perf"],
            "visibility": "community",
            "community": community.slug,
        },
        bearer(author),
    )
    assert response.status_code == 201
    data = response.json()
    assert set(data) == ENTRY_KEYS
    assert data["author"] == {"username": "alice", "display_name": "Alice Andersen"}
    assert data["tags"] == ["perf", "postgres"]
    assert data["visibility"] == "community"
    assert data["community"] == community.slug
    assert "<strong>EXPLAIN ANALYZE</strong>" in data["body_html"]
    assert data["url"].endswith(f"/journals/entries/{data['id']}/")
    assert data["question_id"] is None
    entry = Entry.objects.get(pk=data["id"])
    assert entry.author == author
    assert sorted(entry.tags.names()) == ["perf", "postgres"]


def test_visibility_defaults_to_private(client, bearer, author):
    response = post(client, URL, {"body": "Just for me."}, bearer(author))
    assert response.json()["visibility"] == "private"


def test_visibility_defaults_to_my_preference(client, bearer, author):
    journal_settings_update(user=author, default_visibility="organisation")
    response = post(client, URL, {"body": "For everyone."}, bearer(author))
    assert response.json()["visibility"] == "organisation"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "x", "visibility": "public"}, "visibility"),
        ({"body": "x", "visibility": "community", "community": "data"}, "community"),
        ({"body": "x", "visibility": "community"}, "community"),
        ({"body": "x", "visibility": "community", "community": "nope"}, "community"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"body": "x", "title": "t" * 201}, "title"),
        ({"body": "x", "prompt": "bored"}, "prompt"),
        ({"title": "no body"}, "body"),
    ],
)
def test_bad_input_is_422_and_saves_nothing(
    client, bearer, author, community, other_community, payload, field
):
    response = post(client, URL, payload, bearer(author))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert response.json()["errors"][field][0]
    assert not Entry.objects.exists()


def test_body_of_exactly_the_limit_is_accepted(client, bearer, author):
    response = post(client, URL, {"body": "x" * 20_000}, bearer(author))
    assert response.status_code == 201


def test_patch_changes_only_given_fields(client, bearer, author):
    entry = make_entry(author, title="Before", tags=["a"], visibility="organisation")
    response = client.patch(
        f"{URL}/{entry.pk}",
        {"title": "After"},
        content_type="application/json",
        **bearer(author),
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.title == "After"
    assert entry.visibility == "organisation"
    assert list(entry.tags.names()) == ["a"]


def test_patch_with_bad_input_changes_nothing(client, bearer, author):
    entry = make_entry(author, body="Original", visibility="organisation")
    response = client.patch(
        f"{URL}/{entry.pk}",
        {"body": "", "visibility": "everyone"},
        content_type="application/json",
        **bearer(author),
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"body", "visibility"}
    entry.refresh_from_db()
    assert (entry.body, entry.visibility) == ("Original", "organisation")


def test_patch_and_delete_by_someone_else_are_403(client, bearer, author, outsider):
    entry = make_entry(author, body="Mine", visibility="organisation")
    headers = bearer(outsider)
    patched = client.patch(
        f"{URL}/{entry.pk}",
        {"body": "Yours"},
        content_type="application/json",
        **headers,
    )
    deleted = client.delete(f"{URL}/{entry.pk}", **headers)
    assert (patched.status_code, deleted.status_code) == (403, 403)
    entry.refresh_from_db()
    assert entry.body == "Mine"


def test_patch_and_delete_of_an_invisible_entry_are_404(
    client, bearer, author, outsider
):
    entry = make_entry(author, visibility="private")
    headers = bearer(outsider)
    patched = client.patch(
        f"{URL}/{entry.pk}", {"body": "x"}, content_type="application/json", **headers
    )
    deleted = client.delete(f"{URL}/{entry.pk}", **headers)
    assert (patched.status_code, deleted.status_code) == (404, 404)
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_delete_own_entry(client, bearer, author):
    entry = make_entry(author)
    assert client.delete(f"{URL}/{entry.pk}", **bearer(author)).status_code == 204
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_list_filters_by_author_and_tag_and_pages(client, bearer, author, outsider):
    for n in range(23):
        make_entry(author, title=f"A{n}", tags=["deploys"] if n % 2 else [])
    make_entry(outsider, title="B", tags=["deploys"])
    headers = bearer(outsider)
    first = client.get(URL, {"author": "alice"}, **headers).json()
    second = client.get(URL, {"author": "alice", "page": 2}, **headers).json()
    assert first["count"] == 23
    assert len(first["results"]) == 20 and len(second["results"]) == 3
    assert first["results"][0]["title"] == "A22"
    tagged = client.get(URL, {"tag": "deploys"}, **headers).json()
    assert tagged["count"] == 12
    assert client.get(URL, {"author": "nobody"}, **headers).json()["count"] == 0
    assert client.get(URL, {"page": 99}, **headers).json()["results"] == []


def test_reactions_one_of_each_kind(client, bearer, author, outsider):
    entry = make_entry(author)
    headers = bearer(outsider)
    url = f"{URL}/{entry.pk}/reactions"
    for kind in ["helpful", "helpful", "thanks"]:
        assert post(client, url, {"kind": kind}, headers).status_code == 201
    data = client.get(url, **headers).json()
    assert data == {
        "counts": {"helpful": 1, "thanks": 1, "me_too": 0},
        "mine": ["helpful", "thanks"],
    }
    removed = client.delete(f"{url}/helpful", **headers).json()
    assert removed["counts"]["helpful"] == 0
    assert Reaction.objects.filter(entry=entry).count() == 1


def test_unknown_reaction_kind_is_422(client, bearer, author, outsider):
    entry = make_entry(author)
    url = f"{URL}/{entry.pk}/reactions"
    assert post(client, url, {"kind": "love"}, bearer(outsider)).status_code == 422
    assert not Reaction.objects.exists()


def test_comments(client, bearer, author, outsider):
    entry = make_entry(author)
    url = f"{URL}/{entry.pk}/comments"
    created = post(client, url, {"body": "See https://example.org"}, bearer(outsider))
    assert created.status_code == 201
    assert '<a href="https://example.org"' in created.json()["body_html"]
    assert post(client, url, {"body": " "}, bearer(outsider)).status_code == 422
    listed = client.get(url, **bearer(author)).json()
    assert listed["count"] == 1
    assert listed["results"][0]["author"]["username"] == "bram"
    assert EntryComment.objects.count() == 1


def test_posting_is_rate_limited(client, bearer, author, settings):
    settings.HALLWAY_RATE_LIMITS = {**settings.HALLWAY_RATE_LIMITS, "post": "2/h"}
    headers = bearer(author)
    codes = [post(client, URL, {"body": "x"}, headers).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert Entry.objects.count() == 2


def test_commenting_is_rate_limited(client, bearer, author, outsider, settings):
    settings.HALLWAY_RATE_LIMITS = {**settings.HALLWAY_RATE_LIMITS, "comment": "1/h"}
    entry = make_entry(author)
    url = f"{URL}/{entry.pk}/comments"
    codes = [
        post(client, url, {"body": "x"}, bearer(outsider)).status_code for _ in range(2)
    ]
    assert codes == [201, 429]
