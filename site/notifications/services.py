"""Writes: sending (grouped) notifications, e-mail, preferences, follows, reading."""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hallway.errors import ValidationFailed
from journals.services import person_follow, person_unfollow, tag_follow, tag_unfollow
from kb.communities.selectors import community_get
from kb.qa.models import Question
from kb.qa.services import question_follow_set

from .models import (
    DEFAULT_DELIVERY,
    CommunityFollow,
    Delivery,
    EmailPreference,
    Kind,
    Notification,
)
from .selectors import visible_notifications

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ANSWER_LINK_SALT = "notifications.answer-link"
ANSWER_LINK_MAX_AGE = 60 * 60 * 24 * 14  # two weeks
# Kinds whose e-mail asks the reader to answer a question.
ANSWERABLE_KINDS = {
    Kind.CAN_YOU_HELP,
    Kind.ESCALATION,
    Kind.NEW_QUESTION_IN_FOLLOWED_TAG,
    Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY,
}

# (one event, several grouped events) per kind; %(title)s is the target's title.
TEXTS: dict[str, tuple[str, str]] = {
    Kind.ANSWER_TO_MY_QUESTION: (
        gettext_noop("%(actor)s answered your question “%(title)s”"),
        gettext_noop("%(count)d new answers to your question “%(title)s”"),
    ),
    Kind.COMMENT_ON_MY_POST: (
        gettext_noop("%(actor)s commented on “%(title)s”"),
        gettext_noop("%(count)d new comments on “%(title)s”"),
    ),
    Kind.MY_ANSWER_ACCEPTED: (
        gettext_noop("Your answer to “%(title)s” was accepted"),
        gettext_noop("Your answer to “%(title)s” was accepted"),
    ),
    Kind.MENTION: (
        gettext_noop("%(actor)s mentioned you in “%(title)s”"),
        gettext_noop("You were mentioned %(count)d times in “%(title)s”"),
    ),
    Kind.ACTIVITY_ON_FOLLOWED_QUESTION: (
        gettext_noop("New answer to “%(title)s”"),
        gettext_noop("%(count)d new answers to “%(title)s”"),
    ),
    Kind.NEW_QUESTION_IN_FOLLOWED_TAG: (
        gettext_noop("New question tagged %(group)s: “%(title)s”"),
        gettext_noop("%(count)d new questions tagged %(group)s, latest: “%(title)s”"),
    ),
    Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY: (
        gettext_noop("New question in %(group)s: “%(title)s”"),
        gettext_noop("%(count)d new questions in %(group)s, latest: “%(title)s”"),
    ),
    Kind.NEW_ENTRY_BY_FOLLOWED_PERSON: (
        gettext_noop("%(actor)s wrote “%(title)s”"),
        gettext_noop("%(actor)s wrote %(count)d new entries, latest: “%(title)s”"),
    ),
    Kind.MY_PAGE_DUE_FOR_REVIEW: (
        gettext_noop("Your page “%(title)s” is due for review"),
        gettext_noop("Your page “%(title)s” is due for review"),
    ),
    Kind.CAN_YOU_HELP: (
        gettext_noop("Can you help? “%(title)s” matches what you know"),
        gettext_noop("Can you help? “%(title)s” matches what you know"),
    ),
    Kind.ESCALATION: (
        gettext_noop("Unanswered for 12 hours: “%(title)s”"),
        gettext_noop("Unanswered for 12 hours: “%(title)s”"),
    ),
    Kind.MY_IDEA_ANSWERED: (
        gettext_noop("Your idea “%(title)s” is now: %(group)s"),
        gettext_noop(
            "Your idea “%(title)s” changed status %(count)d times, now: %(group)s"
        ),
    ),
    Kind.IDEA_STATUS_CHANGED: (
        gettext_noop("An idea you support, “%(title)s”, is now: %(group)s"),
        gettext_noop("“%(title)s” changed status %(count)d times, now: %(group)s"),
    ),
    Kind.MY_IDEA_HIDDEN: (
        gettext_noop("Your idea “%(title)s” was hidden: %(group)s"),
        gettext_noop("Your idea “%(title)s” was hidden: %(group)s"),
    ),
}


