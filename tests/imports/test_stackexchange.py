"""Stack Exchange dump import: mapping, idempotency, interruption and bad input."""

import gzip
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.template import Context, Template

from kb.imports import demo
from kb.imports.dump import (
    RowError,
    UserRow,
    link_host,
    parse_tag,
    parse_tags,
    parse_user,
    site_host,
)
from kb.imports.models import Attribution, ImportedObject, RelatedQuestion
from kb.imports.selectors import (
    attribution_for,
    attributions_for,
    related_questions_for,
)
from kb.imports.stackexchange import StackExchangeImporter
from kb.qa.models import Answer, Comment, Question, Revision
from people.models import User
from tests.communities.factories import make_community

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "cardano"


@pytest.fixture
def community(db):
    return make_community(slug="cardano", title="Cardano")


def make_dump(tmp_path, *, gz=(), drop=(), edit=None) -> Path:
    """A copy of the fixture dump: some files gzipped, dropped or edited."""
    folder = tmp_path / "cardano"
    folder.mkdir()
    for source in FIXTURE.glob("*.xml"):
        name = source.stem
        if name in drop:
            continue
        text = source.read_text(encoding="utf-8")
        if edit and name in edit:
            text = edit[name](text)
        if name in gz or gz == "all":
            with gzip.open(folder / f"{name}.xml.gz", "wt", encoding="utf-8") as f:
                f.write(text)
        else:
            (folder / f"{name}.xml").write_text(text, encoding="utf-8")
    return folder


def run(path, **options) -> str:
    out = StringIO()
    options.setdefault("community", "cardano")
    call_command("import_stackexchange", str(path), stdout=out, **options)
    return out.getvalue()


def local(kind: str, external_id: int):
    model = {"question": Question, "answer": Answer, "user": User, "comment": Comment}
    model = model[kind]
    key = ImportedObject.objects.get(site="cardano", kind=kind, external_id=external_id)
    return model.objects.get(pk=key.local_id)


def counts() -> dict[str, int]:
    models = [Question, Answer, Comment, User, Revision, Attribution, RelatedQuestion]
    result = {model.__name__: model.objects.count() for model in models}
    result["keys"] = ImportedObject.objects.count()
    result["tagged"] = Question.tags.through.objects.count()
    result["closed"] = Question.objects.filter(status="closed").count()
    result["accepted"] = Question.objects.filter(accepted_answer__isnull=False).count()
    return result


FULL = {
    "Question": 6,
    "Answer": 7,
    "Comment": 16,
    "User": 15,  # 14 authors + the "unknown user" fallback
    "Revision": 13,
    "Attribution": 13,
    "RelatedQuestion": 3,
    "closed": 1,
    "accepted": 3,
    "tagged": 11,
}


def assert_full_import():
    found = counts()
    assert {k: found[k] for k in FULL} == FULL


# -- mapping ------------------------------------------------------------------


def test_questions_answers_users_and_dates_are_mapped(community, tmp_path):
    output = run(make_dump(tmp_path))

    assert_full_import()
    question = local("question", 1)
    assert question.title == "How Cardano is different from Ethereum (2.0)?"
    assert question.community == community
    assert question.score == 36
    assert question.view_count == 918
    assert question.created_at == datetime(2021, 4, 27, 15, 6, 44, 553000, tzinfo=UTC)
    assert question.last_activity_at == datetime(
        2021, 5, 26, 4, 19, 24, 647000, tzinfo=UTC
    )
    assert set(question.tags.names()) == {"proof-of-work", "governance", "ethereum"}
    assert question.accepted_answer == local("answer", 12)
    assert question.answer_count == 2
    assert question.first_answer_at == local("answer", 12).created_at
    assert question.slug == "how-cardano-is-different-from-ethereum-20"
    assert question.revisions.count() == 1
    assert local("answer", 12).question == question
    assert local("answer", 12).score > 0

    author = question.author
    assert author.username == "se-cardano-17"
    assert author.display_name == "FelikZ"
    assert not author.is_active
    assert author.email == ""
    assert not author.has_usable_password()

    comment = local("comment", 42)
    assert comment.question == question
    assert comment.body.startswith("Does Etherium 2.0 have 100% decentralization")
    assert comment.body_html.startswith("Does Etherium")
    assert comment.author.username.startswith("se-cardano-")
    assert Comment.objects.filter(answer__isnull=False).exists()

    assert "Votes: scores come from Posts.xml Score" in output
    assert "questions: 6" in output and "answers: 7" in output
    assert "search_reindex" in output


