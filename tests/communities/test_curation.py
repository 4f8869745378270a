"""Curating answers and journal entries into draft knowledge pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from journals import models as journal_models
from journals.services import entry_create, entry_update
from kb.communities.models import KnowledgePage
from kb.communities.selectors import (
    curations_for,
    curations_for_many,
    knowledge_pages_due_for_review,
)
from kb.communities.services import knowledge_page_curate
from kb.curation.selectors import answers_worth_curating
from kb.qa import models as qa_models
from kb.qa.services import answer_edit, vote_cast
from tests.communities.factories import make_community


@pytest.fixture
def answer(community, member, outsider):
    question = qa_models.Question.objects.create(
        title="How do I roll back a deploy?",
        body="It broke.",
        author=outsider,
        community=community,
    )
    return qa_models.Answer.objects.create(
        question=question,
        body="Run `make rollback`.\n\n```bash\nmake rollback ENV=prod\n```",
        author=member,
    )


def _curate(client, **data):
    return client.post(reverse("curation:curate"), data)


def test_lead_curates_an_answer_into_a_draft(client, community, lead, answer):
    client.force_login(lead)
    response = _curate(client, kind="answer", id=answer.pk)
    page = KnowledgePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert page.title == "How do I roll back a deploy?"
    assert page.live is False
    assert page.get_parent().pk == community.pk
    assert list(page.owners.all()) == [lead]
    markdown = page.body[0].value
    assert "make rollback ENV=prod" in markdown
    assert "Alice Andersen" in markdown and answer.get_absolute_url() in markdown
    source = page.sources.get()
    assert (source.kind, source.object_id, source.authors) == (
        "answer",
        answer.pk,
        "Alice Andersen",
    )
    assert source.source_updated_at == answer.updated_at
    # A draft is not "curated into" anything readers can see yet.
    assert curations_for("answer", answer.pk) == []
    page.get_latest_revision().publish()
    assert curations_for("answer", answer.pk) == [KnowledgePage.objects.get()]


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_non_curators_cannot_curate(client, community, answer, who, member, outsider):
    client.force_login({"member": member, "outsider": outsider}[who])
    response = _curate(client, kind="answer", id=answer.pk)
    assert response.status_code == 403
    assert not KnowledgePage.objects.exists()


def test_curating_needs_login(client, answer):
    response = _curate(client, kind="answer", id=answer.pk)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not KnowledgePage.objects.exists()


def test_unknown_answer_is_an_error_not_a_page(client, community, lead):
    client.force_login(lead)
    response = _curate(client, kind="answer", id=999999)
    assert response.status_code == 302
    assert not KnowledgePage.objects.exists()


def test_editing_the_answer_makes_the_curated_page_due(
    client,
    community,
    lead,
    member,
    outsider,
    answer,
    django_capture_on_commit_callbacks,
):
    client.force_login(lead)
    _curate(client, kind="answer", id=answer.pk)
    page = KnowledgePage.objects.get()
    page.get_latest_revision().publish()
    page = KnowledgePage.objects.get()
    assert page.needs_review is False

    # Votes are not edits: Q&A's "voted" event leaves the page alone.
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(target=answer, user=outsider, value=1)
    assert KnowledgePage.objects.get().needs_review is False

    # Curation hears Q&A's "edited" event, sent once the edit commits.
    with django_capture_on_commit_callbacks(execute=True):
        answer_edit(
            answer=answer, by=member, body="Actually, use `deployctl rollback`."
        )
    page = KnowledgePage.objects.get()
    assert page.needs_review is True
    assert page in knowledge_pages_due_for_review(user=lead)


def test_editing_the_entry_makes_the_curated_page_due(
    community, lead, member, django_capture_on_commit_callbacks
):
    entry = entry_create(
        author=member,
        title="Rolling back",
        body="I rolled back with `make rollback` today.",
        visibility=journal_models.Entry.Visibility.ORGANISATION,
    )
    page = knowledge_page_curate(
        community=community,
        curator=lead,
        title="Rolling back",
        summary="How to roll back a deploy.",
        markdown=entry.body,
        sources=[{"kind": "entry", "object_id": entry.pk, "title": entry.title}],
    )
    page.save_revision().publish()
    assert KnowledgePage.objects.get(pk=page.pk).needs_review is False

    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, by=member, body="Now `deployctl rollback` does it.")
    assert KnowledgePage.objects.get(pk=page.pk).needs_review is True


def test_curate_service_with_a_url_source_and_escaped_attribution(community, lead):
    page = knowledge_page_curate(
        community=community,
        curator=lead,
        title="Runbooks",
        summary="Where runbooks live.",
        markdown="See the wiki.",
        sources=[
            {
                "kind": "url",
                "url": "https://example.org/runbooks",
                "title": "Runbooks](javascript:alert(1))",
                "authors": "Ops <script>",
            }
        ],
    )
    html = page.body_html
    assert 'href="javascript' not in html and "<script>" not in html
    assert "Ops &lt;script&gt;" in html
    assert 'href="https://example.org/runbooks"' in html
    assert page.live is False


def test_curate_service_refuses_members(community, member):
    with pytest.raises(PermissionDenied):
        knowledge_page_curate(
            community=community,
            curator=member,
            title="T",
            summary="S",
            markdown="M",
            sources=[],
        )
    assert not KnowledgePage.objects.exists()


class TestJournalEntries:
    def _entry(self, author, community, visibility):
        return journal_models.Entry.objects.create(
            author=author,
            title="Learned: blue/green deploys",
            body="Switch the router, keep the old pool warm.",
            visibility=visibility,
            community=community,
        )

    def test_organisation_entry_is_curated(self, client, community, lead, member):
        entry = self._entry(member, None, "organisation")
        client.force_login(lead)
        _curate(client, kind="entry", id=entry.pk, community=community.slug)
        page = KnowledgePage.objects.get()
        assert "keep the old pool warm" in page.body[0].value
        assert page.sources.get().kind == "entry"

    def test_private_entry_is_never_curated(self, client, community, lead, member):
        entry = self._entry(member, None, "private")
        client.force_login(lead)
        _curate(client, kind="entry", id=entry.pk, community=community.slug)
        assert not KnowledgePage.objects.exists()

    def test_community_entry_stays_in_its_community(
        self, client, community, lead, member
    ):
        other = make_community(slug="data", title="Data", lead=lead)
        entry = self._entry(member, community, "community")
        client.force_login(lead)
        response = _curate(client, kind="entry", id=entry.pk, community=other.slug)
        assert response.status_code == 403
        _curate(client, kind="entry", id=entry.pk)
        assert KnowledgePage.objects.get().get_parent().pk == community.pk


def test_curated_into_tag_links_published_pages_only(community, lead, answer):
    from django.template import Context, Template

    page = knowledge_page_curate(
        community=community,
        curator=lead,
        title="Rollbacks",
        summary="S",
        markdown="M",
        sources=[{"kind": "answer", "object_id": answer.pk, "title": "Q"}],
    )
    template = Template('{% load communities_tags %}{% curated_into "answer" id %}')
    assert "Curated into" not in template.render(Context({"id": answer.pk}))
    page.get_latest_revision().publish()
    html = template.render(Context({"id": answer.pk}))
    assert "Curated into:" in html and "Rollbacks" in html


def test_dashboard_offers_accepted_and_high_scoring_answers(
    client, community, lead, answer, outsider
):
    low = qa_models.Answer.objects.create(
        question=answer.question, body="Meh.", author=outsider, score=0
    )
    client.force_login(lead)
    assert answers_worth_curating(user=lead) == []
    qa_models.Question.objects.filter(pk=answer.question_id).update(
        accepted_answer=answer
    )
    assert answers_worth_curating(user=lead) == [answer]
    qa_models.Answer.objects.filter(pk=low.pk).update(score=5)
    assert set(answers_worth_curating(user=lead)) == {answer, low}
    html = client.get(reverse("curation:dashboard")).content.decode()
    section = html[html.index('id="curate-heading"') :]
    assert "Curate the answer to" in section
    assert 'name="kind" value="answer"' in section

    _curate(client, kind="answer", id=answer.pk)
    assert answers_worth_curating(user=lead) == [low]


def test_curations_for_many_in_constant_queries(
    community, lead, answer, django_assert_num_queries
):
    page = knowledge_page_curate(
        community=community,
        curator=lead,
        title="Rollbacks",
        summary="S",
        markdown="M",
        sources=[{"kind": "answer", "object_id": answer.pk, "title": "Q"}],
    )
    assert curations_for_many("answer", [answer.pk]) == {}
    with django_assert_num_queries(1):  # nothing curated: the sources only
        assert curations_for_many("answer", [12345, 12346]) == {}
    page.get_latest_revision().publish()
    with django_assert_num_queries(2):  # restrictions are a subquery
        result = curations_for_many("answer", [answer.pk, 12345])
    assert [p.title for p in result[answer.pk]] == ["Rollbacks"]
