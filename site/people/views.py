"""Editing one's own profile (the people pages that show it are in ``reputation``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from hallway.errors import ValidationFailed

from .forms import ProfileForm
from .selectors import profile_of
from .services import profile_update


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
