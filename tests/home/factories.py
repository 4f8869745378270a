"""Arrange hallway scenarios: communities, questions, answers, entries, follows."""

from datetime import timedelta

from django.utils import timezone

from journals.models import PersonFollow, TagFollow
from kb.qa import services as qa
from people.models import Profile
from tests.factories import UserFactory
from tests.qa.factories import make_answer, make_question


def answered_in(tag: str, *, viewer, community, accepted: bool = False):
    """``viewer`` answers someone's question tagged ``tag`` (optionally accepted)."""
    asker = UserFactory()
    question = make_question(
        community=community,
        author=asker,
        title=f"Old question about {tag}",
        tags=[tag],
    )
    answer = make_answer(question=question, author=viewer)
    if accepted:
        qa.answer_accept(answer=answer, by=asker)
    return question


def open_question(tag: str, *, community, author=None, title=None, age_hours=1):
    """An open, unanswered question in ``tag``."""
    question = make_question(
        community=community,
        author=author or UserFactory(),
        title=title or f"Need help with {tag}",
        tags=[tag],
    )
    asked = timezone.now() - timedelta(hours=age_hours)
    type(question).objects.filter(pk=question.pk).update(created_at=asked)
    return question


def follow_person(follower, followed):
    return PersonFollow.objects.get_or_create(follower=follower, followed=followed)[0]


def follow_tag(follower, tag: str):
    return TagFollow.objects.get_or_create(follower=follower, tag_name=tag)[0]


def set_profile(user, *, department: str = "", office: str = ""):
    """Give ``user`` a profile with a department and office."""
    profile, _ = Profile.objects.update_or_create(
        user=user, defaults={"department": department, "office": office}
    )
    return profile
