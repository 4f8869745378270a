"""The visibility rule of questions and knowledge pages, as a truth table: the
queryset (database) and the principals (indexes) say the same thing for every
case (issue 17: one owner per rule)."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from wagtail.models import PageViewRestriction

from kb.communities.selectors import knowledge_page_principals, knowledge_pages_visible
from kb.qa.models import Question
from kb.qa.selectors import question_principals
from tests.communities.factories import make_community, make_page
from tests.factories import UserFactory
from tests.qa.factories import make_question

pytestmark = pytest.mark.django_db


def _page_cases():
    live = make_community(slug="live", title="Live")
    paused = make_community(slug="paused", title="Paused")
    cases = {
        "published": (make_page(live, title="Published"), True),
        "draft": (make_page(live, title="Draft", publish=False), False),
        "in a paused community": (make_page(paused, title="Paused page"), False),
    }
    for kind in ("login", "groups", "password"):
        page = make_page(live, title=f"Restricted {kind}")
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=kind, password="pw"
        )
        if kind == "groups":
            restriction.groups.add(Group.objects.create(name="Few"))
        cases[f"restricted ({kind})"] = (page, False)
    parent = make_page(live, title="Restricted parent")
    PageViewRestriction.objects.create(page=parent, restriction_type="login")
    child = make_page(live, title="Child")
    child.move(parent, pos="last-child")
    cases["under a restricted parent"] = (child, False)
    paused.unpublish()
    return cases


def test_knowledge_page_rule_agrees_in_the_database_and_the_index():
    for name, (page, expected) in _page_cases().items():
        page.refresh_from_db()
        listed = knowledge_pages_visible().filter(pk=page.pk).exists()
        principals = knowledge_page_principals(page)
        assert listed is expected, name
        assert principals["public"] is expected, name


def test_question_rule_agrees_in_the_database_and_the_index():
    live = make_community(slug="live", title="Live")
    paused = make_community(slug="paused", title="Paused")
    shown = make_question(community=live, title="Shown question")
    deleted = make_question(community=live, title="Deleted question")
    Question.objects.filter(pk=deleted.pk).update(is_deleted=True)
    hidden = make_question(community=paused, title="In a paused community")
    paused.unpublish()
    readers = (AnonymousUser(), UserFactory())
    for question, expected in ((shown, True), (deleted, False), (hidden, False)):
        question = Question.objects.select_related("community").get(pk=question.pk)
        assert question_principals(question)["public"] is expected
        for viewer in readers:
            visible = Question.objects.visible_to(viewer).filter(pk=question.pk)
            assert visible.exists() is expected
