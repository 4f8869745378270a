"""Questions, answers and comments for tests, built through the services."""

from kb.qa import services
from tests.factories import UserFactory


def make_question(*, community, author=None, title=None, body=None, tags=(), **kw):
    """A question posted through ``question_create``."""
    author = author or UserFactory()
    return services.question_create(
        author=author,
        title=title or "How do I deploy a service safely?",
        body=body or "I want to roll out a change without downtime. What works?",
        tags=list(tags),
        community=community,
        **kw,
    )


def make_answer(*, question, author=None, body=None):
    """An answer posted through ``answer_create``."""
    return services.answer_create(
        question=question,
        author=author or UserFactory(),
        body=body or "Use a blue-green deployment and watch the error rate.",
    )
