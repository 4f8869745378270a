"""Questions, answers, comments, votes, revisions and follows.

Plain models rather than Wagtail pages: they are high-volume user posts,
moderated from the Wagtail admin. Rendered HTML is cached on each row
(``body_html``) so pages never render Markdown on read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

# Action URLs share the /questions/<id>/<word>/ shape with the detail page.
RESERVED_SLUGS = {
    "answer",
    "edit",
    "revisions",
    "comment",
    "vote",
    "follow",
    "close",
    "reopen",
    "delete",
}


class QuestionTag(TagBase):
    """A tag used on questions only (kept apart from Wagtail's image tags)."""

    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("One sentence on what the tag is for, shown on the tag index."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("question tag")
        verbose_name_plural = _("question tags")


class TaggedQuestion(ItemBase):
    """The link between a question and one of its tags."""

    tag = models.ForeignKey(
        QuestionTag, on_delete=models.CASCADE, related_name="tagged_questions"
    )
    content_object = models.ForeignKey(
        "Question", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="qa_one_tag_per_question"
            )
        ]


class QuestionQuerySet(models.QuerySet):
    """Reusable read filters for questions."""

    def visible(self) -> "QuestionQuerySet":
        """Not deleted, in a live community."""
        return self.filter(is_deleted=False, community__live=True)

    def visible_to(self, user) -> "QuestionQuerySet":
        """The one visibility rule for questions: what ``user`` may read is every
        visible question (communities are open). ``selectors.question_principals``
        states the same rule for one question, for indexes."""
        return self.visible()

    def open(self) -> "QuestionQuerySet":
        return self.filter(status=Question.Status.OPEN)

    def unanswered(self) -> "QuestionQuerySet":
        """No answer at all (as Stack Overflow counts it: no answers posted)."""
        return self.filter(answer_count=0)


class Question(models.Model):
    """A question asked in a community."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate")
        OFF_TOPIC = "off_topic", _("Off-topic")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=80, allow_unicode=False, blank=True)
    body = models.TextField(_("body"))
    body_html = models.TextField(editable=False)
    # The language the text is written in (detected when saved, the author may
    # change it); pages render it as ``lang`` and search filters on it.
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("author"),
    )
    community = models.ForeignKey(
        "communities.CommunityPage",
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("community"),
    )
    tags = TaggableManager(through=TaggedQuestion, blank=True)
    score = models.IntegerField(_("score"), default=0)
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    accepted_answer = models.ForeignKey(
        "Answer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    close_reason = models.CharField(
        max_length=20, choices=CloseReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    first_answer_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(fields=["-last_activity_at"]),
            models.Index(fields=["-score", "-created_at"]),
            models.Index(fields=["answer_count", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:80].strip("-") or "question"
            if self.slug in RESERVED_SLUGS:
                self.slug += "-question"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "qa:question-detail", kwargs={"pk": self.pk, "slug": self.slug or "q"}
        )

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None or self.answer_count > 0

    @property
    def time_to_first_answer(self):
        if self.first_answer_at is None:
            return None
        return self.first_answer_at - self.created_at


class AnswerQuerySet(models.QuerySet):
    def visible(self) -> "AnswerQuerySet":
        return self.filter(is_deleted=False)


class Answer(models.Model):
    """An answer to a question."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("question"),
    )
    body = models.TextField(_("body"))
    body_html = models.TextField(editable=False)
    # The language the text is written in (detected when saved, the author may
    # change it); pages render it as ``lang`` and search filters on it.
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("author"),
    )
    score = models.IntegerField(_("score"), default=0)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["question", "-score", "created_at"])]

    def __str__(self) -> str:
        return _("Answer %(pk)s to question %(question)s") % {
            "pk": self.pk,
            "question": self.question_id,
        }

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


def _one_target(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(question__isnull=False) & Q(answer__isnull=True))
        | (Q(question__isnull=True) & Q(answer__isnull=False)),
        name=name,
    )


class Comment(models.Model):
    """A short plain-text comment on a question or an answer (exactly one)."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_comments"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    is_deleted = models.BooleanField(default=False)
    # The language the text is written in (detected when saved, the author may
    # choose it); rendered as ``lang`` (#13).
    language = models.CharField(
        _("language"), max_length=8, blank=True, choices=settings.LANGUAGES
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [_one_target("qa_comment_one_target")]

    def __str__(self) -> str:
        return self.body[:50]


class Vote(models.Model):
    """One person's up (+1) or down (-1) vote on one question or answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qa_votes"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            _one_target("qa_vote_one_target"),
            models.CheckConstraint(
                condition=Q(value__in=[1, -1]), name="qa_vote_plus_or_minus_one"
            ),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="qa_one_vote_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="qa_one_vote_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.value:+d}"


class Revision(models.Model):
    """A snapshot of a question or answer after each save (the first is the post)."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    answer = models.ForeignKey(
        Answer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [_one_target("qa_revision_one_target")]

    def __str__(self) -> str:
        return f"Revision {self.pk}"


class QuestionFollow(models.Model):
    """Someone wants to hear about new activity on a question."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="question_follows",
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="qa_one_follow_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.question_id}"
