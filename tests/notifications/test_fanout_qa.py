"""Q&A events reach the right people, once each, through the background task."""

import pytest
from django_tasks_db.models import DBTaskResult

from journals.models import TagFollow
from kb.qa import services as qa
from notifications.fanout import (
    answer_accepted_fanout,
    comment_created_fanout,
    qa_event_fanout,
)
from notifications.models import Kind, Notification
from notifications.services import community_follow_set
from notifications.tasks import fanout_qa_event_task
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.notifications.factories import answer, ask

pytestmark = pytest.mark.django_db


def kinds_of(user) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def test_posting_a_question_enqueues_the_fan_out_after_commit(
    community, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(community=community, author=user, fan_out=False)
    queued = DBTaskResult.objects.filter(task_path__endswith="fanout_qa_event_task")
    assert queued.count() == 1
    assert queued.get().args_kwargs["args"] == [
        "question",
        question.pk,
        question.pk,
        "created",
    ]


def test_the_task_runs_the_fan_out(community, user, other_user):
    question = ask(community=community, author=user, fan_out=False)
    row = qa.answer_create(
        question=question, author=other_user, body="Use helm rollback with --wait."
    )
    written = fanout_qa_event_task.call("answer", row.pk, question.pk, "created")
    assert written == 1
    assert kinds_of(user) == [Kind.ANSWER_TO_MY_QUESTION]


def test_an_answer_notifies_the_asker_and_followers_but_not_the_answerer(
    community, user, other_user
):
    follower = UserFactory(username="fay")
    question = ask(community=community, author=user)
    qa.question_follow_set(question=question, user=follower, follow=True)
    Notification.objects.all().delete()

    answer(question=question, author=other_user)

    assert kinds_of(user) == [Kind.ANSWER_TO_MY_QUESTION]
    assert kinds_of(follower) == [Kind.ACTIVITY_ON_FOLLOWED_QUESTION]
    assert kinds_of(other_user) == []


def test_accepting_tells_the_answerer(community, user, other_user):
    question = ask(community=community, author=user)
    row = answer(question=question, author=other_user)
    qa.answer_accept(answer=row, by=user)

    answer_accepted_fanout(answer_id=row.pk)
    assert Kind.MY_ANSWER_ACCEPTED in kinds_of(other_user)


def test_a_comment_tells_the_posts_author_and_mentions(community, user, other_user):
    chen = UserFactory(username="chen")
    question = ask(community=community, author=user)
    row = answer(question=question, author=other_user)
    Notification.objects.all().delete()
    comment = qa.comment_create(
        author=user, target=row, body="Thanks! @chen did you try this too?"
    )
    comment_created_fanout(comment_id=comment.pk)

    assert kinds_of(other_user) == [Kind.COMMENT_ON_MY_POST]
    assert kinds_of(chen) == [Kind.MENTION]
    assert kinds_of(user) == []
    assert Notification.objects.get(recipient=other_user).url.endswith(
        f"#answer-{row.pk}"
    )


def test_a_new_question_reaches_tag_and_community_followers_once_each(
    community, user, other_user
):
    outsider_community = make_community(slug="data", title="Data")
    tag_fan = UserFactory(username="tara")
    community_fan = UserFactory(username="cora")
    both = UserFactory(username="bo")
    mentioned = UserFactory(username="mo")
    sleeping = UserFactory(username="zed", is_active=False)
    TagFollow.objects.create(follower=tag_fan, tag_name="helm")
    TagFollow.objects.create(follower=both, tag_name="helm")
    TagFollow.objects.create(follower=sleeping, tag_name="helm")
    TagFollow.objects.create(follower=mentioned, tag_name="helm")
    community_follow_set(user=community_fan, community=community, follow=True)
    community_follow_set(user=both, community=community, follow=True)
    community_follow_set(
        user=UserFactory(username="xi"), community=outsider_community, follow=True
    )

    ask(
        community=community,
        author=user,
        tags=["helm"],
        body="Has anyone rolled back a Helm release safely? cc @mo please.",
    )

    assert kinds_of(tag_fan) == [Kind.NEW_QUESTION_IN_FOLLOWED_TAG]
    assert kinds_of(community_fan) == [Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY]
    assert kinds_of(both) == [Kind.NEW_QUESTION_IN_FOLLOWED_TAG]
    assert kinds_of(mentioned) == [Kind.MENTION]
    # Members follow their communities; the asker hears nothing.
    assert kinds_of(other_user) == [Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY]
    assert kinds_of(user) == []
    assert kinds_of(sleeping) == []
    assert Notification.objects.filter(recipient__username="xi").count() == 0


def test_new_questions_in_a_followed_tag_are_grouped(community, user, other_user):
    TagFollow.objects.create(follower=other_user, tag_name="k8s")
    Notification.objects.all().delete()
    ask(community=community, author=user, tags=["k8s"], title="First k8s question here")
    ask(
        community=community, author=user, tags=["k8s"], title="Second k8s question here"
    )

    row = Notification.objects.get(
        recipient=other_user, kind=Kind.NEW_QUESTION_IN_FOLLOWED_TAG
    )
    assert row.count == 2
    assert "2 new questions tagged k8s" in row.text
    assert "Second k8s question here" in row.text


def test_deleting_a_question_withdraws_its_notifications(
    community, user, other_user, lead
):
    question = ask(community=community, author=user)
    answer(question=question, author=other_user)
    assert Notification.objects.filter(target_id=question.pk).exists()

    qa.question_delete(question=question, by=lead)
    qa_event_fanout(
        kind="question", pk=question.pk, question_id=question.pk, action="deleted"
    )
    assert not Notification.objects.filter(
        target_kind="question", target_id=question.pk
    ).exists()
