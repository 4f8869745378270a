"""Leads find deleted questions in the Wagtail admin and restore them."""

import pytest

from kb.qa import services
from kb.qa.models import Answer, Question
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.qa.factories import make_answer

pytestmark = pytest.mark.django_db


def test_lead_restores_a_deleted_question_from_the_admin(client, question, lead, user):
    services.question_delete(question=question, by=user)
    client.force_login(lead)
    listing = client.get("/admin/qa_questions/?is_deleted=true")
    assert listing.status_code == 200
    assert question.title in listing.content.decode()
    edit_url = f"/admin/qa_questions/edit/{question.pk}/"
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {})
    assert response.status_code == 302
    assert not Question.objects.get(pk=question.pk).is_deleted


def test_admin_lists_only_the_leads_communities(client, question, user):
    other_lead = UserFactory(username="olga")
    make_community(slug="data", title="Data", lead=other_lead)
    client.force_login(other_lead)
    listing = client.get("/admin/qa_questions/")
    assert listing.status_code == 200
    assert question.title not in listing.content.decode()
    response = client.post(f"/admin/qa_questions/edit/{question.pk}/", {})
    assert response.status_code in (302, 403)
    assert client.get(f"/admin/qa_questions/edit/{question.pk}/").status_code != 200


def test_members_cannot_moderate_in_the_admin(client, question, other_user):
    services.question_delete(question=question, by=question.author)
    client.force_login(other_user)
    client.post(f"/admin/qa_questions/edit/{question.pk}/", {})
    assert Question.objects.get(pk=question.pk).is_deleted


def test_lead_restores_a_deleted_answer_and_the_count(
    client, question, lead, other_user
):
    answer = make_answer(question=question, author=other_user)
    services.answer_delete(answer=answer, by=other_user)
    assert Question.objects.get(pk=question.pk).answer_count == 0
    client.force_login(lead)
    listing = client.get("/admin/qa_answers/?is_deleted=true")
    assert listing.status_code == 200
    response = client.post(f"/admin/qa_answers/edit/{answer.pk}/", {})
    assert response.status_code == 302
    assert not Answer.objects.get(pk=answer.pk).is_deleted
    assert Question.objects.get(pk=question.pk).answer_count == 1


@pytest.mark.parametrize("view", ["inspect", "history", "usage", "edit"])
def test_a_lead_of_another_community_cannot_read_a_deleted_question(
    client, question, user, view
):
    """Issue 16, leak 4: every per-object admin view checks the community."""
    answer = make_answer(
        question=question,
        author=user,
        body="The secret answer is walrusplan, obviously.",
    )
    services.answer_delete(answer=answer, by=user)
    Question.objects.filter(pk=question.pk).update(
        title="Deleted walrusplan", is_deleted=True
    )
    other_lead = UserFactory(username="olga")
    make_community(slug="data", title="Data", lead=other_lead)
    client.force_login(other_lead)
    for url in (
        f"/admin/qa_questions/{view}/{question.pk}/",
        f"/admin/qa_answers/{view}/{answer.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404) or (
            response.status_code == 302 and "/admin/" in response["Location"]
        ), url
        assert b"walrusplan" not in response.content, url
    assert Answer.objects.filter(pk=answer.pk).exists()


def test_the_own_lead_still_inspects_a_deleted_question(client, question, lead, user):
    services.question_delete(question=question, by=user)
    client.force_login(lead)
    response = client.get(f"/admin/qa_questions/inspect/{question.pk}/")
    assert response.status_code == 200
    assert question.title in response.content.decode()
