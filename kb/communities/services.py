"""Writes about communities: setup, membership, knowledge pages, curation, feedback."""

import re
import uuid
from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from hallway.audit import audit
from hallway.errors import ValidationFailed
from hallway.languages import content_language
from hallway.ratelimit import rate_limit_check
from hallway.signals import content_changed
from hallway.tags import tags_clean

from .models import (
    CommunityGroup,
    CommunityPage,
    KnowledgePage,
    KnowledgeSource,
    Membership,
    MembershipRequest,
    PageFeedback,
)
from .selectors import is_curator

# What each role's group may do on the community's page subtree. Members write
# drafts and submit them for review; only leads and their team publish.
PAGE_PERMISSIONS = {
    Membership.Role.LEAD: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ],
    Membership.Role.TEAM: ["add_page", "change_page", "publish_page"],
    Membership.Role.MEMBER: ["add_page", "change_page"],
}
GROUP_SUFFIX = {
    Membership.Role.LEAD: "leads",
    Membership.Role.TEAM: "team",
    Membership.Role.MEMBER: "members",
}
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
]
MODERATOR_ROLES = (Membership.Role.LEAD, Membership.Role.TEAM)
# Only people who edit and publish pages see Wagtail (its admin and userbar);
# plain members read and take part through Hallway's own screens.
ADMIN_ROLES = MODERATOR_ROLES


# -- community setup and membership -------------------------------------------


def _unique_group_name(name: str) -> str:
    candidate, n = name[:150], 2
    while Group.objects.filter(name=candidate).exists():
        candidate = f"{name[:140]} ({n})"
        n += 1
    return candidate


@transaction.atomic
def community_setup(*, community: CommunityPage) -> dict[str, Group]:
    """Create the groups, page permissions and review workflow; idempotent."""
    groups: dict[str, Group] = {}
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node()
    for role, suffix in GROUP_SUFFIX.items():
        link = (
            CommunityGroup.objects.select_related("group")
            .filter(community=community, role=role)
            .first()
        )
        if link is None:
            group = Group.objects.create(
                name=_unique_group_name(f"{community.title} {suffix}")
            )
            link = CommunityGroup.objects.create(
                community=community, role=role, group=group
            )
        group = link.group
        wanted = f"{community.title} {suffix}"[:150]
        if group.name != wanted and not Group.objects.filter(name=wanted).exists():
            group.name = wanted
            group.save(update_fields=["name"])
        groups[role] = group
        if role in ADMIN_ROLES:
            group.permissions.add(access_admin)
        else:
            group.permissions.remove(access_admin)
        for codename in PAGE_PERMISSIONS[role]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=community,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        if root_collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
    _review_workflow_setup(
        community=community, moderators=[groups[r] for r in MODERATOR_ROLES]
    )
    for membership in Membership.objects.filter(community=community):
        _groups_sync(community=community, user=membership.user, role=membership.role)
    return groups


