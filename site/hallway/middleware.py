"""Site-wide middleware: response headers Django does not set, input guards, and
the signed-in person's interface language."""

import json
import re
from collections.abc import Callable
from typing import Any

import django.middleware.common
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy (a looser one for the Wagtail admin, which
    has inline scripts of its own) and Permissions-Policy headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith("/admin/"):
            policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", policy)
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class UserLanguageMiddleware:
    """A signed-in person's chosen language (``User.language``) wins over the
    cookie and Accept-Language that ``LocaleMiddleware`` looked at. API calls with
    a Bearer token get theirs from ``hallway.api`` (authenticated later)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_language(request, user)
        return self.get_response(request)


def activate_user_language(request: HttpRequest, user: Any) -> None:
    """Activate ``user``'s chosen language for this request, if they chose one."""
    language = getattr(user, "language", "")
    if language and language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


# C0 controls except tab, line feed and carriage return; DEL; lone surrogates
# (from JSON "\ud800" escapes). PostgreSQL refuses NUL in text, Elasticsearch
# refuses it in documents, and none of them mean anything in a form or a query.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
JSON_MAX_DEPTH = 32
_BIGINT = 2**63 - 1
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def strip_control_characters(text: str) -> str:
    """``text`` without control characters (tab and newlines stay)."""
    return CONTROL_CHARACTERS.sub("", text)


class _Rejected(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(message)


def _clean_json(value: Any, depth: int = 0) -> Any:
    if depth > JSON_MAX_DEPTH:
        raise _Rejected(
            400,
            _("JSON nested deeper than %(levels)d levels.")
            % {"levels": JSON_MAX_DEPTH},
        )
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        if not -_BIGINT <= value <= _BIGINT:
            raise _Rejected(422, _("A number in the request is out of range."))
        return value
    if isinstance(value, list):
        return [_clean_json(item, depth + 1) for item in value]
    return {
        strip_control_characters(key): _clean_json(item, depth + 1)
        for key, item in value.items()
    }


def _clean_query_dict(data: QueryDict) -> QueryDict | None:
    """A cleaned copy of ``data``, or None when nothing needed cleaning."""
    if not any(
        CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
        for key, values in data.lists()
        for value in values
        if isinstance(value, str)
    ):
        return None
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(
            strip_control_characters(key),
            [strip_control_characters(v) if isinstance(v, str) else v for v in values],
        )
    cleaned._mutable = False
    return cleaned


class InputGuardMiddleware:
    """Bad input stops at the edge: control characters stripped from queries,
    forms, JSON, cookies and the Authorization header; a control character in
    the path, JSON nested too deeply, numbers beyond 64 bits and bodies over
    the size limit are refused with a clear 400/413/422 instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before the session and LocaleMiddleware: the refusal speaks the
        # language of the visitor's cookie or browser.
        with translation.override(translation.get_language_from_request(request)):
            try:
                self._guard(request)
            except _Rejected as rejected:
                return self._refusal(request, rejected.status, rejected.message)
        response = self.get_response(request)
        if (
            request.path_info.startswith("/api/v1/")
            and response.status_code >= 400
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # An address no API route matches (``/api/v1/questions/abc``) gets
            # Django's HTML error page; API clients are promised JSON.
            return JsonResponse(
                {"detail": response.reason_phrase}, status=response.status_code
            )
        return response

    def _guard(self, request: HttpRequest) -> None:
        if CONTROL_CHARACTERS.search(request.path_info):
            raise _Rejected(400, _("The address contains control characters."))
        self._check_size(request)
        for name, value in list(request.COOKIES.items()):
            if CONTROL_CHARACTERS.search(name) or CONTROL_CHARACTERS.search(value):
                del request.COOKIES[name]
        authorization = request.META.get("HTTP_AUTHORIZATION")
        if authorization and CONTROL_CHARACTERS.search(authorization):
            request.META["HTTP_AUTHORIZATION"] = strip_control_characters(authorization)
        cleaned = _clean_query_dict(request.GET)
        if cleaned is not None:
            request.GET = cleaned
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return
        content_type = request.content_type or ""
        if content_type.startswith(_FORM_TYPES):
            try:
                cleaned = _clean_query_dict(request.POST)
            except RequestDataTooBig as error:
                raise _Rejected(413, _too_big_message()) from error
            if cleaned is not None:
                request.POST = cleaned
        elif content_type == "application/json" or content_type.endswith("+json"):
            self._clean_json_body(request)

    def _check_size(self, request: HttpRequest) -> None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError as error:
            raise _Rejected(400, _("Invalid Content-Length.")) from error
        content_type = request.content_type or ""
        limit = (
            settings.HALLWAY_MAX_UPLOAD_BYTES
            if content_type.startswith("multipart/form-data")
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            raise _Rejected(413, _too_big_message(limit))

    def _clean_json_body(self, request: HttpRequest) -> None:
        try:
            body = request.body
        except RequestDataTooBig as error:
            raise _Rejected(413, _too_big_message()) from error
        if not body:
            return
        try:
            data = json.loads(body)
        except RecursionError as error:
            raise _Rejected(400, _("JSON nested too deeply.")) from error
        except ValueError as error:
            raise _Rejected(
                400, _("The request body is not valid UTF-8 JSON.")
            ) from error
        cleaned = _clean_json(data)
        if cleaned != data:
            request._body = json.dumps(cleaned).encode()

    def _refusal(self, request: HttpRequest, status: int, message: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        return HttpResponse(message, status=status, content_type="text/plain")


def _too_big_message(limit: int | None = None) -> str:
    limit = limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _("The request body is too large (at most %(kib)d KiB).") % {
        "kib": limit // 1024
    }


class CommonMiddleware(django.middleware.common.CommonMiddleware):
    """Django's, but a missing trailing slash is only redirected for GET and
    HEAD: a redirect would drop a POST/PUT/PATCH/DELETE body anyway, and with
    DEBUG on Django raises (a 500) instead of answering 404."""

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        return super().should_redirect_with_slash(request)
