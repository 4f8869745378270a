"""Demo content loads, and loading it again creates nothing new."""

import pytest
from django.apps import apps
from django.core.management import call_command

from hallway.demo import loaders
from journals.models import Entry
from kb.communities.models import CommunityPage
from kb.curation.selectors import answers_worth_curating, unanswered_questions
from people.models import User

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(
            ("django_tasks", "sessions", "wagtailcore.Model")
        )
        and model._meta.label
        not in {"wagtailcore.PageLogEntry", "wagtailcore.ModelLogEntry"}
    }


def test_demo_content_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = _row_counts()
    assert first["people.User"] >= 5
    assert first["home.HomePage"] == 1
    call_command("load_demo", verbosity=0)
    assert _row_counts() == first


def test_home_page_is_served_at_the_root(client):
    call_command("load_demo", verbosity=0)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Welcome to Hallway" in response.content
    assert b'aria-label="Main"' in response.content


def test_the_demo_lead_curates_company_content_not_the_imported_sample(db):
    """The imported Stack Exchange sample is labelled and stays off Lena's dashboard."""
    for _name, load in loaders():
        load()
    sample = CommunityPage.objects.get(slug="cardano")
    assert "imported" in sample.title.lower()
    lena = User.objects.get(username="lead")
    suggestions = answers_worth_curating(user=lena)
    assert suggestions, "the demo gives the lead something to curate"
    assert {a.question.community.slug for a in suggestions}.isdisjoint({"cardano"})
    assert all(q.community.slug != "cardano" for q in unanswered_questions(user=lena))
    # Titles do not carry a relative date that is wrong the next day.
    assert not Entry.objects.filter(title__contains="days ago").exists()
