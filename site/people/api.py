"""API endpoints for accounts: tokens, who am I (profiles are in ``reputation``)."""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from .services import api_token_create

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


@router.post("/token", auth=None, response={201: TokenOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a personal access token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, "Unknown username or wrong password.")
    return Status(201, {"token": api_token_create(user=user, name="api")})


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    """Who the API thinks you are (checks a token or session)."""
    user = request.user
    return {
        "username": user.username,
        "display_name": user.get_display_name(),
        "is_admin": user.is_superuser,
    }