def _review_workflow_setup(*, community: CommunityPage, moderators: list[Group]):
    assigned = WorkflowPage.objects.filter(page=community).first()
    name = _("%(community)s review") % {"community": community.title}
    if assigned is not None:
        workflow = assigned.workflow
        if workflow.name != name:
            workflow.name = name
            workflow.save(update_fields=["name"])
    else:
        workflow = Workflow.objects.create(name=name)
        WorkflowPage.objects.create(page=community, workflow=workflow)
    task_link = WorkflowTask.objects.filter(workflow=workflow).first()
    if task_link is None:
        task = GroupApprovalTask.objects.create(
            name=_("%(community)s lead approval") % {"community": community.title}
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    else:
        task = task_link.task.specific
    if isinstance(task, GroupApprovalTask):
        task.groups.add(*moderators)
    return workflow


def _groups_sync(*, community: CommunityPage, user, role: str | None) -> None:
    """Put ``user`` in exactly the group of ``role`` in ``community`` (none if None)."""
    links = list(CommunityGroup.objects.filter(community=community))
    for link in links:
        if link.role == role:
            user.groups.add(link.group_id)
        else:
            user.groups.remove(link.group_id)


@transaction.atomic
def membership_join(
    *, community: CommunityPage, user, role: str = Membership.Role.MEMBER
) -> Membership:
    """Add ``user`` to ``community`` (or raise their role); idempotent."""
    membership, created = Membership.objects.get_or_create(
        community=community, user=user, defaults={"role": role}
    )
    if not created and membership.role != role and role != Membership.Role.MEMBER:
        membership.role = role
        membership.save(update_fields=["role"])
    _groups_sync(community=community, user=user, role=membership.role)
    return membership


@transaction.atomic
def membership_role_set(
    *, community: CommunityPage, user, role: str, by=None
) -> Membership:
    """Give ``user`` exactly ``role`` in ``community``; only leads (or admins) may."""
    if by is not None and not _is_lead(by, community):
        raise PermissionDenied(_("Only a lead can change roles."))
    if role not in Membership.Role.values:
        raise ValidationFailed({"role": [_("Unknown role.")]})
    membership, created = Membership.objects.get_or_create(
        community=community, user=user, defaults={"role": role}
    )
    previous = None if created else membership.role
    if not created and membership.role != role:
        last_lead = (
            membership.role == Membership.Role.LEAD
            and not Membership.objects.filter(
                community=community, role=Membership.Role.LEAD
            )
            .exclude(pk=membership.pk)
            .exists()
        )
        if last_lead:
            raise ValidationFailed(
                {"role": [_("A community needs at least one lead.")]}
            )
        membership.role = role
        membership.save(update_fields=["role"])
    _groups_sync(community=community, user=user, role=role)
    if previous != role:
        audit(
            community,
            "hallway.membership.role",
            by=by,
            person=user.pk,
            role=role,
            previous=previous or "-",
        )
    return membership


@transaction.atomic
def membership_request(*, community: CommunityPage, user) -> Membership | None:
    """Join ``community`` yourself, as its join policy allows: an open community
    at once; one that approves members records a request for its leads and
    returns ``None``; an invite-only one refuses. Idempotent."""
    membership = Membership.objects.filter(community=community, user=user).first()
    if membership is not None:
        return membership
    policy = community.join_policy
    if policy == CommunityPage.JoinPolicy.OPEN:
        return membership_join(community=community, user=user)
    if policy == CommunityPage.JoinPolicy.INVITE:
        raise PermissionDenied(
            _("%(c)s is invite only: ask one of its leads to add you.")
            % {"c": community.title}
        )
    MembershipRequest.objects.get_or_create(community=community, user=user)
    return None


@transaction.atomic
def membership_request_decide(
    *, community: CommunityPage, user, approve: bool, by
) -> Membership | None:
    """A lead approves (``user`` becomes a member) or declines a join request."""
    if not _is_lead(by, community):
        raise PermissionDenied(_("Only a lead can decide on join requests."))
    deleted, _counts = MembershipRequest.objects.filter(
        community=community, user=user
    ).delete()
    if not deleted:
        raise ValidationFailed({"user": [_("There is no such request.")]})
    return membership_join(community=community, user=user) if approve else None


@transaction.atomic
def membership_add(*, community: CommunityPage, user, by) -> Membership:
    """A lead adds ``user`` as a member (how invite-only communities grow);
    someone already in keeps their role."""
    if not _is_lead(by, community):
        raise PermissionDenied(_("Only a lead can add members."))
    MembershipRequest.objects.filter(community=community, user=user).delete()
    membership = membership_join(community=community, user=user)
    audit(community, "hallway.membership.add", by=by, person=user.pk)
    return membership


@transaction.atomic
def membership_leave(*, community: CommunityPage, user, by=None) -> bool:
    """Remove ``user`` from ``community`` (themselves, or ``by`` a lead);
    return whether they were a member."""
    if by is not None and by.pk != user.pk and not _is_lead(by, community):
        raise PermissionDenied(_("Only a lead can remove members."))
    MembershipRequest.objects.filter(community=community, user=user).delete()
    deleted, _counts = Membership.objects.filter(
        community=community, user=user
    ).delete()
    _groups_sync(community=community, user=user, role=None)
    if deleted:
        audit(community, "hallway.membership.leave", by=by or user, person=user.pk)
    return bool(deleted)


def _is_lead(user, community: CommunityPage) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            community=community, user=user, role=Membership.Role.LEAD
        ).exists()
    )


