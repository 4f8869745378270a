"""Editors keep Wagtail's admin, but it is branded as Hallway, in their language."""

import pytest
from django.contrib.staticfiles import finders

from home.demo import load as home_load
from people.models import User

pytestmark = pytest.mark.django_db


def test_admin_login_and_dashboard_say_hallway(client):
    login = client.get("/admin/login/").content.decode()
    assert "Sign in to Hallway" in login and "Sign in to Wagtail" not in login
    assert "img/favicon.svg" in login

    admin = User.objects.create_superuser("editor", "editor@example.org", "x")
    client.force_login(admin)
    home = client.get("/admin/").content.decode()
    assert "- Hallway</title>" in home
    assert "Hallway: pages and reviews" in home
    assert "css/wagtail-brand.css" in home
    assert finders.find("css/wagtail-brand.css")


def test_admin_branding_follows_the_language(client):
    client.cookies["django_language"] = "nl"
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Inloggen bij Hallway" in login


def test_the_editor_userbar_shows_hallways_mark(client):
    """Editors see the userbar on site pages with Hallway's mark, not Wagtail's bird."""
    home_load()
    admin = User.objects.create_superuser("editor", "editor@example.org", "x")
    client.force_login(admin)
    html = client.get("/").content.decode()
    assert "wagtail-userbar" in html
    assert 'class="w-userbar-icon" src="/static/img/favicon.svg"' in html
    assert 'class="icon-wagtail' not in html  # the bird logo is gone
