"""Upload from the editor (JSON) and fetch an attachment (only if allowed)."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hallway.errors import RateLimited, ValidationFailed

from . import selectors, services


@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Store one file sent as ``file``; 201 with its address and the Markdown
    to insert, 422 with the reason it was refused (nothing stored)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Log in to upload files.")}, status=401)
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse(
            {"detail": _("Choose a file."), "errors": {"file": [_("Choose a file.")]}},
            status=422,
        )
    try:
        attachment = services.attachment_create(file=file, by=request.user)
    except ValidationFailed as error:
        return JsonResponse({"detail": error.text, "errors": error.errors}, status=422)
    except RateLimited as error:
        response = JsonResponse({"detail": str(error)}, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    return JsonResponse(
        services.attachment_summary(attachment),
        status=201,
    )


@require_GET
def attachment(request: HttpRequest, key: str, name: str) -> HttpResponse:
    """The file, to its uploader and to readers of a post that links it; 404
    to everyone else (whether it exists is not told). Images show inline with
    their checked type; everything else downloads. Never sniffed, never run."""
    found = selectors.attachment_readable(key=key, viewer=request.user)
    if found is None or name != found.name:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=not found.is_image,
        filename=found.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
