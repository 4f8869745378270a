"""Question and answer pages: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from hallway.errors import RateLimited, ValidationFailed
from hallway.http import is_htmx
from hallway.providers import provider
from hallway.tags import tags_parse
from kb.communities.selectors import (
    community_get,
    community_list,
    curations_for_many,
    is_curator,
)

from . import selectors, services
from .forms import AnswerForm, AskForm, CloseForm, CommentForm, QuestionForm
from .models import Question
from .signals import question_asked

PAGE_SIZE = 20
SORT_LABELS = {
    "newest": gettext_lazy("Newest"),
    "active": gettext_lazy("Active"),
    "unanswered": gettext_lazy("Unanswered"),
    "votes": gettext_lazy("Most votes"),
}


def question_list(request: HttpRequest) -> HttpResponse:
    """All questions: sort, filter by tag and community, paginate."""
    sort = request.GET.get("sort", "newest")
    if sort not in selectors.SORTS:
        sort = "newest"
    tag = request.GET.get("tag", "").strip().lower() or None
    communities = list(community_list())
    slug = request.GET.get("community") or None
    community = next((c for c in communities if c.slug == slug), None)
    qs = selectors.question_list(
        viewer=request.user, sort=sort, tag=tag, community=community
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return TemplateResponse(
        request,
        "qa/question_list.html",
        {
            "page": page,
            "questions": page.object_list,
            "sort": sort,
            "sorts": SORT_LABELS,
            "tag": tag,
            "community": community,
            "communities": communities,
            "query_string": params.urlencode(),
        },
    )


@login_required
def question_ask(request: HttpRequest) -> HttpResponse:
    """The Ask form: title, Markdown body with preview, tags, community."""
    # Prefill from links such as a journal entry's "Turn into a question".
    initial = {
        name: request.GET[name][:30000]
        for name in ("title", "body", "tags", "community")
        if request.GET.get(name)
    }
    form = AskForm(request.POST or None, initial=initial)
    from_entry = (
        request.POST.get("from_entry") or request.GET.get("from_entry") or ""
    )[:20]
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                community=community_get(slug=form.cleaned_data["community"]),
                language=form.cleaned_data["language"] or None,
            )
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except RateLimited as error:
            form.add_error(None, str(error))
        else:
            question_asked.send(
                sender=Question,
                question_id=question.pk,
                author_id=request.user.pk,
                from_entry=int(from_entry) if from_entry.isdigit() else None,
            )
            messages.success(request, _("Your question is posted."))
            return redirect(question.get_absolute_url())
    return TemplateResponse(
        request,
        "qa/question_ask.html",
        {"form": form, "from_entry": from_entry if from_entry.isdigit() else ""},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def question_similar(request: HttpRequest) -> HttpResponse:
    """Questions like the draft being typed (htmx fragment): the Ask form posts its
    title, body and community; a GET with a short title still works."""
    data = request.POST if request.method == "POST" else request.GET
    return TemplateResponse(
        request,
        "qa/_similar.html",
        {
            "similar": selectors.question_similar(
                title=data.get("title", "")[:300],
                body=data.get("body", "")[:2000],
                limit=5,
                viewer=request.user,
                community=data.get("community", "")[:80],
            )
        },
    )


@require_GET
def tag_suggest(request: HttpRequest) -> HttpResponse:
    """Existing tags matching the last word typed in the tags field (htmx)."""
    typed = tags_parse(request.GET.get("tags", ""))
    raw = request.GET.get("tags", "")
    prefix = "" if raw.endswith((" ", ",")) or not typed else typed[-1]
    suggestions = [
        t
        for t in selectors.tag_suggestions(prefix=prefix, limit=8)
        if t.name not in typed
    ]
    return TemplateResponse(
        request, "qa/_tag_suggestions.html", {"suggestions": suggestions}
    )


@require_GET
def tag_index(request: HttpRequest) -> HttpResponse:
    """Every tag in use on questions, with how often and what it is for."""
    return TemplateResponse(
        request, "qa/tag_index.html", {"tags": selectors.tag_index()}
    )


def question_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    """``/questions/<id>/`` → the canonical URL with the slug."""
    return redirect(selectors.question_get(pk=pk, viewer=request.user))


def _detail_response(
    request: HttpRequest,
    question: Question,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    answers = selectors.answer_list(question=question, viewer=user)
    selectors.comments_attach(question=question, answers=answers)
    curator = is_curator(user, question.community)
    curated = curations_for_many("answer", [answer.pk for answer in answers])
    post_sources = provider("post_sources")
    sources = post_sources([question], answers) if post_sources else {}
    question.source = sources.get(("question", question.pk))
    for answer in answers:
        answer.can_edit = curator or answer.author_id == user.pk
        answer.curated_pages = curated.get(answer.pk, [])
        answer.source = sources.get(("answer", answer.pk))
    return TemplateResponse(
        request,
        "qa/question_detail.html",
        {
            "question": question,
            "answers": answers,
            "is_curator": curator,
            "can_edit": curator or question.author_id == user.pk,
            "can_accept": curator or question.author_id == user.pk,
            "can_delete": curator
            or (question.author_id == user.pk and question.answer_count == 0),
            "following": selectors.is_following(user=user, question=question),
            "related_tags": selectors.related_tags(question=question),
            "answer_form": answer_form or AnswerForm(),
            "comment_form": CommentForm(),
            "close_form": CloseForm(),
        },
        status=status,
    )


def question_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A question with its answers, comments, votes and actions."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    if slug != question.slug:
        return redirect(question)
    viewed = request.session.get("qa_viewed", [])
    if pk not in viewed:
        services.question_view_count(question=question)
        request.session["qa_viewed"] = [*viewed[-199:], pk]
    return _detail_response(request, question)


def question_related(request: HttpRequest, pk: int) -> HttpResponse:
    """The question page's related questions, loaded once the page is shown
    (htmx; a page of its own without JavaScript): the page's costliest search,
    its title and body against every question, no longer holds the question
    and its answers back."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    related = selectors.question_similar(
        title=question.title,
        body=question.body[:2000],
        limit=5,
        exclude_pk=question.pk,
        viewer=request.user,
        community=question.community.slug if question.community_id else "",
    )
    return TemplateResponse(
        request,
        "qa/_related.html" if is_htmx(request) else "qa/related.html",
        {"question": question, "related_questions": related},
    )


