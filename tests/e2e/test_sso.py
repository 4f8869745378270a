"""Single sign-on end to end: a real browser, a real OpenID Connect provider.

The provider is django-oauth-toolkit running as its own server process on a
free loopback port (``tests/oidc_provider``); Hallway discovers its endpoints
from the issuer URL, exchanges the code, checks the RS256-signed ID token
against the provider's keys and reads the userinfo endpoint.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from integrations.models import OidcIdentity, SsoGroupMapping
from kb.communities.models import Membership
from people.models import Profile, User
from people.services import api_token_create
from tests.communities.factories import make_community
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "hallway-test"
CLIENT_SECRET = "hallway-test-client-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Provider:
    def __init__(self, base: Path, people: Path, issuer: str):
        self.base, self.people_file, self.issuer = base, people, issuer

    def set_people(self, people: dict) -> None:
        self.people_file.write_text(json.dumps(people))


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    base = tmp_path_factory.mktemp("oidc-provider")
    (base / "key.pem").write_text(_rsa_key())
    people = base / "people.json"
    people.write_text("{}")
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "OIDC_PROVIDER_DB": str(base / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(base / "key.pem"),
        "OIDC_TEST_PEOPLE": str(people),
        "OIDC_TEST_CLIENT": json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": f"{live_server.url}/oidc/callback/",
            }
        ),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = open(base / "server.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.server", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 120
    while True:
        # Not listening yet (OSError): check the deadline below, then ask again.
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(  # noqa: S310
                f"{issuer}/.well-known/openid-configuration", timeout=2
            ) as response,
        ):
            if response.status == 200:
                break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            pytest.fail(
                "The test identity provider did not start:\n"
                + (base / "server.log").read_text()[-3000:]
            )
        time.sleep(0.3)
    try:
        yield Provider(base, people, issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def sso(oidc_provider, settings, page):
    # Two servers and a browser on a shared two-core machine: be patient.
    page.set_default_timeout(30_000)
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Corp"
    return oidc_provider


SAM = {
    "password": "sam-password",
    "claims": {
        "preferred_username": "sam",
        "email": "sam@corp.example",
        "email_verified": True,
        "name": "Sam Sterling",
        "given_name": "Sam",
        "family_name": "Sterling",
        "department": "Finance",
        "office": "Utrecht",
        "locale": "nl-NL",
        "groups": ["hallway-platform-leads", "everyone"],
    },
}


def _sign_in(page, live_server, sso, *, username="sam", password="sam-password"):  # noqa: S107
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Corp").click()
    assert page.get_by_role("heading", name="Corp identity provider").is_visible()
    assert page.url.startswith(sso.issuer.removesuffix("/o"))
    page.get_by_label("Corp username").fill(username)
    page.get_by_label("Corp password").fill(password)
    page.get_by_role("button", name="Sign in to Corp").click()
    page.wait_for_url(
        lambda url: url.startswith(live_server.url) and "/oidc/" not in url
    )
    assert page.url == f"{live_server.url}/", page.url


def test_first_login_creates_the_account_and_later_logins_sync_it(
    page, live_server, site_root, sso
):
    platform = make_community(lead=UserFactory(username="lena"))
    SsoGroupMapping.objects.create(
        group="hallway-platform-leads", community=platform, role="lead"
    )
    sso.set_people({"sam": SAM})

    _sign_in(page, live_server, sso)

    assert page.locator(".account-name").inner_text() == "Sam Sterling"
    sam = User.objects.get(username="sam")
    assert sam.email == "sam@corp.example"
    assert not sam.has_usable_password()
    profile = Profile.objects.get(user=sam)
    assert (profile.department, profile.office) == ("Finance", "Utrecht")
    assert profile.languages == ["Dutch"]
    assert Membership.objects.get(user=sam, community=platform).role == "lead"
    assert OidcIdentity.objects.get(user=sam).issuer == sso.issuer

    # The provider changes: another department, no longer in the leads group.
    changed = json.loads(json.dumps(SAM))
    changed["claims"].update(
        department="Risk", name="Sam Sterling-Vos", groups=["everyone"]
    )
    sso.set_people({"sam": changed})
    page.context.clear_cookies()
    _sign_in(page, live_server, sso)

    assert page.locator(".account-name").inner_text() == "Sam Sterling-Vos"
    assert User.objects.filter(email="sam@corp.example").count() == 1
    profile.refresh_from_db()
    assert profile.department == "Risk"
    assert Membership.objects.get(user=sam, community=platform).role == "member"


def test_password_login_can_be_switched_off_but_tokens_keep_working(
    page, live_server, site_root, sso, settings, client
):
    settings.HALLWAY_PASSWORD_LOGIN = False
    alice = UserFactory(username="alice", display_name="Alice Andersen")
    token = api_token_create(user=alice)

    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("link", name="Sign in with Corp").is_visible()
    assert page.get_by_label("Password").count() == 0

    refused = client.post("/accounts/login/", {"username": "alice", "password": "pw"})
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session
    api_login = client.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "pw"},
        content_type="application/json",
    )
    assert api_login.status_code == 401
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"

    sso.set_people({"sam": SAM})
    _sign_in(page, live_server, sso)
    assert page.locator(".account-name").inner_text() == "Sam Sterling"


def test_a_wrong_password_at_the_provider_logs_nobody_in(
    page, live_server, site_root, sso
):
    sso.set_people({"sam": SAM})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with Corp").click()
    page.get_by_label("Corp username").fill("sam")
    page.get_by_label("Corp password").fill("wrong")
    page.get_by_role("button", name="Sign in to Corp").click()
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."

    assert not User.objects.filter(username="sam").exists()
