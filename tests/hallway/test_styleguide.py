"""The living style guide is for staff only."""

import pytest

pytestmark = pytest.mark.django_db


def test_styleguide_is_for_staff_only(client, user, admin_user):
    assert client.get("/styleguide/").status_code == 302
    client.force_login(user)
    assert client.get("/styleguide/").status_code == 302
    client.force_login(admin_user)
    response = client.get("/styleguide/")
    assert response.status_code == 200
    assert 'class="button button-secondary"' in response.content.decode()
