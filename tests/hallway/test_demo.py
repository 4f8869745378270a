"""Demo content loads, and loading it again creates nothing new."""

import pytest
from django.apps import apps
from django.core.management import call_command

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
