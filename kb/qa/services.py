"""Writes for questions and answers: every rule lives here, nothing half-saves."""

from collections.abc import Iterable

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
from kb.communities.models import CommunityPage
from kb.communities.selectors import community_get, default_community, is_curator

from .models import Answer, Comment, Question, QuestionFollow, Revision, Vote
from .signals import post_changed

TITLE_MIN, TITLE_MAX = 10, 200
BODY_MIN, BODY_MAX = 20, 30000
COMMENT_MIN, COMMENT_MAX = 1, 600
MAX_TAGS = 5


# -- validation ---------------------------------------------------------------


def _clean_title(title: str | None, errors: dict) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        errors["title"] = [
            _("Title must be at least %(n)d characters.") % {"n": TITLE_MIN}
        ]
    elif len(title) > TITLE_MAX:
        errors["title"] = [
            _("Title must be at most %(n)d characters.") % {"n": TITLE_MAX}
        ]
    return title


def _clean_body(body: str | None, errors: dict, *, field: str = "body") -> str:
    body = (body or "").strip()
    if len(body) < BODY_MIN:
        errors[field] = [_("Body must be at least %(n)d characters.") % {"n": BODY_MIN}]
    elif len(body) > BODY_MAX:
        errors[field] = [_("Body must be at most %(n)d characters.") % {"n": BODY_MAX}]
    return body


def _clean_tags(raw, errors: dict) -> list[str]:
    names, messages = tags_clean(raw, max_tags=MAX_TAGS)
    if messages:
        errors["tags"] = messages
    return names


def _resolve_community(community, errors: dict) -> CommunityPage | None:
    if isinstance(community, CommunityPage):
        if community.live:
            return community
        errors["community"] = [_("Unknown community.")]
        return None
    if community in (None, ""):
        found = default_community()
    else:
        found = community_get(slug=str(community))
    if found is None:
        errors["community"] = [_("Unknown community.")]
    return found


def _clean_comment(body: str | None) -> str:
    body = (body or "").strip()
    if len(body) < COMMENT_MIN:
        raise ValidationFailed({"body": [_("A comment cannot be empty.")]})
    if len(body) > COMMENT_MAX:
        raise ValidationFailed(
            {"body": [_("Comments are at most %(n)d characters.") % {"n": COMMENT_MAX}]}
        )
    return body


# -- permissions --------------------------------------------------------------


def can_edit(*, user, post: Question | Answer) -> bool:
    """Authors edit their own posts; curators edit any post in their community."""
    if not getattr(user, "is_authenticated", False):
        return False
    if post.author_id == user.pk:
        return True
    question = post if isinstance(post, Question) else post.question
    return is_curator(user, question.community)


def can_accept(*, user, question: Question) -> bool:
    """The asker or a curator of the question's community."""
    if not getattr(user, "is_authenticated", False):
        return False
    return question.author_id == user.pk or is_curator(user, question.community)


def can_delete_question(*, user, question: Question) -> bool:
    """The author while unanswered, or a curator."""
    if not getattr(user, "is_authenticated", False):
        return False
    if question.author_id == user.pk and question.answer_count == 0:
        return True
    return is_curator(user, question.community)


def _notify(*, kind: str, pk: int, question_id: int, action: str) -> None:
    # Inside the transaction: listeners (the search outbox) record the change
    # atomically with it, even for writes that bypass save() (F() score updates).
    content_changed.send(sender=Question, model=Question, pk=question_id)
    transaction.on_commit(
        lambda: post_changed.send(
            sender=Question if kind == "question" else Answer,
            kind=kind,
            pk=pk,
            question_id=question_id,
            action=action,
        )
    )


def _tags_text(names: Iterable[str]) -> str:
    return " ".join(sorted(names))


def _clean_language(chosen: str | None, text: str, author, errors: dict) -> str:
    try:
        return content_language(chosen=chosen, text=text, author=author)
    except ValidationFailed as error:
        errors.update(error.errors)
        return ""


# -- questions ----------------------------------------------------------------


def question_create(
    *,
    author,
    title: str,
    body: str,
    tags: str | Iterable[str] | None = None,
    community: CommunityPage | str | None = None,
    language: str | None = None,
) -> Question:
    """Ask a question (author follows it); first revision recorded. ``language``
    is the author's choice, else detected from the text."""
    errors: dict[str, list[str]] = {}
    title = _clean_title(title, errors)
    body = _clean_body(body, errors)
    names = _clean_tags(tags, errors)
    target = _resolve_community(community, errors)
    written_in = _clean_language(language, f"{title}\n{body}", author, errors)
    if errors:
        raise ValidationFailed(errors)
    rate_limit_check(user=author, action="post")
    now = timezone.now()
    with transaction.atomic():
        question = Question.objects.create(  # type: ignore[misc]
            title=title,
            body=body,
            language=written_in,
            body_html=render_markdown(body),
            author=author,
            community=target,
            created_at=now,
            last_activity_at=now,
        )
        if names:
            question.tags.set(names)
        Revision.objects.create(
            question=question,
            author=author,
            title=title,
            body=body,
            tags=_tags_text(names),
            created_at=now,
        )
        QuestionFollow.objects.get_or_create(user=author, question=question)
        _notify(
            kind="question", pk=question.pk, question_id=question.pk, action="created"
        )
    return question


