"""Writes for idea campaigns: every rule lives here, nothing half-saves.

Services are keyword-only, run in one transaction and announce what happened
with ``signals.idea_changed`` after commit (ids only). Bad input raises
``ValidationFailed`` (API 422), a forbidden action ``PermissionDenied`` (403),
something the actor may not see ``Http404``.
"""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hallway.audit import audit
from hallway.errors import ValidationFailed
from hallway.languages import content_language
from hallway.markdown import render_markdown, render_plain_with_links
from hallway.ratelimit import rate_limit_check
from hallway.signals import content_changed
from hallway.tags import tags_clean
from kb.communities.models import CommunityPage, Membership
from kb.communities.selectors import community_get

from .models import (
    REASON_REQUIRED,
    Campaign,
    Idea,
    IdeaComment,
    IdeaCredit,
    IdeaFollow,
    IdeaView,
    IdeaVote,
    ModerationEntry,
    StatusChange,
    VoteBudget,
)
from .permissions import (
    can_create_campaign,
    can_moderate,
    can_respond,
    in_scope,
    signed_in,
)
from .signals import idea_changed

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MIN, BODY_MAX = 10, 20000
DESCRIPTION_MAX = 20000
COMMENT_MAX = 2000
REASON_MIN, REASON_MAX = 5, 2000
MAX_TAGS = 5
MAX_BUDGET = 1000


# -- events -------------------------------------------------------------------


def _announce(
    *,
    kind: str,
    pk: int,
    idea_id: int | None,
    campaign_id: int,
    actor_id: int | None,
    action: str,
    **extra,
) -> None:
    """Tell search now (same transaction) and everyone else after commit."""
    if idea_id is not None:
        content_changed.send(sender=Idea, model=Idea, pk=idea_id)
    transaction.on_commit(
        lambda: idea_changed.send(
            sender=Idea if kind != "campaign" else Campaign,
            kind=kind,
            pk=pk,
            idea_id=idea_id,
            campaign_id=campaign_id,
            actor_id=actor_id,
            action=action,
            **extra,
        )
    )


# -- validation ---------------------------------------------------------------


def _clean_text(
    value: str | None,
    errors: dict,
    *,
    field: str,
    low: int,
    high: int,
    single_line: bool = False,
) -> str:
    text = (value or "").replace("\x00", "")
    text = " ".join(text.split()) if single_line else text.strip()
    if len(text) < low:
        errors[field] = [_("At least %(n)d characters, please.") % {"n": low}]
    elif len(text) > high:
        errors[field] = [_("At most %(n)d characters, please.") % {"n": high}]
    return text


def _clean_tags(raw, errors: dict) -> list[str]:
    names, messages = tags_clean(raw, max_tags=MAX_TAGS)
    if messages:
        errors["tags"] = messages
    return names


def _require_scope(user, campaign: Campaign) -> None:
    if not in_scope(user=user, campaign=campaign):
        raise Http404


# -- campaigns ----------------------------------------------------------------


def _resolve_community(community, errors: dict) -> CommunityPage | None:
    if community in (None, ""):
        return None
    if isinstance(community, CommunityPage):
        if community.live:
            return community
    else:
        found = community_get(slug=str(community)[:255])
        if found is not None:
            return found
    errors["community"] = [_("Unknown community.")]
    return None


