"""Demo content loads through the services and only once."""

import pytest

from hallway.demo import DEMO_LOADERS, loaders
from kb.qa.models import Answer, Comment, Question, Vote

pytestmark = pytest.mark.django_db


def test_demo_loads_questions_answers_votes_once():
    assert "kb.qa.demo" in DEMO_LOADERS
    for _name, load in loaders():
        load()
    assert Question.objects.count() == 12
    assert set(Question.objects.values_list("community__slug", flat=True)) == {
        "platform",
        "data",
        "cardano",
    }
    assert Answer.objects.exists() and Comment.objects.exists()
    assert Question.objects.filter(accepted_answer__isnull=False).exists()
    assert Question.objects.filter(answer_count=0).exists()
    for question in Question.objects.all():
        assert question.score == sum(
            Vote.objects.filter(question=question).values_list("value", flat=True)
        )
    counts = (Question.objects.count(), Answer.objects.count(), Vote.objects.count())
    for _name, load in loaders():
        load()
    assert (Question.objects.count(), Answer.objects.count(), Vote.objects.count()) == (
        counts
    )