def _text(*, kind: str, count: int, actor, title: str, group_label: str) -> str:
    one, many = TEXTS[kind]
    template = _(one) if count == 1 else _(many)
    return (
        template
        % {
            "actor": actor.get_display_name() if actor else _("Someone"),
            "title": title,
            "count": count,
            "group": group_label,
        }
    )[:500]


def _texts(**parts) -> dict[str, str]:
    """The notification's text in each interface language."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = _text(**parts)
    return texts


def _in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language.split("-")[0]) or texts[settings.LANGUAGES[0][0]]


def group_key_for(
    *, kind: str, target_kind: str, target_id: int, group: str = ""
) -> str:
    """The key under which events for one recipient merge while unread."""
    return f"{kind}:{group or f'{target_kind}:{target_id}'}"


def notification_send(
    *,
    recipient_ids: Iterable[int],
    kind: str,
    target_kind: str,
    target_id: int,
    url: str,
    title: str,
    actor=None,
    group: str = "",
    group_label: str = "",
    once: bool = False,
    email: bool = True,
    event: str = "",
    now: datetime | None = None,
) -> list[Notification]:
    """Notify active recipients (never the actor); bump unread rows of the group.

    With ``once`` nobody is notified twice for the group, read or not. ``event``
    names what happened ("answer:12"): an event already counted in the unread
    row is not counted again, so the count is the number of distinct events.
    """
    now = now or timezone.now()
    key = group_key_for(
        kind=kind, target_kind=target_kind, target_id=target_id, group=group
    )
    ids = set(recipient_ids) - {getattr(actor, "pk", None), None}
    users = list(
        get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
    )
    if once:
        done = set(
            Notification.objects.filter(recipient__in=users, group_key=key).values_list(
                "recipient_id", flat=True
            )
        )
        users = [user for user in users if user.pk not in done]
    sent: list[Notification] = []
    fresh: list[Notification] = []
    for user in users:
        row, created = _upsert(
            user=user,
            kind=kind,
            key=key,
            actor=actor,
            target_kind=target_kind,
            target_id=target_id,
            url=url,
            title=title,
            group_label=group_label,
            event=event,
            now=now,
        )
        sent.append(row)
        if created:
            fresh.append(row)
    if fresh and email:
        deliveries = deliveries_for(user_ids=[n.recipient_id for n in fresh], kind=kind)
        for row in fresh:
            if deliveries[row.recipient_id] == Delivery.IMMEDIATE:
                email_send_immediate(notification=row, now=now)
    return sent


def _upsert(
    *,
    user,
    kind,
    key,
    actor,
    target_kind,
    target_id,
    url,
    title,
    group_label,
    event,
    now,
) -> tuple[Notification, bool]:
    for _attempt in range(3):
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update()
                .filter(recipient=user, group_key=key, read_at__isnull=True)
                .first()
            )
            if row is not None:
                if event and event in row.events:
                    return row, False
                if event:
                    row.events = [*row.events, event]
                row.count += 1
                row.actor = actor
                row.target_kind, row.target_id, row.url = target_kind, target_id, url
                row.created_at = now
                row.texts = _texts(
                    kind=kind,
                    count=row.count,
                    actor=actor,
                    title=title,
                    group_label=group_label,
                )
                row.text = _in_language(row.texts, user.interface_language())
                row.save()
                return row, False
            try:
                with transaction.atomic():
                    # In every language; shown in the reader's, not the sender's.
                    texts = _texts(
                        kind=kind,
                        count=1,
                        actor=actor,
                        title=title,
                        group_label=group_label,
                    )
                    text = _in_language(texts, user.interface_language())
                    row = Notification.objects.create(
                        recipient=user,
                        kind=kind,
                        actor=actor,
                        target_kind=target_kind,
                        target_id=target_id,
                        url=url,
                        text=text,
                        texts=texts,
                        group_key=key,
                        events=[event] if event else [],
                        created_at=now,
                    )
                return row, True
            except IntegrityError:  # a concurrent event created the group: bump it
                continue
    raise RuntimeError("Could not record the notification.")


# -- reading ------------------------------------------------------------------


def notification_mark_read(
    *, user, notification_id: int, now: datetime | None = None
) -> Notification:
    """Mark one of ``user``'s notifications read (``Http404`` if not theirs)."""
    row = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if row is None:
        raise Http404("No such notification.")
    if row.read_at is None:
        row.read_at = now or timezone.now()
        row.save(update_fields=["read_at"])
    return row


