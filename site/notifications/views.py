"""Pages: the notification list, the bell, settings and one-click unsubscribe."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hallway.errors import ValidationFailed
from hallway.http import is_htmx
from journals.services import tag_follow, tag_unfollow
from kb.communities.selectors import community_get, community_list
from kb.qa.models import Question

from . import selectors, services
from .models import FILTERS, KIND_FILTER, Delivery, Kind


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Everything I was notified about, newest first, grouped by day."""
    current = request.GET.get("filter", "")
    if current not in FILTERS:
        current = ""
    kinds = FILTERS[current][1] if current else None
    rows = list(selectors.notification_list(user=request.user, kinds=kinds))
    for row in rows:
        row.filter_name = KIND_FILTER.get(row.kind, "")
    unread = selectors.unread_count(user=request.user)
    filters = [
        {"name": name, "label": label, "current": name == current}
        for name, (label, _kinds) in FILTERS.items()
    ]
    return render(
        request,
        "notifications/list.html",
        {
            "notifications": rows,
            "days": _by_day(rows),
            "unread_here": unread,
            "filters": filters,
            "current_filter": current,
        },
    )


def _by_day(rows: list) -> list[dict]:
    """Rows grouped under "Today", "Yesterday" or their date (local time)."""
    today = timezone.localdate()
    days: list[dict] = []
    for row in rows:
        day = timezone.localtime(row.created_at).date()
        if not days or days[-1]["date"] != day:
            if day == today:
                label = _("Today")
            elif day == today - timedelta(days=1):
                label = _("Yesterday")
            else:
                label = date_format(day, "DATE_FORMAT")
            days.append({"date": day, "label": label, "rows": []})
        days[-1]["rows"].append(row)
    return days


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: go where it points; a POST (the list's button) also
    marks it read. GET never changes anything (links get prefetched and crawled)."""
    row = selectors.notification_get(user=request.user, notification_id=pk)
    if request.method == "POST":
        services.notification_mark_read(user=request.user, notification_id=pk)
    target = row.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read (htmx swaps the row)."""
    row = services.notification_mark_read(user=request.user, notification_id=pk)
    row.filter_name = KIND_FILTER.get(row.kind, "")
    if is_htmx(request):
        response = render(request, "notifications/_row.html", {"n": row})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark everything read."""
    marked = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": marked})
    return redirect("notifications:list")


@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header bell alone, for htmx polling."""
    return render(
        request,
        "notifications/_bell.html",
        {"unread": selectors.unread_count(user=request.user), "user": request.user},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """E-mail delivery per kind, and what I follow."""
    if request.method == "POST":
        for kind in Kind.values:
            delivery = request.POST.get(f"delivery-{kind}")
            if delivery in Delivery.values:
                services.preference_set(user=request.user, kind=kind, delivery=delivery)
        messages.success(request, _("Your e-mail preferences were saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "preferences": selectors.preferences_for(user=request.user),
            "deliveries": Delivery.choices,
            "follows": selectors.follows_for(user=request.user),
            "communities": _communities(),
        },
    )


def _communities():

    return community_list()


@login_required
@require_POST
def follow_tag(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow a tag (journal entries and questions alike)."""

    tag = request.POST.get("tag", "")
    try:
        if request.POST.get("follow", "1") == "1":
            tag_follow(follower=request.user, tag=tag)
        else:
            tag_unfollow(follower=request.user, tag=tag)
    except ValidationFailed as error:
        for text in error.errors.get("tag", []):
            messages.error(request, text)
    return redirect("notifications:settings")


@login_required
@require_POST
def follow_community(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow a community without joining it."""

    community = community_get(slug=request.POST.get("community", ""))
    if community is None:
        messages.error(request, _("Choose a community."))
    else:
        services.community_follow_set(
            user=request.user,
            community=community,
            follow=request.POST.get("follow", "1") == "1",
        )
    return redirect("notifications:settings")


@csrf_exempt  # the signed token is the credential; mail clients POST one-click
@require_http_methods(["GET", "POST"])
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """A signed e-mail link: straight to the question's answer box (log in first
    when needed; the link itself never logs anyone in)."""
    try:
        _user_id, question_id = services.answer_link_open(token=token)
    except ValidationFailed as failed:
        messages.error(request, failed.text)
        return redirect("/")
    question = Question.objects.visible().filter(pk=question_id).first()
    if question is None:
        raise Http404("No such question.")
    target = f"{question.get_absolute_url()}#your-answer-heading"
    if not request.user.is_authenticated:
        return redirect_to_login(target)
    return redirect(target)


@csrf_exempt  # the signed token is the credential; mail clients POST one-click
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Unsubscribe from one kind of e-mail, no login needed: GET asks (link
    checkers open links), POST does it (the button, or RFC 8058 one-click)."""
    apply = request.method == "POST"
    try:
        read = services.unsubscribe_apply if apply else services.unsubscribe_read
        user, kind = read(token=token)
    except ValidationFailed:
        return render(
            request, "notifications/unsubscribe.html", {"ok": False}, status=400
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "ok": True,
            "done": apply,
            "kind_label": Kind(kind).label,
            "person": user,
            "action": request.path,
        },
    )
