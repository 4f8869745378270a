"""What a knowledge page's document says: headings do not run into the next
sentence in snippets."""

import pytest

from search.sources import page_to_document
from tests.communities.factories import make_community, make_page

pytestmark = pytest.mark.django_db


def test_a_heading_ends_before_the_next_sentence(user):
    community = make_community(lead=user)
    page = make_page(
        community,
        author=user,
        markdown="## Before you deploy\n\nThe pipeline is green.\n\n## Why?\n\nSafety.",
    )
    body = page_to_document(page)["body"]
    assert "Before you deploy: The pipeline is green. Why? Safety." in body