def campaign_create(
    *,
    by,
    title: str,
    description: str = "",
    community: CommunityPage | str | None = None,
    sponsor=None,
    closes_at: datetime | None = None,
    votes_per_person: int | None = None,
    response_days: int | None = None,
) -> Campaign:
    """Open a campaign: leads in their community, administrators org-wide.

    The sponsor (default: the creator) must be in the campaign's scope.
    """
    errors: dict[str, list[str]] = {}
    title = _clean_text(
        title, errors, field="title", low=TITLE_MIN, high=TITLE_MAX, single_line=True
    )
    description = _clean_text(
        description, errors, field="description", low=0, high=DESCRIPTION_MAX
    )
    target = _resolve_community(community, errors)
    if closes_at is not None:
        if timezone.is_naive(closes_at):
            errors["closes_at"] = [_("Give a time zone (for example Z).")]
        elif closes_at <= timezone.now():
            errors["closes_at"] = [_("The closing date must be in the future.")]
    if votes_per_person is not None and not 1 <= votes_per_person <= MAX_BUDGET:
        errors["votes_per_person"] = [
            _("Between 1 and %(n)d votes, or none for no limit.") % {"n": MAX_BUDGET}
        ]
    if response_days is not None and not 1 <= response_days <= 365:
        errors["response_days"] = [_("Between 1 and 365 days.")]
    if errors:
        raise ValidationFailed(errors)
    if not can_create_campaign(user=by, community=target):
        raise PermissionDenied(
            _(
                "Community leads open campaigns in their community; administrators "
                "organisation-wide."
            )
        )
    sponsor = sponsor or by
    probe = Campaign(community=target)
    if not signed_in(sponsor) or not in_scope(user=sponsor, campaign=probe):
        raise ValidationFailed(
            {"sponsor": [_("The sponsor must be a member of the campaign's scope.")]}
        )
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            description=description,
            description_html=render_markdown(description) if description else "",
            community=target,
            sponsor=sponsor,
            created_by=by,
            closes_at=closes_at,
            votes_per_person=votes_per_person,
            **({"response_days": response_days} if response_days else {}),
        )
        _announce(
            kind="campaign",
            pk=campaign.pk,
            idea_id=None,
            campaign_id=campaign.pk,
            actor_id=by.pk,
            action="created",
        )
    return campaign


def idea_box_for(*, community: CommunityPage) -> Campaign:
    """The community's always-open idea box (created on first use)."""
    box = Campaign.objects.filter(community=community, is_idea_box=True).first()
    if box is not None:
        return box
    try:
        with transaction.atomic():
            return Campaign.objects.create(
                title=_("Idea box: %(name)s") % {"name": community.title},
                description=_("Always open: anything that would make %(name)s better.")
                % {"name": community.title},
                community=community,
                sponsor=None,
                created_by=None,
                is_idea_box=True,
            )
    except IntegrityError:  # created concurrently
        return Campaign.objects.get(community=community, is_idea_box=True)


def idea_boxes_for_member(*, user) -> list[Campaign]:
    """The idea boxes of every live community ``user`` belongs to (made if new)."""
    if not signed_in(user):
        return []
    communities = CommunityPage.objects.live().filter(
        pk__in=Membership.objects.filter(user=user).values("community_id")
    )
    have = set(
        Campaign.objects.filter(
            is_idea_box=True, community__in=communities
        ).values_list("community_id", flat=True)
    )
    for community in communities:
        if community.pk not in have:
            idea_box_for(community=community)
    return list(Campaign.objects.filter(is_idea_box=True, community__in=communities))


# -- ideas --------------------------------------------------------------------


def _ensure_open(campaign: Campaign) -> None:
    if campaign.is_closed:
        raise PermissionDenied(_("This campaign is closed: it takes no new ideas."))


