"""A person's questions, answers, comments and votes: export and erasure."""

from typing import Any

from hallway.signals import content_changed
from people.signals import ExportSection, person_erasing, personal_data_requested

from .models import Answer, Comment, Question, Vote
from .services import answer_delete, question_delete


def export(sender: Any, *, user, **kwargs: Any) -> list[ExportSection]:
    """Everything this person wrote or cast in Q&A, deleted posts included."""
    questions = (
        Question.objects.filter(author=user)
        .select_related("community")
        .prefetch_related("tags")
        .order_by("pk")
    )
    answers = Answer.objects.filter(author=user).select_related("question")
    comments = Comment.objects.filter(author=user).order_by("pk")
    votes = Vote.objects.filter(user=user).order_by("pk")
    return [
        {
            "name": "questions",
            "items": [
                {
                    "id": q.pk,
                    "title": q.title,
                    "body": q.body,
                    "tags": sorted(t.name for t in q.tags.all()),
                    "community": q.community.title if q.community else "",
                    "score": q.score,
                    "status": q.status,
                    "deleted": q.is_deleted,
                    "created_at": q.created_at,
                    "url": q.get_absolute_url(),
                }
                for q in questions
            ],
        },
        {
            "name": "answers",
            "items": [
                {
                    "id": a.pk,
                    "title": f"Answer to: {a.question.title}",
                    "body": a.body,
                    "question_id": a.question_id,
                    "score": a.score,
                    "deleted": a.is_deleted,
                    "created_at": a.created_at,
                    "url": a.get_absolute_url(),
                }
                for a in answers.order_by("pk")
            ],
        },
        {
            "name": "comments",
            "items": [
                {
                    "id": c.pk,
                    "body": c.body,
                    "question_id": c.question_id,
                    "answer_id": c.answer_id,
                    "deleted": c.is_deleted,
                    "created_at": c.created_at,
                }
                for c in comments
            ],
        },
        {
            "name": "votes",
            "items": [
                {
                    "id": v.pk,
                    "question_id": v.question_id,
                    "answer_id": v.answer_id,
                    "value": v.value,
                    "created_at": v.created_at,
                }
                for v in votes
            ],
        },
    ]


def erase(sender: Any, *, user, by, remove_content: bool, **kwargs: Any) -> None:
    """With ``remove_content``: delete the person's posts the way a lead would
    (counts, accepted answers, reputation and the index follow); comments go.
    Without it the posts stay and are re-indexed under "former colleague"."""
    if not remove_content:
        for pk in Question.objects.filter(author=user).values_list("pk", flat=True):
            content_changed.send(sender=Question, model=Question, pk=pk)
        for pk in Answer.objects.filter(author=user).values_list("pk", flat=True):
            content_changed.send(sender=Answer, model=Answer, pk=pk)
        return
    for answer in Answer.objects.filter(author=user, is_deleted=False):
        answer_delete(answer=answer, by=by)
    for question in Question.objects.filter(author=user, is_deleted=False):
        question_delete(question=question, by=by)
    Comment.objects.filter(author=user).update(is_deleted=True, body="", body_html="")


def connect() -> None:
    """Wire the handlers (from ``QaConfig.ready``)."""
    personal_data_requested.connect(export, dispatch_uid="qa.personal_data")
    person_erasing.connect(erase, dispatch_uid="qa.erase")
