"""Reading knowledge pages: rendering, sanitising, freshness, feedback, drafts."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hallway.signals import content_changed
from kb.communities.models import KnowledgePage, KnowledgeSource, PageFeedback
from kb.communities.selectors import knowledge_pages_due_for_review
from kb.communities.services import knowledge_page_verify
from tests.communities.factories import make_page
from tests.factories import UserFactory

LONG_MARKDOWN = """
## Install

Run the installer.

```python
print("hello")
```

## Configure

Set `DEPLOY_ENV`.

### Secrets

Keep them in the vault.

## Install

A second section with the same title.
"""


def test_page_renders_blocks_toc_and_highlighting(client, community, lead):
    page = make_page(community, author=lead, markdown=LONG_MARKDOWN)
    page.body = [
        ("markdown", LONG_MARKDOWN),
        ("code", {"language": "bash", "code": "make deploy", "caption": "Deploy"}),
        ("callout", {"kind": "warning", "text": "Never on **Fridays**."}),
        (
            "related_questions",
            [{"title": "How to roll back?", "url": "https://example.org/q/1"}],
        ),
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert '<nav class="kb-toc"' in html
    assert 'href="#install"' in html and 'href="#install-2"' in html
    assert 'id="secrets"' in html
    assert 'class="highlight"' in html
    assert "callout-warning" in html and "<strong>Fridays</strong>" in html
    assert "How to roll back?" in html


def test_markdown_blocks_are_sanitised(client, community, lead):
    evil = (
        '<script>alert("x")</script>\n\n[click](javascript:alert(1))\n\n'
        '<img src=x onerror="alert(2)">'
    )
    page = make_page(community, author=lead, markdown=evil)
    page.body = [
        ("markdown", evil),
        ("callout", {"kind": "note", "text": evil}),
        ("code", {"language": "html", "code": "<script>alert(3)</script>"}),
    ]
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    body = html[html.index('class="prose kb-body"') :]
    assert "<script>alert" not in body
    assert "javascript:alert" not in body
    assert "onerror" not in body
    api = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert "<script>" not in api["body_html"] and "onerror" not in api["body_html"]


def test_drafts_never_show_to_readers(client, community, lead, member):
    draft = make_page(community, author=lead, title="Secret draft", publish=False)
    client.force_login(member)
    assert client.get(f"/knowledge/{community.slug}/{draft.slug}/").status_code == 404
    assert "Secret draft" not in client.get(community.url).content.decode()

    live = make_page(community, author=lead, title="Public", markdown="Version one")
    live.body = [("markdown", "Unpublished version two")]
    live.save_revision()
    html = client.get(live.url).content.decode()
    assert "Version one" in html and "Unpublished version two" not in html


def test_new_page_is_not_due_until_its_interval_passes(community, lead):
    page = make_page(community, author=lead)
    assert page.needs_review is False
    assert knowledge_pages_due_for_review(user=lead) == []


def test_page_falls_due_after_interval_and_verification_resets_it(
    client, community, lead
):
    page = make_page(community, author=lead)
    long_ago = timezone.now() - timedelta(days=200)
    KnowledgePage.objects.filter(pk=page.pk).update(
        last_published_at=long_ago, verified_at=long_ago - timedelta(days=1)
    )
    page.refresh_from_db()
    assert page.needs_review is True
    assert knowledge_pages_due_for_review(user=lead) == [page]
    client.force_login(lead)
    assert "Needs review." in client.get(page.url).content.decode()
    dashboard = client.get(reverse("curation:dashboard")).content.decode()
    assert page.title in dashboard

    knowledge_page_verify(page=page, by=lead)
    page.refresh_from_db()
    assert page.needs_review is False
    assert knowledge_pages_due_for_review(user=lead) == []
    assert "Needs review." not in client.get(page.url).content.decode()


def test_shorter_interval_makes_a_page_due_sooner(community, lead):
    page = make_page(community, author=lead)
    KnowledgePage.objects.filter(pk=page.pk).update(
        review_interval_days=7,
        last_published_at=timezone.now() - timedelta(days=8),
    )
    page.refresh_from_db()
    assert page.needs_review is True


def test_verification_survives_publishing_a_new_revision(community, lead):
    page = make_page(community, author=lead)
    knowledge_page_verify(page=page, by=lead)
    page = KnowledgePage.objects.get(pk=page.pk)
    latest = page.get_latest_revision_as_object()
    latest.summary = "Changed"
    latest.save_revision(user=lead).publish()
    page.refresh_from_db()
    assert page.summary == "Changed"
    assert page.verified_by == lead


def test_a_changed_source_makes_the_page_due(community, lead):
    page = make_page(community, author=lead)
    source = KnowledgeSource.objects.create(
        page=page,
        kind="url",
        url="https://example.org",
        title="Example",
        source_updated_at=timezone.now() - timedelta(days=1),
    )
    assert page.needs_review is False
    KnowledgeSource.objects.filter(pk=source.pk).update(
        changed_at=timezone.now() + timedelta(seconds=1)
    )
    page = KnowledgePage.objects.get(pk=page.pk)
    assert page.needs_review is True
    assert page in knowledge_pages_due_for_review(user=lead)


def test_feedback_is_one_per_user_and_counted(client, community, lead, member):
    page = make_page(community, author=lead)
    url = reverse("communities:knowledge-page-feedback", args=[page.pk])
    client.force_login(member)
    client.post(url, {"helpful": "yes"}, HTTP_HX_REQUEST="true")
    response = client.post(
        url, {"helpful": "no", "comment": "Missing rollback"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "0 found this helpful · 1 did not" in response.content.decode()
    feedback = PageFeedback.objects.get()
    assert (feedback.user, feedback.helpful, feedback.comment) == (
        member,
        False,
        "Missing rollback",
    )
    client.force_login(lead)
    client.post(url, {"helpful": "yes"})
    assert PageFeedback.objects.count() == 2
    html = client.get(page.url).content.decode()
    assert "1 found this helpful · 1 did not" in html
    assert "Missing rollback" in html  # leads see comments


def test_readers_do_not_see_feedback_comments(client, community, lead, member):
    page = make_page(community, author=lead)
    PageFeedback.objects.create(page=page, user=lead, helpful=False, comment="Meh")
    client.force_login(member)
    assert "Meh" not in client.get(page.url).content.decode()


def test_feedback_needs_login(client, community, lead):
    page = make_page(community, author=lead)
    url = reverse("communities:knowledge-page-feedback", args=[page.pk])
    response = client.post(url, {"helpful": "yes"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PageFeedback.objects.exists()


def test_feedback_on_a_draft_is_404(client, community, lead, member):
    page = make_page(community, author=lead, publish=False)
    client.force_login(member)
    url = reverse("communities:knowledge-page-feedback", args=[page.pk])
    assert client.post(url, {"helpful": "yes"}).status_code == 404


def test_knowledge_page_query_count_is_constant(client, community, lead, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = make_page(community, author=lead)
    client.force_login(member)
    client.get(page.url)  # warm caches (site root, content types)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page.url).status_code == 200
        return len(ctx)

    one = count()
    for n in range(5):
        KnowledgeSource.objects.create(page=page, kind="url", title=f"S{n}")
        PageFeedback.objects.create(
            page=page, user=UserFactory(), helpful=True, comment=f"c{n}"
        )
        page.owners.add(UserFactory())
    assert count() == one
    assert one <= 26  # includes the header bell's unread count


def test_verifying_announces_the_change_for_search(community, lead):
    page = make_page(community, author=lead)
    seen = []

    def listener(sender, *, model, pk, **kwargs):
        seen.append((model, pk))

    content_changed.connect(listener)
    try:
        knowledge_page_verify(page=page, by=lead)
    finally:
        content_changed.disconnect(listener)
    assert seen == [(KnowledgePage, page.pk)]
