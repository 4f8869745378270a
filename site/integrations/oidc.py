"""OpenID Connect single sign-on: discovery, claims → account, groups → roles.

mozilla-django-oidc does the protocol (authorisation code flow with PKCE,
state, nonce, ID token signature check). This module adds what it lacks:
endpoints found through the issuer's discovery document (so ``OIDC_ISSUER``,
``OIDC_CLIENT_ID`` and ``OIDC_CLIENT_SECRET`` are enough), accounts matched by
issuer + subject, profile fields synced from claims on every login, and the
group claim mapped to community roles through ``SsoGroupMapping``.
"""

import logging
import re

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language_info
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from kb.communities.models import Membership
from kb.communities.services import membership_join, membership_role_set
from people.models import Profile

from .models import OidcIdentity, SsoGroupMapping

log = logging.getLogger(__name__)

DISCOVERY_TTL = 60 * 60
# mozilla-django-oidc setting → key in the discovery document
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_ROLE_RANK = {"member": 1, "team": 2, "lead": 3}


def sso_enabled() -> bool:
    """Whether single sign-on is configured (issuer and client id set)."""
    return bool(
        getattr(settings, "OIDC_ISSUER", "")
        and getattr(settings, "OIDC_RP_CLIENT_ID", "")
    )


def password_login_enabled() -> bool:
    """Whether people may log in with a username and password."""
    return getattr(settings, "HALLWAY_PASSWORD_LOGIN", True)


def discovery() -> dict:
    """The issuer's discovery document (cached for an hour)."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration",
            timeout=getattr(settings, "OIDC_TIMEOUT", 10),
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured(
                f"OIDC_ISSUER is {issuer} but the provider says it is "
                f"{document.get('issuer')!r}."
            )
        cache.set(key, document, DISCOVERY_TTL)
    return document


def oidc_setting(attr: str, *default):
    """A mozilla-django-oidc setting: explicit settings win, then discovery."""
    value = getattr(settings, attr, None)
    if value:
        return value
    if attr in _DISCOVERED and getattr(settings, "OIDC_ISSUER", ""):
        return discovery()[_DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def claim(claims: dict, name: str):
    """The value of the claim configured for ``name`` (``OIDC_CLAIMS``)."""
    key = settings.OIDC_CLAIMS.get(name) or name
    return claims.get(key)


def _text(value, limit: int) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()[:limit]


class OIDCBackend(OIDCAuthenticationBackend):
    """Sign in through the identity provider; endpoints resolved lazily.

    Django instantiates every backend on every ``authenticate()``, so nothing
    here may talk to the provider until a callback is being handled.
    """

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the library's attribute names
        return oidc_setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return oidc_setting("OIDC_OP_USER_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return oidc_setting("OIDC_OP_JWKS_ENDPOINT", None)

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_RP_SIGN_ALGO(self):  # noqa: N802
        return getattr(settings, "OIDC_RP_SIGN_ALGO", "RS256")

    @property
    def OIDC_RP_IDP_SIGN_KEY(self):  # noqa: N802
        return getattr(settings, "OIDC_RP_IDP_SIGN_KEY", None)

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password form never gets here.
        if not sso_enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub")) and bool(claim(claims, "email"))

    def filter_users_by_claims(self, claims):
        """The account linked to this issuer + subject, else one with the e-mail."""
        identity = (
            OidcIdentity.objects.select_related("user")
            .filter(issuer=settings.OIDC_ISSUER, subject=str(claims["sub"]))
            .first()
        )
        if identity is not None:
            return self.UserModel.objects.filter(pk=identity.user_id)
        if claims.get("email_verified") is False:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(
            email__iexact=claim(claims, "email"), is_active=True
        )

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            self._free_username(claims), email=claim(claims, "email")
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return self.update_user(user, claims)

    def _free_username(self, claims) -> str:
        wanted = (
            _text(claim(claims, "username"), 150)
            or str(claim(claims, "email")).split("@")[0]
        )
        base = re.sub(r"[^\w.@+-]", "", wanted)[:140] or "user"
        name, n = base, 1
        while self.UserModel.objects.filter(username__iexact=name).exists():
            n += 1
            name = f"{base}{n}"
        return name

    def update_user(self, user, claims):
        """Sync the account, its profile and its community roles from the claims."""
        with transaction.atomic():
            sso_profile_sync(user=user, claims=claims)
            OidcIdentity.objects.update_or_create(
                issuer=settings.OIDC_ISSUER,
                subject=str(claims["sub"]),
                defaults={"user": user, "last_login_at": timezone.now()},
            )
        return user


def _language_name(locale: str) -> str:
    """``nl-NL`` → ``Dutch`` (profiles list languages by name)."""
    code = locale.replace("_", "-").split("-")[0].lower()
    if not code:
        return ""
    try:
        return get_language_info(code)["name"]
    except KeyError:
        return ""


def sso_profile_sync(*, user, claims: dict) -> None:
    """Name, e-mail, profile fields and community roles from one login's claims."""

    fields = {
        "email": _text(claim(claims, "email"), 254),
        "first_name": _text(claim(claims, "given_name"), 150),
        "last_name": _text(claim(claims, "family_name"), 150),
        "display_name": _text(claim(claims, "name"), 150),
    }
    changed = [
        name for name, value in fields.items() if value and getattr(user, name) != value
    ]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.save(update_fields=changed)
    profile, _created = Profile.objects.get_or_create(user=user)
    updates = {
        "department": _text(claim(claims, "department"), 100),
        "office": _text(claim(claims, "office"), 100),
    }
    changed = []
    for name, value in updates.items():
        if value and getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    language = _language_name(_text(claim(claims, "language"), 20))
    if language and language not in (profile.languages or []):
        profile.languages = [language, *(profile.languages or [])]
        changed.append("languages")
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    groups = claim(claims, "groups")
    if isinstance(groups, str):
        groups = [groups]
    sso_roles_sync(user=user, groups=[str(g) for g in groups or []])