@login_required
@require_POST
def answer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Post an answer; errors re-render the question page with the form."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_create(
                question=question,
                author=request.user,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"] or None,
            )
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except (RateLimited, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect(f"{question.get_absolute_url()}#answer-{answer.pk}")
    return _detail_response(request, question, answer_form=form, status=400)


def _edit_page(request, *, post, form, template_context) -> HttpResponse:
    return TemplateResponse(
        request,
        "qa/post_edit.html",
        {"form": form, "post": post, **template_context},
        status=400 if form.errors else 200,
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a question (author or community lead)."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    if not services.can_edit(user=request.user, post=question):
        raise PermissionDenied(_("You can only edit your own posts."))
    initial = {
        "title": question.title,
        "body": question.body,
        "tags": " ".join(sorted(t.name for t in question.tags.all())),
        "language": question.language,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_edit(
                question=question,
                by=request.user,
                **{
                    **form.cleaned_data,
                    "language": form.cleaned_data["language"] or None,
                },
            )
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except RateLimited as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your edit is saved."))
            return redirect(question)
    return _edit_page(
        request, post=question, form=form, template_context={"question": question}
    )


@login_required
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit an answer (author or community lead)."""
    answer = selectors.answer_get(pk=pk, viewer=request.user)
    if not services.can_edit(user=request.user, post=answer):
        raise PermissionDenied(_("You can only edit your own posts."))
    form = AnswerForm(
        request.POST or None, initial={"body": answer.body, "language": answer.language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_edit(
                answer=answer,
                by=request.user,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"] or None,
            )
        except ValidationFailed as error:
            form.add_service_errors(error.errors)
        except RateLimited as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your edit is saved."))
            return redirect(answer.get_absolute_url())
    return _edit_page(
        request, post=answer, form=form, template_context={"question": answer.question}
    )


def question_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision of a question with a diff against the one before."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    return TemplateResponse(
        request,
        "qa/revisions.html",
        {
            "question": question,
            "post": question,
            "revisions": selectors.revision_list(post=question),
        },
    )


def answer_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every revision of an answer with a diff against the one before."""
    answer = selectors.answer_get(pk=pk, viewer=request.user)
    return TemplateResponse(
        request,
        "qa/revisions.html",
        {
            "question": answer.question,
            "post": answer,
            "revisions": selectors.revision_list(post=answer),
        },
    )


def _comment(request: HttpRequest, target, question: Question) -> HttpResponse:
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(
                author=request.user,
                target=target,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"] or None,
            )
        except ValidationFailed as error:
            messages.error(request, error.text)
        except RateLimited as error:
            messages.error(request, str(error))
        else:
            return redirect(f"{question.get_absolute_url()}#comment-{comment.pk}")
    else:
        messages.error(request, _("A comment needs 1 to 600 characters."))
    return redirect(question)


@login_required
@require_POST
def question_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on a question."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    return _comment(request, question, question)


@login_required
@require_POST
def answer_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Comment on an answer."""
    answer = selectors.answer_get(pk=pk, viewer=request.user)
    return _comment(request, answer, answer.question)


def _vote(request: HttpRequest, target, question: Question, kind: str):
    message = ""
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 99
    try:
        target.score, target.my_vote = services.vote_cast(
            user=request.user, target=target, value=value
        )
    except (PermissionDenied, RateLimited) as error:
        message = str(error)
    except ValidationFailed as error:
        message = error.text
    if not is_htmx(request):
        if message:
            messages.error(request, message)
        anchor = f"#answer-{target.pk}" if kind == "answer" else ""
        return redirect(question.get_absolute_url() + anchor)
    return TemplateResponse(
        request,
        "qa/_vote.html",
        {"post": target, "kind": kind, "vote_message": message},
    )


@login_required
@require_POST
def question_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote on a question; htmx gets the updated vote widget."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    return _vote(request, question, question, "question")


@login_required
@require_POST
def answer_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Vote on an answer; htmx gets the updated vote widget."""
    answer = selectors.answer_get(pk=pk, viewer=request.user)
    return _vote(request, answer, answer.question, "answer")


@login_required
@require_POST
def answer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept an answer (the asker or a community lead)."""
    answer = selectors.answer_get(pk=pk, viewer=request.user)
    try:
        services.answer_accept(answer=answer, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationFailed as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Answer accepted."))
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def question_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Toggle following a question; htmx gets the updated button."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    following = services.question_follow_set(
        question=question, user=request.user, follow=request.POST.get("follow") == "1"
    )
    if is_htmx(request):
        return TemplateResponse(
            request, "qa/_follow.html", {"question": question, "following": following}
        )
    return redirect(question)


@login_required
@require_POST
def question_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close as duplicate or off-topic (community leads)."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason (and a question for duplicates)."))
        return redirect(question)
    try:
        services.question_close(
            question=question,
            by=request.user,
            reason=form.cleaned_data["reason"],
            duplicate_of=form.cleaned_data["duplicate_of"],
        )
    except ValidationFailed as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Question closed."))
    return redirect(question)


@login_required
@require_POST
def question_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed question (community leads)."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    try:
        services.question_reopen(question=question, by=request.user)
    except ValidationFailed as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Question reopened."))
    return redirect(question)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Soft delete a question (author while unanswered, or a lead)."""
    question = selectors.question_get(pk=pk, viewer=request.user)
    services.question_delete(question=question, by=request.user)
    messages.success(request, _("Question deleted. A lead can restore it."))
    return redirect("qa:question-list")


@login_required
@require_POST
def answer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Soft delete an answer (author or lead)."""
    answer = selectors.answer_get(pk=pk, viewer=request.user)
    services.answer_delete(answer=answer, by=request.user)
    messages.success(request, _("Answer deleted."))
    return redirect(answer.question)
