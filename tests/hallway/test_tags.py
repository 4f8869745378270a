"""The one tag rule every app uses (pure unit)."""

import pytest

from hallway.tags import tags_parse


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (None, []),
        ("", []),
        ("python, Django  htmx", ["python", "django", "htmx"]),
        ("#rust,#Rust rust", ["rust"]),
        (["machine learning", " SQL "], ["machine-learning", "sql"]),
        (["c#", "#c++"], ["c#", "c++"]),
        ("lease,,  ,contracts", ["lease", "contracts"]),
    ],
)
def test_what_people_type_becomes_tag_names(raw, names):
    assert tags_parse(raw) == names