def idea_create(
    *,
    campaign: Campaign,
    author,
    title: str,
    body: str,
    tags: str | Iterable[str] | None = None,
    builds_on: Idea | None = None,
    source_entry_id: int | None = None,
    language: str | None = None,
) -> Idea:
    """Post an idea: visible to the campaign's scope at once; the author follows
    it and is credited with the time of first posting, for good. Its language
    is ``language`` or detected from the title and body."""
    _require_scope(author, campaign)
    _ensure_open(campaign)
    errors: dict[str, list[str]] = {}
    title = _clean_text(
        title, errors, field="title", low=TITLE_MIN, high=TITLE_MAX, single_line=True
    )
    body = _clean_text(body, errors, field="body", low=BODY_MIN, high=BODY_MAX)
    names = _clean_tags(tags, errors)
    if builds_on is not None and builds_on.campaign_id != campaign.pk:
        errors["builds_on"] = [_("You can build on ideas of the same campaign.")]
    if errors:
        raise ValidationFailed(errors)
    written_in = content_language(
        chosen=language, text=f"{title}\n{body}", author=author
    )
    rate_limit_check(user=author, action="post")
    now = timezone.now()
    with transaction.atomic():
        idea = Idea.objects.create(
            language=written_in,
            campaign=campaign,
            title=title,
            body=body,
            body_html=render_markdown(body),
            author=author,
            builds_on=builds_on,
            source_entry_id=source_entry_id,
            created_at=now,
        )
        if names:
            idea.tags.set(names)
        IdeaCredit.objects.create(
            idea=idea, user=author, first_posted_at=now, original=idea
        )
        IdeaFollow.objects.get_or_create(user=author, idea=idea)
        _announce(
            kind="idea",
            pk=idea.pk,
            idea_id=idea.pk,
            campaign_id=campaign.pk,
            actor_id=author.pk,
            action="created",
        )
    return idea


def idea_view(*, idea: Idea, user) -> bool:
    """Count one distinct viewer (exact under races); ``True`` if first view."""
    if not signed_in(user):
        return False
    try:
        with transaction.atomic():
            _, created = IdeaView.objects.get_or_create(user=user, idea=idea)
            if created:
                Idea.objects.filter(pk=idea.pk).update(view_count=F("view_count") + 1)
    except IntegrityError:
        return False
    if created:
        idea.view_count += 1
    return created


def idea_follow_set(*, idea: Idea, user, follow: bool) -> bool:
    """Follow or unfollow an idea; returns whether ``user`` now follows it."""
    _require_scope(user, idea.campaign)
    if follow:
        IdeaFollow.objects.get_or_create(user=user, idea=idea)
    else:
        IdeaFollow.objects.filter(user=user, idea=idea).delete()
    return follow


# -- votes --------------------------------------------------------------------


def _refund(*, user_id: int, campaign_id: int, votes: int = 1) -> None:
    VoteBudget.objects.filter(
        user_id=user_id, campaign_id=campaign_id, spent__gte=votes
    ).update(spent=F("spent") - votes)


def vote_cast(*, user, idea: Idea, value: int) -> tuple[int, int]:
    """Vote for an idea (1) or take the vote back (0); returns ``(votes, my_vote)``.

    One person, one vote, equal weight. Not on an idea one is credited for
    (403), not beyond the campaign's budget (422). Totals stay exact under
    concurrent voting: the vote row is unique, the count moves with ``F()``,
    and the budget is spent with a guarded ``UPDATE``.
    """
    if value not in (0, 1):
        raise ValidationFailed({"value": [_("A vote is 1 (vote) or 0 (take back).")]})
    campaign = idea.campaign
    _require_scope(user, campaign)
    if idea.is_hidden:
        raise Http404
    if idea.merged_into_id is not None:
        raise ValidationFailed(
            {"value": [_("This idea was merged: vote on the idea it went into.")]}
        )
    if IdeaCredit.objects.filter(idea=idea, user=user).exists():
        raise PermissionDenied(_("You cannot vote on your own idea."))
    if value == 1 and campaign.is_closed:
        raise PermissionDenied(_("This campaign is closed: voting has ended."))
    rate_limit_check(user=user, action="vote")
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _vote_apply(user=user, idea=idea, campaign=campaign, value=value)
        except IntegrityError:  # a concurrent click by the same person won
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _vote_apply(*, user, idea: Idea, campaign: Campaign, value: int) -> tuple[int, int]:
    existing = IdeaVote.objects.select_for_update().filter(user=user, idea=idea).first()
    if value == 1:
        if existing is not None:
            raise ValidationFailed({"value": [_("You already voted for this idea.")]})
        if campaign.votes_per_person is not None:
            VoteBudget.objects.get_or_create(user=user, campaign=campaign)
            spent = VoteBudget.objects.filter(
                user=user, campaign=campaign, spent__lt=campaign.votes_per_person
            ).update(spent=F("spent") + 1)
            if not spent:
                raise ValidationFailed(
                    {
                        "value": [
                            _(
                                "You have spent all %(n)d votes of this campaign: take "
                                "one back to vote here."
                            )
                            % {"n": campaign.votes_per_person}
                        ]
                    }
                )
        IdeaVote.objects.create(user=user, idea=idea)
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        action = "voted"
    else:
        if existing is None:
            raise ValidationFailed({"value": [_("You have not voted for this idea.")]})
        existing.delete()
        if campaign.votes_per_person is not None:
            _refund(user_id=user.pk, campaign_id=campaign.pk)
        Idea.objects.filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        action = "unvoted"
    idea.vote_count = Idea.objects.values_list("vote_count", flat=True).get(pk=idea.pk)
    _announce(
        kind="idea",
        pk=idea.pk,
        idea_id=idea.pk,
        campaign_id=campaign.pk,
        actor_id=user.pk,
        action=action,
    )
    return idea.vote_count, value


