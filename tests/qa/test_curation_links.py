"""Answers and entries show where they were curated into; curators can curate."""

import pytest

from journals.services import entry_create
from kb.communities.services import knowledge_page_curate
from kb.qa.services import answer_accept
from tests.qa.factories import make_answer

pytestmark = pytest.mark.django_db


def _publish_curation(community, lead, *, kind, object_id, title):
    page = knowledge_page_curate(
        community=community,
        curator=lead,
        title=title,
        summary="s",
        markdown="Curated text.",
        sources=[{"kind": kind, "object_id": object_id, "title": "src", "url": "/x"}],
    )
    page.save_revision().publish()
    return page


def test_answer_page_shows_curated_into_and_a_curate_button(
    client, question, community, lead, other_user, user
):
    answer = make_answer(question=question, author=other_user)
    answer_accept(answer=answer, by=user)
    client.force_login(lead)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Curate into a knowledge page" in html
    _publish_curation(
        community, lead, kind="answer", object_id=answer.pk, title="Deploying safely"
    )
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Curated into:" in html and "Deploying safely" in html


def test_members_do_not_see_the_curate_button(client, question, other_user, user):
    answer = make_answer(question=question, author=other_user)
    answer_accept(answer=answer, by=user)
    client.force_login(other_user)
    assert (
        "Curate into a knowledge page"
        not in client.get(question.get_absolute_url()).content.decode()
    )


def test_entry_page_shows_curated_into(client, community, lead, user):
    entry = entry_create(author=user, body="What I learned", visibility="organisation")
    _publish_curation(
        community, lead, kind="entry", object_id=entry.pk, title="Lessons learned"
    )
    client.force_login(user)
    html = client.get(f"/journals/entries/{entry.pk}/").content.decode()
    assert "Curated into:" in html and "Lessons learned" in html
