"""Every rule of the Q&A services, including permission and bad input."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404

from hallway.errors import RateLimited, ValidationFailed
from kb.communities.models import Membership
from kb.communities.services import membership_join
from kb.qa import selectors, services
from kb.qa.models import (
    Answer,
    Comment,
    Question,
    QuestionFollow,
    QuestionTag,
    Revision,
    Vote,
)
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question

pytestmark = pytest.mark.django_db

BODY = "A body that is long enough to be a real question."


def test_create_question_renders_tags_revision_and_follow(community, user):
    question = services.question_create(
        author=user,
        title="  How do I   roll back a release? ",
        body="Steps:\n\n```python\nprint('x')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        tags=["Deploy", "deploy", "c++"],
        community=community,
    )
    assert question.title == "How do I roll back a release?"
    assert "<table>" in question.body_html
    assert 'class="highlight"' in question.body_html
    assert sorted(t.name for t in question.tags.all()) == ["c++", "deploy"]
    assert Revision.objects.filter(question=question).count() == 1
    assert QuestionFollow.objects.filter(user=user, question=question).exists()


def test_create_question_uses_default_community_when_none_given(community, user):
    question = services.question_create(author=user, title="A good title", body=BODY)
    assert question.community == community


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "short"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "too short"}, "body"),
        ({"body": "x" * 30001}, "body"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
        ({"tags": ["bad tag!"]}, "tags"),
        ({"tags": ["-leading"]}, "tags"),
        ({"tags": ["x" * 36]}, "tags"),
        ({"community": "nope"}, "community"),
    ],
)
def test_create_question_rejects_bad_input_and_saves_nothing(
    community, user, kwargs, field
):
    data = {"title": "A perfectly fine title", "body": BODY, "community": community}
    data.update(kwargs)
    with pytest.raises(ValidationFailed) as error:
        services.question_create(author=user, **data)
    assert field in error.value.errors
    assert Question.objects.count() == 0
    assert QuestionTag.objects.count() == 0
    assert Revision.objects.count() == 0


def test_posting_is_rate_limited(community, user, settings):
    settings.HALLWAY_RATE_LIMITS = {"post": "2/h"}
    for n in range(2):
        make_question(community=community, author=user, title=f"Question number {n}")
    with pytest.raises(RateLimited):
        make_question(community=community, author=user, title="Question number 3")
    assert Question.objects.count() == 2


def test_edit_keeps_revisions_with_diff(question, user):
    services.question_edit(
        question=question, by=user, body=BODY + "\n\nEdit: more detail.", tags="ci"
    )
    question.refresh_from_db()
    assert [t.name for t in question.tags.all()] == ["ci"]
    revisions = selectors.revision_list(post=question)
    assert [r["number"] for r in revisions] == [2, 1]
    diff = revisions[0]["diff"]
    assert ("add", "Edit: more detail.") in diff
    assert ("add", "tags: ci") in diff


def test_edit_by_someone_else_is_denied(question, other_user):
    with pytest.raises(PermissionDenied):
        services.question_edit(question=question, by=other_user, body=BODY + "!")
    question.refresh_from_db()
    assert question.body != BODY + "!"
    assert question.revisions.count() == 1


def test_curator_edits_any_post_in_their_community(question, lead, other_user):
    answer = make_answer(question=question, author=other_user)
    services.question_edit(question=question, by=lead, title="A clearer title here")
    services.answer_edit(answer=answer, by=lead, body=BODY + " (tidied)")
    assert Revision.objects.filter(author=lead).count() == 2


def test_curator_of_another_community_cannot_edit(question, other_community):
    other_lead = UserFactory()
    membership_join(
        community=other_community, user=other_lead, role=Membership.Role.LEAD
    )
    with pytest.raises(PermissionDenied):
        services.question_edit(question=question, by=other_lead, title="Hijacked title")


def test_edit_with_bad_input_saves_nothing(question, user):
    with pytest.raises(ValidationFailed):
        services.question_edit(question=question, by=user, title="x", tags="a b")
    question.refresh_from_db()
    assert question.title == "How do I deploy a service safely?"
    assert question.revisions.count() == 1
    assert sorted(t.name for t in question.tags.all()) == ["deploy", "kubernetes"]


def test_answer_updates_counts_and_first_answer_time(question, other_user):
    answer = make_answer(question=question, author=other_user)
    question.refresh_from_db()
    assert question.answer_count == 1
    assert question.first_answer_at == answer.created_at
    assert question.last_activity_at == answer.created_at
    make_answer(question=question)
    question.refresh_from_db()
    assert question.answer_count == 2
    assert question.first_answer_at == answer.created_at


def test_answer_with_bad_body_saves_nothing(question, other_user):
    with pytest.raises(ValidationFailed):
        services.answer_create(question=question, author=other_user, body="short")
    question.refresh_from_db()
    assert question.answer_count == 0
    assert Answer.objects.count() == 0


def test_closed_question_takes_no_answers(question, lead, other_user):
    services.question_close(question=question, by=lead, reason="off_topic")
    with pytest.raises(PermissionDenied):
        make_answer(question=question, author=other_user)


def test_answer_ordering_accepted_then_score_then_oldest(
    question, user, other_user, third_user, lead
):
    first = make_answer(question=question, author=other_user)
    second = make_answer(question=question, author=third_user)
    third = make_answer(question=question, author=lead)
    services.vote_cast(user=user, target=second, value=1)
    services.answer_accept(answer=third, by=user)
    question.refresh_from_db()
    ordered = selectors.answer_list(question=question)
    assert [a.pk for a in ordered] == [third.pk, second.pk, first.pk]
    assert ordered[0].is_accepted


def test_only_asker_or_curator_accepts(question, other_user, third_user, lead):
    answer = make_answer(question=question, author=other_user)
    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=answer, by=third_user)
    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=answer, by=other_user)
    question.refresh_from_db()
    assert question.accepted_answer is None
    services.answer_accept(answer=answer, by=lead)
    question.refresh_from_db()
    assert question.accepted_answer == answer


def test_accepting_another_answer_replaces_the_first(question, user, other_user):
    one = make_answer(question=question, author=other_user)
    two = make_answer(question=question)
    services.answer_accept(answer=one, by=user)
    services.answer_accept(answer=Answer.objects.get(pk=two.pk), by=user)
    question.refresh_from_db()
    assert question.accepted_answer_id == two.pk


def test_vote_change_and_remove(question, other_user):
    assert services.vote_cast(user=other_user, target=question, value=1) == (1, 1)
    assert services.vote_cast(user=other_user, target=question, value=-1) == (-1, -1)
    assert services.vote_cast(user=other_user, target=question, value=0) == (0, 0)
    assert not Vote.objects.exists()


def test_voting_twice_the_same_way_is_an_error(question, other_user):
    services.vote_cast(user=other_user, target=question, value=1)
    with pytest.raises(ValidationFailed):
        services.vote_cast(user=other_user, target=question, value=1)
    question.refresh_from_db()
    assert question.score == 1
    assert Vote.objects.count() == 1


def test_bad_vote_value_is_rejected(question, other_user):
    with pytest.raises(ValidationFailed):
        services.vote_cast(user=other_user, target=question, value=2)
    assert not Vote.objects.exists()


def test_no_voting_on_own_posts(question, user, other_user):
    answer = make_answer(question=question, author=other_user)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=user, target=question, value=1)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=other_user, target=answer, value=1)
    assert not Vote.objects.exists()


def test_score_equals_sum_of_votes_after_many_changes(question, other_user):
    answer = make_answer(question=question, author=other_user)
    voters = [UserFactory() for _ in range(8)]
    for n, voter in enumerate(voters):
        services.vote_cast(user=voter, target=answer, value=1 if n % 3 else -1)
        services.vote_cast(user=voter, target=question, value=1)
        if n % 2:
            services.vote_cast(user=voter, target=question, value=0)
            services.vote_cast(user=voter, target=answer, value=-1 if n % 3 else 1)
    answer.refresh_from_db()
    question.refresh_from_db()
    assert (
        answer.score
        == Vote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"]
    )
    assert (
        question.score
        == Vote.objects.filter(question=question).aggregate(s=Sum("value"))["s"]
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_keep_the_score_exact(community, user):
    import threading
    import time

    from django.db import OperationalError, connection

    question = make_question(community=community, author=user)
    voters = [UserFactory() for _ in range(10)]
    errors = []

    def vote(voter):
        # SQLite's shared in-memory test database refuses (rather than waits
        # for) a locked table; each refusal rolls back whole, so retry it.
        try:
            for _attempt in range(50):
                try:
                    services.vote_cast(user=voter, target=question, value=1)
                    return
                except OperationalError:
                    time.sleep(0.02)
            errors.append(voter)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(v,)) for v in voters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    question.refresh_from_db()
    total = Vote.objects.filter(question=question).aggregate(s=Sum("value"))["s"] or 0
    assert question.score == total
    assert total == 10
    assert not errors


def test_comment_plain_text_with_links(question, other_user):
    comment = services.comment_create(
        author=other_user,
        target=question,
        body="See https://example.org/x <script>alert(1)</script>",
    )
    assert '<a href="https://example.org/x"' in comment.body_html
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html


@pytest.mark.parametrize("body", ["", "   ", "x" * 601])
def test_comment_length_rules(question, other_user, body):
    with pytest.raises(ValidationFailed):
        services.comment_create(author=other_user, target=question, body=body)
    assert not Comment.objects.exists()


def test_comment_on_answer(question, other_user):
    answer = make_answer(question=question)
    comment = services.comment_create(author=other_user, target=answer, body="Thanks!")
    assert comment.answer == answer and comment.question is None


def test_close_as_duplicate_and_reopen(question, community, lead, user):
    original = make_question(
        community=community, author=user, title="The original question here"
    )
    services.question_close(
        question=question, by=lead, reason="duplicate", duplicate_of=original.pk
    )
    question.refresh_from_db()
    assert question.status == "closed" and question.duplicate_of == original
    services.question_reopen(question=question, by=lead)
    question.refresh_from_db()
    assert question.status == "open" and question.duplicate_of is None


@pytest.mark.parametrize(
    ("reason", "duplicate_of", "field"),
    [
        ("spam", None, "reason"),
        ("duplicate", None, "duplicate_of"),
        ("duplicate", 999999, "duplicate_of"),
        ("duplicate", "self", "duplicate_of"),
    ],
)
def test_close_rejects_bad_input(question, lead, reason, duplicate_of, field):
    if duplicate_of == "self":
        duplicate_of = question.pk
    with pytest.raises(ValidationFailed) as error:
        services.question_close(
            question=question, by=lead, reason=reason, duplicate_of=duplicate_of
        )
    assert field in error.value.errors
    question.refresh_from_db()
    assert question.status == "open"


def test_only_curators_close_and_reopen(question, user, lead):
    with pytest.raises(PermissionDenied):
        services.question_close(question=question, by=user, reason="off_topic")
    services.question_close(question=question, by=lead, reason="off_topic")
    with pytest.raises(PermissionDenied):
        services.question_reopen(question=question, by=user)


def test_author_deletes_own_unanswered_question(question, user):
    services.question_delete(question=question, by=user)
    assert not Question.objects.visible().exists()
    with pytest.raises(Http404):
        selectors.question_get(pk=question.pk)


def test_author_cannot_delete_answered_question_but_lead_can(
    question, user, other_user, lead
):
    make_answer(question=question, author=other_user)
    question.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.question_delete(question=question, by=user)
    with pytest.raises(PermissionDenied):
        services.question_delete(question=question, by=other_user)
    services.question_delete(question=question, by=lead)
    services.question_restore(question=question, by=lead)
    assert Question.objects.visible().filter(pk=question.pk).exists()


def test_deleting_accepted_answer_clears_it(question, user, other_user):
    answer = make_answer(question=question, author=other_user)
    services.answer_accept(answer=answer, by=user)
    services.answer_delete(answer=answer, by=other_user)
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert question.answer_count == 0


def test_follow_toggle(question, other_user):
    services.question_follow_set(question=question, user=other_user, follow=True)
    services.question_follow_set(question=question, user=other_user, follow=True)
    assert QuestionFollow.objects.filter(question=question).count() == 2
    services.question_follow_set(question=question, user=other_user, follow=False)
    assert not selectors.is_following(user=other_user, question=question)


def test_list_sorts_and_filters(community, other_community, user, other_user):
    old = make_question(community=community, author=user, title="Old deploy question")
    new = make_question(
        community=other_community,
        author=user,
        title="New data question",
        tags=["sql"],
    )
    make_answer(question=old, author=other_user)
    services.vote_cast(user=other_user, target=new, value=1)
    assert [q.pk for q in selectors.question_list(sort="newest")] == [new.pk, old.pk]
    assert [q.pk for q in selectors.question_list(sort="active")] == [old.pk, new.pk]
    assert [q.pk for q in selectors.question_list(sort="unanswered")] == [new.pk]
    assert [q.pk for q in selectors.question_list(sort="votes")][0] == new.pk
    assert [q.pk for q in selectors.question_list(tag="SQL")] == [new.pk]
    assert [q.pk for q in selectors.question_list(community="data")] == [new.pk]


def test_similar_questions_match_title_words(community, user):
    q = make_question(
        community=community, author=user, title="Rolling back a helm release"
    )
    make_question(community=community, author=user, title="Unrelated spreadsheet thing")
    found = selectors.question_similar(title="how to roll back helm")
    assert [x.pk for x in found] == [q.pk]
    assert selectors.question_similar(title="the a of") == []


def test_tag_suggestions_by_prefix_and_use(community, user):
    make_question(community=community, author=user, tags=["kubernetes", "kafka"])
    make_question(
        community=community, author=user, title="Another one here", tags=["kafka"]
    )
    assert [t.name for t in selectors.tag_suggestions(prefix="k")] == [
        "kafka",
        "kubernetes",
    ]
