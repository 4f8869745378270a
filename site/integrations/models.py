"""Webhooks and chat channels (one model: an endpoint of a kind), their deliveries."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    """A random signing secret (shown once to whoever creates the webhook)."""
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An endpoint that receives events: a signed webhook or a team chat channel.

    ``community`` is the scope: empty means organisation-wide (only content
    everyone may read), otherwise only that community's content, including
    content only its members may read.
    """

    class Kind(models.TextChoices):
        HALLWAY = "hallway", _("Webhook (signed Hallway JSON)")
        SLACK = "slack", _("Slack")
        TEAMS = "teams", _("Microsoft Teams")
        MATTERMOST = "mattermost", _("Mattermost")
        JSON = "json", _("Generic JSON chat")

    CHAT_KINDS = (Kind.SLACK, Kind.TEAMS, Kind.MATTERMOST, Kind.JSON)

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.HALLWAY
    )
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("secret"), max_length=200, default=new_secret)
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("community"),
        help_text=_("Empty: organisation-wide, organisation-visible content only."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language chat messages are written in."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(
        _("failing since"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"

    @property
    def is_chat(self) -> bool:
        return self.kind in self.CHAT_KINDS


class DeliveryQuerySet(models.QuerySet):
    """Reusable read filters for deliveries."""

    def pending(self) -> "DeliveryQuerySet":
        return self.filter(status=Delivery.Status.PENDING)


class Delivery(models.Model):
    """One event for one endpoint; the body is frozen when the event happens."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=60)
    event_id = models.UUIDField()
    body = models.TextField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_status_code = models.PositiveIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_response_ms = models.PositiveIntegerField(
        _("last response time (ms)"), null=True, blank=True
    )
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["webhook", "-created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: what came back and how long it took."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class SsoGroupMapping(models.Model):
    """An identity-provider group that makes its people members, team or leads."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        TEAM = "team", _("Team")
        LEAD = "lead", _("Lead")

    group = models.CharField(
        _("group"),
        max_length=200,
        help_text=_("The group name exactly as the identity provider sends it."),
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.CASCADE,
        related_name="sso_group_mappings",
        verbose_name=_("community"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )

    class Meta:
        ordering = ["group", "pk"]
        verbose_name = _("single sign-on group mapping")
        verbose_name_plural = _("single sign-on group mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "community"], name="integrations_one_role_per_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.community} ({self.get_role_display()})"


class OidcIdentity(models.Model):
    """Which identity-provider account (issuer + subject) a person signs in with."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    last_login_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="integrations_one_identity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}@{self.issuer}"
