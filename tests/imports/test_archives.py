"""Stack Exchange dumps as published, 7-Zip archives: unpacked once into a dump
folder that the import and ``make eval`` read."""

from io import StringIO
from pathlib import Path

import py7zr
import pytest
from django.core.management import CommandError, call_command

from kb.imports.archives import DumpArchiveError, archive_site, dump_folder
from kb.imports.models import ImportedObject
from kb.qa.models import Question
from tests.communities.factories import make_community

FIXTURE = Path(__file__).parent / "fixtures" / "cardano"


def pack(archive: Path, files: dict[str, Path]) -> Path:
    """A 7-Zip archive holding ``files`` under the names given."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with py7zr.SevenZipFile(archive, mode="w") as seven:
        for name, path in files.items():
            seven.write(path, arcname=name)
    return archive


def site_archive(folder: Path, name: str = "cardano.stackexchange.com.7z") -> Path:
    """The fixture dump as Stack Exchange publishes a site, with a large file
    the import never reads."""
    history = folder / "PostHistory.xml"
    folder.mkdir(parents=True, exist_ok=True)
    history.write_text("<posthistory>" + "<row />" * 1000 + "</posthistory>")
    files = {path.name: path for path in FIXTURE.glob("*.xml")}
    archive = pack(folder / "published" / name, {**files, history.name: history})
    history.unlink()
    return archive


def xml_names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_an_archive_is_unpacked_once_into_a_folder_named_after_its_site(tmp_path):
    archive = site_archive(tmp_path)
    cache = tmp_path / "cache"
    out = StringIO()

    folder = dump_folder(archive, cache=cache, out=out)

    assert folder.name == "cardano"
    assert xml_names(folder) == {path.name for path in FIXTURE.glob("*.xml")}
    assert (folder / "Posts.xml").read_bytes() == (FIXTURE / "Posts.xml").read_bytes()
    assert "Unpacking cardano.stackexchange.com.7z" in out.getvalue()

    again = StringIO()
    assert dump_folder(archive, cache=cache, out=again) == folder
    assert again.getvalue() == ""  # read from the cache


def test_a_folder_holding_the_archive_stands_for_it(tmp_path):
    archive = site_archive(tmp_path)

    folder = dump_folder(archive.parent, cache=tmp_path / "cache")

    assert folder.name == "cardano" and (folder / "PostLinks.xml").exists()


def test_a_changed_archive_is_unpacked_again_and_the_old_copy_removed(tmp_path):
    archive = site_archive(tmp_path)
    cache = tmp_path / "cache"
    first = dump_folder(archive, cache=cache)

    pack(archive, {"Posts.xml": FIXTURE / "Posts.xml"})  # Posts only now
    second = dump_folder(archive, cache=cache)

    assert second != first and not first.exists()
    assert xml_names(second) == {"Posts.xml"}


def test_stack_overflows_archives_per_file_make_one_folder(tmp_path):
    published = tmp_path / "so"
    for name in ("Posts", "PostLinks", "Users"):
        pack(
            published / f"stackoverflow.com-{name}.7z",
            {f"{name}.xml": FIXTURE / f"{name}.xml"},
        )

    folder = dump_folder(published, cache=tmp_path / "cache")

    assert folder.name == "stackoverflow"
    assert xml_names(folder) == {"Posts.xml", "PostLinks.xml", "Users.xml"}


def test_archives_of_two_sites_are_refused_naming_them(tmp_path):
    site_archive(tmp_path)
    site_archive(tmp_path, "cardano.meta.stackexchange.com.7z")

    with pytest.raises(DumpArchiveError, match="2 sites .cardano, cardano.meta"):
        dump_folder(tmp_path / "published", cache=tmp_path / "cache")


def test_an_archive_without_posts_leaves_nothing_behind(tmp_path):
    archive = pack(tmp_path / "x.7z", {"Users.xml": FIXTURE / "Users.xml"})
    cache = tmp_path / "cache"

    with pytest.raises(DumpArchiveError, match="No Posts.xml in x.7z"):
        dump_folder(archive, cache=cache)

    assert list(cache.iterdir()) == []


def test_a_broken_archive_says_so(tmp_path):
    archive = tmp_path / "cardano.stackexchange.com.7z"
    archive.write_bytes(b"not an archive at all" * 100)

    with pytest.raises(DumpArchiveError, match="Cannot unpack .*cardano"):
        dump_folder(archive, cache=tmp_path / "cache")


def test_a_dump_folder_and_anything_else_are_left_to_the_caller(tmp_path):
    assert dump_folder(FIXTURE, cache=tmp_path) == FIXTURE
    missing = tmp_path / "nothing-here"
    assert dump_folder(missing, cache=tmp_path) == missing


@pytest.mark.parametrize(
    "name, site",
    [
        ("cardano.stackexchange.com.7z", "cardano"),
        ("superuser.com.7z", "superuser"),
        ("stackoverflow.com-PostLinks.7z", "stackoverflow"),
        ("es.stackoverflow.com.7z", "es.stackoverflow.com"),
        ("3dprinting.meta.stackexchange.com.7z", "3dprinting.meta"),
    ],
)
def test_the_site_is_named_as_the_import_names_it(name, site):
    assert archive_site(Path(name)) == site


@pytest.mark.django_db
def test_the_import_command_reads_the_archive(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    make_community(slug="cardano", title="Cardano")
    archive = site_archive(tmp_path)
    out = StringIO()

    call_command("import_stackexchange", str(archive), community="cardano", stdout=out)

    assert "Stack Exchange import of cardano into 'cardano'" in out.getvalue()
    assert Question.objects.count() == 6
    assert ImportedObject.objects.filter(site="cardano", kind="question").count() == 6
    assert (tmp_path / "var" / "dumps").is_dir()


@pytest.mark.django_db
def test_a_broken_archive_imports_nothing(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    make_community(slug="cardano", title="Cardano")
    archive = tmp_path / "cardano.stackexchange.com.7z"
    archive.write_bytes(b"\x00" * 64)

    with pytest.raises(CommandError, match="Cannot unpack.*Nothing was imported"):
        call_command("import_stackexchange", str(archive), community="cardano")
    assert Question.objects.count() == 0


def test_an_archive_writing_outside_the_cache_is_refused(tmp_path):
    archive = pack(
        tmp_path / "in" / "evil.7z",
        {
            "../../outside/Posts.xml": FIXTURE / "Posts.xml",
            "/abs/Users.xml": FIXTURE / "Users.xml",
        },
    )

    # py7zr refuses such paths; the import says so and writes nothing.
    with pytest.raises(DumpArchiveError, match="Cannot unpack .*evil.7z: .*bad"):
        dump_folder(archive, cache=tmp_path / "cache" / "deep")

    assert not (tmp_path / "outside").exists()
    assert [p.name for p in tmp_path.rglob("*.xml")] == []
