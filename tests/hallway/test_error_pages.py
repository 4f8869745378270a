"""Friendly 404 and 500 pages: say what happened and offer a way on, in the
reader's language; the 500 page needs neither a database nor context."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_not_found_offers_search_and_a_way_on(client):
    response = client.get("/no/such/place/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<form class="error-search" role="search" action="/search/"' in html
    assert 'href="/accounts/login/?next=/no/such/place/"' in html  # signed out
    assert "site-header" in html  # the normal page, header and all


def test_not_found_in_dutch(client):
    client.cookies["django_language"] = "nl"
    html = client.get("/no/such/place/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl"' in html and "Niet gevonden" in html


def test_server_error_page_is_styled_and_standalone():
    request = RequestFactory().get("/boom/")
    with translation.override("nl"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert 'lang="nl"' in html and "css/components.css" in html
    assert "error-page" in html and "<script" not in html