def question_edit(
    *,
    question: Question,
    by,
    title: str | None = None,
    body: str | None = None,
    tags: str | Iterable[str] | None = None,
    language: str | None = None,
) -> Question:
    """Edit a question (author or curator); every edit becomes a revision. The
    language is re-detected when the text changes, unless ``language`` is given."""
    if not can_edit(user=by, post=question):
        raise PermissionDenied(_("You can only edit your own posts."))
    errors: dict[str, list[str]] = {}
    new_title = question.title if title is None else _clean_title(title, errors)
    new_body = question.body if body is None else _clean_body(body, errors)
    old_names = sorted(t.name for t in question.tags.all())
    new_names = old_names if tags is None else _clean_tags(tags, errors)
    text_changed = (new_title, new_body) != (question.title, question.body)
    new_language = (
        _clean_language(language, f"{new_title}\n{new_body}", question.author, errors)
        if language or text_changed or not question.language
        else question.language
    )
    if errors:
        raise ValidationFailed(errors)
    rate_limit_check(user=by, action="post")
    if (
        new_title == question.title
        and new_body == question.body
        and sorted(new_names) == old_names
        and new_language == question.language
    ):
        return question
    now = timezone.now()
    with transaction.atomic():
        question.title = new_title
        question.body = new_body
        question.body_html = render_markdown(new_body)
        question.language = new_language
        question.last_activity_at = now
        question.save(
            update_fields=[
                "title",
                "body",
                "body_html",
                "language",
                "last_activity_at",
                "updated_at",
            ]
        )
        question.tags.set(new_names)
        Revision.objects.create(
            question=question,
            author=by,
            title=new_title,
            body=new_body,
            tags=_tags_text(new_names),
            created_at=now,
        )
        _notify(
            kind="question", pk=question.pk, question_id=question.pk, action="edited"
        )
    return question


def question_close(
    *, question: Question, by, reason: str, duplicate_of: int | Question | None = None
) -> Question:
    """Close as duplicate (of another visible question) or off-topic: curators."""
    if not is_curator(by, question.community):
        raise PermissionDenied(_("Only community leads can close questions."))
    if question.is_closed:
        raise ValidationFailed({"status": [_("This question is already closed.")]})
    if reason not in Question.CloseReason.values:
        raise ValidationFailed(
            {"reason": [_("Choose a reason: duplicate or off_topic.")]}
        )
    original = None
    if reason == Question.CloseReason.DUPLICATE:
        original_id = getattr(duplicate_of, "pk", duplicate_of)
        if not original_id:
            raise ValidationFailed(
                {"duplicate_of": [_("Say which question this duplicates.")]}
            )
        original = Question.objects.visible().filter(pk=original_id).first()
        if original is None:
            raise ValidationFailed({"duplicate_of": [_("No such question.")]})
        if original.pk == question.pk:
            raise ValidationFailed(
                {"duplicate_of": [_("A question cannot duplicate itself.")]}
            )
    now = timezone.now()
    with transaction.atomic():
        _status_set(
            question,
            status=Question.Status.CLOSED,
            reason=reason,
            duplicate_of=original,
            by=by,
            at=now,
            action="closed",
        )
        audit(
            question,
            "hallway.question.close",
            by=by,
            reason=reason,
            duplicate_of=original.pk if original else "-",
        )
    return question


def _status_set(
    question: Question, *, status: str, reason: str, duplicate_of, by, at, action: str
) -> None:
    """Write a close or reopen (and tell listeners) inside the caller's transaction."""
    question.status = status
    question.close_reason = reason
    question.duplicate_of = duplicate_of
    question.closed_by = by
    question.closed_at = at if by else None
    question.last_activity_at = at
    question.save(
        update_fields=[
            "status",
            "close_reason",
            "duplicate_of",
            "closed_by",
            "closed_at",
            "last_activity_at",
            "updated_at",
        ]
    )
    _notify(kind="question", pk=question.pk, question_id=question.pk, action=action)


