"""Ideas and their comments record the language they are written in (#13):
detected when saved, the author may choose it, shown as ``lang``, in search."""

import json

from kb.ideas.models import Idea, IdeaComment
from search.sources import idea_to_document
from tests.ideas.factories import make_idea

DUTCH = (
    "Leasecontracten digitaal ondertekenen",
    "Dan hoeven we geen papieren contracten meer op te sturen en te scannen.",
)


def test_an_idea_and_its_comments_record_their_language(client, campaign, user):
    idea = make_idea(campaign=campaign, author=user, title=DUTCH[0], body=DUTCH[1])
    assert idea.language == "nl"
    english = make_idea(
        campaign=campaign,
        author=user,
        title="Sign lease contracts digitally",
        body="Then nobody has to post and scan paper contracts any more.",
    )
    assert english.language == "en"
    assert idea_to_document(Idea.objects.get(pk=idea.pk))["language"] == "nl"

    client.force_login(user)
    client.post(
        idea.get_absolute_url() + "comment/",
        {"body": "Goed idee, dat scheelt ons veel tijd bij elke nieuwe klant."},
    )
    comment = IdeaComment.objects.get(idea=idea)
    assert comment.language == "nl"
    html = client.get(idea.get_absolute_url()).content.decode()
    assert '<h1 lang="nl">' in html
    assert f'<span lang="nl">{comment.body_html}</span>' in html


def test_the_api_takes_the_authors_choice_and_refuses_an_unknown_one(
    client, campaign, user, bearer
):
    url = f"/api/v1/campaigns/{campaign.pk}/ideas"
    payload = {"title": DUTCH[0], "body": DUTCH[1], "tags": [], "language": "en"}
    response = client.post(
        url, json.dumps(payload), content_type="application/json", **bearer(user)
    )
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "en"

    bad = {**payload, "title": "Another idea entirely", "language": "fr"}
    response = client.post(
        url, json.dumps(bad), content_type="application/json", **bearer(user)
    )
    assert response.status_code == 422
    assert Idea.objects.count() == 1

    idea_id = Idea.objects.get().pk
    response = client.post(
        f"/api/v1/ideas/{idea_id}/comments",
        json.dumps({"body": "Mooi, graag snel invoeren!", "language": "nl"}),
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 201 and response.json()["language"] == "nl"
