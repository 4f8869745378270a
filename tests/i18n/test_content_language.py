"""Content records the language it is written in: detected when saved, the
author may choose it, pages carry it as ``lang``, and search filters on it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hallway.errors import ValidationFailed
from hallway.languages import detect_language
from journals import services as journals
from kb.qa import services as qa
from kb.qa.models import Question
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.queries import SearchParams
from search.services import search_content
from tests.communities.factories import make_community
from tests.qa.factories import make_answer, make_question

DUTCH = ("Hoe vraag ik verlof aan?", "Ik wil in december twee weken vrij nemen.")
ENGLISH = ("How do I request leave?", "I want to take two weeks off in December.")


def test_detection_tells_dutch_from_english_and_ignores_code():
    assert detect_language("Waar vind ik de parkeerpas voor het kantoor?") == "nl"
    assert detect_language("Where do I find the parking card for the office?") == "en"
    text = "De deploy faalt bij het starten.\n```\nError: connection refused\n```"
    assert detect_language(text) == "nl"


def test_too_short_a_text_gets_the_fallback():
    assert detect_language("ok", fallback="nl") == "nl"
    assert detect_language("ok") == "en"  # the site default


@pytest.mark.django_db
def test_questions_and_answers_record_their_language(user):
    community = make_community(members=[user])
    dutch = make_question(
        community=community, author=user, title=DUTCH[0], body=DUTCH[1]
    )
    english = make_question(
        community=community, author=user, title=ENGLISH[0], body=ENGLISH[1]
    )
    assert (dutch.language, english.language) == ("nl", "en")
    answer = make_answer(
        question=dutch, body="Vraag het aan via het HR-portaal, onder Verlof."
    )
    assert answer.language == "nl"


@pytest.mark.django_db
def test_the_author_may_choose_and_an_unknown_choice_changes_nothing(user):
    community = make_community(members=[user])
    question = make_question(
        community=community, author=user, title=DUTCH[0], body=DUTCH[1], language="en"
    )
    assert question.language == "en"
    with pytest.raises(ValidationFailed) as error:
        qa.question_edit(question=question, by=user, language="fr")
    assert "language" in error.value.errors
    question.refresh_from_db()
    assert question.language == "en"
    qa.question_edit(question=question, by=user, title=ENGLISH[0], body=ENGLISH[1])
    question.refresh_from_db()
    assert question.language == "en"
    qa.question_edit(question=question, by=user, title=DUTCH[0], body=DUTCH[1])
    question.refresh_from_db()
    assert question.language == "nl"  # the text changed: detected again


@pytest.mark.django_db
def test_journal_entries_record_their_language(user):
    entry = journals.entry_create(
        author=user, body="Vandaag geleerd hoe je een verlofaanvraag goedkeurt."
    )
    assert entry.language == "nl"
    journals.entry_update(
        entry=entry, by=user, body="Today I learned how to approve a leave request."
    )
    entry.refresh_from_db()
    assert entry.language == "en"


@pytest.mark.django_db
def test_pages_carry_the_content_language(client, user):
    community = make_community(members=[user])
    question = make_question(
        community=community, author=user, title=DUTCH[0], body=DUTCH[1]
    )
    make_answer(question=question, body="Use the HR portal, under Leave requests.")
    client.force_login(user)
    page = client.get(question.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert f'<span lang="nl">{DUTCH[0]}</span>' in page
    assert '<div class="prose qa-body" lang="nl">' in page
    assert '<div class="prose qa-body" lang="en">' in page


@pytest.mark.django_db
def test_the_ask_form_offers_the_language(client, user):
    community = make_community(members=[user])
    client.force_login(user)
    response = client.post(
        "/questions/ask/",
        {
            "title": ENGLISH[0],
            "body": ENGLISH[1],
            "community": community.slug,
            "language": "nl",
        },
    )
    assert response.status_code == 302

    assert Question.objects.get().language == "nl"


@pytest.mark.django_db(transaction=True)
@pytest.mark.elasticsearch
def test_search_filters_and_counts_by_language(elasticsearch, user):
    community = make_community(members=[user])
    dutch = make_question(
        community=community, author=user, title=DUTCH[0], body=DUTCH[1]
    )
    english = make_question(
        community=community, author=user, title=ENGLISH[0], body=ENGLISH[1]
    )
    drain_all()
    get_client().indices.refresh(index=read_alias())

    def ids(**kw):
        response = search_content(SearchParams(**kw), viewer=AnonymousUser())
        return {r["id"] for r in response.results}, response.facets

    both, facets = ids(q="verlof leave")
    assert {dutch.pk, english.pk} <= both
    assert facets["language"] == {"nl": 1, "en": 1}
    assert ids(q="verlof leave", language="nl")[0] == {dutch.pk}
    assert ids(q="verlof leave", language="en")[0] == {english.pk}