# -- status -------------------------------------------------------------------


def idea_status_set(
    *, idea: Idea, by, status: str, note: str = "", knowledge_page=None
) -> Idea:
    """Move an idea along new → under review → selected → in progress → done, or
    to declined / not now with a written reason: the sponsor or a lead.

    Everyone in scope sees the status and its note; the author, voters and
    followers are notified.
    """
    campaign = idea.campaign
    _require_scope(by, campaign)
    if not can_respond(user=by, campaign=campaign):
        raise PermissionDenied(
            _("Only the campaign's sponsor or a community lead can change the status.")
        )
    settable = [s for s in Idea.Status.values if s != Idea.Status.MERGED]
    if status not in settable:
        raise ValidationFailed(
            {"status": [_("Choose one of: %(s)s.") % {"s": ", ".join(settable)}]}
        )
    if idea.merged_into_id is not None:
        raise ValidationFailed({"status": [_("This idea was merged into another.")]})
    note = (note or "").replace("\x00", "").strip()
    if status in REASON_REQUIRED and len(note) < REASON_MIN:
        raise ValidationFailed(
            {
                "note": [
                    _(
                        "Say why (at least %(n)d characters): the author and voters "
                        "deserve a reason."
                    )
                    % {"n": REASON_MIN}
                ]
            }
        )
    if len(note) > REASON_MAX:
        raise ValidationFailed(
            {"note": [_("At most %(n)d characters.") % {"n": REASON_MAX}]}
        )
    if status == idea.status and note == idea.status_note:
        raise ValidationFailed({"status": [_("The idea already has this status.")]})
    if knowledge_page is not None and status != Idea.Status.DONE:
        raise ValidationFailed(
            {"knowledge_page": [_("Only a done idea links to a knowledge page.")]}
        )
    now = timezone.now()
    old = idea.status
    with transaction.atomic():
        StatusChange.objects.create(
            idea=idea,
            old_status=old,
            new_status=status,
            note=note,
            by=by,
            created_at=now,
        )
        idea.status = status
        idea.status_note = note
        idea.status_changed_at = now
        if idea.responded_at is None:
            idea.responded_at = now
        fields = ["status", "status_note", "status_changed_at", "responded_at"]
        if knowledge_page is not None:
            idea.knowledge_page = knowledge_page
            fields.append("knowledge_page")
        idea.save(update_fields=[*fields, "updated_at"])
        _announce(
            kind="idea",
            pk=idea.pk,
            idea_id=idea.pk,
            campaign_id=campaign.pk,
            actor_id=by.pk,
            action="status_changed",
            old_status=old,
            new_status=status,
        )
    return idea


# -- comments -----------------------------------------------------------------


