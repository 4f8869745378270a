"""A journal entry becomes an idea (linked both ways) — only by its author."""

import html
import re

from journals.services import entry_create
from kb.ideas.models import Idea


def _turn_url(page: str) -> str:
    match = re.search(r'href="(/ideas/from-entry/[^"]+)"', page)
    assert match, "no Turn into an idea link"
    return html.unescape(match.group(1))


def test_author_turns_an_entry_into_an_idea_linked_both_ways(
    client, user, other_user, campaign
):
    entry = entry_create(
        author=user,
        title="Lease paperwork is slow",
        visibility="organisation",
        body="Every lease needs five signatures on paper.",
    )
    client.force_login(user)
    url = _turn_url(client.get(entry.get_absolute_url()).content.decode())
    form = client.get(url)
    assert form.status_code == 200
    assert "Lease paperwork is slow" in form.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', form.content.decode()).group(1)
    response = client.post(
        url.split("?")[0],
        {
            "token": token,
            "campaign": str(campaign.pk),
            "title": "Lease paperwork is slow",
            "body": "Every lease needs five signatures on paper.",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.source_entry_id == entry.pk
    assert (
        "From your journal entry"
        in client.get(idea.get_absolute_url()).content.decode()
    )
    client.force_login(other_user)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Posted as an idea" in page and idea.get_absolute_url() in page
    assert "Turn into an idea" not in page


def test_someone_else_cannot_link_an_entry(client, user, other_user, campaign):
    entry = entry_create(
        author=user, title="Mine", body="My own entry.", visibility="organisation"
    )
    client.force_login(user)
    url = _turn_url(client.get(entry.get_absolute_url()).content.decode())
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    assert client.get(f"/ideas/from-entry/{entry.pk}/?token=forged").status_code == 403
    assert not Idea.objects.exists()
