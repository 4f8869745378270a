"""Journal pages: thin views over ``selectors`` (reads) and ``services`` (writes)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hallway.errors import RateLimited, ValidationFailed
from hallway.http import is_htmx
from kb.communities.models import CommunityPage
from kb.communities.selectors import community_ids_for

from . import selectors, services
from .forms import EntryForm, JournalSettingsForm
from .models import Entry, EntryComment


def _my_communities(user) -> list:

    return list(
        CommunityPage.objects.live()
        .filter(pk__in=community_ids_for(user))
        .order_by("title")
    )


def _list_response(
    request: HttpRequest, template: str, context: dict, *, more_url: str
) -> TemplateResponse:
    """A full page, or only the next rows when htmx scrolls to the end."""
    context["more_url"] = more_url
    if is_htmx(request) and request.GET.get("cursor"):
        template = "journals/_entry_rows.html"
    return TemplateResponse(request, template, context)


def _next_url(request: HttpRequest, cursor: str | None) -> str:
    if not cursor:
        return ""
    params = request.GET.copy()
    params["cursor"] = cursor
    return f"{request.path}?{params.urlencode()}"


@require_GET
@login_required
def feed(request: HttpRequest) -> HttpResponse:
    """Entries from the people and tags I follow."""
    entries, cursor = selectors.feed_page(
        viewer=request.user, cursor=request.GET.get("cursor")
    )
    context = {
        "entries": entries,
        "followed_people": selectors.followed_people(user=request.user),
        "followed_tags": selectors.followed_tags(user=request.user),
    }
    return _list_response(
        request, "journals/feed.html", context, more_url=_next_url(request, cursor)
    )


@require_GET
@login_required
def my_journal(request: HttpRequest) -> HttpResponse:
    """My entries (filter by tag and month), writing heatmap and streak."""
    tag = request.GET.get("tag", "")
    month = request.GET.get("month", "")
    entries, cursor = selectors.my_journal_page(
        viewer=request.user, tag=tag, month=month, cursor=request.GET.get("cursor")
    )
    context = {
        "entries": entries,
        "tag": tag,
        "month": month,
        "heatmap": selectors.heatmap(user=request.user),
        **selectors.my_journal_filters(user=request.user),
    }
    return _list_response(
        request, "journals/me.html", context, more_url=_next_url(request, cursor)
    )


@require_GET
@login_required
def person_journal(request: HttpRequest, username: str) -> HttpResponse:
    """Someone's journal: only what I may see; follow or unfollow."""
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    entries, cursor = selectors.person_journal_page(
        viewer=request.user, author=person, cursor=request.GET.get("cursor")
    )
    context = {
        "person": person,
        "entries": entries,
        "is_self": person.pk == request.user.pk,
        "following": selectors.is_following(follower=request.user, followed=person),
        "feed_token": selectors.journal_settings_for(user=request.user).feed_token,
    }
    return _list_response(
        request, "journals/person.html", context, more_url=_next_url(request, cursor)
    )


@require_POST
@login_required
def person_follow(request: HttpRequest, username: str) -> HttpResponse:
    """Follow (or, with ``action=unfollow``, stop following) someone's journal."""
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    if request.POST.get("action") == "unfollow":
        services.person_unfollow(follower=request.user, followed=person)
        messages.success(request, _("You no longer follow this journal."))
    else:
        try:
            services.person_follow(follower=request.user, followed=person)
        except ValidationFailed as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Their entries now appear in your feed."))
    return redirect("journals:person", username=person.username)


