"""Claims for the test identity provider, read from the people file."""

import json
import os
from pathlib import Path

from oauth2_provider.oauth2_validators import OAuth2Validator


def person_claims(username: str) -> dict:
    people = json.loads(Path(os.environ["OIDC_TEST_PEOPLE"]).read_text())
    return people.get(username, {}).get("claims", {})


class ClaimsValidator(OAuth2Validator):
    """Every claim the people file gives, whatever the scope (a test provider)."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return person_claims(request.user.username)


class PeopleFileBackend:
    """Log in the people of the people file (created on first login)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from django.contrib.auth.models import User

        people = json.loads(Path(os.environ["OIDC_TEST_PEOPLE"]).read_text())
        person = people.get(username or "")
        if person is None or person.get("password") != password:
            return None
        user, _created = User.objects.get_or_create(username=username)
        return user

    def get_user(self, user_id):
        from django.contrib.auth.models import User

        return User.objects.filter(pk=user_id).first()