def question_reopen(*, question: Question, by) -> Question:
    """Reopen a closed question: curators."""
    if not is_curator(by, question.community):
        raise PermissionDenied(_("Only community leads can reopen questions."))
    if not question.is_closed:
        raise ValidationFailed({"status": [_("This question is not closed.")]})
    with transaction.atomic():
        _status_set(
            question,
            status=Question.Status.OPEN,
            reason="",
            duplicate_of=None,
            by=None,
            at=timezone.now(),
            action="reopened",
        )
        audit(question, "hallway.question.reopen", by=by)
    return question


def question_delete(*, question: Question, by) -> Question:
    """Soft delete: the author while unanswered, or a curator."""
    if not can_delete_question(user=by, question=question):
        raise PermissionDenied(
            _("Only the author (before any answer) or a lead can delete this.")
        )
    with transaction.atomic():
        question.is_deleted = True
        question.deleted_at = timezone.now()
        question.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        _notify(
            kind="question", pk=question.pk, question_id=question.pk, action="deleted"
        )
        audit(question, "hallway.question.delete", by=by, author=question.author_id)
    return question


def question_restore(*, question: Question, by) -> Question:
    """Undo a soft delete (curators, from the admin)."""
    if not is_curator(by, question.community):
        raise PermissionDenied(_("Only community leads can restore questions."))
    with transaction.atomic():
        question.is_deleted = False
        question.deleted_at = None
        question.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        _notify(
            kind="question", pk=question.pk, question_id=question.pk, action="restored"
        )
        audit(question, "hallway.question.restore", by=by)
    return question


def question_view_count(*, question: Question) -> None:
    """Count one view (exact under concurrency)."""
    Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)
    question.view_count += 1


def question_follow_set(*, question: Question, user, follow: bool) -> bool:
    """Follow or unfollow a question; returns whether ``user`` now follows it."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to follow questions."))
    if follow:
        QuestionFollow.objects.get_or_create(user=user, question=question)
    else:
        QuestionFollow.objects.filter(user=user, question=question).delete()
    return follow


# -- answers ------------------------------------------------------------------


def _ensure_open(question: Question) -> None:
    if question.is_deleted:
        raise Http404
    if question.is_closed:
        raise PermissionDenied(_("This question is closed: it takes no new answers."))


def answer_create(
    *, question: Question, author, body: str, language: str | None = None
) -> Answer:
    """Answer an open question; keeps the count and activity times exact."""
    _ensure_open(question)
    errors: dict[str, list[str]] = {}
    body = _clean_body(body, errors)
    written_in = _clean_language(language, body, author, errors)
    if errors:
        raise ValidationFailed(errors)
    rate_limit_check(user=author, action="post")
    now = timezone.now()
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question,
            body=body,
            language=written_in,
            body_html=render_markdown(body),
            author=author,
            created_at=now,
        )
        Revision.objects.create(answer=answer, author=author, body=body, created_at=now)
        Question.objects.filter(pk=question.pk).update(
            answer_count=F("answer_count") + 1, last_activity_at=now
        )
        Question.objects.filter(pk=question.pk, first_answer_at__isnull=True).update(
            first_answer_at=now
        )
        _notify(kind="answer", pk=answer.pk, question_id=question.pk, action="created")
    question.refresh_from_db(
        fields=["answer_count", "last_activity_at", "first_answer_at"]
    )
    return answer


def answer_edit(
    *, answer: Answer, by, body: str, language: str | None = None
) -> Answer:
    """Edit an answer (author or curator); the edit becomes a revision."""
    if not can_edit(user=by, post=answer):
        raise PermissionDenied(_("You can only edit your own posts."))
    errors: dict[str, list[str]] = {}
    body = _clean_body(body, errors)
    new_language = (
        _clean_language(language, body, answer.author, errors)
        if language or body != answer.body or not answer.language
        else answer.language
    )
    if errors:
        raise ValidationFailed(errors)
    rate_limit_check(user=by, action="post")
    if body == answer.body and new_language == answer.language:
        return answer
    now = timezone.now()
    with transaction.atomic():
        answer.body = body
        answer.body_html = render_markdown(body)
        answer.language = new_language
        answer.save(update_fields=["body", "body_html", "language", "updated_at"])
        Revision.objects.create(answer=answer, author=by, body=body, created_at=now)
        Question.objects.filter(pk=answer.question_id).update(last_activity_at=now)
        _notify(
            kind="answer", pk=answer.pk, question_id=answer.question_id, action="edited"
        )
    return answer


def answer_accept(*, answer: Answer, by) -> Question:
    """Mark ``answer`` as the accepted one (asker or curator); replaces any other."""
    question = answer.question
    if answer.is_deleted or question.is_deleted:
        raise Http404
    if not can_accept(user=by, question=question):
        raise PermissionDenied(
            _("Only the person who asked (or a lead) can accept an answer.")
        )
    if question.accepted_answer_id == answer.pk:
        raise ValidationFailed({"answer": [_("This answer is already accepted.")]})
    with transaction.atomic():
        question.accepted_answer = answer
        question.last_activity_at = timezone.now()
        question.save(
            update_fields=["accepted_answer", "last_activity_at", "updated_at"]
        )
        _notify(kind="answer", pk=answer.pk, question_id=question.pk, action="accepted")
    return question


def answer_delete(*, answer: Answer, by) -> Answer:
    """Soft delete an answer (author or curator); counts stay exact."""
    if not can_edit(user=by, post=answer):
        raise PermissionDenied(_("You can only delete your own posts."))
    if answer.is_deleted:
        return answer
    with transaction.atomic():
        answer.is_deleted = True
        answer.deleted_at = timezone.now()
        answer.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        Question.objects.filter(pk=answer.question_id).update(
            answer_count=F("answer_count") - 1
        )
        Question.objects.filter(
            pk=answer.question_id, accepted_answer_id=answer.pk
        ).update(accepted_answer=None)
        _notify(
            kind="answer",
            pk=answer.pk,
            question_id=answer.question_id,
            action="deleted",
        )
        audit(
            answer,
            "hallway.answer.delete",
            by=by,
            question=answer.question_id,
            author=answer.author_id,
        )
    return answer


def answer_restore(*, answer: Answer, by) -> Answer:
    """Undo an answer's soft delete (curators, from the admin)."""
    if not is_curator(by, answer.question.community):
        raise PermissionDenied(_("Only community leads can restore answers."))
    if not answer.is_deleted:
        return answer
    with transaction.atomic():
        answer.is_deleted = False
        answer.deleted_at = None
        answer.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
        Question.objects.filter(pk=answer.question_id).update(
            answer_count=F("answer_count") + 1
        )
        _notify(
            kind="answer",
            pk=answer.pk,
            question_id=answer.question_id,
            action="restored",
        )
        audit(answer, "hallway.answer.restore", by=by, question=answer.question_id)
    return answer