def notification_mark_all_read(*, user, now: datetime | None = None) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return (
        Notification.objects.for_user(user)
        .unread()
        .update(read_at=now or timezone.now())
    )


# -- e-mail -------------------------------------------------------------------


def deliveries_for(*, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's e-mail delivery for ``kind`` (their choice or the default)."""
    ids = list(user_ids)
    chosen = dict(
        EmailPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY[kind]) for pk in ids}


def preference_set(*, user, kind: str, delivery: str) -> EmailPreference:
    """Choose how ``kind`` reaches ``user`` by e-mail."""
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind of notification.")]
    if delivery not in Delivery.values:
        errors["delivery"] = [_("Choose immediate, daily, weekly or off.")]
    if errors:
        raise ValidationFailed(errors)
    pref, _created = EmailPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"delivery": delivery}
    )
    return pref


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed token that turns off e-mail of ``kind`` for one person."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    """The absolute one-click unsubscribe link."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return _absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def unsubscribe_read(*, token: str) -> tuple[object, str]:
    """``(user, kind)`` the token names, changing nothing; ``ValidationFailed``
    when it is forged or names nobody."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=data["u"])
        kind = data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationFailed({"token": [_("This link is not valid.")]}) from error
    except get_user_model().DoesNotExist as error:
        raise ValidationFailed({"token": [_("This link is not valid.")]}) from error
    return user, kind


def unsubscribe_apply(*, token: str) -> tuple[object, str]:
    """Turn off the e-mail the token names; returns ``(user, kind)``."""
    user, kind = unsubscribe_read(token=token)
    preference_set(user=user, kind=kind, delivery=Delivery.OFF)
    return user, kind


def answer_link_url(*, user_id: int, question_id: int) -> str:
    """A signed, expiring link straight to a question's answer box."""
    token = signing.dumps({"u": user_id, "q": question_id}, salt=ANSWER_LINK_SALT)
    return _absolute(reverse("notifications:answer", kwargs={"token": token}))


def answer_link_open(*, token: str) -> tuple[int, int]:
    """``(user_id, question_id)`` of a valid answer link; ``ValidationFailed``
    when it is forged or older than two weeks."""
    try:
        data = signing.loads(token, salt=ANSWER_LINK_SALT, max_age=ANSWER_LINK_MAX_AGE)
        return int(data["u"]), int(data["q"])
    except signing.SignatureExpired as error:
        raise ValidationFailed({"token": [_("This link has expired.")]}) from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise ValidationFailed({"token": [_("This link is not valid.")]}) from error


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path  # type: ignore[union-attr]


def _message(*, to: str, subject: str, body: str, unsubscribe: str) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def email_send_immediate(*, notification: Notification, now: datetime | None = None):
    """E-mail one notification now (one e-mail per group while it stays unread),
    in the recipient's language."""
    recipient = notification.recipient
    if not recipient.email:
        return
    if not visible_notifications(user=recipient).filter(pk=notification.pk).exists():
        return  # what it is about was hidden or deleted before it could be sent
    with translation.override(recipient.interface_language()):
        message = _immediate_message(notification=notification, recipient=recipient)
    try:
        message.send()
    except Exception:  # a mail outage must not lose the in-app notification
        log.exception("Could not e-mail notification %s", notification.pk)
        return
    Notification.objects.filter(pk=notification.pk).update(
        emailed_at=now or timezone.now()
    )


def _immediate_message(*, notification: Notification, recipient) -> EmailMessage:
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind=notification.kind)
    lines = [notification.display_text, _absolute(notification.url)]
    if notification.kind in ANSWERABLE_KINDS and notification.target_kind == "question":
        answer = answer_link_url(
            user_id=recipient.pk, question_id=notification.target_id
        )
        lines.append(_("Answer it now: %(link)s") % {"link": answer})
    lines.append(
        _("Stop these e-mails (%(kind)s): %(link)s")
        % {"kind": Kind(notification.kind).label, "link": unsubscribe}
    )
    body = "\n\n".join(lines)
    return _message(
        to=recipient.email,
        subject=notification.display_text[:150],
        body=body,
        unsubscribe=unsubscribe,
    )


