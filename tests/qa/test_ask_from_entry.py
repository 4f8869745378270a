"""A stuck journal entry becomes a question, linked both ways."""

import pytest

from journals.models import Entry
from journals.services import entry_create

pytestmark = pytest.mark.django_db


def test_ask_form_is_prefilled_from_the_link(client, user, community):
    client.force_login(user)
    response = client.get(
        "/questions/ask/",
        {
            "title": "Stuck on flaky deploys",
            "body": "It fails one time in ten.",
            "tags": "deploy",
            "from_entry": "12",
        },
    )
    html = response.content.decode()
    assert 'value="Stuck on flaky deploys"' in html
    assert "It fails one time in ten." in html
    assert 'name="from_entry" value="12"' in html


def _post(client, community, entry_id):
    return client.post(
        "/questions/ask/",
        {
            "title": "Why do deploys fail one time in ten?",
            "body": "Our deploys fail randomly; retries help. What should I check?",
            "tags": "deploy",
            "community": community.slug,
            "from_entry": str(entry_id),
        },
    )


def test_posting_links_the_askers_own_entry(client, user, community):
    entry = entry_create(author=user, body="Stuck on flaky deploys", prompt="stuck")
    client.force_login(user)
    response = _post(client, community, entry.pk)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.question_id is not None
    assert response["Location"].startswith(f"/questions/{entry.question_id}/")


def test_someone_elses_entry_is_not_linked(client, user, other_user, community):
    entry = entry_create(
        author=other_user, body="Stuck", prompt="stuck", visibility="organisation"
    )
    client.force_login(user)
    assert _post(client, community, entry.pk).status_code == 302
    assert Entry.objects.get(pk=entry.pk).question_id is None