# -- knowledge pages ----------------------------------------------------------


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:60] or "page"
    slug, n = base, 2
    siblings = set(parent.get_children().values_list("slug", flat=True))
    while slug in siblings:
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def knowledge_page_create(
    *,
    community: CommunityPage,
    author,
    title: str,
    summary: str,
    body: list[tuple[str, object]],
    tags: list[str] | None = None,
    publish: bool = False,
    language: str | None = None,
) -> KnowledgePage:
    """Create a knowledge page under ``community`` as a draft (or published);
    its language is ``language`` or detected from the title and summary."""
    title, summary = (title or "").strip(), (summary or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("A title is required.")]
    if not summary:
        errors["summary"] = [_("A summary is required.")]
    if errors:
        raise ValidationFailed(errors)
    written_in = content_language(
        chosen=language, text=f"{title}\n{summary}", author=author
    )
    page = KnowledgePage(
        title=title[:255],
        slug=_unique_slug(community, title),
        summary=summary,
        language=written_in,
        body=body,
        owner=author,
        live=False,
        # Parental relations are written when the page is first saved.
        owners=[author] if author is not None else [],
    )
    if tags:
        page.tags.add(*tags)
    community.add_child(instance=page)
    revision = page.save_revision(user=author, log_action=True)
    if publish:
        revision.publish(user=author)
        page.refresh_from_db()
    return page


def knowledge_page_verify(*, page: KnowledgePage, by) -> KnowledgePage:
    """Mark a live page verified by ``by`` now; only the community's curators may."""
    community = page.community
    if community is None or not is_curator(by, community):
        raise PermissionDenied(_("Only the community's leads can verify pages."))
    if not page.live:
        raise ValidationFailed(_("Publish the page before verifying it."))
    now = timezone.now()
    with transaction.atomic():
        KnowledgePage.objects.filter(pk=page.pk).update(verified_by=by, verified_at=now)
        page.verified_by, page.verified_at = by, now
        # In the page's history: the review chart counts verifications from it.
        audit(page, "hallway.page.verify", by=by)
        content_changed.send(sender=KnowledgePage, model=KnowledgePage, pk=page.pk)
    return page


def feedback_give(
    *, page: KnowledgePage, user, helpful: bool, comment: str = ""
) -> PageFeedback:
    """Record (or change) ``user``'s "Was this helpful?" answer for a live page."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to give feedback."))
    if not page.live:
        raise ValidationFailed(_("This page is not published."))
    rate_limit_check(user=user, action="vote")
    feedback, _created = PageFeedback.objects.update_or_create(
        page=page,
        user=user,
        defaults={"helpful": bool(helpful), "comment": (comment or "").strip()[:2000]},
    )
    return feedback


# -- curation -----------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!>])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def _attribution(sources: list[dict]) -> str:
    lines = ["", "---", "", _("**Sources**"), ""]
    for source in sources:
        title = _md_escape(source.get("title") or source.get("url") or "")
        url = source.get("url") or ""
        link = f"[{title}](<{url}>)" if url.startswith(("http", "/")) else title
        authors = _md_escape(source.get("authors") or "")
        by = _(" by %(authors)s") % {"authors": authors} if authors else ""
        lines.append(f"- {link}{by}")
    return "\n".join(lines) + "\n"


@transaction.atomic
def knowledge_page_curate(
    *,
    community: CommunityPage,
    curator,
    title: str,
    summary: str,
    markdown: str,
    sources: list[dict],
) -> KnowledgePage:
    """Create a DRAFT knowledge page from existing content, with attribution."""
    if not is_curator(curator, community):
        raise PermissionDenied(_("Only the community's leads and team can curate."))
    if not (markdown or "").strip():
        raise ValidationFailed({"markdown": [_("There is nothing to curate.")]})
    page = knowledge_page_create(
        community=community,
        author=curator,
        title=title,
        summary=summary or title,
        body=[("markdown", markdown.strip() + "\n" + _attribution(sources))],
    )
    for source in sources:
        KnowledgeSource.objects.create(
            page=page,
            kind=source.get("kind") or KnowledgeSource.Kind.URL,
            object_id=source.get("object_id"),
            url=(source.get("url") or "")[:500],
            title=(source.get("title") or source.get("url") or "")[:300],
            authors=(source.get("authors") or "")[:500],
            source_updated_at=source.get("source_updated_at"),
            curated_by=curator,
        )
    # The sources name their curators: the page's ledger lines follow them.
    content_changed.send(sender=KnowledgePage, model=KnowledgePage, pk=page.pk)
    return page


def knowledge_sources_mark_changed(
    *, kind: str, object_id: int, changed_at: datetime | None = None
) -> int:
    """Note that a curated source changed, so its pages need review; returns count."""
    changed_at = changed_at or timezone.now()
    sources = KnowledgeSource.objects.filter(kind=kind, object_id=object_id).exclude(
        source_updated_at__gte=changed_at
    )
    page_ids = set(sources.values_list("page_id", flat=True))
    count = sources.update(changed_at=changed_at)
    for page_id in page_ids:
        content_changed.send(sender=KnowledgePage, model=KnowledgePage, pk=page_id)
    return count


# -- editing in Hallway's own screens -------------------------------------------

PAGE_TITLE_MAX = 255
PAGE_SUMMARY_MAX = 1000
PAGE_TEXT_MAX = 60000
PAGE_MAX_TAGS = 10


class PageAction:
    """What the author asked for when saving: keep a draft, publish (people who
    may publish) or send it to the community's review (everyone else)."""

    DRAFT = "draft"
    PUBLISH = "publish"
    SUBMIT = "submit"


