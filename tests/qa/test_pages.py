"""The question pages: forms, errors, htmx fragments, escaping, query counts."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kb.qa import services
from kb.qa.models import Answer, Comment, Question, QuestionFollow, Vote
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

BODY = "This body is certainly long enough for the rules."
XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
]
HTMX = {"HTTP_HX_REQUEST": "true"}


class _Markup(HTMLParser):
    """Collects live tags and attributes (escaped text never shows up here)."""

    def __init__(self):
        super().__init__()
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
            self._in_script = False


def assert_no_xss(html: str) -> None:
    """Payloads may appear as escaped text, never as live markup."""
    parser = _Markup()
    parser.feed(html)
    assert not any("alert(1)" in script for script in parser.scripts)
    assert not [a for a in parser.attrs if a[1].startswith("on")]
    assert not [
        a for a in parser.attrs if a[2].strip().lower().startswith("javascript:")
    ]


def test_ask_creates_question_and_redirects(client, user, community):
    client.force_login(user)
    response = client.post(
        reverse("qa:question-ask"),
        {
            "title": "How do I page on-call people?",
            "body": BODY,
            "tags": "oncall, Alerts",
            "community": community.slug,
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert sorted(t.name for t in question.tags.all()) == ["alerts", "oncall"]
    assert QuestionFollow.objects.filter(user=user, question=question).exists()


def test_ask_page_has_preview_similar_tags_and_draft(client, user, community):
    client.force_login(user)
    html = client.get(reverse("qa:question-ask")).content.decode()
    assert 'data-draft-key="qa-ask"' in html
    assert reverse("qa:markdown-preview") in html
    assert reverse("qa:question-similar") in html
    assert reverse("qa:tag-suggest") in html
    assert community.title in html


def test_ask_needs_login(client, community):
    response = client.get(reverse("qa:question-ask"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_ask_form_shows_errors_and_saves_nothing(client, user, community):
    client.force_login(user)
    response = client.post(
        reverse("qa:question-ask"),
        {
            "title": "short",
            "body": "tiny",
            "tags": "a b c d e f",
            "community": community.slug,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Title must be at least 10 characters." in html
    assert "Body must be at least 20 characters." in html
    assert "At most 5 tags." in html
    assert not Question.objects.exists()


def test_ask_rejects_unknown_community(client, user, community):
    client.force_login(user)
    response = client.post(
        reverse("qa:question-ask"),
        {"title": "A perfectly fine title", "body": BODY, "community": "ghost"},
    )
    assert response.status_code == 400
    assert not Question.objects.exists()


@pytest.mark.parametrize("payload", XSS)
def test_xss_never_survives_in_any_field(client, user, other_user, community, payload):
    question = make_question(
        community=community,
        author=user,
        title=f"Title with payload {payload}",
        body=f"Body with payload {payload} and more text",
    )
    make_answer(question=question, author=other_user, body=f"Answer {payload} here ok")
    services.comment_create(author=other_user, target=question, body=payload)
    client.force_login(user)
    detail = client.get(question.get_absolute_url()).content.decode()
    assert_no_xss(detail)
    listing = client.get(reverse("qa:question-list")).content.decode()
    assert_no_xss(listing)
    preview = client.post(
        reverse("qa:markdown-preview"), {"body": payload}
    ).content.decode()
    assert_no_xss(preview)
    history = client.get(reverse("qa:question-revisions", args=[question.pk]))
    assert_no_xss(history.content.decode())


def test_list_shows_rows_sorts_and_filters(
    client, user, other_user, community, other_community
):
    q1 = make_question(community=community, author=user, tags=["deploy"])
    q2 = make_question(
        community=other_community,
        author=user,
        title="Dashboards for sales data",
        tags=["sql"],
    )
    answer = make_answer(question=q1, author=other_user)
    services.answer_accept(answer=answer, by=user)
    html = client.get(reverse("qa:question-list")).content.decode()
    assert q1.title in html and q2.title in html
    assert "has an accepted answer" in html
    assert "Alice Andersen" in html
    html = client.get(reverse("qa:question-list") + "?sort=unanswered").content.decode()
    assert q2.title in html and q1.title not in html
    html = client.get(reverse("qa:question-list") + "?tag=deploy").content.decode()
    assert q1.title in html and q2.title not in html
    html = client.get(reverse("qa:question-list") + "?community=data").content.decode()
    assert q2.title in html and q1.title not in html


def test_list_paginates(client, user, community):
    for n in range(21):
        make_question(
            community=community, author=user, title=f"Paginated question {n:02d}"
        )
    html = client.get(reverse("qa:question-list") + "?sort=newest").content.decode()
    assert "Page 1 of 2" in html
    assert "sort=newest&amp;page=2" in html
    html = client.get(
        reverse("qa:question-list") + "?sort=newest&page=2"
    ).content.decode()
    assert "Paginated question 00" in html


def test_detail_shows_everything(client, user, other_user, question):
    answer = make_answer(
        question=question, author=other_user, body="Use **blue-green** deploys."
    )
    services.comment_create(
        author=user, target=answer, body="Thanks, see https://example.org"
    )
    client.force_login(other_user)
    response = client.get(question.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>blue-green</strong>" in html
    assert '<a href="https://example.org"' in html
    assert "viewed 1 time" in html
    assert "first answer after" in html
    assert 'class="tag"' in html
    assert f"vote-question-{question.pk}" in html
    Question.objects.filter(pk=question.pk).update(view_count=5)
    client.get(question.get_absolute_url())
    assert Question.objects.get(pk=question.pk).view_count == 5  # once per session


def test_wrong_slug_redirects(client, question):
    response = client.get(reverse("qa:question-detail", args=[question.pk, "wrong"]))
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    response = client.get(reverse("qa:question-redirect", args=[question.pk]))
    assert response["Location"] == question.get_absolute_url()


def test_deleted_question_is_404(client, question):
    Question.objects.filter(pk=question.pk).update(is_deleted=True)
    assert client.get(question.get_absolute_url()).status_code == 404


def test_answer_form_errors_and_success(client, other_user, question):
    client.force_login(other_user)
    url = reverse("qa:answer-create", args=[question.pk])
    response = client.post(url, {"body": "tiny"})
    assert response.status_code == 400
    assert "Body must be at least 20 characters." in response.content.decode()
    response = client.post(url, {"body": BODY})
    answer = Answer.objects.get()
    assert response["Location"].endswith(f"#answer-{answer.pk}")


def test_vote_with_htmx_returns_updated_widget(client, other_user, question):
    client.force_login(other_user)
    url = reverse("qa:question-vote", args=[question.pk])
    response = client.post(url, {"value": "1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<span class="qa-score" aria-live="polite" aria-label="Score">1</span>' in html
    )
    assert 'aria-pressed="true"' in html
    response = client.post(url, {"value": "0"}, **HTMX)
    assert ">0</span>" in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_on_own_post_shows_message(client, user, question):
    client.force_login(user)
    response = client.post(
        reverse("qa:question-vote", args=[question.pk]), {"value": "1"}, **HTMX
    )
    assert "You cannot vote on your own post." in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_without_js_redirects(client, other_user, question):
    client.force_login(other_user)
    response = client.post(
        reverse("qa:question-vote", args=[question.pk]), {"value": "-1"}
    )
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).score == -1


def test_accept_button_only_for_asker(client, user, other_user, third_user, question):
    answer = make_answer(question=question, author=other_user)
    client.force_login(third_user)
    assert (
        "Accept this answer"
        not in client.get(question.get_absolute_url()).content.decode()
    )
    client.post(reverse("qa:answer-accept", args=[answer.pk]))
    assert Question.objects.get(pk=question.pk).accepted_answer is None
    client.force_login(user)
    assert (
        "Accept this answer" in client.get(question.get_absolute_url()).content.decode()
    )
    client.post(reverse("qa:answer-accept", args=[answer.pk]))
    assert Question.objects.get(pk=question.pk).accepted_answer == answer


def test_follow_toggle(client, other_user, question):
    client.force_login(other_user)
    url = reverse("qa:question-follow", args=[question.pk])
    response = client.post(url, {"follow": "1"}, **HTMX)
    assert "Following" in response.content.decode()
    assert QuestionFollow.objects.filter(user=other_user, question=question).exists()
    client.post(url, {"follow": "0"}, **HTMX)
    assert not QuestionFollow.objects.filter(
        user=other_user, question=question
    ).exists()


def test_comments_through_pages(client, other_user, question):
    client.force_login(other_user)
    response = client.post(
        reverse("qa:question-comment", args=[question.pk]), {"body": "Which cluster?"}
    )
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    client.post(reverse("qa:question-comment", args=[question.pk]), {"body": "x" * 601})
    assert Comment.objects.count() == 1


def test_curator_closes_as_duplicate_with_banner_and_reopens(
    client, lead, user, community, question
):
    original = make_question(
        community=community, author=user, title="Original deploy question"
    )
    client.force_login(lead)
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Close this question" in html
    client.post(
        reverse("qa:question-close", args=[question.pk]),
        {"reason": "duplicate", "duplicate_of": original.pk},
    )
    html = client.get(question.get_absolute_url()).content.decode()
    assert "This question already has an answer here:" in html
    assert original.get_absolute_url() in html
    assert "Reopen" in html
    client.post(reverse("qa:question-reopen", args=[question.pk]))
    assert Question.objects.get(pk=question.pk).status == "open"


def test_non_curator_sees_no_close_and_cannot_close(client, other_user, question):
    client.force_login(other_user)
    assert (
        "Close this question"
        not in client.get(question.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("qa:question-close", args=[question.pk]), {"reason": "off_topic"}
    )
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).status == "open"


def test_edit_page_and_history(client, user, other_user, question):
    client.force_login(other_user)
    assert (
        client.get(reverse("qa:question-edit", args=[question.pk])).status_code == 403
    )
    client.force_login(user)
    url = reverse("qa:question-edit", args=[question.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "x", "body": BODY, "tags": ""})
    assert response.status_code == 400
    assert "Title must be at least 10 characters." in response.content.decode()
    client.post(
        url,
        {
            "title": "How do I deploy a service with no downtime?",
            "body": BODY,
            "tags": "deploy",
        },
    )
    html = client.get(
        reverse("qa:question-revisions", args=[question.pk])
    ).content.decode()
    assert "Revision 2 by Alice Andersen" in html
    assert 'class="diff-add"' in html and "no downtime" in html
    assert 'class="diff-del"' in html


def test_answer_edit_page(client, other_user, question):
    answer = make_answer(question=question, author=other_user)
    client.force_login(other_user)
    url = reverse("qa:answer-edit", args=[answer.pk])
    client.post(url, {"body": BODY + " Updated."})
    assert Answer.objects.get(pk=answer.pk).body.endswith("Updated.")
    html = client.get(reverse("qa:answer-revisions", args=[answer.pk])).content.decode()
    assert "Revision 2" in html


def test_delete_own_unanswered_question(client, user, question):
    client.force_login(user)
    client.post(reverse("qa:question-delete", args=[question.pk]))
    assert Question.objects.get(pk=question.pk).is_deleted


def test_similar_and_tag_fragments(client, user, community):
    make_question(
        community=community, author=user, title="Helm rollback fails", tags=["helm"]
    )
    html = client.get(
        reverse("qa:question-similar") + "?title=helm+rollback"
    ).content.decode()
    assert "Helm rollback fails" in html
    html = client.get(reverse("qa:tag-suggest") + "?tags=ku+he").content.decode()
    assert 'data-tag="helm"' in html


# -- query counts -------------------------------------------------------------


def _populate(question, n):
    for i in range(n):
        answer = make_answer(question=question, author=UserFactory())
        services.comment_create(
            author=UserFactory(), target=answer, body=f"Comment {i}"
        )
        services.comment_create(author=UserFactory(), target=question, body=f"On q {i}")
        services.vote_cast(user=UserFactory(), target=answer, value=1)


def test_detail_query_count_is_constant(
    client, django_assert_num_queries, community, user, other_user
):
    small = make_question(
        community=community, author=user, title="Small question here", tags=["a"]
    )
    big = make_question(
        community=community, author=user, title="Big question here", tags=list("bcdef")
    )
    _populate(small, 1)
    _populate(big, 10)
    client.force_login(other_user)
    client.get(small.get_absolute_url())  # warm the session
    client.get(big.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(small.get_absolute_url())
    with django_assert_num_queries(len(one)):
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count('class="qa-comment"') == 20


def test_list_query_count_is_constant(
    client, django_assert_num_queries, community, user, other_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_question(
        community=community, author=user, title="The first question", tags=["a"]
    )
    client.force_login(other_user)
    client.get(reverse("qa:question-list"))  # warm the session and site caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("qa:question-list"))
    for n in range(9):
        q = make_question(
            community=community,
            author=UserFactory(),
            title=f"Question number {n}",
            tags=list("bcdef"),
        )
        make_answer(question=q)
        services.vote_cast(user=other_user, target=q, value=1)
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("qa:question-list"))
    assert response.content.decode().count('class="qa-row"') == 10


def test_api_detail_query_count_is_constant(
    client, bearer, django_assert_num_queries, community, user, other_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_question(community=community, author=user, title="Small question here")
    big = make_question(
        community=community, author=user, title="Big question here", tags=list("abcde")
    )
    _populate(small, 1)
    _populate(big, 10)
    headers = bearer(other_user)
    client.get(f"/api/v1/questions/{small.pk}", **headers)
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/questions/{small.pk}", **headers)
    with django_assert_num_queries(len(one)):
        client.get(f"/api/v1/questions/{big.pk}", **headers)


def test_related_questions_come_after_the_page_by_its_own_rule(client, user, question):
    make_question(
        community=question.community,
        author=user,
        title=f"{question.title} again",
    )
    client.force_login(user)
    page = client.get(question.get_absolute_url()).content.decode()
    related_url = reverse("qa:question-related", args=[question.pk])
    # The page asks for the list once shown; without JavaScript it is a link.
    assert f'hx-get="{related_url}"' in page and "Related questions" in page

    fragment = client.get(related_url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<aside") and "<html" not in fragment
    assert f"{question.title} again" in fragment
    full = client.get(related_url).content.decode()
    assert "<html" in full and f"{question.title} again" in full

    Question.objects.filter(pk=question.pk).update(is_deleted=True)
    assert client.get(related_url, HTTP_HX_REQUEST="true").status_code == 404
