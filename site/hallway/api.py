"""The JSON API at /api/v1/: one NinjaAPI, each app contributes a router."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyCookie
from wagtail.api.v3.auth import BearerTokenAuth

from integrations.api import router as integrations_router
from journals.api import router as journals_router
from kb.communities.api import router as communities_router
from kb.curation.api import router as curation_router
from kb.ideas.api import router as ideas_router
from kb.qa.api import router as qa_router
from notifications.api import router as notifications_router
from people.api import router as people_router
from reputation.api import profiles_router
from search.api import router as search_router
from uploads.api import router as uploads_router

from .errors import RateLimited, ValidationFailed
from .middleware import activate_user_language


class Bearer(BearerTokenAuth):
    """A personal API token; answers come in its owner's chosen language (the
    middleware only saw an anonymous request)."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = super().authenticate(request, token)
        if api_token is not None:
            activate_user_language(request, request.user)
        return api_token


class Session(APIKeyCookie):
    """The browser session (with Django's CSRF check on unsafe methods)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # CSRF protects a session that authenticates; without one there is
        # nothing to protect, and the caller gets a 401 rather than a 403.
        user = getattr(request, "user", None)
        if user is None or not (user.is_authenticated and user.is_active):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):  # type: ignore[override]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


# Answers any operation may give besides its own, all as ``{"detail": ...}``:
# refused input at the edge (400, 413), authentication (401), permission (403),
# a missing object (404), invalid input (422), rate limits (429).
COMMON_ERRORS = {
    400: "Malformed request (control characters in the address, broken JSON).",
    401: "Authentication required: log in or send a Bearer token.",
    403: "Not allowed.",
    404: "Not found.",
    413: "Request body too large.",
    422: "Invalid input; ``errors`` has messages per field.",
    429: "Too many requests; see ``Retry-After``.",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail"},
        "errors": {
            "title": "Errors",
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}


class HallwayAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document lists every status an operation returns."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
            ERROR_SCHEMA
        )
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in COMMON_ERRORS.items():
                    responses.setdefault(
                        status, {"description": description, "content": error}
                    )
        return schema


api = HallwayAPI(
    title="Hallway API",
    version="1",
    urls_namespace="api-v1",
    auth=[Bearer(), Session()],
    docs_url="/docs",
)


_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    """422 with a message per field: ``{"detail": [...], "errors": {field: [msg]}}``."""
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", [])]
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        errors.setdefault(".".join(loc) or "__all__", []).append(_field_message(item))
    return api.create_response(
        request, {"detail": _("Invalid input."), "errors": errors}, status=422
    )


def _field_message(item: dict) -> str:
    """Pydantic's message for one field, in the reader's language when we know
    the kind of error (pydantic itself speaks English only)."""
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_short", "too_short"} and "min_length" in ctx:
        return ngettext(
            "Must be at least %(n)d character.",
            "Must be at least %(n)d characters.",
            ctx["min_length"],
        ) % {"n": ctx["min_length"]}
    if kind in {"string_too_long", "too_long"} and "max_length" in ctx:
        return ngettext(
            "Must be at most %(n)d character.",
            "Must be at most %(n)d characters.",
            ctx["max_length"],
        ) % {"n": ctx["max_length"]}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Must be a whole number.")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return _("The number is out of range.")
    if kind in {"string_type"}:
        return _("Must be text.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Must be true or false.")
    if kind in {"enum", "literal_error"}:
        return _("Not one of the allowed values.")
    return item.get("msg", _("Invalid value."))


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError):
    """401 with a ``WWW-Authenticate: Bearer`` challenge (RFC 6750); a token that
    was sent but is unknown, revoked or belongs to a deactivated account is an
    ``invalid_token``."""
    sent = request.headers.get("Authorization", "").lower().startswith("bearer ")
    if sent:
        detail = _("The token is invalid, revoked or its account is deactivated.")
        challenge = 'Bearer realm="api", error="invalid_token"'
    else:
        detail = _("Authentication required: log in or send a Bearer token.")
        challenge = 'Bearer realm="api"'
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = challenge
    return response


@api.exception_handler(ValidationFailed)
def on_validation_failed(request: HttpRequest, exc: ValidationFailed):
    return api.create_response(
        request, {"detail": _("Invalid input."), "errors": exc.errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied):
    message = str(exc) or _("You are not allowed to do that.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited):
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/auth", people_router)
api.add_router("/people", profiles_router)
api.add_router("/", qa_router)
api.add_router("/", communities_router)
api.add_router("/", curation_router)
api.add_router("/", ideas_router)
api.add_router("/journal", journals_router)
api.add_router("/", search_router)
api.add_router("/", notifications_router)
api.add_router("/", integrations_router)
api.add_router("/", uploads_router)
