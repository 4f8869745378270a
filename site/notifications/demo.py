"""Demo notifications for the demo people (idempotent: each is written once)."""

from django.contrib.auth import get_user_model

from kb.qa.models import Question

from .models import Kind, Notification
from .services import notification_send

DEMO_PEOPLE = ["alice", "bram", "chen", "lead"]


def load() -> int:
    """A few answers, "can you help?" requests and an escalation; returns new rows."""

    people = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=DEMO_PEOPLE, is_active=True
        )
    }
    if not people:
        return 0
    before = Notification.objects.count()
    questions = (
        Question.objects.visible()
        .select_related("author")
        .prefetch_related("answers__author")
        .order_by("-created_at")
    )
    answered = list(questions.filter(answer_count__gt=0)[:20])
    for question in answered:
        if question.author.username not in people:
            continue
        answer = next(
            (a for a in question.answers.all() if a.author_id != question.author_id),
            None,
        )
        if answer is not None:
            # The same event name as the fan-out of that answer, so the unread
            # row counts it once however the two meet ("1 new answer").
            _once(
                question,
                Kind.ANSWER_TO_MY_QUESTION,
                question.author,
                answer.author,
                event=f"answer:{answer.pk}",
            )
    for name, person in people.items():
        # Only a question still waiting for help, that they have not answered.
        asked = (
            questions.exclude(author=person)
            .filter(author__is_active=True, accepted_answer__isnull=True)
            .exclude(answers__author=person)
            .first()
        )
        if asked is not None and name != "lead":
            _once(asked, Kind.CAN_YOU_HELP, person, asked.author)
    lead = people.get("lead")
    waiting = questions.filter(answer_count=0).first()
    if lead is not None and waiting is not None:
        _once(waiting, Kind.ESCALATION, lead, None)
    return Notification.objects.count() - before


def _once(question, kind: str, recipient, actor, *, event: str = "") -> None:
    notification_send(
        recipient_ids=[recipient.pk],
        kind=kind,
        actor=actor,
        target_kind="question",
        target_id=question.pk,
        url=question.get_absolute_url(),
        title=question.title,
        once=True,
        email=False,
        event=event,
    )
