"""Imported posts show where they came from, on the question page."""

import pytest
from django.core.management import call_command

from kb.imports.models import Attribution

pytestmark = pytest.mark.django_db


def test_imported_question_page_shows_the_attribution(client, settings):
    settings.HALLWAY_RATE_LIMITS = {}
    call_command("load_demo", verbosity=0)

    attribution = Attribution.objects.filter(question__isnull=False).first()
    html = client.get(attribution.question.get_absolute_url()).content.decode()
    assert "originally by" in html
    assert attribution.url in html
    assert "CC BY-SA" in html
