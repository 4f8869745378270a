"""Pages: a community's leads connect it to team chat channels."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb.communities.selectors import community_get

from . import selectors, services
from .forms import ChatChannelForm


def _community_for_lead(request, slug: str):
    community = community_get(slug=slug)
    if community is None:
        raise Http404("No such community.")
    if not services.can_manage_chat(request.user, community):
        raise PermissionDenied(_("Only the community's leads connect it to chat."))
    return community


@login_required
def chat_channels(request, slug: str):
    """List the community's chat channels and connect a new one."""
    community = _community_for_lead(request, slug)
    form = ChatChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = form.save(by=request.user, community=community)
        if channel is not None:
            messages.success(request, _("Connected. New posts will appear there."))
            return redirect("integrations:chat", slug=community.slug)
    return render(
        request,
        "integrations/chat_channels.html",
        {
            "community": community,
            "channels": selectors.chat_channels_for(community=community),
            "form": form,
        },
    )


@login_required
@require_POST
def chat_channel_remove(request, slug: str, pk: int):
    """Disconnect one chat channel."""
    community = _community_for_lead(request, slug)
    channel = selectors.chat_channels_for(community=community).filter(pk=pk).first()
    if channel is None:
        raise Http404("No such channel.")
    services.webhook_delete(webhook=channel, by=request.user)
    messages.success(request, _("Disconnected."))
    return redirect("integrations:chat", slug=community.slug)
