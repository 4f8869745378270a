"""Histories for notification tests, built through the Q&A services."""

from kb.qa import services as qa
from notifications import fanout
from tests.qa.factories import make_question


def ask(*, community, author, tags=("helm",), title=None, body=None, fan_out=True):
    """A question; its fan-out run at once (as the worker would)."""
    question = make_question(
        community=community, author=author, tags=list(tags), title=title, body=body
    )
    if fan_out:
        fanout.question_created_fanout(question_id=question.pk)
    return question


def answer(*, question, author, body=None, fan_out=True):
    """An answer; its fan-out run at once."""
    row = qa.answer_create(
        question=question,
        author=author,
        body=body or "Roll back with helm rollback and watch the pods.",
    )
    if fan_out:
        fanout.answer_created_fanout(answer_id=row.pk)
    return row


def accepted_history(*, community, expert, asker, tag="helm"):
    """``expert`` has an accepted answer on a question tagged ``tag``."""
    question = ask(
        community=community,
        author=asker,
        tags=[tag],
        title=f"An older question about {tag} releases",
        fan_out=False,
    )
    row = answer(question=question, author=expert, fan_out=False)
    qa.answer_accept(answer=row, by=asker)
    return question, row
