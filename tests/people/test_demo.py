"""Demo people get profiles; reputation follows from demo activity, once."""

import pytest

from hallway.demo import loaders
from people.models import Profile, User
from reputation.models import Badge, ReputationEvent
from reputation.selectors import reputation_bulk

pytestmark = pytest.mark.django_db


def _load_all():
    for name, load in loaders():
        if name not in {"kb.imports.demo", "notifications.demo"}:
            load()


def test_demo_profiles_and_reputation_are_idempotent():
    _load_all()
    counts = (
        Profile.objects.count(),
        ReputationEvent.objects.count(),
        Badge.objects.count(),
    )
    assert counts[0] == 5
    assert Profile.objects.get(user__username="chen").office == "Lisbon"
    assert counts[1] > 0 and counts[2] > 0
    _load_all()
    assert (
        Profile.objects.count(),
        ReputationEvent.objects.count(),
        Badge.objects.count(),
    ) == counts

    totals = reputation_bulk(user_ids=list(User.objects.values_list("pk", flat=True)))
    assert sum(totals.values()) > 0


def test_demo_pages_render(client):
    _load_all()
    client.force_login(User.objects.get(username="lead"))
    for url in [
        "/people/",
        "/people/lead/",
        "/people/alice/",
        "/people/participation/",
        "/people/participation/?community=platform",
        "/people/?office=Utrecht&department=Platform+Engineering",
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get("/people/alice/").content.decode()
    assert "Kubernetes" in page and "Utrecht" in page