# -- comments -----------------------------------------------------------------


def comment_create(
    *, author, target: Question | Answer, body: str, language: str | None = None
) -> Comment:
    """Comment (plain text with links, 1-600 characters) on a question or answer;
    its language is ``language`` or detected from the text."""
    question = target if isinstance(target, Question) else target.question
    if question.is_deleted or getattr(target, "is_deleted", False):
        raise Http404
    body = _clean_comment(body)
    written_in = content_language(chosen=language, text=body, author=author)
    rate_limit_check(user=author, action="comment")
    now = timezone.now()
    with transaction.atomic():
        comment = Comment.objects.create(
            language=written_in,
            question=target if isinstance(target, Question) else None,
            answer=target if isinstance(target, Answer) else None,
            author=author,
            body=body,
            body_html=render_plain_with_links(body),
            created_at=now,
        )
        Question.objects.filter(pk=question.pk).update(last_activity_at=now)
        _notify(
            kind="comment", pk=comment.pk, question_id=question.pk, action="created"
        )
    return comment


# -- votes --------------------------------------------------------------------


def vote_cast(*, user, target: Question | Answer, value: int) -> tuple[int, int]:
    """Vote +1/-1 or remove (0); returns ``(score, my_vote)``, exact under races."""
    if value not in (1, -1, 0):
        raise ValidationFailed({"value": [_("A vote is 1, -1 or 0 (remove).")]})
    question = target if isinstance(target, Question) else target.question
    if question.is_deleted or getattr(target, "is_deleted", False):
        raise Http404
    if target.author_id == user.pk:
        raise PermissionDenied(_("You cannot vote on your own post."))
    rate_limit_check(user=user, action="vote")
    model = type(target)
    field = "question" if isinstance(target, Question) else "answer"
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _vote_apply(
                    user=user, target=target, model=model, field=field, value=value
                )
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _vote_apply(*, user, target, model, field: str, value: int) -> tuple[int, int]:
    votes = Vote.objects.select_for_update().filter(user=user, **{field: target})
    existing = votes.first()
    old = existing.value if existing else 0
    if old == value:
        if value == 0:
            raise ValidationFailed({"value": [_("You have not voted on this post.")]})
        raise ValidationFailed({"value": [_("You already voted this way.")]})
    if value == 0:
        existing.delete()  # type: ignore[union-attr]
    elif existing:
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        Vote.objects.create(user=user, value=value, **{field: target})
    model.objects.filter(pk=target.pk).update(score=F("score") + (value - old))
    target.score = model.objects.values_list("score", flat=True).get(pk=target.pk)
    question_id = target.pk if field == "question" else target.question_id
    _notify(kind=field, pk=target.pk, question_id=question_id, action="voted")
    return target.score, value