def test_code_blocks_stay_intact(community, tmp_path):
    run(make_dump(tmp_path))

    question = local("question", 2131)
    line = (
        "cardano-cli address key-gen --verification-key-file pay.vkey "
        "--signing-key-file pay.key"
    )
    assert f"<pre><code>{line}\n</code></pre>" in question.body_html
    assert f"```\n{line}\n```" in question.body
    assert "`pwd`" in local("answer", 2133).body


def test_duplicates_close_and_related_links_are_kept(community, tmp_path):
    run(make_dump(tmp_path))

    duplicate, original = local("question", 329), local("question", 330)
    assert duplicate.status == Question.Status.CLOSED
    assert duplicate.close_reason == Question.CloseReason.DUPLICATE
    assert duplicate.duplicate_of == original
    assert duplicate.closed_at == datetime(2021, 5, 4, 18, 5, 1, 540000, tzinfo=UTC)
    assert original.status == Question.Status.OPEN
    pairs = set(RelatedQuestion.objects.values_list("from_question", "to_question"))
    q71, q77 = local("question", 71), local("question", 77)
    assert pairs == {(q77.pk, q71.pk), (q71.pk, q77.pk), (duplicate.pk, original.pk)}


def test_the_sites_host_comes_from_its_links_whatever_the_folder_is_called(
    community, tmp_path
):
    folder = make_dump(tmp_path).rename(tmp_path / "export-2021")
    assert link_host(folder) == "cardano.stackexchange.com"
    run(folder)
    key = ImportedObject.objects.get(site="export-2021", kind="question", external_id=1)
    question = Question.objects.get(pk=key.local_id)
    assert attribution_for(question).url == "https://cardano.stackexchange.com/q/1"
    # Without linked questions there is nothing to read it from.
    (tmp_path / "b").mkdir()
    assert link_host(make_dump(tmp_path / "b", drop=("PostLinks",))) is None


def test_attribution_is_stored_and_rendered(
    community, tmp_path, django_assert_num_queries
):
    run(make_dump(tmp_path))
    question, answer = local("question", 1), local("answer", 12)

    found = attribution_for(question)
    assert found.url == "https://cardano.stackexchange.com/q/1"
    assert found.site == "cardano"
    assert found.license == "CC BY-SA 4.0"
    assert found.author_name == "FelikZ"
    assert attribution_for(answer).url == "https://cardano.stackexchange.com/a/12"

    questions = list(Question.objects.all())
    answers = list(Answer.objects.all())
    with django_assert_num_queries(1):
        many = attributions_for(questions, answers)
    assert len(many) == 13
    with django_assert_num_queries(1):
        assert attributions_for(questions[:1], answers[:1])

    html = Template("{% load imports_tags %}{% attribution q %}").render(
        Context({"q": question})
    )
    assert 'href="https://cardano.stackexchange.com/q/1"' in html
    assert "FelikZ" in html and "CC BY-SA 4.0" in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in html
    with django_assert_num_queries(0):
        Template("{% load imports_tags %}{% attribution a all %}").render(
            Context({"a": answer, "all": many})
        )
    included = Template('{% include "imports/attribution.html" %}').render(
        Context({"question": question, "answer": answer})
    )
    assert "/a/12" in included
    question.attribution.delete()
    plain = Template("{% load imports_tags %}{% attribution q %}").render(
        Context({"q": Question.objects.get(pk=question.pk)})
    )
    assert plain.strip() == ""


def test_tag_formats_are_normalised():
    assert parse_tags("<Plutus><nft>") == ["plutus", "nft"]
    assert parse_tags("|plutus|NFT|plutus|") == ["plutus", "nft"]
    assert parse_tags("") == []


