"""Demo content loads through the services and only once."""

import pytest

from hallway.demo import DEMO_LOADERS, loaders
from kb.qa.demo import DEMO_QUESTIONS
from kb.qa.models import Answer, Comment, Question, Vote

pytestmark = pytest.mark.django_db


def test_demo_loads_questions_answers_votes_once():
    assert "kb.qa.demo" in DEMO_LOADERS
    for _name, load in loaders():
        load()
    titles = [spec["title"] for spec in DEMO_QUESTIONS]
    ours = Question.objects.filter(title__in=titles)
    assert ours.count() == len(titles) == 12
    assert set(ours.values_list("community__slug", flat=True)) == {
        "platform",
        "data",
        "cardano",
    }
    assert Answer.objects.filter(question__in=ours).exists()
    assert Comment.objects.filter(question__in=ours).exists()
    assert ours.filter(accepted_answer__isnull=False).exists()
    assert ours.filter(answer_count=0).exists()
    for question in ours:
        assert question.score == sum(
            Vote.objects.filter(question=question).values_list("value", flat=True)
        )
    counts = (Question.objects.count(), Answer.objects.count(), Vote.objects.count())
    for _name, load in loaders():
        load()
    assert (Question.objects.count(), Answer.objects.count(), Vote.objects.count()) == (
        counts
    )
