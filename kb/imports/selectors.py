"""Reads: attribution of imported posts (one query for a whole page)."""

from collections.abc import Iterable

from django.db.models import Q

from kb.qa.models import Answer, Question

from .models import Attribution, RelatedQuestion


def attribution_for(obj: Question | Answer) -> Attribution | None:
    """The attribution of one imported question or answer, else ``None``."""
    if isinstance(obj, Question):
        return Attribution.objects.filter(question_id=obj.pk).first()
    if isinstance(obj, Answer):
        return Attribution.objects.filter(answer_id=obj.pk).first()
    return None


def attributions_for(
    questions: Iterable[Question | int] = (), answers: Iterable[Answer | int] = ()
) -> dict[tuple[str, int], Attribution]:
    """``{("question", pk) | ("answer", pk): Attribution}`` in one query."""
    question_ids = [getattr(q, "pk", q) for q in questions]
    answer_ids = [getattr(a, "pk", a) for a in answers]
    if not question_ids and not answer_ids:
        return {}
    rows = Attribution.objects.filter(
        Q(question_id__in=question_ids) | Q(answer_id__in=answer_ids)
    )
    return {
        ("question", a.question_id) if a.question_id else ("answer", a.answer_id): a  # type: ignore[misc]
        for a in rows
    }


def related_questions_for(question: Question) -> list[Question]:
    """Visible questions linked as related from ``question`` (one query)."""
    ids = RelatedQuestion.objects.filter(from_question=question).values(
        "to_question_id"
    )
    return list(Question.objects.visible().filter(pk__in=ids).order_by("-score"))