def digest_send(*, period: str, now: datetime | None = None) -> int:
    """E-mail each person their unread, un-e-mailed notifications of ``period``.

    Returns the number of e-mails sent.
    """
    from datetime import timedelta

    if period not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValidationFailed({"period": [_("Choose daily or weekly.")]})
    now = now or timezone.now()
    since = now - timedelta(days=1 if period == Delivery.DAILY else 7)
    rows = list(
        Notification.objects.unread()
        .filter(
            emailed_at__isnull=True,
            created_at__gte=since,
            created_at__lte=now,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "-created_at")
    )
    chosen: dict[tuple[int, str], str] = {
        (user_id, kind): delivery
        for user_id, kind, delivery in EmailPreference.objects.filter(
            user_id__in={row.recipient_id for row in rows}
        ).values_list("user_id", "kind", "delivery")
    }
    by_user: dict[int, list[Notification]] = {}
    for row in rows:
        delivery = chosen.get((row.recipient_id, row.kind), DEFAULT_DELIVERY[row.kind])
        if delivery == period:
            by_user.setdefault(row.recipient_id, []).append(row)
    sent = 0
    for items in by_user.values():
        recipient = items[0].recipient
        # The same rule as the list: nothing mailed about what they can't read now.
        readable = set(
            visible_notifications(user=recipient)
            .filter(pk__in=[item.pk for item in items])
            .values_list("pk", flat=True)
        )
        items = [item for item in items if item.pk in readable]
        if not items:
            continue
        with translation.override(recipient.interface_language()):
            message = _digest_message(recipient=recipient, items=items, period=period)
        try:
            message.send()
        except Exception:
            log.exception("Could not send the digest to %s", recipient.pk)
            continue
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            emailed_at=now
        )
        sent += 1
    return sent


def _digest_message(*, recipient, items: list[Notification], period: str):
    """One person's digest e-mail, in the active language."""
    lines = [
        _("Your %(period)s Hallway digest:") % {"period": Delivery(period).label},
        "",
    ]
    for item in items:
        lines += [f"• {item.display_text}", f"  {_absolute(item.url)}"]
    lines += ["", _("Stop e-mails of one kind:")]
    for kind in sorted({item.kind for item in items}):
        link = unsubscribe_url(user_id=recipient.pk, kind=kind)
        lines.append(f"  {Kind(kind).label}: {link}")
    subject = _("Hallway: %(n)d things you may have missed") % {"n": len(items)}
    return _message(
        to=recipient.email,
        subject=subject,
        body="\n".join(lines),
        unsubscribe=unsubscribe_url(user_id=recipient.pk, kind=items[0].kind),
    )


# -- follows ------------------------------------------------------------------


def community_follow_set(*, user, community, follow: bool) -> bool:
    """Follow or unfollow a community; returns whether ``user`` now follows it."""
    if follow:
        CommunityFollow.objects.get_or_create(user=user, community=community)
        return True
    CommunityFollow.objects.filter(user=user, community=community).delete()
    return False


FOLLOW_KINDS = ("tag", "person", "community", "question")


def follow_set(*, user, kind: str, key: str, follow: bool = True) -> bool:
    """Follow or unfollow a tag, person, community or question (by name/slug/id).

    Reuses the journals' person and tag follows and Q&A's question follows.
    """
    if kind not in FOLLOW_KINDS:
        raise ValidationFailed(
            {"kind": [_("Follow a tag, person, community or question.")]}
        )
    key = str(key or "").strip()
    if kind == "tag":
        if follow:
            tag_follow(follower=user, tag=key)
        else:
            tag_unfollow(follower=user, tag=key)
        return follow
    if kind == "person":
        person = get_user_model().objects.filter(username=key, is_active=True).first()
        if person is None:
            raise Http404("No such person.")
        if follow:
            person_follow(follower=user, followed=person)
        else:
            person_unfollow(follower=user, followed=person)
        return follow
    if kind == "community":
        community = community_get(slug=key)
        if community is None:
            raise Http404("No such community.")
        return community_follow_set(user=user, community=community, follow=follow)

    question = (
        Question.objects.visible().filter(pk=int(key)).first()
        if key.isdigit()
        else None
    )
    if question is None:
        raise Http404("No such question.")
    return question_follow_set(question=question, user=user, follow=follow)