def test_user_and_tag_rows_parse_or_raise():
    row = {"Id": "7", "DisplayName": "x" * 200, "CreationDate": "2021-04-27T15:06:44.5"}
    assert parse_user(row) == UserRow(
        ext=7,
        display_name="x" * 150,
        created=datetime(2021, 4, 27, 15, 6, 44, 500000, tzinfo=UTC),
    )
    assert parse_user({"Id": "8"}) == UserRow(ext=8, display_name="", created=None)
    with pytest.raises(RowError, match="missing Id"):
        parse_user({"DisplayName": "No id"})
    with pytest.raises(RowError, match="bad date: 'soon'"):
        parse_user({"Id": "9", "CreationDate": "soon"})
    assert parse_tag({"TagName": "Plutus"}) == "plutus"
    with pytest.raises(RowError, match="missing TagName"):
        parse_tag({"TagName": " "})


# -- idempotency and interruption ---------------------------------------------


def test_second_run_changes_nothing(community, tmp_path):
    folder = make_dump(tmp_path)
    run(folder)
    before = counts()
    stamps = dict(Question.objects.values_list("pk", "updated_at"))

    output = run(folder)

    assert counts() == before
    assert dict(Question.objects.values_list("pk", "updated_at")) == stamps
    assert "nothing new" in output
    assert "questions already imported: 6" in output


def test_limit_then_full_run_completes(community, tmp_path):
    folder = make_dump(tmp_path)

    output = run(folder, limit=2)

    assert Question.objects.count() == 2
    assert set(Answer.objects.values_list("question", flat=True)) <= set(
        Question.objects.values_list("pk", flat=True)
    )
    assert "Errors: 0" in output
    assert "questions beyond --limit: 4" in output

    run(folder)
    assert_full_import()


def test_interrupted_import_reruns_and_completes(community, tmp_path, monkeypatch):
    folder = make_dump(tmp_path)

    def crash(self, file, rows):
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(StackExchangeImporter, "_comments", crash)
        with pytest.raises(RuntimeError):
            run(folder)
    assert Question.objects.count() == 6
    assert Comment.objects.count() == 0

    run(folder)
    assert_full_import()


def test_gzipped_and_plain_files_import_alike(community, tmp_path):
    run(make_dump(tmp_path, gz="all"))
    assert_full_import()


def test_mixed_gzipped_files(community, tmp_path):
    run(make_dump(tmp_path, gz=("Posts", "Comments")))
    assert_full_import()


def test_demo_slice_loads_once(community):
    demo.load()
    first = counts()
    assert first["Question"] == 82
    assert first["closed"] == 5
    assert Question.objects.filter(community=community).count() == 82

    demo.load()
    assert counts() == first


# -- bad input ----------------------------------------------------------------


def test_malformed_rows_are_reported_and_skipped(community, tmp_path):
    def break_posts(text):
        text = text.replace('<row Id="71" ', "<row ", 1)
        text = text.replace(
            'Id="77" PostTypeId="1" CreationDate="2021-04-28T05:53:30.820"',
            'Id="77" PostTypeId="1" CreationDate="yesterday"',
        )
        return text.replace('ParentId="330"', 'ParentId="999999"')

    def break_comments(text):
        return text.replace('PostId="1" ', 'PostId="424242" ', 1)

    folder = make_dump(
        tmp_path, edit={"Posts": break_posts, "Comments": break_comments}
    )
    output = run(folder)

    assert "- Posts.xml row #3 (no Id): missing Id" in output
    assert "- Posts.xml row 77: bad date: 'yesterday'" in output
    assert "- Posts.xml row 332: unknown parent: 999999" in output
    assert "- Comments.xml row 42: unknown post: 424242" in output
    assert Question.objects.count() == 4
    assert not ImportedObject.objects.filter(kind="question", external_id="77").exists()
    assert not ImportedObject.objects.filter(kind="answer", external_id="332").exists()
    assert "- Posts.xml row 139: unknown parent: 77" in output
    assert Answer.objects.count() == 4  # 139 (to 77), 144 (to 71) and 332 skipped
    assert Comment.objects.count() < 16
    assert local("question", 1).title.startswith("How Cardano")