@require_POST
@login_required
def tag_follow(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow a tag."""
    tag = request.POST.get("tag", "")
    if request.POST.get("action") == "unfollow":
        services.tag_unfollow(follower=request.user, tag=tag)
    else:
        try:
            services.tag_follow(follower=request.user, tag=tag)
        except ValidationFailed as error:
            messages.error(request, error.text)
    return redirect("journals:feed")


def _entry_form_page(
    request: HttpRequest, *, entry: Entry | None = None
) -> HttpResponse:
    communities = _my_communities(request.user)
    if entry is None:
        initial = {
            "visibility": selectors.journal_settings_for(
                user=request.user
            ).default_visibility,
            "prompt": request.GET.get("prompt", ""),
        }
    else:
        initial = {
            "title": entry.title,
            "body": entry.body,
            "tags": ", ".join(tag.name for tag in entry.tags.all()),
            "visibility": entry.visibility,
            "community": entry.community.slug if entry.community else "",
            "prompt": entry.prompt,
            "language": entry.language,
        }
    form = EntryForm(request.POST or None, initial=initial, communities=communities)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in ("title", "body", "tags", "visibility", "community", "prompt")
        }
        fields["language"] = form.cleaned_data["language"] or None
        try:
            if entry is None:
                entry = services.entry_create(author=request.user, **fields)
                messages.success(request, _("Entry saved."))
            else:
                entry = services.entry_update(entry=entry, by=request.user, **fields)
                messages.success(request, _("Entry updated."))
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except RateLimited as error:
            form.add_error(None, str(error))
        else:
            return redirect(entry.get_absolute_url())
    return TemplateResponse(
        request,
        "journals/write.html",
        {"form": form, "entry": entry, "has_communities": bool(communities)},
        status=400 if form.errors else 200,
    )


@login_required
def entry_write(request: HttpRequest) -> HttpResponse:
    """The write form: Markdown with live preview, prompts, tags, visibility."""
    return _entry_form_page(request)


@login_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit my own entry (others: 404 if invisible, 403 if visible)."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=pk)
    if entry.author_id != request.user.pk:
        raise PermissionDenied
    return _entry_form_page(request, entry=entry)


@require_POST
@login_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete my own entry."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=pk)
    services.entry_delete(entry=entry, by=request.user)
    messages.success(request, _("Entry deleted."))
    return redirect("journals:me")


def _ask_url(entry: Entry) -> str:
    params = {
        "title": entry.title or entry.display_title,
        "body": entry.body,
        "tags": ", ".join(tag.name for tag in entry.tags.all()),
        "from_entry": entry.pk,
    }
    if entry.community_id:
        params["community"] = entry.community.slug
    return f"{reverse('qa:question-ask')}?{urlencode(params)}"


@require_GET
@login_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry with reactions, comments and its linked question."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=pk)
    is_author = entry.author_id == request.user.pk
    context = {
        "entry": entry,
        "is_author": is_author,
        "reactions": selectors.reaction_summary(entry=entry, viewer=request.user),
        "comments": selectors.comment_list(entry=entry),
        "linked": selectors.linked_question(entry=entry, viewer=request.user),
        "curate_communities": selectors.curate_communities(
            entry=entry, viewer=request.user
        ),
        "ask_url": _ask_url(entry) if is_author and entry.is_stuck else "",
    }
    return TemplateResponse(request, "journals/entry_detail.html", context)


@require_POST
@login_required
def entry_react(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle one reaction (htmx swaps the reaction bar)."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=pk)
    try:
        services.reaction_toggle(
            entry=entry, user=request.user, kind=request.POST.get("kind", "")
        )
    except (ValidationFailed, RateLimited) as error:
        messages.error(request, str(error))
    if is_htmx(request):
        return TemplateResponse(
            request,
            "journals/_reactions.html",
            {
                "entry": entry,
                "reactions": selectors.reaction_summary(
                    entry=entry, viewer=request.user
                ),
            },
        )
    return redirect(entry.get_absolute_url())


@require_POST
@login_required
def entry_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on an entry I can see."""
    entry = selectors.entry_get_visible(viewer=request.user, pk=pk)
    try:
        services.comment_create(
            entry=entry,
            author=request.user,
            body=request.POST.get("body", ""),
            language=request.POST.get("language") or None,
        )
    except ValidationFailed as error:
        messages.error(request, error.text)
    except RateLimited as error:
        messages.error(request, str(error))
    return redirect(f"{entry.get_absolute_url()}#comments")


@require_POST
@login_required
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a comment (its author or the entry's author)."""
    comment = get_object_or_404(EntryComment.objects.select_related("entry"), pk=pk)
    entry = selectors.entry_get_visible(viewer=request.user, pk=comment.entry_id)
    services.comment_delete(comment=comment, by=request.user)
    return redirect(f"{entry.get_absolute_url()}#comments")


@login_required
def journal_settings(request: HttpRequest) -> HttpResponse:
    """Default visibility and the private Atom feed token."""
    current = selectors.journal_settings_for(user=request.user)
    form = JournalSettingsForm(
        request.POST or None, initial={"default_visibility": current.default_visibility}
    )
    if request.method == "POST":
        if request.POST.get("action") == "rotate":
            services.feed_token_rotate(user=request.user)
            messages.success(request, _("New feed token issued; the old one is dead."))
            return redirect("journals:settings")
        if form.is_valid():
            services.journal_settings_update(
                user=request.user,
                default_visibility=form.cleaned_data["default_visibility"],
            )
            messages.success(request, _("Settings saved."))
            return redirect("journals:settings")
    return TemplateResponse(
        request, "journals/settings.html", {"form": form, "settings": current}
    )
