"""Markdown folder import: tree, front matter, images, idempotency and errors."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.images.models import Image

from kb.communities.models import KnowledgePage
from kb.imports.models import ImportedObject
from tests.communities.factories import make_community

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def community(db):
    return make_community(slug="platform", title="Platform")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "docs"
    write(
        root,
        "welcome.md",
        "---\ntitle: Welcome to the platform\ntags: [onboarding, Platform]\n"
        "summary: Where to start.\n---\n# Hello\n\nA diagram: "
        '![Deploy flow](img/flow.png "Flow")\n\n```python\nprint("hi")\n```\n',
    )
    write(root, "guides/index.md", "---\ntitle: All guides\n---\nGuides we trust.\n")
    write(
        root,
        "guides/deploy/01-rolling_deploys.md",
        "Roll out slowly.\n\n![same image](../../img/flow.png)\n",
    )
    write(root, ".hidden/secret.md", "not imported")
    (root / "img").mkdir()
    PILImage.new("RGB", (4, 3), "red").save(root / "img" / "flow.png")
    return root


def run(path, community="platform") -> str:
    out = StringIO()
    call_command("import_markdown", str(path), community=community, stdout=out)
    return out.getvalue()


def page(title: str) -> KnowledgePage:
    return KnowledgePage.objects.get(title=title)


def test_tree_becomes_draft_pages(community, tree):
    output = run(tree)

    welcome = page("Welcome to the platform")
    guides = page("All guides")
    deploy = page("Deploy")
    rolling = page("Rolling deploys")
    assert welcome.get_parent().specific == community
    assert guides.get_parent().specific == community
    assert deploy.get_parent().pk == guides.pk
    assert rolling.get_parent().pk == deploy.pk
    assert KnowledgePage.objects.count() == 4
    assert not KnowledgePage.objects.filter(live=True).exists()
    assert all(p.get_latest_revision() for p in KnowledgePage.objects.all())
    assert rolling.community == community
    assert "folders: 2" in output and "pages: 2" in output


def test_front_matter_and_body(community, tree):
    run(tree)

    welcome = page("Welcome to the platform")
    assert welcome.summary == "Where to start."
    assert set(welcome.tags.names()) == {"onboarding", "platform"}
    markdown = welcome.body[0].value
    assert welcome.body[0].block_type == "markdown"
    assert '```python\nprint("hi")\n```' in markdown
    assert page("All guides").summary == "Guides we trust."
    assert page("Rolling deploys").summary == "Roll out slowly."
    assert page("Deploy").summary == "Pages about Deploy."


def test_relative_images_become_wagtail_images(community, tree):
    run(tree)

    assert Image.objects.count() == 1
    image = Image.objects.get()
    assert (image.width, image.height) == (4, 3)
    url = image.file.url
    assert (
        f'![Deploy flow]({url} "Flow")' in page("Welcome to the platform").body[0].value
    )
    assert f"![same image]({url})" in page("Rolling deploys").body[0].value
    assert f'src="{url}"' in page("Welcome to the platform").body_html


def test_second_run_imports_nothing_new(community, tree):
    run(tree)
    keys = ImportedObject.objects.count()

    output = run(tree)

    assert KnowledgePage.objects.count() == 4
    assert Image.objects.count() == 1
    assert ImportedObject.objects.count() == keys
    assert "nothing new" in output
    assert "pages already imported: 4" in output

    write(tree, "guides/new.md", "---\ntitle: Brand new\n---\nFresh.\n")
    run(tree)
    assert page("Brand new").get_parent().pk == page("All guides").pk
    assert KnowledgePage.objects.count() == 5


def test_missing_image_is_reported_and_page_still_imported(community, tree):
    write(tree, "broken.md", "Text ![gone](nope.png) and ![web](https://x.org/a.png)\n")

    output = run(tree)

    assert "- broken.md: missing image: nope.png" in output
    body = page("Broken").body[0].value
    assert "![gone](nope.png)" in body and "https://x.org/a.png" in body


def test_unknown_community_is_an_error(community, tree):
    with pytest.raises(CommandError, match="Unknown community 'nope'"):
        run(tree, community="nope")
    assert KnowledgePage.objects.count() == 0


def test_missing_folder_is_an_error(community, tmp_path):
    with pytest.raises(CommandError, match="Folder not found"):
        run(tmp_path / "missing")
    assert ImportedObject.objects.count() == 0


def test_bad_files_are_reported_and_skipped(community, tree):
    write(tree, "bad-yaml.md", "---\ntitle: [unclosed\n---\nText.\n")
    (tree / "latin1.md").write_bytes("caf\xe9\n".encode("latin-1"))

    output = run(tree)

    assert "- bad-yaml.md: bad front matter:" in output
    assert "- latin1.md: unreadable:" in output
    assert KnowledgePage.objects.count() == 4
    assert not ImportedObject.objects.filter(external_id="bad-yaml.md").exists()