def _page_fields_clean(
    *, title: str, summary: str, tags, texts: dict[int, str]
) -> tuple[str, str, list[str], dict[int, str]]:
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    summary = (summary or "").strip()
    if not title:
        errors["title"] = [_("A title is required.")]
    elif len(title) > PAGE_TITLE_MAX:
        errors["title"] = [
            _("Title must be at most %(n)d characters.") % {"n": PAGE_TITLE_MAX}
        ]
    if not summary:
        errors["summary"] = [_("A summary is required.")]
    elif len(summary) > PAGE_SUMMARY_MAX:
        errors["summary"] = [
            _("Summary must be at most %(n)d characters.") % {"n": PAGE_SUMMARY_MAX}
        ]
    names, messages = tags_clean(tags, max_tags=PAGE_MAX_TAGS)
    if messages:
        errors["tags"] = messages
    cleaned = {
        index: (text or "").replace("\r\n", "\n").strip()
        for index, text in texts.items()
    }
    for index, text in cleaned.items():
        if len(text) > PAGE_TEXT_MAX:
            errors[f"section-{index}"] = [
                _("Text must be at most %(n)d characters.") % {"n": PAGE_TEXT_MAX}
            ]
    if errors:
        raise ValidationFailed(errors)
    return title, summary, names, cleaned


def _body_with_texts(raw_blocks: list[dict], texts: dict[int, str]) -> list[dict]:
    """The body's blocks with their Markdown and callout texts replaced by
    ``texts`` (by position); an emptied text block goes, every other block
    (image, code, embed …) stays as it was, with its id; a text at the
    position after the last block becomes a new Markdown block."""
    blocks: list[dict] = []
    for index, block in enumerate(raw_blocks):
        kind = block.get("type")
        if index in texts and kind in ("markdown", "callout"):
            text = texts[index]
            if not text:
                continue
            value = text if kind == "markdown" else {**block["value"], "text": text}
            blocks.append({**block, "value": value})
        else:
            blocks.append(block)
    extra = texts.get(len(raw_blocks), "")
    if extra:
        blocks.append({"type": "markdown", "value": extra, "id": str(uuid.uuid4())})
    return blocks


