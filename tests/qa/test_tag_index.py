"""The tag index: tags on visible questions, with counts and descriptions."""

import pytest

from kb.qa.models import Question, QuestionTag
from tests.communities.factories import make_community
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db


def test_tag_index_counts_visible_questions_and_shows_descriptions(client, user):
    community = make_community()
    make_question(community=community, author=user, tags=["helm", "kubernetes"])
    make_question(
        community=community, author=user, tags=["helm"], title="Helm values per env?"
    )
    gone = make_question(
        community=community, author=user, tags=["secret"], title="A deleted one here"
    )
    Question.objects.filter(pk=gone.pk).update(is_deleted=True)
    QuestionTag.objects.filter(name="helm").update(
        description="Charts, releases and rollbacks."
    )

    html = client.get("/tags/").content.decode()

    assert "2 questions" in html and "1 question<" in html
    assert "Charts, releases and rollbacks." in html
    assert html.index(">helm<") < html.index(">kubernetes<")
    assert "secret" not in html
    assert 'href="/questions/?tag=helm"' in html
