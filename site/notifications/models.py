"""Notifications, e-mail preferences, community follows and escalation marks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened; each kind has its own e-mail preference."""

    ANSWER_TO_MY_QUESTION = "answer_to_my_question", _("Answer to my question")
    COMMENT_ON_MY_POST = "comment_on_my_post", _("Comment on my post")
    MY_ANSWER_ACCEPTED = "my_answer_accepted", _("My answer was accepted")
    MENTION = "mention", _("Someone mentioned me")
    ACTIVITY_ON_FOLLOWED_QUESTION = (
        "activity_on_followed_question",
        _("New answer to a question I follow"),
    )
    NEW_QUESTION_IN_FOLLOWED_TAG = (
        "new_question_in_followed_tag",
        _("New question in a tag I follow"),
    )
    NEW_QUESTION_IN_FOLLOWED_COMMUNITY = (
        "new_question_in_followed_community",
        _("New question in a community I follow"),
    )
    NEW_ENTRY_BY_FOLLOWED_PERSON = (
        "new_entry_by_followed_person",
        _("New journal entry by someone I follow"),
    )
    MY_PAGE_DUE_FOR_REVIEW = "my_page_due_for_review", _("My page is due for review")
    CAN_YOU_HELP = "can_you_help", _("Can you help? (questions for my expertise)")
    ESCALATION = "escalation", _("Unanswered question escalated to me")
    MY_IDEA_ANSWERED = "my_idea_answered", _("An answer to my idea (status change)")
    IDEA_STATUS_CHANGED = (
        "idea_status_changed",
        _("Status change of an idea I voted for or follow"),
    )
    MY_IDEA_HIDDEN = "my_idea_hidden", _("My idea was hidden by a lead")


# The filters on the notifications page: each names the kinds it shows.
FILTERS: dict[str, tuple[str, list[str]]] = {
    "answers": (
        _("Answers"),
        [
            Kind.ANSWER_TO_MY_QUESTION,
            Kind.ACTIVITY_ON_FOLLOWED_QUESTION,
            Kind.MY_ANSWER_ACCEPTED,
            Kind.COMMENT_ON_MY_POST,
        ],
    ),
    "mentions": (_("Mentions"), [Kind.MENTION]),
    "routed": (_("Questions for you"), [Kind.CAN_YOU_HELP, Kind.ESCALATION]),
    "reviews": (_("Reviews"), [Kind.MY_PAGE_DUE_FOR_REVIEW]),
    "ideas": (
        _("Ideas"),
        [Kind.MY_IDEA_ANSWERED, Kind.IDEA_STATUS_CHANGED, Kind.MY_IDEA_HIDDEN],
    ),
    "following": (
        _("Following"),
        [
            Kind.NEW_QUESTION_IN_FOLLOWED_TAG,
            Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY,
            Kind.NEW_ENTRY_BY_FOLLOWED_PERSON,
        ],
    ),
}
KIND_FILTER = {
    kind: name for name, (_label, kinds) in FILTERS.items() for kind in kinds
}


class Delivery(models.TextChoices):
    """How a kind reaches someone by e-mail (in-app notifications always appear)."""

    IMMEDIATE = "immediate", _("E-mail at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No e-mail")


# Direct events e-mail at once; follow-based ones wait for the daily digest.
DEFAULT_DELIVERY: dict[str, str] = {
    Kind.ANSWER_TO_MY_QUESTION: Delivery.IMMEDIATE,
    Kind.COMMENT_ON_MY_POST: Delivery.IMMEDIATE,
    Kind.MY_ANSWER_ACCEPTED: Delivery.IMMEDIATE,
    Kind.MENTION: Delivery.IMMEDIATE,
    Kind.CAN_YOU_HELP: Delivery.IMMEDIATE,
    Kind.ESCALATION: Delivery.IMMEDIATE,
    Kind.MY_IDEA_ANSWERED: Delivery.IMMEDIATE,
    Kind.MY_IDEA_HIDDEN: Delivery.IMMEDIATE,
    Kind.IDEA_STATUS_CHANGED: Delivery.DAILY,
    Kind.MY_PAGE_DUE_FOR_REVIEW: Delivery.DAILY,
    Kind.ACTIVITY_ON_FOLLOWED_QUESTION: Delivery.DAILY,
    Kind.NEW_QUESTION_IN_FOLLOWED_TAG: Delivery.DAILY,
    Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY: Delivery.DAILY,
    Kind.NEW_ENTRY_BY_FOLLOWED_PERSON: Delivery.DAILY,
}


class NotificationQuerySet(models.QuerySet):
    """Reusable read filters for notifications."""

    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One (grouped) thing someone should know about.

    Events with the same ``group_key`` bump the recipient's unread row (its
    ``count`` and ``created_at``) instead of adding another one.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_kind = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    url = models.CharField(max_length=500)
    text = models.CharField(max_length=500)
    # The same text in every interface language (``{"en": ..., "nl": ...}``),
    # written when the event is recorded: shown in the language the reader
    # uses now, even if they switched since. ``text`` is the recipient's.
    texts = models.JSONField(default=dict, blank=True)
    count = models.PositiveIntegerField(default=1)
    # What happened, one key per event ("answer:12"): a task run twice or an
    # event sent again never counts twice, so ``count`` says what happened.
    events = models.JSONField(default=list, blank=True)
    group_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=Q(read_at__isnull=True),
                name="notifications_one_unread_per_group",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["recipient", "kind", "created_at"]),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.text

    @property
    def display_text(self) -> str:
        """The text in the active language (the reader's, or an e-mail's)."""
        language = (translation.get_language() or "").split("-")[0]
        return self.texts.get(language) or self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailPreference(models.Model):
    """Someone's choice for one kind (absent: ``DEFAULT_DELIVERY``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notifications_one_preference_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class CommunityFollow(models.Model):
    """Someone follows a community without being a member (members follow too)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_follows",
    )
    community = models.ForeignKey(
        "communities.CommunityPage", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="notifications_one_community_follow"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows community {self.community_id}"


class QuestionEscalation(models.Model):
    """A question that went unanswered too long has been escalated (once)."""

    question_id = models.PositiveBigIntegerField(unique=True)
    escalated_at = models.DateTimeField(default=timezone.now)
    notified = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"question {self.question_id} escalated {self.escalated_at}"
