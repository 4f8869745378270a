"""Editing one's own profile (the people pages that show it are in ``reputation``),
and choosing the interface language."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from hallway.errors import ValidationFailed

from .forms import ProfileForm
from .selectors import person_get, personal_data_export, profile_of
from .services import person_erase, profile_update, user_language_set


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit my own profile; errors are shown next to their fields."""
    user = request.user
    current = profile_of(user)
    initial = {
        "display_name": user.get_display_name(),
        "office": current.office,
        "department": current.department,
        "languages": ", ".join(current.languages or []),
        "bio": current.bio,
        "language": user.language,
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(
                user=user,
                display_name=data["display_name"],
                office=data["office"],
                department=data["department"],
                languages=data["languages"],
                bio=data["bio"],
                photo=data["photo"] or None,
                remove_photo=data["remove_photo"],
            )
            user_language_set(user=user, language=data["language"])
        except ValidationFailed as exc:
            form.add_service_errors(exc.errors)
        else:
            return redirect("people:profile", username=user.username)
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "people/profile_edit.html",
        {"form": form, "profile": current},
        status=status,
    )


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Download everything I wrote: a zip of JSON and Markdown files."""
    user = request.user
    stamp = timezone.localdate().isoformat()
    # Streamed from the archive's file, which closes (and goes) when sent.
    response = FileResponse(
        personal_data_export(user=user),
        as_attachment=True,
        filename=f"hallway-{user.username}-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: HttpRequest, username: str) -> HttpResponse:
    """Administrators erase a person: confirm, choose keep or remove posts."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only administrators can erase a person."))
    person = person_get(username=username)
    if person is None or person.erased_at is not None:
        raise Http404(_("No such person."))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if request.POST.get("confirm") != person.username:
            errors["confirm"] = [_("Type the username to confirm.")]
        else:
            remove = request.POST.get("content") == "remove"
            try:
                person_erase(user=person, by=request.user, remove_content=remove)
            except ValidationFailed as exc:
                errors = exc.errors
            else:
                messages.success(request, _("The person was erased."))
                return redirect("people:directory")
    return TemplateResponse(
        request,
        "people/erase.html",
        {"person": person, "errors": errors},
        status=422 if errors else 200,
    )


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: Django's ``set_language`` (a cookie, so it
    works signed out) and, for a signed-in person, their saved preference."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
