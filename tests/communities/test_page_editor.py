"""Members edit knowledge pages in Hallway's own editor (#18): every save is a
Wagtail revision, published or sent to the lead's review as the permissions
say; history for editors only; nobody else edits or sees drafts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Revision, WorkflowState

from kb.communities.models import KnowledgePage
from kb.communities.services import knowledge_page_verify
from tests.communities.factories import make_page


def edit_url(page) -> str:
    return reverse("communities:knowledge-page-edit", args=[page.pk])


def history_url(page) -> str:
    return reverse("communities:knowledge-page-history", args=[page.pk])


def form_data(page, **changes) -> dict:
    """What the editor posts for ``page`` unchanged, with ``changes`` applied."""
    data = {
        "title": page.title,
        "summary": page.summary,
        "tags": "",
        "language": "",
        "base_revision": page.latest_revision_id,
        "action": "draft",
    }
    for index, block in enumerate(page.body.raw_data):
        if block["type"] == "markdown":
            data[f"section-{index}"] = block["value"]
        elif block["type"] == "callout":
            data[f"section-{index}"] = block["value"]["text"]
    data.update(changes)
    return data


def revisions_of(page) -> list[Revision]:
    return list(KnowledgePage.objects.get(pk=page.pk).revisions.order_by("pk"))


@pytest.fixture
def live_page(community, lead):
    return make_page(community, author=lead, markdown="First version.")


def test_a_member_edits_and_the_version_waits_for_the_leads_review(
    client, member, live_page
):
    client.force_login(member)
    form = client.get(edit_url(live_page))
    assert form.status_code == 200
    html = form.content.decode()
    assert "First version." in html and 'name="section-0"' in html
    # The same editor as questions: toolbar, suggestions, preview; no Wagtail.
    assert 'data-md-target="id_section-0"' in html
    assert 'data-md-suggest-for="id_section-0"' in html
    assert "/admin/" not in html
    assert "Submit for review" in html and 'value="publish"' not in html

    before = len(revisions_of(live_page))
    response = client.post(
        edit_url(live_page),
        form_data(
            live_page, **{"section-0": "Second **version**.", "action": "submit"}
        ),
    )
    assert response.status_code == 302
    assert response.url == history_url(live_page)

    page = KnowledgePage.objects.get(pk=live_page.pk)
    stored = revisions_of(page)
    assert len(stored) == before + 1
    assert stored[-1].user == member
    assert stored[-1].as_object().body.raw_data[0]["value"] == "Second **version**."
    # Readers still see the published version until a lead approves.
    assert "First version." in page.body_html
    assert page.has_unpublished_changes
    state = WorkflowState.objects.active().get(object_id=str(page.pk))
    assert state.requested_by == member

    history = client.get(history_url(page)).content.decode()
    assert "Waiting for review" in history and "Alice Andersen" in history
    # In review the page is locked for the member: the editor sends them back.
    again = client.get(edit_url(page))
    assert again.status_code == 302 and again.url == history_url(page)
    refused = client.post(edit_url(page), form_data(page, action="submit"))
    assert refused.status_code == 302
    assert len(revisions_of(page)) == before + 1


def test_a_lead_publishes_an_edit_and_verification_stays(client, lead, live_page):
    knowledge_page_verify(page=live_page, by=lead)
    client.force_login(lead)
    assert 'value="publish"' in client.get(edit_url(live_page)).content.decode()
    response = client.post(
        edit_url(live_page),
        form_data(
            live_page,
            title="Deploying safely, step by step",
            tags="deploy, ci",
            **{"section-0": "Run `deployctl`.", "action": "publish"},
        ),
    )
    page = KnowledgePage.objects.get(pk=live_page.pk)
    assert response.status_code == 302 and response.url == page.url
    assert page.title == "Deploying safely, step by step"
    assert "<code>deployctl</code>" in page.body_html
    assert sorted(t.name for t in page.tags.all()) == ["ci", "deploy"]
    assert page.live_revision_id == page.latest_revision_id
    assert page.verified_by == lead
    assert not page.has_unpublished_changes


def test_a_member_may_not_publish(client, member, live_page):
    client.force_login(member)
    before = len(revisions_of(live_page))
    response = client.post(
        edit_url(live_page),
        form_data(live_page, **{"section-0": "X", "action": "publish"}),
    )
    assert response.status_code == 403
    assert len(revisions_of(live_page)) == before
    assert "First version." in KnowledgePage.objects.get(pk=live_page.pk).body_html


def test_blocks_the_editor_cannot_show_are_kept_in_place(client, lead, community):
    page = make_page(community, author=lead, markdown="Intro.")
    draft = page.get_latest_revision_as_object()
    draft.body = [
        ("markdown", "Intro."),
        ("code", {"language": "bash", "code": "ls -l", "caption": "List"}),
        ("callout", {"kind": "warning", "text": "Careful."}),
    ]
    draft.save_revision(user=lead).publish(user=lead)
    page = KnowledgePage.objects.get(pk=page.pk)
    code_id = page.body.raw_data[1]["id"]

    client.force_login(lead)
    html = client.get(edit_url(page)).content.decode()
    assert 'name="section-1"' not in html and "kept as it is" in html
    client.post(
        edit_url(page),
        form_data(
            page,
            **{"section-0": "", "section-2": "Very careful.", "action": "publish"},
        ),
    )
    body = KnowledgePage.objects.get(pk=page.pk).body.raw_data
    # The emptied Markdown block went; the code block kept its id and value.
    assert [b["type"] for b in body] == ["code", "callout"]
    assert body[0]["id"] == code_id and body[0]["value"]["code"] == "ls -l"
    assert body[1]["value"] == {"kind": "warning", "text": "Very careful."}


def test_bad_input_gets_clear_errors_and_saves_nothing(client, lead, live_page):
    client.force_login(lead)
    before = len(revisions_of(live_page))
    response = client.post(
        edit_url(live_page),
        form_data(live_page, title="", tags="bad tag!", action="publish"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert len(revisions_of(live_page)) == before
    response = client.post(
        edit_url(live_page),
        form_data(live_page, tags="ok bad!tag", action="publish"),
    )
    assert response.status_code == 400
    assert "Malformed tag(s): bad!tag" in response.content.decode()
    assert len(revisions_of(live_page)) == before


def test_a_page_saved_meanwhile_is_not_overwritten(client, lead, member, live_page):
    client.force_login(member)
    stale = form_data(live_page, **{"section-0": "Mine.", "action": "draft"})
    newer = live_page.get_latest_revision_as_object()
    newer.body = [("markdown", "Theirs.")]
    newer.save_revision(user=lead)
    before = len(revisions_of(live_page))

    response = client.post(edit_url(live_page), stale)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone saved this page while you were editing it." in html
    assert "Mine." in html
    assert len(revisions_of(live_page)) == before


def test_markdown_is_sanitised_on_the_published_page(client, lead, live_page):
    client.force_login(lead)
    client.post(
        edit_url(live_page),
        form_data(
            live_page,
            **{
                "section-0": "<script>alert(1)</script>[x](javascript:alert(2))",
                "action": "publish",
            },
        ),
    )
    html = client.get(KnowledgePage.objects.get(pk=live_page.pk).url).content.decode()
    assert "<script>alert(1)" not in html and "javascript:alert" not in html


def test_readers_and_outsiders_cannot_edit_or_see_drafts(
    client, outsider, live_page, community, lead
):
    before = len(revisions_of(live_page))
    # Signed out: to the login page.
    assert client.get(edit_url(live_page)).status_code == 302
    # A signed-in person who is not a member: refused, nothing saved.
    client.force_login(outsider)
    html = client.get(live_page.url).content.decode()
    assert edit_url(live_page) not in html and history_url(live_page) not in html
    assert client.get(edit_url(live_page)).status_code == 403
    assert client.post(edit_url(live_page), form_data(live_page)).status_code == 403
    assert client.get(history_url(live_page)).status_code == 403
    new_url = reverse("communities:knowledge-page-new", args=[community.slug])
    assert client.get(new_url).status_code == 403
    child_url = reverse("communities:knowledge-page-new-child", args=[live_page.pk])
    response = client.post(
        child_url,
        {"title": "Mine", "summary": "S.", "section-0": "T.", "action": "submit"},
    )
    assert response.status_code == 403
    assert len(revisions_of(live_page)) == before
    assert KnowledgePage.objects.count() == 1
    # A draft nobody published stays unknown to them (404, not 403).
    draft = make_page(community, author=lead, title="Secret plans", publish=False)
    for url in (edit_url(draft), history_url(draft)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Secret plans" not in response.content.decode()


def test_a_member_adds_a_page_below_another_from_the_tree(client, member, live_page):
    community = live_page.community
    client.force_login(member)
    tree = client.get(reverse("communities:community-tree", args=[community.slug]))
    new_url = reverse("communities:knowledge-page-new", args=[community.slug])
    assert new_url in tree.content.decode()
    child_url = reverse("communities:knowledge-page-new-child", args=[live_page.pk])
    assert child_url in client.get(live_page.url).content.decode()

    response = client.post(
        child_url,
        {
            "title": "Rolling back",
            "summary": "How to undo a deploy.",
            "section-0": "Run `deployctl rollback`.",
            "tags": "deploy",
            "action": "submit",
        },
    )
    child = KnowledgePage.objects.get(title="Rolling back")
    assert response.status_code == 302 and response.url == history_url(child)
    assert child.get_parent().pk == live_page.pk
    assert not child.live and child.owner == member
    assert child.revisions.count() == 1
    assert WorkflowState.objects.active().filter(object_id=str(child.pk)).exists()
    assert child.language == "en"
    # Not in the tree for readers until a lead publishes it.
    client.logout()
    tree = client.get(reverse("communities:community-tree", args=[community.slug]))
    assert "Rolling back" not in tree.content.decode()


def test_a_lead_publishes_a_new_top_level_page(client, lead, community):
    client.force_login(lead)
    response = client.post(
        reverse("communities:knowledge-page-new", args=[community.slug]),
        {
            "title": "Verlof aanvragen",
            "summary": "Hoe je verlof aanvraagt en wie het goedkeurt.",
            "section-0": "Vraag je verlof aan in het HR-portaal.",
            "action": "publish",
        },
    )
    page = KnowledgePage.objects.get(title="Verlof aanvragen")
    assert response.status_code == 302 and response.url == page.url
    assert page.live and page.get_parent().pk == community.pk
    assert page.language == "nl"
    assert 'lang="nl"' in client.get(page.url).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_editor_and_history_take_a_constant_number_of_queries(client, lead, community):
    small = make_page(community, author=lead, title="Small", markdown="One.")
    big = make_page(community, author=lead, title="Big", markdown="One.")
    for n in range(6):
        draft = big.get_latest_revision_as_object()
        draft.body = [("markdown", f"Part {i}") for i in range(n + 2)]
        draft.save_revision(user=lead).publish(user=lead)
    big = KnowledgePage.objects.get(pk=big.pk)
    client.force_login(lead)
    _queries(client, edit_url(small))  # warm caches (content types, site)
    assert _queries(client, edit_url(small)) == _queries(client, edit_url(big))
    assert _queries(client, history_url(small)) == _queries(client, history_url(big))
