"""Comments on questions, answers and journal entries record their language
(#13): detected when saved, the author's choice over the API, shown as ``lang``."""

import json

import pytest

from journals.models import EntryComment
from kb.qa.models import Comment
from tests.communities.factories import make_community
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

DUTCH = "Heb je al gekeken of de parkeerpas nog geldig is bij de receptie?"
ENGLISH = "Did you check whether the parking card is still valid at reception?"


@pytest.mark.django_db
def test_question_comments_record_and_show_their_language(client, user, bearer):
    community = make_community(members=[user])
    question = make_question(community=community, author=user)
    answer = make_answer(question=question, author=user)
    client.force_login(user)
    client.post(f"/questions/{question.pk}/comment/", {"body": DUTCH})
    comment = Comment.objects.get(question=question)
    assert comment.language == "nl"
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'<span lang="nl">{comment.body_html}</span>' in html

    url = f"/api/v1/answers/{answer.pk}/comments"
    response = client.post(
        url,
        json.dumps({"body": DUTCH, "language": "en"}),
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 201 and response.json()["language"] == "en"
    response = client.post(
        url,
        json.dumps({"body": ENGLISH, "language": "xx"}),
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 422
    assert Comment.objects.filter(answer=answer).count() == 1


@pytest.mark.django_db
def test_entry_comments_record_their_language(client, user, other_user, bearer):
    entry = make_entry(author=user, body="Vandaag de trage query opgelost.")
    response = client.post(
        f"/api/v1/journal/entries/{entry.pk}/comments",
        json.dumps({"body": ENGLISH}),
        content_type="application/json",
        **bearer(other_user),
    )
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "en"
    assert EntryComment.objects.get().language == "en"
    client.force_login(user)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert 'lang="en"' in html
