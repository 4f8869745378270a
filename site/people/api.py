"""API endpoints for accounts: tokens, who am I (profiles are in ``reputation``)."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from hallway.middleware import activate_user_language

from .services import api_token_create, user_language_set

router = Router(tags=["auth"])


class TokenIn(Schema):
    # Bounded so an over-long name is a 422 here, not a failed insert into
    # the lock-out table (axes stores the attempted username in 255 chars).
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    display_name: str
    is_admin: bool
    # The chosen interface language ("" follows the browser's Accept-Language).
    language: str


class MeIn(Schema):
    language: str = Field(max_length=8, description='"nl", "en" or "" (browser)')


@router.post("/token", auth=None, response={201: TokenOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a personal access token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, _("Unknown username or wrong password."))
    return Status(201, {"token": api_token_create(user=user, name="api")})


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    """Who the API thinks you are (checks a token or session)."""
    return _me(request.user)


@router.patch("/me", response=MeOut)
def me_update(request: HttpRequest, payload: MeIn):
    """Change my settings: the interface language (answers come in it at once)."""
    user = user_language_set(user=request.user, language=payload.language)
    activate_user_language(request, user)
    return _me(user)


def _me(user) -> dict:
    return {
        "username": user.username,
        "display_name": user.get_display_name(),
        "is_admin": user.is_superuser,
        "language": user.language,
    }