def _page_revision_finish(*, page: KnowledgePage, revision, by, action: str) -> None:
    """Publish ``revision``, or start (or resume) the community's review."""
    perms = page.permissions_for_user(by)
    if action == PageAction.PUBLISH:
        if not perms.can_publish():
            raise PermissionDenied(
                _("Only the community's leads and team can publish pages.")
            )
        revision.publish(user=by)
        return
    if action != PageAction.SUBMIT:
        return
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(by)
    elif state is None:
        workflow = page.get_workflow()
        if workflow is None:
            raise ValidationFailed(_("This community has no review set up."))
        workflow.start(page, by)
    # Already in review: the reviewers see the latest revision.


@transaction.atomic
def knowledge_page_save(
    *,
    page: KnowledgePage,
    by,
    title: str,
    summary: str,
    texts: dict[int, str],
    tags=None,
    language: str | None = None,
    base_revision_id: int | None = None,
    action: str = PageAction.DRAFT,
):
    """Save a new revision of ``page`` from Hallway's editor, then publish it or
    send it to review as ``action`` says (``PermissionDenied`` when ``by`` may
    not). ``texts`` holds the edited Markdown/callout texts by block position;
    ``base_revision_id`` is the revision the editor started from, and a page
    that got a newer one meanwhile is refused (nothing is saved)."""
    if action not in (PageAction.DRAFT, PageAction.PUBLISH, PageAction.SUBMIT):
        raise ValidationFailed(_("Unknown action."))
    page = KnowledgePage.objects.select_for_update().get(pk=page.pk)
    perms = page.permissions_for_user(by)
    if not perms.can_edit():
        raise PermissionDenied(_("Only members of the community can edit its pages."))
    if perms.page_locked():
        raise PermissionDenied(
            _("This page is waiting for review or locked; it cannot be edited now.")
        )
    rate_limit_check(user=by, action="post")
    if base_revision_id is not None and page.latest_revision_id != base_revision_id:
        raise ValidationFailed(
            _(
                "Someone saved this page while you were editing it. Your text is "
                "below; open the page again to see their version."
            )
        )
    title, summary, names, texts = _page_fields_clean(
        title=title, summary=summary, tags=tags, texts=texts
    )
    draft = page.get_latest_revision_as_object()
    body = _body_with_texts(list(draft.body.raw_data), texts)
    draft.title = title
    draft.summary = summary
    draft.body = body
    draft.language = content_language(
        chosen=language,
        text=f"{title}\n{summary}",
        author=by,
        current=draft.language,
    )
    draft.tags.set(names)
    revision = draft.save_revision(
        user=by, log_action=True, previous_revision=None, clean=True
    )
    _page_revision_finish(page=draft, revision=revision, by=by, action=action)
    return revision


@transaction.atomic
def knowledge_page_add(
    *,
    parent,
    by,
    title: str,
    summary: str,
    text: str,
    tags=None,
    language: str | None = None,
    action: str = PageAction.DRAFT,
) -> KnowledgePage:
    """A new knowledge page below ``parent`` (a community or a knowledge page),
    written in Hallway's editor; published or sent to review as ``action``
    says."""
    if action not in (PageAction.DRAFT, PageAction.PUBLISH, PageAction.SUBMIT):
        raise ValidationFailed(_("Unknown action."))
    perms = parent.permissions_for_user(by)
    if not perms.can_add_subpage():
        raise PermissionDenied(_("Only members of the community can add pages."))
    if action == PageAction.PUBLISH and not perms.can_publish_subpage():
        raise PermissionDenied(
            _("Only the community's leads and team can publish pages.")
        )
    rate_limit_check(user=by, action="post")
    title, summary, names, texts = _page_fields_clean(
        title=title, summary=summary, tags=tags, texts={0: text}
    )
    written_in = content_language(
        chosen=language, text=f"{title}\n{summary}", author=by
    )
    page = KnowledgePage(
        title=title,
        slug=_unique_slug(parent, title),
        summary=summary,
        language=written_in,
        body=_body_with_texts([], {0: texts[0]}),
        owner=by,
        live=False,
        owners=[by],
    )
    if names:
        page.tags.add(*names)
    parent.add_child(instance=page)
    revision = page.save_revision(user=by, log_action=True)
    _page_revision_finish(page=page, revision=revision, by=by, action=action)
    page.refresh_from_db()
    return page
