"""The one tag rule every app uses (pure unit)."""

import pytest

from hallway.tags import tags_clean, tags_parse


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


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("python django", None),
        ("c# c++ .net", "Malformed tag(s): .net."),
        ("bad!tag ok", "Malformed tag(s): bad!tag."),
        ("x" * 36, "Malformed tag(s)"),
        ("a b c d e f", "At most 5 tags."),
    ],
)
def test_one_rule_checks_the_names(raw, problem):
    names, messages = tags_clean(raw, max_tags=5)
    assert names == tags_parse(raw)
    if problem is None:
        assert messages == []
    else:
        assert len(messages) == 1
        assert messages[0].startswith(problem.rstrip("."))