def comment_create(
    *, idea: Idea, author, body: str, language: str | None = None
) -> IdeaComment:
    """Comment on an idea (plain text with links); a sponsor's comment counts as
    the first response. Its language is ``language`` or detected from the text."""
    _require_scope(author, idea.campaign)
    if idea.is_hidden and not can_moderate(user=author, campaign=idea.campaign):
        raise Http404
    errors: dict[str, list[str]] = {}
    body = _clean_text(body, errors, field="body", low=1, high=COMMENT_MAX)
    if errors:
        raise ValidationFailed(errors)
    written_in = content_language(chosen=language, text=body, author=author)
    rate_limit_check(user=author, action="comment")
    now = timezone.now()
    with transaction.atomic():
        comment = IdeaComment.objects.create(
            language=written_in,
            idea=idea,
            author=author,
            body=body,
            body_html=render_plain_with_links(body),
            created_at=now,
        )
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        if can_respond(user=author, campaign=idea.campaign):
            Idea.objects.filter(pk=idea.pk, responded_at__isnull=True).update(
                responded_at=now
            )
        _announce(
            kind="comment",
            pk=comment.pk,
            idea_id=idea.pk,
            campaign_id=idea.campaign_id,
            actor_id=author.pk,
            action="created",
        )
    return comment


# -- merge --------------------------------------------------------------------


def idea_merge(*, idea: Idea, into: Idea, by) -> Idea:
    """Merge a duplicate into another idea of the same campaign: the sponsor or a
    lead. Both authors stay credited (with their first-posted times), each
    voter is counted once, and the merged idea points at the one it went into."""
    campaign = idea.campaign
    _require_scope(by, campaign)
    if not can_respond(user=by, campaign=campaign):
        raise PermissionDenied(
            _("Only the campaign's sponsor or a community lead can merge ideas.")
        )
    if into.pk == idea.pk:
        raise ValidationFailed({"into": [_("An idea cannot be merged into itself.")]})
    if into.campaign_id != campaign.pk:
        raise ValidationFailed({"into": [_("Merge ideas of the same campaign only.")]})
    if idea.merged_into_id is not None:
        raise ValidationFailed({"into": [_("This idea was already merged.")]})
    if into.merged_into_id is not None or into.is_hidden:
        raise ValidationFailed({"into": [_("Merge into a visible, unmerged idea.")]})
    now = timezone.now()
    with transaction.atomic():
        # Lock both rows in a fixed order so concurrent merges/votes serialise.
        locked = {
            row.pk: row
            for row in Idea.objects.select_for_update()
            .filter(pk__in=[idea.pk, into.pk])
            .order_by("pk")
        }
        if locked[idea.pk].merged_into_id is not None:
            raise ValidationFailed({"into": [_("This idea was already merged.")]})
        credited = {c.user_id: c for c in IdeaCredit.objects.filter(idea=into)}
        for credit in IdeaCredit.objects.filter(idea=idea):
            mine = credited.get(credit.user_id)
            if mine is None:
                IdeaCredit.objects.create(
                    idea=into,
                    user_id=credit.user_id,
                    first_posted_at=credit.first_posted_at,
                    original=credit.original,
                )
            elif credit.first_posted_at < mine.first_posted_at:
                mine.first_posted_at = credit.first_posted_at
                mine.original = credit.original
                mine.save(update_fields=["first_posted_at", "original"])
        authors = set(
            IdeaCredit.objects.filter(idea=into).values_list("user_id", flat=True)
        )
        already = set(
            IdeaVote.objects.filter(idea=into).values_list("user_id", flat=True)
        )
        moved = 0
        for vote in IdeaVote.objects.filter(idea=idea).order_by("pk"):
            if vote.user_id in already or vote.user_id in authors:
                # Counted once (or a co-author's own vote): give the vote back.
                if campaign.votes_per_person is not None:
                    _refund(user_id=vote.user_id, campaign_id=campaign.pk)
                vote.delete()
            else:
                vote.idea = into
                vote.save(update_fields=["idea"])
                already.add(vote.user_id)
                moved += 1
        # Co-authors' earlier votes on the surviving idea are their own now.
        own = IdeaVote.objects.filter(idea=into, user_id__in=authors)
        for vote in own:
            if campaign.votes_per_person is not None:
                _refund(user_id=vote.user_id, campaign_id=campaign.pk)
        own.delete()
        total = IdeaVote.objects.filter(idea=into).count()
        Idea.objects.filter(pk=into.pk).update(vote_count=total)
        Idea.objects.filter(pk=idea.pk).update(vote_count=0)
        for user_id in IdeaFollow.objects.filter(idea=idea).values_list(
            "user_id", flat=True
        ):
            IdeaFollow.objects.get_or_create(user_id=user_id, idea=into)
        StatusChange.objects.create(
            idea=idea,
            old_status=idea.status,
            new_status=Idea.Status.MERGED,
            note=_("Merged into “%(title)s”.") % {"title": into.title},
            by=by,
            created_at=now,
        )
        old = idea.status
        idea.merged_into = into
        idea.status = Idea.Status.MERGED
        idea.status_note = ""
        idea.status_changed_at = now
        idea.responded_at = idea.responded_at or now
        idea.vote_count = 0
        idea.save(
            update_fields=[
                "merged_into",
                "status",
                "status_note",
                "status_changed_at",
                "responded_at",
                "updated_at",
            ]
        )
        content_changed.send(sender=Idea, model=Idea, pk=into.pk)
        _announce(
            kind="idea",
            pk=idea.pk,
            idea_id=into.pk,
            campaign_id=campaign.pk,
            actor_id=by.pk,
            action="merged",
            old_status=old,
            new_status=Idea.Status.MERGED,
        )
        content_changed.send(sender=Idea, model=Idea, pk=idea.pk)
        audit(idea, "hallway.idea.merge", by=by, into=into.pk)
    into.refresh_from_db(fields=["vote_count"])
    return into


