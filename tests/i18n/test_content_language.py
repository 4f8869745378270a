"""Content records the language it is written in: detected when saved, the
author may choose it, pages carry it as ``lang``, and search filters on it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from hallway.errors import ValidationFailed
from hallway.languages import detect_language
from journals import services as journals
from journals.models import Entry, EntryComment
from kb.ideas.models import IdeaComment
from kb.qa import services as qa
from kb.qa.models import Comment, Question
from search.client import get_client
from search.index import read_alias
from search.indexing import drain_all
from search.queries import SearchParams
from search.services import search_content
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.ideas.factories import make_campaign, make_idea
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


def _form(html: str, action: str) -> str:
    """The HTML of the form posting to ``action``."""
    start = html.index(f'action="{action}"')
    return html[start : html.index("</form>", start)]


@pytest.mark.django_db
def test_every_comment_form_offers_the_language(
    client, user, django_capture_on_commit_callbacks
):
    """Comments on questions, answers, journal entries and ideas: the author
    may say which language they wrote in, as on every other content form."""
    lead = UserFactory(username="lena")
    community = make_community(lead=lead, members=[user])
    question = make_question(
        community=community, author=lead, title=ENGLISH[0], body=ENGLISH[1]
    )
    answer = make_answer(question=question, author=lead, body=ENGLISH[1])
    entry = journals.entry_create(
        author=lead,
        body="Working on the leave policy today, nearly done.",
        visibility=Entry.Visibility.ORGANISATION,
    )
    idea = make_idea(campaign=make_campaign(by=lead, community=community), author=lead)
    # English words, marked as Dutch by their author: the choice wins.
    comment = "Thanks, this helps a lot with planning the holidays."
    targets = [
        (
            question.get_absolute_url(),
            reverse("qa:question-comment", args=[question.pk]),
            Comment,
            {"question": question},
        ),
        (
            question.get_absolute_url(),
            reverse("qa:answer-comment", args=[answer.pk]),
            Comment,
            {"answer": answer},
        ),
        (
            entry.get_absolute_url(),
            reverse("journals:entry-comment", args=[entry.pk]),
            EntryComment,
            {"entry": entry},
        ),
        (
            idea.get_absolute_url(),
            reverse("ideas:idea-comment", args=[idea.pk]),
            IdeaComment,
            {"idea": idea},
        ),
    ]
    client.force_login(user)
    for page, action, model, lookup in targets:
        form = _form(client.get(page).content.decode(), action)
        assert 'name="language"' in form and '<option value="nl">' in form, action
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(action, {"body": comment, "language": "nl"})
        assert response.status_code == 302, action
        assert model.objects.get(**lookup).language == "nl", action
    # An unknown choice is refused and nothing is stored.
    client.post(
        reverse("journals:entry-comment", args=[entry.pk]),
        {"body": comment, "language": "xx"},
    )
    assert EntryComment.objects.filter(entry=entry).count() == 1