def test_missing_optional_file_is_reported(community, tmp_path):
    output = run(make_dump(tmp_path, drop=("Comments", "Votes")))

    assert "Not in the dump, so not imported: Comments.xml, Votes.xml." in output
    assert "Errors: 0" in output  # a smaller dump, not a broken one
    assert Comment.objects.count() == 0
    assert Question.objects.count() == 6 and Answer.objects.count() == 7


def test_authors_users_xml_does_not_list_keep_accounts_of_their_own(
    community, tmp_path
):
    """Without Users.xml (or for a user it lacks) every author still has an
    account of their own: who wrote what is the evidence of who knows what."""

    def named(text: str) -> str:  # one author named only by their post
        return text.replace(
            'OwnerUserId="17"', 'OwnerUserId="17" OwnerDisplayName="Ada"'
        )

    output = run(make_dump(tmp_path, drop=("Users",), edit={"Posts": named}))

    authors = {r.author_id for r in [*Question.objects.all(), *Answer.objects.all()]}
    assert len(authors) > 1
    assert "users not in Users.xml (made from their posts)" in output
    ada = local("user", 17)
    assert (ada.username, ada.display_name, ada.is_active) == (
        "se-cardano-17",
        "Ada",
        False,
    )
    assert local("question", 1).author == ada
    assert local("user", 14).display_name == "cardano user 14"
    users = User.objects.count()

    (tmp_path / "again").mkdir()
    run(make_dump(tmp_path / "again", drop=("Users",)))  # nothing made twice

    assert User.objects.count() == users


def test_missing_posts_is_an_error_that_changes_nothing(community, tmp_path):
    folder = make_dump(tmp_path, drop=("Posts",))
    users = User.objects.count()

    with pytest.raises(CommandError, match="No Posts.xml or Posts.xml.gz"):
        run(folder)

    assert User.objects.count() == users
    assert ImportedObject.objects.count() == 0


def test_unreadable_posts_is_an_error_that_changes_nothing(community, tmp_path):
    folder = make_dump(tmp_path, drop=("Posts",))
    (folder / "Posts.xml.gz").write_bytes(b"not gzip at all")

    with pytest.raises(CommandError, match="Cannot read Posts.xml.gz"):
        run(folder)
    assert ImportedObject.objects.count() == 0


def test_missing_folder_is_an_error(community, tmp_path):
    with pytest.raises(CommandError, match="Folder not found"):
        run(tmp_path / "nope")
    with pytest.raises(CommandError, match="Not a folder"):
        (tmp_path / "file.xml").write_text("<posts/>")
        run(tmp_path / "file.xml")
    assert ImportedObject.objects.count() == 0


def test_unknown_community_is_an_error(community, tmp_path):
    with pytest.raises(CommandError, match="Unknown community 'nope'"):
        run(make_dump(tmp_path), community="nope")
    assert ImportedObject.objects.count() == 0


def test_related_questions_selector(community, tmp_path, django_assert_num_queries):
    run(make_dump(tmp_path))
    q71, q77 = local("question", 71), local("question", 77)

    with django_assert_num_queries(1):
        assert related_questions_for(q77) == [q71]
    assert related_questions_for(local("question", 2131)) == []


def test_rows_deleted_locally_are_not_revived_nor_referenced(
    community, tmp_path, monkeypatch
):
    folder = make_dump(tmp_path)

    def crash(self, file, rows):
        raise RuntimeError("stopped")

    with monkeypatch.context() as patch:
        patch.setattr(StackExchangeImporter, "_answers", crash)
        with pytest.raises(RuntimeError):
            run(folder)
    local("question", 1).delete()  # a curator removed it meanwhile

    output = run(folder)

    assert not Question.objects.filter(title__startswith="How Cardano is").exists()
    assert "- Posts.xml row 12: unknown parent: 1" in output
    assert Question.objects.count() == 5
    assert Answer.objects.count() == 5


@pytest.mark.parametrize(
    ("site", "host"),
    [
        ("cardano", "cardano.stackexchange.com"),
        ("superuser", "superuser.com"),
        ("MathOverflow", "mathoverflow.net"),
        ("quantumcomputing.stackexchange.com", "quantumcomputing.stackexchange.com"),
    ],
)
def test_a_sites_name_stands_for_its_host(site, host):
    assert site_host(site) == host