def sso_roles_sync(*, user, groups: list[str]) -> None:
    """Give ``user`` the roles their groups map to.

    In a community with mappings, the identity provider decides who leads and
    who is on the team: someone no longer in a lead/team group becomes a plain
    member. Plain membership is never taken away (anyone may join a community).
    """

    wanted: dict[int, str] = {}
    mapped_communities: dict[int, object] = {}
    for mapping in SsoGroupMapping.objects.select_related("community"):
        mapped_communities[mapping.community_id] = mapping.community
        if mapping.group in groups:
            current = wanted.get(mapping.community_id)
            if current is None or _ROLE_RANK[mapping.role] > _ROLE_RANK[current]:
                wanted[mapping.community_id] = mapping.role
    current_roles = dict(
        Membership.objects.filter(
            user=user, community_id__in=list(mapped_communities)
        ).values_list("community_id", "role")
    )
    for community_id, community in mapped_communities.items():
        role, now = wanted.get(community_id), current_roles.get(community_id)
        if role is not None and role != now:
            if now is None:
                membership_join(community=community, user=user, role=role)
            else:
                membership_role_set(community=community, user=user, role=role)
        elif role is None and now in {Membership.Role.LEAD, Membership.Role.TEAM}:
            try:
                membership_role_set(
                    community=community, user=user, role=Membership.Role.MEMBER
                )
            except Exception:  # the last lead stays until another is mapped
                log.warning("Kept %s as the last lead of %s", user.pk, community_id)


class SsoLoginView(OIDCAuthenticationRequestView):
    """Start a sign-in at the identity provider (404 while SSO is off)."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """Where the identity provider sends people back."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation) as error:
            log.warning("Single sign-on failed: %s", error)
            return self.login_failure()
