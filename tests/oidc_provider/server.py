"""Start the test identity provider: ``python -m tests.oidc_provider.server PORT``.

Migrates its own SQLite database, registers one confidential client from
``OIDC_TEST_CLIENT`` (JSON: client_id, client_secret, redirect_uri), then
serves on 127.0.0.1:PORT until stopped. People log in from the people file.
"""

import json
import os
import sys


def main(port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0, interactive=False)
    client = json.loads(os.environ["OIDC_TEST_CLIENT"])
    Application.objects.update_or_create(
        client_id=client["client_id"],
        defaults={
            "name": "Hallway",
            "client_secret": client["client_secret"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": client["redirect_uri"],
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    call_command(
        "runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