# -- moderation ---------------------------------------------------------------


def idea_hide(*, idea: Idea, by, reason: str) -> Idea:
    """Hide an idea with a reason (leads): the author sees the reason and the
    campaign's public moderation log records it; reversible."""
    campaign = idea.campaign
    if not can_moderate(user=by, campaign=campaign):
        raise PermissionDenied(_("Only community leads can hide ideas."))
    reason = (reason or "").replace("\x00", "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationFailed(
            {
                "reason": [
                    _(
                        "Say why (at least %(n)d characters): the author and the "
                        "moderation log show it."
                    )
                    % {"n": REASON_MIN}
                ]
            }
        )
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            {"reason": [_("At most %(n)d characters.") % {"n": REASON_MAX}]}
        )
    if idea.is_hidden:
        raise ValidationFailed({"reason": [_("This idea is already hidden.")]})
    return _moderate(idea=idea, by=by, hidden=True, reason=reason)


def idea_unhide(*, idea: Idea, by, reason: str = "") -> Idea:
    """Show a hidden idea again (leads); logged like hiding."""
    campaign = idea.campaign
    if not can_moderate(user=by, campaign=campaign):
        raise PermissionDenied(_("Only community leads can show hidden ideas."))
    if not idea.is_hidden:
        raise ValidationFailed({"reason": [_("This idea is not hidden.")]})
    reason = (reason or "").replace("\x00", "").strip()[:REASON_MAX] or _(
        "Shown again."
    )
    return _moderate(idea=idea, by=by, hidden=False, reason=reason)


@transaction.atomic
def _moderate(*, idea: Idea, by, hidden: bool, reason: str) -> Idea:
    """Hide or show an idea: stored, logged for everyone, audited, announced."""
    idea.is_hidden = hidden
    idea.hidden_reason = reason if hidden else ""
    idea.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    actions = ModerationEntry.Action
    ModerationEntry.objects.create(
        idea=idea,
        campaign=idea.campaign,
        action=actions.HIDDEN if hidden else actions.UNHIDDEN,
        reason=reason,
        by=by,
    )
    audit(
        idea,
        "hallway.idea.hide" if hidden else "hallway.idea.unhide",
        by=by,
        reason=reason,
    )
    _announce(
        kind="idea",
        pk=idea.pk,
        idea_id=idea.pk,
        campaign_id=idea.campaign_id,
        actor_id=by.pk,
        action="hidden" if hidden else "unhidden",
    )
    return idea
